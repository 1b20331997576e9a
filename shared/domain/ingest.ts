// How new observations change a lot's current state, in observation-time order whatever the
// arrival order (CONTRACT §3). Pure: the store supplies the state, the new observations and,
// when a late absolute count lands between older state and newer gate counts, the history
// after it. The result always equals replay() of all distinct observations in order.
import { compareObservations, type Observation } from './observation';

export interface ObservationKey {
  observedAt: number;
  eventId: string;
}

export interface FoldState {
  occupied: number | null;
  lastAt: number | null;
  lastEventId: string | null;
  /** Key of the newest absolute count applied: observations before it cannot change the state. */
  baseAt: number | null;
  baseEventId: string | null;
}

export type Outcome = 'applied' | 'stale';

const keyOf = (at: number | null, eventId: string | null): ObservationKey | null =>
  at === null || eventId === null ? null : { observedAt: at, eventId };

const before = (a: ObservationKey, b: ObservationKey | null) => b !== null && compareObservations(a, b) < 0;

/**
 * The key after which history is needed to apply these observations, or null when the
 * state alone suffices. It is needed when an absolute count is newer than the current base
 * but older than the newest observation applied: the gate and bay changes after it must be
 * folded again on top of it.
 */
export function historyNeededAfter(state: FoldState, incoming: readonly Observation[]): ObservationKey | null {
  const base = keyOf(state.baseAt, state.baseEventId);
  const last = keyOf(state.lastAt, state.lastEventId);
  const newestCount = newest(incoming.filter((o) => o.kind === 'count' && !before(o, base)));
  if (newestCount === null || last === null || !before(newestCount, last)) return null;
  return { observedAt: newestCount.observedAt, eventId: newestCount.eventId };
}

export interface IngestResult {
  state: FoldState;
  outcomes: Map<string, Outcome>;
}

/**
 * Folds `incoming` (distinct, not yet applied) into `state`. `later` must hold every
 * observation already applied whose key is after historyNeededAfter(state, incoming) — history
 * and events still pending — and may be empty when that returned null.
 */
export function applyObservations(
  state: FoldState,
  incoming: readonly Observation[],
  later: readonly Observation[] = [],
): IngestResult {
  const outcomes = new Map<string, Outcome>();
  const oldBase = keyOf(state.baseAt, state.baseEventId);
  const newestCount = newest(incoming.filter((o) => o.kind === 'count' && !before(o, oldBase)));
  const base = newestCount ?? oldBase;

  let occupied: number | null;
  if (newestCount !== null && newestCount.kind === 'count') {
    // A new base: its count, plus every change observed after it, already applied or new.
    occupied = newestCount.occupied;
    const seen = new Set<string>();
    for (const o of [...incoming, ...later]) {
      if (seen.has(o.eventId) || !before(newestCount, o)) continue;
      seen.add(o.eventId);
      occupied += delta(o);
    }
  } else {
    occupied = state.occupied;
    for (const o of incoming) {
      if (before(o, base)) continue;
      occupied = (occupied ?? 0) + delta(o);
    }
  }

  let last = keyOf(state.lastAt, state.lastEventId);
  for (const o of incoming) {
    // Stale: observed before the absolute count that now defines the state.
    const isBase = base !== null && o.observedAt === base.observedAt && o.eventId === base.eventId;
    outcomes.set(o.eventId, isBase || !before(o, base) ? 'applied' : 'stale');
    if (last === null || before(last, o)) last = { observedAt: o.observedAt, eventId: o.eventId };
  }

  return {
    state: {
      occupied,
      lastAt: last?.observedAt ?? null,
      lastEventId: last?.eventId ?? null,
      baseAt: base?.observedAt ?? null,
      baseEventId: base?.eventId ?? null,
    },
    outcomes,
  };
}

function delta(o: Observation): number {
  if (o.kind === 'gate') return o.entries - o.exits;
  if (o.kind === 'count') throw new Error('an absolute count after the base would be the base');
  throw new Error('bay observations are folded by the bay-aware path');
}

function newest<T extends Observation>(list: readonly T[]): T | null {
  let best: T | null = null;
  for (const o of list) if (best === null || compareObservations(best, o) < 0) best = o;
  return best;
}
