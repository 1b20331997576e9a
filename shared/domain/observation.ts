// What a sensor reports and how a lot's occupancy follows from it (README "Ingestion guarantees", "Utilization reports").
// Pure: no I/O, no clock. The store and the reports both fold observations with `replay`,
// so "current state" and "occupancy over time" can never disagree.

export type BayState = 'occupied' | 'vacant';

/** What an event id may be (README "API summary"): the lot id pattern, up to 128 characters. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

interface ObservationBase {
  eventId: string;
  /** Epoch milliseconds of the observation (sensor time). */
  observedAt: number;
}
export interface CountObservation extends ObservationBase {
  kind: 'count';
  occupied: number;
}
export interface GateObservation extends ObservationBase {
  kind: 'gate';
  entries: number;
  exits: number;
}
export interface BayObservation extends ObservationBase {
  kind: 'bay';
  spaceId: string;
  state: BayState;
}
export type Observation = CountObservation | GateObservation | BayObservation;

/**
 * The total order every fold uses: observation time, ties broken by event id so that
 * two replays of the same set always agree.
 */
export function compareObservations(a: ObservationBase, b: ObservationBase): number {
  if (a.observedAt !== b.observedAt) return a.observedAt - b.observedAt;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

export interface OccupancyStep {
  /** Epoch ms from which `occupied` holds (until the next step). */
  at: number;
  /** Raw occupancy: may exceed capacity or be negative; clamping is for drivers only. */
  occupied: number;
  eventId: string;
}

export interface ReplayState {
  occupied: number;
  /** Latest state of every bay seen; a bay never seen is vacant (README "Ingestion guarantees"). */
  bays: Map<string, BayState>;
}

export function emptyReplayState(): ReplayState {
  return { occupied: 0, bays: new Map() };
}

/** Applies one observation in observation-time order. Returns the new occupancy. */
export function step(state: ReplayState, observation: Observation): number {
  switch (observation.kind) {
    case 'count':
      state.occupied = observation.occupied;
      break;
    case 'gate':
      state.occupied += observation.entries - observation.exits;
      break;
    case 'bay': {
      const previous = state.bays.get(observation.spaceId) ?? 'vacant';
      if (previous !== observation.state) state.occupied += observation.state === 'occupied' ? 1 : -1;
      state.bays.set(observation.spaceId, observation.state);
      break;
    }
  }
  return state.occupied;
}

/**
 * The step function of a lot's occupancy: distinct observations (by eventId, first wins)
 * folded in observation-time order, one step per observation.
 */
export function replay(
  observations: Iterable<Observation>,
  from: ReplayState = emptyReplayState(),
): OccupancyStep[] {
  const distinct = new Map<string, Observation>();
  for (const o of observations) if (!distinct.has(o.eventId)) distinct.set(o.eventId, o);
  const ordered = [...distinct.values()].sort(compareObservations);
  return ordered.map((o) => ({ at: o.observedAt, occupied: step(from, o), eventId: o.eventId }));
}
