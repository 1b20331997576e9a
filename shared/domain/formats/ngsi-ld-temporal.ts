// A lot's observation history as an NGSI-LD temporal entity (README "Open formats"): each
// observation once, as an instance of the attribute it reports, with its `observedAt`, in time
// order. Counts are `occupiedSpotNumber` (as reported, raw); gate reports `vehicleEntranceCount`
// and `vehicleExitCount`; a bay's reports are `status` instances of its ParkingSpot entity, not of
// the lot. Pure.
import { OFF_STREET_PARKING, offStreetParkingId, PARKING_SPOT, parkingSpotId } from './ngsi-ld';

/** Every attribute a temporal entity can have: the lot's three, and a bay's `status`. */
export const TEMPORAL_ATTRIBUTES = [
  'occupiedSpotNumber',
  'vehicleEntranceCount',
  'vehicleExitCount',
  'status',
] as const;
export type TemporalAttribute = (typeof TEMPORAL_ATTRIBUTES)[number];

/** One history entry, as the history use case lists it (in observation-time order). */
export interface HistoryEntry {
  eventId: string;
  observedAt: string;
  occupied?: number | undefined;
  entries?: number | undefined;
  exits?: number | undefined;
  spaceId?: string | undefined;
  state?: 'occupied' | 'vacant' | undefined;
}

export interface TemporalOptions {
  /** Only these attributes (default all). */
  attrs?: readonly TemporalAttribute[] | undefined;
  /** Only the last N instances of each attribute. */
  lastN?: number | undefined;
  /** The simplified form: `values: [[value, observedAt], …]`. */
  temporalValues?: boolean | undefined;
}

interface Instance {
  value: number | string;
  observedAt: string;
  instanceId: string;
}

/** The instances of each attribute; a bay's only when `spaceId` names it (then the lot's none). */
function instancesOf(
  history: readonly HistoryEntry[],
  spaceId?: string,
): Record<TemporalAttribute, Instance[]> {
  const out: Record<TemporalAttribute, Instance[]> = {
    occupiedSpotNumber: [],
    vehicleEntranceCount: [],
    vehicleExitCount: [],
    status: [],
  };
  for (const o of history) {
    // The event id names the instance, so a client can see that each observation appears once.
    const at = {
      observedAt: o.observedAt,
      instanceId: `urn:ngsi-ld:Instance:${encodeURIComponent(o.eventId)}`,
    };
    if (spaceId !== undefined) {
      if (o.spaceId === spaceId && o.state !== undefined)
        out.status.push({ value: o.state === 'occupied' ? 'occupied' : 'free', ...at });
      continue;
    }
    if (o.occupied !== undefined) out.occupiedSpotNumber.push({ value: o.occupied, ...at });
    if (o.entries !== undefined && o.exits !== undefined) {
      out.vehicleEntranceCount.push({ value: o.entries, ...at });
      out.vehicleExitCount.push({ value: o.exits, ...at });
    }
  }
  return out;
}

/** The lot's temporal entity, or with `spaceId` that bay's ParkingSpot temporal entity. */
export function temporalEntity(
  lotId: string,
  history: readonly HistoryEntry[],
  options: TemporalOptions = {},
  spaceId?: string,
) {
  const entity: Record<string, unknown> & { id: string; type: string } =
    spaceId === undefined
      ? { id: offStreetParkingId(lotId), type: OFF_STREET_PARKING }
      : { id: parkingSpotId(lotId, spaceId), type: PARKING_SPOT };
  const all = instancesOf(history, spaceId);
  for (const attr of options.attrs ?? TEMPORAL_ATTRIBUTES) {
    const instances = options.lastN === undefined ? all[attr] : all[attr].slice(-options.lastN);
    if (instances.length === 0) continue; // NGSI-LD leaves out an attribute with no instance
    entity[attr] = options.temporalValues
      ? { type: 'Property', values: instances.map((i) => [i.value, i.observedAt]) }
      : instances.map((i) => ({ type: 'Property', ...i }));
  }
  return entity;
}
