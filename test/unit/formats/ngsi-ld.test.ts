// The NGSI-LD mapping against the official Smart Data Models OffStreetParking schema (key-values,
// and normalized converted to key-values), for every status a lot can have.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lotIdOfEntity,
  offStreetParkingId,
  offStreetParkingKeyValues,
  offStreetParkingNormalized,
  parkingSpotKeyValues,
  parkingSpotNormalized,
  type SpotView,
  spotOfEntity,
} from '../../../shared/domain/formats/ngsi-ld';
import { errorsOf, interopExample, interopValidators, toKeyValues } from '../../support/interop-schemas';
import { anyLotView, CASES } from './lots';

const v = interopValidators();

describe.skipIf(v === null)('NGSI-LD OffStreetParking mapping', () => {
  const validators = v!;
  const valid = (entity: unknown) => {
    const ok = validators.offStreetParking(entity);
    return ok ? [] : errorsOf(validators.offStreetParking);
  };

  it('the schema as compiled here accepts the official example and rejects a status it lacks', () => {
    expect(valid(interopExample('fiware/dataModel.Parking/OffStreetParking/examples/example.json'))).toEqual(
      [],
    );
    const kv = offStreetParkingKeyValues(CASES.fresh!);
    expect(valid({ ...kv, status: ['unknown'] })).not.toEqual([]);
  });

  for (const [name, lot] of Object.entries(CASES)) {
    it(`a ${name} lot is valid in key-values and in normalized form`, () => {
      expect(valid(offStreetParkingKeyValues(lot))).toEqual([]);
      expect(valid(toKeyValues(offStreetParkingNormalized(lot)))).toEqual([]);
    });
  }

  it("carries the drivers' figures: free, capacity, occupancy 0–1, and when they were observed", () => {
    const lot = CASES.fresh!;
    const kv = offStreetParkingKeyValues(lot);
    expect(kv).toMatchObject({
      id: 'urn:ngsi-ld:OffStreetParking:bull-ring',
      availableSpotNumber: lot.free,
      totalSpotNumber: lot.capacity,
      occupiedSpotNumber: lot.occupied,
      occupancy: lot.occupancy,
      status: ['open', 'spacesAvailable'],
      location: { type: 'Point', coordinates: [lot.location.lon, lot.location.lat] },
    });
    const n = offStreetParkingNormalized(lot);
    for (const attr of ['availableSpotNumber', 'occupiedSpotNumber', 'occupancy'])
      expect(n[attr]).toMatchObject({ type: 'Property', observedAt: lot.observedAt });
    expect(n.totalSpotNumber).toEqual({ type: 'Property', value: lot.capacity });
    expect(n.location).toMatchObject({ type: 'GeoProperty' });
  });

  it('a full lot says full, a closed lot closed, and an over-capacity count is clamped as for drivers', () => {
    expect(offStreetParkingKeyValues(CASES.full!).status).toEqual(['open', 'full']);
    expect(offStreetParkingKeyValues(CASES.full!).availableSpotNumber).toBe(0);
    expect(offStreetParkingKeyValues(CASES.closed!).status).toEqual(['closed']);
    const over = offStreetParkingKeyValues(CASES.overCapacity!);
    expect(over).toMatchObject({ availableSpotNumber: 0, occupiedSpotNumber: 100, occupancy: 1 });
  });

  it('a stale lot keeps its last values with their own time; a lot without data has no counts', () => {
    const stale = offStreetParkingNormalized(CASES.stale!);
    expect(stale.status).toEqual({ type: 'Property', value: ['open'] });
    expect(stale.availableSpotNumber).toEqual({
      type: 'Property',
      value: CASES.stale!.free,
      observedAt: CASES.stale!.observedAt,
    });
    const none = offStreetParkingKeyValues(CASES.nodata!);
    for (const attr of ['availableSpotNumber', 'occupiedSpotNumber', 'occupancy', 'occupancyModified'])
      expect(none).not.toHaveProperty(attr);
    expect(none.status).toEqual(['open']);
  });

  it('every lot the API accepts, in any state, anywhere, maps to a valid entity', () => {
    fc.assert(
      fc.property(anyLotView, (lot) => {
        expect(valid(offStreetParkingKeyValues(lot))).toEqual([]);
        expect(valid(toKeyValues(offStreetParkingNormalized(lot)))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('reads back the lot id of an entity id, and nothing from another type', () => {
    expect(lotIdOfEntity(offStreetParkingId('a.b-c_1'))).toBe('a.b-c_1');
    expect(lotIdOfEntity('urn:ngsi-ld:ParkingSpot:a')).toBeNull();
  });
});

describe.skipIf(v === null)('NGSI-LD ParkingSpot mapping', () => {
  const validators = v!;
  const valid = (entity: unknown) => (validators.parkingSpot(entity) ? [] : errorsOf(validators.parkingSpot));
  const spot = {
    spaceId: 'L2-114',
    state: 'occupied' as const,
    observedAt: '2026-11-23T09:58:00.000Z',
    fresh: true,
  };

  it('the schema as compiled here accepts the official example', () => {
    expect(valid(interopExample('fiware/dataModel.Parking/ParkingSpot/examples/example.json'))).toEqual([]);
  });

  it('a bay is valid in both forms, placed at its lot and referring to it, in every state', () => {
    const cases: [SpotView, keyof typeof CASES, string][] = [
      [spot, 'fresh', 'occupied'],
      [{ ...spot, state: 'vacant' }, 'fresh', 'free'],
      [{ ...spot, fresh: false }, 'fresh', 'unknown'],
      [spot, 'closed', 'closed'],
    ];
    for (const [s, lotCase, status] of cases) {
      const lot = CASES[lotCase]!;
      const kv = parkingSpotKeyValues(lot, s);
      expect(valid(kv)).toEqual([]);
      const n = parkingSpotNormalized(lot, s);
      expect(valid(toKeyValues(n))).toEqual([]);
      expect(toKeyValues(n)).toEqual(kv);
      expect(kv).toMatchObject({
        id: 'urn:ngsi-ld:ParkingSpot:bull-ring:L2-114',
        status,
        refParkingSite: 'urn:ngsi-ld:OffStreetParking:bull-ring',
        location: { type: 'Point', coordinates: [lot.location.lon, lot.location.lat] },
      });
      expect(n.status).toMatchObject({ observedAt: s.observedAt });
    }
    expect(spotOfEntity('urn:ngsi-ld:ParkingSpot:bull-ring:L2-114')).toEqual({
      lotId: 'bull-ring',
      spaceId: 'L2-114',
    });
    expect(spotOfEntity('urn:ngsi-ld:ParkingSpot:bull-ring')).toBeNull();
  });
});
