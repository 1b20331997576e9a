// The DATEX II Parking Publication Light mapping against the official 02-00-00 schema, for every
// status a lot can have.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PublicationHeader, parkingPublicationLight } from '../../../shared/domain/formats/datex2-light';
import { errorsOf, interopExample, interopValidators } from '../../support/interop-schemas';
import { anyLotView, CASES } from './lots';

const v = interopValidators();
const HEADER: PublicationHeader = {
  publicationTime: '2026-11-23T10:00:00.000Z',
  lang: 'en',
  publicationCreator: { country: 'GB', nationalIdentifier: 'parking-finder' },
  name: 'Parking finder lots',
};

describe.skipIf(v === null)('DATEX II Parking Publication Light mapping', () => {
  const validate = v!.datex2Light;
  const valid = (doc: unknown) => (validate(doc) ? [] : errorsOf(validate));
  const site = (name: keyof typeof CASES) =>
    parkingPublicationLight([CASES[name]!], HEADER).parkingPublicationLight.parkingSite[0]!;

  it('the schema as compiled here accepts the official example and rejects a bare enum', () => {
    expect(
      valid(interopExample('datex2/parking-light-02-00-00/examples/example-belgium-cities.json')),
    ).toEqual([]);
    const doc = parkingPublicationLight([CASES.fresh!], HEADER);
    const bare = structuredClone(doc) as unknown as {
      parkingPublicationLight: { parkingSite: { type: unknown }[] };
    };
    bare.parkingPublicationLight.parkingSite[0]!.type = 'carPark';
    expect(valid(bare)).not.toEqual([]);
  });

  it('a publication of lots in every status is valid', () => {
    expect(valid(parkingPublicationLight(Object.values(CASES), HEADER))).toEqual([]);
    expect(valid(parkingPublicationLight([], HEADER))).toEqual([]);
  });

  it('publishes availableSpaces only when the data is fresh, and lastUpdate = the observation time', () => {
    expect(site('fresh')).toMatchObject({
      _id: 'bull-ring',
      numberOfSpaces: CASES.fresh!.capacity,
      availableSpaces: CASES.fresh!.free,
      lastUpdate: CASES.fresh!.observedAt,
      isOpenNow: true,
      temporaryClosed: false,
    });
    expect(site('full').availableSpaces).toBe(0);
    expect(site('stale')).not.toHaveProperty('availableSpaces');
    expect(site('stale').lastUpdate).toBe(CASES.stale!.observedAt);
    expect(site('nodata')).not.toHaveProperty('availableSpaces');
    expect(site('nodata')).not.toHaveProperty('lastUpdate');
  });

  it('a lot closed by staff is temporarily closed; one outside its hours is only not open now', () => {
    expect(site('closed')).toMatchObject({ isOpenNow: false, temporaryClosed: true });
    expect(site('closed')).not.toHaveProperty('availableSpaces');
    expect(CASES.outsideHours).toMatchObject({ status: 'closed', opensAt: '2026-11-23T12:00:00.000Z' });
    const byHours = parkingPublicationLight([CASES.outsideHours!], HEADER);
    expect(byHours.parkingPublicationLight.parkingSite[0]).toMatchObject({
      isOpenNow: false,
      temporaryClosed: false,
    });
    expect(valid(byHours)).toEqual([]);
  });

  it('every lot the API accepts, in any state, anywhere, maps to a valid site', () => {
    fc.assert(
      fc.property(fc.array(anyLotView, { maxLength: 5 }), (lots) => {
        expect(valid(parkingPublicationLight(lots, HEADER))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
