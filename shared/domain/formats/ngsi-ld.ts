// A lot as FIWARE NGSI-LD sees it: a Smart Data Models `OffStreetParking` entity, normalized (each
// attribute a Property with `observedAt` where its value comes from an observation) or key-values
// (README "Open formats"). Pure: built from the same lot view drivers get, so the figures agree.
import type { LotFeature, LotStatus, LotType, LotView } from '../lot';

/** The NGSI-LD core context and the Smart Data Models Parking context the entities use. */
export const NGSI_LD_CORE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';
export const PARKING_CONTEXT =
  'https://raw.githubusercontent.com/smart-data-models/dataModel.Parking/master/context.jsonld';
/** In the order of the Smart Data Models examples. */
export const NGSI_LD_CONTEXT = [NGSI_LD_CORE_CONTEXT, PARKING_CONTEXT] as const;

export const OFF_STREET_PARKING = 'OffStreetParking';
const ENTITY_PREFIX = `urn:ngsi-ld:${OFF_STREET_PARKING}:`;

/** The entity id of a lot: `urn:ngsi-ld:OffStreetParking:<lotId>`. */
export function offStreetParkingId(lotId: string): string {
  return `${ENTITY_PREFIX}${lotId}`;
}

/** The lot id an entity id names, or null if it names no lot of ours. */
export function lotIdOfEntity(entityId: string): string | null {
  return entityId.startsWith(ENTITY_PREFIX) ? entityId.slice(ENTITY_PREFIX.length) : null;
}

/** What the mappings read: the drivers' view of the lot. */
export type FormatLot = Pick<
  LotView,
  | 'id'
  | 'name'
  | 'location'
  | 'capacity'
  | 'occupied'
  | 'free'
  | 'occupancy'
  | 'status'
  | 'observedAt'
  | 'type'
  | 'features'
  | 'openingHours'
  | 'opensAt'
>;

/**
 * Closed because it is outside its opening hours rather than closed by staff (DATEX II tells the
 * two apart; NGSI-LD's `status` does not). The view says when such a lot opens (within 7 days);
 * a lot staff closed has no `opensAt`, so neither has one closed by its hours for longer than
 * that, which a platform sees as a temporary closure.
 */
export function closedByHours(lot: Pick<FormatLot, 'status' | 'opensAt'>): boolean {
  return lot.status === 'closed' && lot.opensAt !== null;
}

type Attribute =
  | { kind: 'Property'; value: unknown; observedAt?: string; dateTime?: boolean }
  | { kind: 'GeoProperty'; value: unknown };

/** The schema's `status` has no "unknown": a stale or silent lot is only said to be open. */
const STATUS: Record<LotStatus, string[]> = {
  available: ['open', 'spacesAvailable'],
  full: ['open', 'full'],
  stale: ['open'],
  nodata: ['open'],
  closed: ['closed'],
};

const CATEGORY: Record<LotType, string[]> = {
  garage: ['parkingGarage'],
  underground: ['underground'],
  surface: ['parkingLot'],
  park_and_ride: ['parkingLot', 'urbanDeterrentParking'],
  on_street: ['other'],
};
const FEATURE_CATEGORY: Partial<Record<LotFeature, string>> = {
  ev: 'forElectricalCharging',
  accessible: 'forDisabled',
};
const FEATURE_FACILITY: Partial<Record<LotFeature, string>> = {
  ev: 'electricChargingStation',
  bicycle: 'bikeParking',
};

function attributes(lot: FormatLot): Array<[string, Attribute]> {
  const out: Array<[string, Attribute]> = [
    ['name', { kind: 'Property', value: lot.name }],
    [
      'location',
      { kind: 'GeoProperty', value: { type: 'Point', coordinates: [lot.location.lon, lot.location.lat] } },
    ],
    [
      'category',
      {
        kind: 'Property',
        value: [
          ...CATEGORY[lot.type],
          ...lot.features.flatMap((f) => (FEATURE_CATEGORY[f] ? [FEATURE_CATEGORY[f]] : [])),
        ],
      },
    ],
    ['totalSpotNumber', { kind: 'Property', value: lot.capacity }],
    ['status', { kind: 'Property', value: STATUS[lot.status] }],
  ];
  const facilities = lot.features.flatMap((f) => (FEATURE_FACILITY[f] ? [FEATURE_FACILITY[f]] : []));
  if (facilities.length > 0) out.push(['facilities', { kind: 'Property', value: facilities }]);
  if (lot.features.includes('covered')) out.push(['layout', { kind: 'Property', value: ['covered'] }]);
  if (lot.openingHours !== null) out.push(['openingHours', { kind: 'Property', value: lot.openingHours }]);
  // A lot never observed has no counts; a stale one keeps its last, each with its own time.
  if (lot.observedAt !== null && lot.free !== null && lot.occupied !== null && lot.occupancy !== null) {
    const observedAt = lot.observedAt;
    out.push(
      ['availableSpotNumber', { kind: 'Property', value: lot.free, observedAt }],
      ['occupiedSpotNumber', { kind: 'Property', value: lot.occupied, observedAt }],
      ['occupancy', { kind: 'Property', value: lot.occupancy, observedAt }],
      ['occupancyModified', { kind: 'Property', value: observedAt, dateTime: true }],
      ['observationDateTime', { kind: 'Property', value: observedAt, dateTime: true }],
    );
  }
  return out;
}

