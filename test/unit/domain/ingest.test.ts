// The incremental fold equals a full replay, whatever the arrival order, batching and duplicates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BayLatest, EMPTY_FOLD, type FoldState, plan } from '../../../shared/domain/ingest';
import { foldIncoming } from '../../../shared/domain/ingest-driver';
import { compareObservations, type Observation, replay } from '../../../shared/domain/observation';

const time = fc.integer({ min: 0, max: 40 });
const observation = fc.oneof(
  fc.record({
    kind: fc.constant('count' as const),
    observedAt: time,
    occupied: fc.integer({ min: -5, max: 120 }),
  }),
  fc.record({
    kind: fc.constant('gate' as const),
    observedAt: time,
    entries: fc.integer({ min: 0, max: 9 }),
    exits: fc.integer({ min: 0, max: 9 }),
  }),
  fc.record({
    kind: fc.constant('bay' as const),
    observedAt: time,
    spaceId: fc.constantFrom('b1', 'b2', 'b3'),
    state: fc.constantFrom('occupied' as const, 'vacant' as const),
  }),
);

/** A tiny model of the store: the lot state, its history, each bay's latest report. */
async function deliver(batches: Observation[][]) {
  let state: FoldState = EMPTY_FOLD;
  const history = new Map<string, Observation>();
  const bays = new Map<string, BayLatest>();
  for (const batch of batches) {
    const fresh = [
      ...new Map(batch.filter((o) => !history.has(o.eventId)).map((o) => [o.eventId, o])).values(),
    ];
    const result = await foldIncoming(state, fresh, bays, {
      after: async (k) => [...history.values()].filter((o) => compareObservations(o, k) > 0),
      all: async () => [...history.values()],
    });
    state = result.state;
    for (const [spaceId, latest] of result.bays) bays.set(spaceId, latest);
    for (const o of fresh) history.set(o.eventId, o);
  }
  return { state, history: [...history.values()] };
}

describe('ingestion fold', () => {
  it('ignores a count older than the one applied', async () => {
    const { state } = await deliver([
      [{ kind: 'count', eventId: 'new', observedAt: 10, occupied: 5 }],
      [{ kind: 'count', eventId: 'old', observedAt: 5, occupied: 9 }],
    ]);
    expect(state.occupied).toBe(5);
  });

  it('reports a count older than the base as stale without reading history', () => {
    const s: FoldState = {
      ...EMPTY_FOLD,
      occupied: 5,
      baseAt: 10,
      baseEventId: 'a',
      lastAt: 10,
      lastEventId: 'a',
    };
    const p = plan(s, [{ kind: 'count', eventId: 'old', observedAt: 5, occupied: 9 }], new Map());
    expect(p.kind).toBe('incremental');
    if (p.kind === 'incremental') expect(p.result.outcomes.get('old')).toBe('stale');
  });

  it('re-applies later gate counts on top of a late absolute count', async () => {
    const { state } = await deliver([
      [
        { kind: 'gate', eventId: 'g1', observedAt: 20, entries: 3, exits: 0 },
        { kind: 'gate', eventId: 'g2', observedAt: 30, entries: 0, exits: 1 },
      ],
      [{ kind: 'count', eventId: 'c', observedAt: 25, occupied: 10 }],
    ]);
    expect(state.occupied).toBe(9); // 10, then g2's exit; g1 came before the count
  });

  it('changes occupancy only when a bay changes state; a bay starts vacant', async () => {
    const { state } = await deliver([
      [{ kind: 'bay', eventId: 'v', observedAt: 1, spaceId: 'b1', state: 'vacant' }],
      [{ kind: 'bay', eventId: 'o1', observedAt: 2, spaceId: 'b1', state: 'occupied' }],
      [{ kind: 'bay', eventId: 'o2', observedAt: 3, spaceId: 'b1', state: 'occupied' }],
      [{ kind: 'bay', eventId: 'o3', observedAt: 4, spaceId: 'b2', state: 'occupied' }],
    ]);
    expect(state.occupied).toBe(2);
  });

  it('equals a replay in observation-time order for any arrival order, batching and duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(observation, { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 40 }),
        async (raw, shuffle, sizes) => {
          const distinct: Observation[] = raw.map((o, i) => ({ ...o, eventId: `e${i}` }) as Observation);
          const rank = (o: Observation) => shuffle[Number(o.eventId.slice(1)) % shuffle.length] ?? 0;
          // Arrival: shuffled, some delivered twice, cut into batches of random sizes.
          const arrivals = [...distinct, ...distinct.filter((o) => rank(o) % 3 === 0)].sort(
            (a, b) => rank(a) - rank(b),
          );
          const batches: Observation[][] = [];
          for (let i = 0, s = 0; i < arrivals.length; s++) {
            const size = sizes[s % sizes.length]!;
            batches.push(arrivals.slice(i, i + size));
            i += size;
          }
          const { state, history } = await deliver(batches);
          expect(state.occupied).toBe(replay(distinct).at(-1)!.occupied);
          expect(history.map((o) => o.eventId).sort()).toEqual(distinct.map((o) => o.eventId).sort());
        },
      ),
      { numRuns: 1000 },
    );
  });
});
