// Runs the ingestion plan to completion, given a way to read what the lot already holds. The
// store and the unit tests share this, so the tests exercise the exact decision logic the store uses.
import {
  applyAfterCount,
  type BayLatest,
  type FoldState,
  type IngestResult,
  type ObservationKey,
  plan,
  replayState,
} from './ingest';
import { compareObservations, type Observation } from './observation';

export interface AppliedHistory {
  /** Everything applied to the lot after `key` (history and pending), any order. */
  after(key: ObservationKey): Promise<Observation[]>;
  /** Everything applied to the lot, any order. */
  all(): Promise<Observation[]>;
}

export async function foldIncoming(
  state: FoldState,
  incoming: readonly Observation[],
  bays: ReadonlyMap<string, BayLatest>,
  history: AppliedHistory,
): Promise<IngestResult> {
  if (incoming.length === 0) return { state, outcomes: new Map(), bays: new Map() };
  const p = plan(state, incoming, bays);
  if (p.kind === 'incremental') return p.result;
  if (p.kind === 'after') {
    const later = (await history.after(p.after)).filter((o) => compareObservations(o, p.after) > 0);
    return applyAfterCount(state, incoming, later);
  }
  return replayState([...(await history.all()), ...incoming], incoming);
}
