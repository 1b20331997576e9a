// How new observations change a lot's current state, in observation-time order whatever the
// arrival order (README "Ingestion guarantees"). Pure: the store supplies the state, the new observations, the
// latest known state of the bays they mention and, on the rare slow paths, history.
// The result always equals replay() of all distinct observations in order: the property
// tests in test/unit/domain/ingest.test.ts hold it to that.
//
// The state is kept in a form that makes the common cases O(1):
//   occupied = baseCount + Σ gate changes after the base + (bays occupied now − bays occupied at the base)
// where the base is the newest absolute count. So:
//   - a count newer than everything sets a new base;           a count older than the base is stale;
//   - a gate change after the base adds;                          one before the base is stale;
//   - a bay report newer than that bay's latest moves the bay counters (and occupied, if after the base).
// Everything else (a late count between the base and the newest observation; a bay report older
// than that bay's latest but before the base) needs history: see `plan`.
import { type BayState, compareObservations, emptyReplayState, type Observation, step } from './observation';

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
  /** Bays whose latest report says occupied. */
  baysOccupied: number;
  /** Bays occupied as of the base (equals baysOccupied when there is no base). */
  baysOccupiedAtBase: number;
  /** Whether any bay was ever reported (bay lots take the full-replay slow path). */
  hasBays: boolean;
}

export const EMPTY_FOLD: FoldState = {
  occupied: null,
  lastAt: null,
  lastEventId: null,
  baseAt: null,
  baseEventId: null,
  baysOccupied: 0,
  baysOccupiedAtBase: 0,
  hasBays: false,
};

export type Outcome = 'applied' | 'stale';

export interface BayLatest {
  state: BayState;
  key: ObservationKey;
}

export interface IngestResult {
  state: FoldState;
  outcomes: Map<string, Outcome>;
  /** The new latest report of every bay whose latest changed. */
  bays: Map<string, BayLatest>;
}

export type Plan =
  | { kind: 'incremental'; result: IngestResult }
  /** Fold again on top of the new count with everything applied after `after`. */
  | { kind: 'after'; after: ObservationKey }
  /** Replay the lot's whole history. */
  | { kind: 'replay' };

const keyOf = (at: number | null, eventId: string | null): ObservationKey | null =>
  at === null || eventId === null ? null : { observedAt: at, eventId };
const isBefore = (a: ObservationKey, b: ObservationKey | null) => b !== null && compareObservations(a, b) < 0;
const key = (o: ObservationKey): ObservationKey => ({ observedAt: o.observedAt, eventId: o.eventId });
const occ = (s: BayState | undefined) => (s === 'occupied' ? 1 : 0);

/**
 * Folds `incoming` (distinct, not yet applied) into `state`, given the latest report of each bay
 * they mention, or says which history is needed to do it exactly.
 */
export function plan(
  state: FoldState,
  incoming: readonly Observation[],
  bays: ReadonlyMap<string, BayLatest>,
): Plan {
  const sorted = [...incoming].sort(compareObservations);
  const s: FoldState = { ...state };
  const bayLot = state.hasBays || incoming.some((o) => o.kind === 'bay');
  const outcomes = new Map<string, Outcome>();
  const latest = new Map(bays);
  const changedBays = new Map<string, BayLatest>();
  for (const o of sorted) {
    const base = keyOf(s.baseAt, s.baseEventId);
    const last = keyOf(s.lastAt, s.lastEventId);
    if (o.kind === 'count') {
      if (isBefore(o, base)) {
        outcomes.set(o.eventId, 'stale');
        continue;
      }
      if (isBefore(o, last)) return bayLot ? { kind: 'replay' } : { kind: 'after', after: key(o) };
      s.occupied = o.occupied;
      s.baseAt = o.observedAt;
      s.baseEventId = o.eventId;
      s.baysOccupiedAtBase = s.baysOccupied;
      outcomes.set(o.eventId, 'applied');
    } else if (o.kind === 'gate') {
      if (isBefore(o, base)) {
        outcomes.set(o.eventId, 'stale');
      } else {
        s.occupied = (s.occupied ?? 0) + o.entries - o.exits;
        outcomes.set(o.eventId, 'applied');
      }
    } else {
      const bay = latest.get(o.spaceId);
      if (bay !== undefined && isBefore(o, bay.key)) {
        // Older than this bay's latest, so the bay's state now is unchanged. Its state at the base
        // is unchanged too, unless this report is before the base while the bay's latest is after
        // it: then whether it was the bay's last word before the base needs the bay's history.
        if (isBefore(o, base) && !isBefore(bay.key, base)) return { kind: 'replay' };
        outcomes.set(o.eventId, 'stale');
      } else {
        const change = occ(o.state) - occ(bay?.state);
        s.baysOccupied += change;
        if (isBefore(o, base)) {
          s.baysOccupiedAtBase += change;
          outcomes.set(o.eventId, 'stale');
        } else {
          s.occupied = (s.occupied ?? 0) + change;
          outcomes.set(o.eventId, 'applied');
        }
        const next = { state: o.state, key: key(o) };
        latest.set(o.spaceId, next);
        changedBays.set(o.spaceId, next);
      }
      s.hasBays = true;
    }
    if (last === null || isBefore(last, o)) {
      s.lastAt = o.observedAt;
      s.lastEventId = o.eventId;
    }
  }
  return { kind: 'incremental', result: { state: s, outcomes, bays: changedBays } };
}

