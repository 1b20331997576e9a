// Sensor: report observations for one lot (README "Ingestion guarantees").
// 1. Reject observations from the future (beyond 5 minutes of clock skew): nothing applied.
// 2. Apply the rest exactly once, in observation-time order (store/observations.ts).
// 3. Tell the sensor what happened to each.
import type { Observation } from '../domain/observation';
import { ForbiddenError, InvalidInputError, NotFoundError } from './errors';
import type { AuthenticatedKey, Dependencies, IngestOutcome } from './ports';

export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface IngestReport {
  results: { eventId: string; outcome: IngestOutcome }[];
  applied: number;
  duplicates: number;
  stale: number;
}

export async function ingestObservations(
  deps: Pick<Dependencies, 'observations' | 'now' | 'historyRetentionDays'>,
  lotId: string,
  batch: Observation[],
  /** Who reports: a sensor key writes only the incarnation of the lot it was made for. */
  key?: AuthenticatedKey,
): Promise<IngestReport> {
  const now = deps.now();
  const future = batch
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => o.observedAt > now + MAX_CLOCK_SKEW_MS)
    .map(({ i }) => ({
      path: `observations[${i}].observedAt`,
      message: 'is more than 5 minutes in the future',
    }));
  if (future.length > 0) throw new InvalidInputError('observations from the future', future);

  const outcomes = await deps.observations.ingest(lotId, batch, {
    now,
    retentionDays: deps.historyRetentionDays,
    ...(key?.role === 'sensor' ? { generation: key.lotGenerations?.[lotId] ?? '' } : {}),
  });
  if (outcomes === null) throw new NotFoundError(`lot ${lotId} does not exist`);
  if (outcomes === 'replaced') {
    throw new ForbiddenError(
      `this key was made for an earlier lot ${lotId}, which was deleted; create a key for the new one`,
    );
  }
  const seen = new Set<string>();
  const results: IngestReport['results'] = [];
  for (const o of batch) {
    if (seen.has(o.eventId)) {
      results.push({ eventId: o.eventId, outcome: 'duplicate' }); // the same id twice in one batch
      continue;
    }
    seen.add(o.eventId);
    results.push({ eventId: o.eventId, outcome: outcomes.get(o.eventId)! });
  }
  return {
    results,
    applied: results.filter((r) => r.outcome === 'applied').length,
    duplicates: results.filter((r) => r.outcome === 'duplicate').length,
    stale: results.filter((r) => r.outcome === 'stale').length,
  };
}
