import type { Observation } from '../../shared/domain/observation';

/** An observation as a sensor sends it (README "Ingestion guarantees"; the OpenAPI document at /openapi.json). */
export function toWire(o: Observation) {
  const base = { eventId: o.eventId, observedAt: new Date(o.observedAt).toISOString() };
  if (o.kind === 'count') return { ...base, occupied: o.occupied };
  if (o.kind === 'gate') return { ...base, entries: o.entries, exits: o.exits };
  return { ...base, spaceId: o.spaceId, state: o.state };
}
