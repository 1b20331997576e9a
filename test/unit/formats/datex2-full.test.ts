// The DATEX II v3.7 parking model mapping against the official 3.7 JSON Schema set: the table
// and the status publication, for every status a lot can have.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parkingStatusPublication,
  parkingTablePublication,
} from '../../../shared/domain/formats/datex2-full';
import type { PublicationHeader } from '../../../shared/domain/formats/datex2-light';
import { errorsOf, interopValidators } from '../../support/interop-schemas';
import { anyLotView, CASES } from './lots';

const v = interopValidators();
const HEADER: PublicationHeader = {
  publicationTime: '2026-11-23T10:00:00.000Z',
  lang: 'en',
  publicationCreator: { country: 'ZZ', nationalIdentifier: 'parking-finder' },
  name: 'Parking finder lots',
};

describe.skipIf(v === null)('DATEX II v3.7 parking mapping', () => {
  const validate = v!.datex2Full;
  const valid = (doc: unknown) => (validate(doc) ? [] : errorsOf(validate));
  const status = (name: keyof typeof CASES) =>
    parkingStatusPublication([CASES[name]!], HEADER).payload.prkParkingStatusPublication
      .parkingStatusInformation[0]!.prkPlaceStatus as Record<string, unknown>;

  it('both publications of lots in every status are valid; a bare enum is not', () => {
    const lots = Object.values(CASES);
    expect(valid(parkingTablePublication(lots, HEADER))).toEqual([]);
    expect(valid(parkingStatusPublication(lots, HEADER))).toEqual([]);
    const bare = structuredClone(parkingStatusPublication(lots, HEADER)) as unknown as {
      payload: {
        prkParkingStatusPublication: {
          parkingStatusInformation: { prkPlaceStatus: { openingStatus: unknown } }[];
        };
      };
    };
    bare.payload.prkParkingStatusPublication.parkingStatusInformation[0]!.prkPlaceStatus.openingStatus =
      'open';
    expect(valid(bare)).not.toEqual([]);
  });

  it('states occupancy only while fresh, lastUpdated = the observation time, and closures', () => {
    expect(status('fresh')).toMatchObject({
      lastUpdated: CASES.fresh!.observedAt,
      openingStatus: { value: 'open' },
      status: [{ value: 'spacesAvailable' }],
      occupancy: {
        numberOfVacantSpaces: CASES.fresh!.free,
        numberOfOccupiedSpaces: CASES.fresh!.occupied,
        occupancy: CASES.fresh!.occupancy! * 100,
      },
    });
    expect(status('full').status).toEqual([{ value: 'full' }]);
    expect(status('stale')).not.toHaveProperty('occupancy');
    expect(status('stale').status).toEqual([{ value: 'unknown' }]);
    expect(status('nodata')).not.toHaveProperty('lastUpdated');
    expect(status('closed')).toMatchObject({ openingStatus: { value: 'temporarilyClosed' } });
    expect(status('outsideHours')).toMatchObject({ openingStatus: { value: 'closed' } });
    expect(status('closed')).not.toHaveProperty('occupancy');
    const table = parkingTablePublication([CASES.fresh!], HEADER).payload.prkParkingTablePublication
      .parkingTable[0]!;
    expect(table.hierarchyElementGeneral[0]!.prkPlace).toMatchObject({
      idG: 'bull-ring',
      supply: { quantity: CASES.fresh!.capacity },
    });
  });

  it('every lot the API accepts, in any state, anywhere, maps to valid publications', () => {
    fc.assert(
      fc.property(fc.array(anyLotView, { minLength: 1, maxLength: 4 }), (lots) => {
        expect(valid(parkingTablePublication(lots, HEADER))).toEqual([]);
        expect(valid(parkingStatusPublication(lots, HEADER))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