export type Entity = Record<string, unknown> & { id: string; type: string };

/** The normalized entity: every attribute a Property or GeoProperty. */
export function offStreetParkingNormalized(lot: FormatLot): Entity {
  const entity: Entity = { id: offStreetParkingId(lot.id), type: OFF_STREET_PARKING };
  for (const [name, a] of attributes(lot)) {
    if (a.kind === 'GeoProperty') {
      entity[name] = { type: 'GeoProperty', value: a.value };
      continue;
    }
    entity[name] = {
      type: 'Property',
      // NGSI-LD writes a DateTime value as a typed literal, so it is not read as a plain string.
      value: a.dateTime ? { '@type': 'DateTime', '@value': a.value } : a.value,
      ...(a.observedAt !== undefined ? { observedAt: a.observedAt } : {}),
    };
  }
  return entity;
}

/** The key-values entity (`options=keyValues`), the form the Smart Data Models schema describes. */
export function offStreetParkingKeyValues(lot: FormatLot): Entity {
  const entity: Entity = { id: offStreetParkingId(lot.id), type: OFF_STREET_PARKING };
  for (const [name, a] of attributes(lot)) entity[name] = a.value;
  return entity;
}

// ── Bays: Smart Data Models ParkingSpot ──

export const PARKING_SPOT = 'ParkingSpot';
const SPOT_PREFIX = `urn:ngsi-ld:${PARKING_SPOT}:`;

/** A reported bay: its latest report, and whether that is recent enough to trust (the lot's staleness). */
export interface SpotView {
  spaceId: string;
  state: 'occupied' | 'vacant';
  observedAt: string;
  fresh: boolean;
}

/** `urn:ngsi-ld:ParkingSpot:<lotId>:<spaceId>` (neither id may hold a colon). */
export function parkingSpotId(lotId: string, spaceId: string): string {
  return `${SPOT_PREFIX}${lotId}:${spaceId}`;
}

export function spotOfEntity(entityId: string): { lotId: string; spaceId: string } | null {
  if (!entityId.startsWith(SPOT_PREFIX)) return null;
  const parts = entityId.slice(SPOT_PREFIX.length).split(':');
  return parts.length === 2 ? { lotId: parts[0]!, spaceId: parts[1]! } : null;
}

/** The schema's status has "unknown": a bay whose last report is stale says so. */
function spotStatus(lot: Pick<FormatLot, 'status'>, spot: SpotView): string {
  if (lot.status === 'closed') return 'closed';
  if (!spot.fresh) return 'unknown';
  return spot.state === 'occupied' ? 'occupied' : 'free';
}

/** A bay has no coordinates of its own: it is placed at its lot. */
export function parkingSpotNormalized(
  lot: Pick<FormatLot, 'id' | 'location' | 'status'>,
  spot: SpotView,
): Entity {
  return {
    id: parkingSpotId(lot.id, spot.spaceId),
    type: PARKING_SPOT,
    name: { type: 'Property', value: spot.spaceId },
    location: {
      type: 'GeoProperty',
      value: { type: 'Point', coordinates: [lot.location.lon, lot.location.lat] },
    },
    category: { type: 'Property', value: ['offStreet'] },
    refParkingSite: { type: 'Relationship', object: offStreetParkingId(lot.id) },
    status: { type: 'Property', value: spotStatus(lot, spot), observedAt: spot.observedAt },
  };
}

export function parkingSpotKeyValues(
  lot: Pick<FormatLot, 'id' | 'location' | 'status'>,
  spot: SpotView,
): Entity {
  return {
    id: parkingSpotId(lot.id, spot.spaceId),
    type: PARKING_SPOT,
    name: spot.spaceId,
    location: { type: 'Point', coordinates: [lot.location.lon, lot.location.lat] },
    category: ['offStreet'],
    refParkingSite: offStreetParkingId(lot.id),
    status: spotStatus(lot, spot),
  };
}
