// A lot's observation history as an NGSI-LD temporal entity (README "Open formats"): each
// observation once, as an instance of the attribute it reports, with its `observedAt`, in time
// order. Counts are `occupiedSpotNumber` (as reported, raw); gate reports `vehicleEntranceCount`
// and `vehicleExitCount`. Bay reports belong to the bays, not the lot, and are not instances here.
// Pure.
import { OFF_STREET_PARKING, offStreetParkingId } from './ngsi-ld';

export const TEMPORAL_ATTRIBUTES = [
  'occupiedSpotNumber',
  'vehicleEntranceCount',
  'vehicleExitCount',
] as const;
export type TemporalAttribute = (typeof TEMPORAL_ATTRIBUTES)[number];

/** One history entry, as the history use case lists it (in observation-time order). */
export interface HistoryEntry {
  eventId: string;
  observedAt: string;
  occupied?: number | undefined;
  entries?: number | undefined;
  exits?: number | undefined;
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
  value: number;
  observedAt: string;
  instanceId: string;
}

function instancesOf(history: readonly HistoryEntry[]): Record<TemporalAttribute, Instance[]> {
  const out: Record<TemporalAttribute, Instance[]> = {
    occupiedSpotNumber: [],
    vehicleEntranceCount: [],
    vehicleExitCount: [],
  };
  for (const o of history) {
    // The event id names the instance, so a client can see that each observation appears once.
    const at = {
      observedAt: o.observedAt,
      instanceId: `urn:ngsi-ld:Instance:${encodeURIComponent(o.eventId)}`,
    };
    if (o.occupied !== undefined) out.occupiedSpotNumber.push({ value: o.occupied, ...at });
    if (o.entries !== undefined && o.exits !== undefined) {
      out.vehicleEntranceCount.push({ value: o.entries, ...at });
      out.vehicleExitCount.push({ value: o.exits, ...at });
    }
  }
  return out;
}

export function temporalEntity(
  lotId: string,
  history: readonly HistoryEntry[],
  options: TemporalOptions = {},
) {
  const entity: Record<string, unknown> & { id: string; type: string } = {
    id: offStreetParkingId(lotId),
    type: OFF_STREET_PARKING,
  };
  const all = instancesOf(history);
  for (const attr of options.attrs ?? TEMPORAL_ATTRIBUTES) {
    const instances = options.lastN === undefined ? all[attr] : all[attr].slice(-options.lastN);
    if (instances.length === 0) continue; // NGSI-LD leaves out an attribute with no instance
    entity[attr] = options.temporalValues
      ? { type: 'Property', values: instances.map((i) => [i.value, i.observedAt]) }
      : instances.map((i) => ({ type: 'Property', ...i }));
  }
  return entity;
}