/**
 * The 'after' slow path (lots without bays): the newest incoming count becomes the base and every
 * gate change after it — already applied (`later`) or new — is added on top.
 */
export function applyAfterCount(
  state: FoldState,
  incoming: readonly Observation[],
  later: readonly Observation[],
) {
  const counts = incoming.filter((o) => o.kind === 'count').sort(compareObservations);
  const newest = counts.at(-1)!;
  if (newest.kind !== 'count') throw new Error('unreachable');
  let occupied = newest.occupied;
  const seen = new Set<string>();
  for (const o of [...incoming, ...later]) {
    if (seen.has(o.eventId) || !isBefore(newest, o)) continue;
    seen.add(o.eventId);
    if (o.kind === 'gate') occupied += o.entries - o.exits;
  }
  const outcomes = new Map<string, Outcome>();
  for (const o of incoming) outcomes.set(o.eventId, isBefore(o, newest) ? 'stale' : 'applied');
  // The count is older than the newest observation, so the newest is in `state` or `incoming`.
  const keys = incoming.map(key);
  const previous = keyOf(state.lastAt, state.lastEventId);
  if (previous) keys.push(previous);
  const lastObs = keys.sort(compareObservations).at(-1)!;
  const result: IngestResult = {
    state: {
      ...state,
      occupied,
      baseAt: newest.observedAt,
      baseEventId: newest.eventId,
      lastAt: lastObs.observedAt,
      lastEventId: lastObs.eventId,
    },
    outcomes,
    bays: new Map(),
  };
  return result;
}

/**
 * The full-replay slow path: the state from the lot's complete history (applied + incoming).
 * Outcomes say whether each incoming observation still shows in the current state's derivation:
 * stale when it falls before the newest count.
 */
export function replayState(all: readonly Observation[], incoming: readonly Observation[]): IngestResult {
  const ordered = [...new Map(all.map((o) => [o.eventId, o])).values()].sort(compareObservations);
  const r = emptyReplayState();
  const state: FoldState = { ...EMPTY_FOLD };
  const latest = new Map<string, BayLatest>();
  let observedAny = false;
  for (const o of ordered) {
    step(r, o);
    observedAny = true;
    if (o.kind === 'count') {
      state.baseAt = o.observedAt;
      state.baseEventId = o.eventId;
      state.baysOccupiedAtBase = [...r.bays.values()].filter((b) => b === 'occupied').length;
    }
    if (o.kind === 'bay') {
      state.hasBays = true;
      latest.set(o.spaceId, { state: o.state, key: key(o) });
    }
    state.lastAt = o.observedAt;
    state.lastEventId = o.eventId;
  }
  state.occupied = observedAny ? r.occupied : null;
  state.baysOccupied = [...r.bays.values()].filter((b) => b === 'occupied').length;
  if (state.baseAt === null) state.baysOccupiedAtBase = 0;
  const base = keyOf(state.baseAt, state.baseEventId);
  const outcomes = new Map<string, Outcome>();
  for (const o of incoming) {
    const superseded =
      (o.kind !== 'bay' && isBefore(o, base)) ||
      (o.kind === 'bay' && (isBefore(o, base) || latest.get(o.spaceId)?.key.eventId !== o.eventId));
    outcomes.set(o.eventId, superseded ? 'stale' : 'applied');
  }
  const incomingBays = new Set(
    incoming.filter((o) => o.kind === 'bay').map((o) => (o as { spaceId: string }).spaceId),
  );
  return {
    state,
    outcomes,
    bays: new Map([...latest].filter(([spaceId]) => incomingBays.has(spaceId))),
  };
}
