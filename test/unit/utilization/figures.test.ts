// The time-weighted figures (README "Utilization reports") pinned with hand-computed cases. Expected values are worked out by hand in the
// comments, never computed by the code under test.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Observation, type OccupancyStep, replay } from '../../../shared/domain/observation';
import { bucketsFor, parseReportInstant } from '../../../shared/domain/utilization/buckets';
import { heatmap } from '../../../shared/domain/utilization/heatmap';
import { lotRow, zoneRow } from '../../../shared/domain/utilization/rows';
import { combine, summarize } from '../../../shared/domain/utilization/summary';

const at = (iso: string) => Date.parse(iso);
const count = (eventId: string, iso: string, occupied: number): Observation => ({
  kind: 'count',
  eventId,
  observedAt: at(iso),
  occupied,
});
const HOUR = 3_600_000;
const lot = { capacity: 100, staleAfterMs: HOUR };

function row(observations: Observation[], start: string, end: string, params = lot) {
  const s = summarize(replay(observations), params, at(start), at(end));
  return lotRow(s, params.capacity, at(end) - at(start));
}

describe('report buckets', () => {
  it('gives the spring-forward day in London 23 hourly buckets with the right offsets', () => {
    const from = parseReportInstant('2026-03-29', 'Europe/London')!;
    const to = parseReportInstant('2026-03-30', 'Europe/London')!;
    const hours = bucketsFor(from, to, 'hour', 'Europe/London');
    expect(hours).toHaveLength(23);
    expect(hours[0]!.startIso).toBe('2026-03-29T00:00:00+00:00');
    expect(hours[1]!.startIso).toBe('2026-03-29T02:00:00+01:00'); // 01:00 local does not exist
    expect(hours[22]!.endIso).toBe('2026-03-30T00:00:00+01:00');
    const days = bucketsFor(from, to, 'day', 'Europe/London');
    expect(days).toHaveLength(1);
    expect(days[0]!.end - days[0]!.start).toBe(23 * HOUR);
  });

  it('gives the fall-back day 25 hourly buckets, the repeated hour twice', () => {
    const from = parseReportInstant('2026-10-25', 'Europe/London')!;
    const to = parseReportInstant('2026-10-26', 'Europe/London')!;
    const hours = bucketsFor(from, to, 'hour', 'Europe/London');
    expect(hours).toHaveLength(25);
    expect(hours[1]!.startIso).toBe('2026-10-25T01:00:00+01:00');
    expect(hours[2]!.startIso).toBe('2026-10-25T01:00:00+00:00');
    expect(bucketsFor(from, to, 'day', 'Europe/London')[0]!.end - from).toBe(25 * HOUR);
  });

  it('starts Kolkata days at +05:30 midnight and clips the first and last bucket to the range', () => {
    const days = bucketsFor(at('2026-01-01T00:00:00Z'), at('2026-01-03T00:00:00Z'), 'day', 'Asia/Kolkata');
    expect(days.map((d) => d.startIso)).toEqual([
      '2026-01-01T05:30:00+05:30', // clipped: the range starts mid-day, local time
      '2026-01-02T00:00:00+05:30',
      '2026-01-03T00:00:00+05:30',
    ]);
    expect(days.at(-1)!.endIso).toBe('2026-01-03T05:30:00+05:30');
  });
});

describe('lot figures', () => {
  it('leaves time after staleAfterSeconds uncovered: a gap longer than it', () => {
    // 50 from 10:00 (covered to 11:00), silence, 80 from 12:30.
    const obs = [count('a', '2026-11-23T10:00:00Z', 50), count('b', '2026-11-23T12:30:00Z', 80)];
    expect(row(obs, '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z')).toMatchObject({
      coverage: 1,
      avgOccupied: 50,
      utilization: 0.5,
    });
    expect(row(obs, '2026-11-23T11:00:00Z', '2026-11-23T12:00:00Z')).toEqual({
      avgOccupied: null,
      utilization: null,
      peakOccupied: null,
      peakAt: null,
      minOccupied: null,
      timeFull: null,
      coverage: 0,
      observations: 0,
      flags: [],
    });
    expect(row(obs, '2026-11-23T12:00:00Z', '2026-11-23T13:00:00Z')).toMatchObject({
      coverage: 0.5,
      avgOccupied: 80,
      peakAt: '2026-11-23T12:30:00.000Z',
      observations: 1,
    });
    // Over 10:00–13:00: 50 × 60 min + 80 × 30 min over 90 covered minutes = 60.
    expect(row(obs, '2026-11-23T10:00:00Z', '2026-11-23T13:00:00Z')).toMatchObject({
      coverage: 0.5,
      avgOccupied: 60,
    });
  });

  it('carries a value into a bucket, peaking at the bucket start', () => {
    // 30 observed at 09:40 holds into 10:00–11:00 and is covered until 10:40.
    const r = row([count('a', '2026-11-23T09:40:00Z', 30)], '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z');
    expect(r).toMatchObject({
      avgOccupied: 30,
      peakOccupied: 30,
      peakAt: '2026-11-23T10:00:00.000Z',
      observations: 0,
    });
    expect(r.coverage).toBeCloseTo(40 / 60, 12);
  });

  it('keeps counts above capacity raw, with timeFull and a flag', () => {
    // 120 for 30 min, then 60 for 30 min: avg 90, half the time full.
    const obs = [count('a', '2026-11-23T10:00:00Z', 120), count('b', '2026-11-23T10:30:00Z', 60)];
    expect(row(obs, '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z')).toEqual({
      avgOccupied: 90,
      utilization: 0.9,
      peakOccupied: 120,
      peakAt: '2026-11-23T10:00:00.000Z',
      minOccupied: 60,
      timeFull: 0.5,
      coverage: 1,
      observations: 2,
      flags: ['over_capacity'],
    });
  });

  it('reports an empty bucket as coverage 0 and nulls, never NaN', () => {
    const r = row([], '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z');
    expect(r.coverage).toBe(0);
    expect(Object.values(r).some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(false);
    expect(r.avgOccupied).toBeNull();
  });

  it('moves occupancy with gate counts and bay changes', () => {
    const obs: Observation[] = [
      count('c', '2026-11-23T10:00:00Z', 10),
      { kind: 'gate', eventId: 'g', observedAt: at('2026-11-23T10:15:00Z'), entries: 5, exits: 1 }, // 14
      { kind: 'bay', eventId: 'b', observedAt: at('2026-11-23T10:30:00Z'), spaceId: 'x', state: 'occupied' }, // 15
      { kind: 'bay', eventId: 'v', observedAt: at('2026-11-23T10:45:00Z'), spaceId: 'y', state: 'vacant' }, // 15
    ];
    // (10 + 14 + 15 + 15) × 15 min / 60 min = 13.5
    expect(row(obs, '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z')).toMatchObject({
      avgOccupied: 13.5,
      peakOccupied: 15,
      peakAt: '2026-11-23T10:30:00.000Z',
      minOccupied: 10,
    });
  });

  it('combines summaries of adjacent intervals into the summary of the whole', () => {
    const steps = replay([count('a', '2026-11-23T10:10:00Z', 70), count('b', '2026-11-23T10:50:00Z', 70)]);
    const whole = summarize(steps, lot, at('2026-11-23T10:00:00Z'), at('2026-11-23T12:00:00Z'));
    const parts = combine(
      summarize(steps, lot, at('2026-11-23T10:00:00Z'), at('2026-11-23T10:30:00Z')),
      summarize(steps, lot, at('2026-11-23T10:30:00Z'), at('2026-11-23T12:00:00Z')),
    );
    expect(parts).toEqual(whole);
    expect(whole.peakAt).toBe(at('2026-11-23T10:10:00Z')); // the first time 70 is reached
  });
});

describe('zone figures', () => {
  it('weights by capacity and sums the occupancy of the lots covered at each instant', () => {
    // A: capacity 100, 50 all hour. B: capacity 300, 150 observed 09:30, covered until 10:30.
    const start = at('2026-11-23T10:00:00Z');
    const end = at('2026-11-23T11:00:00Z');
    const a = replay([count('a', '2026-11-23T09:55:00Z', 50)]);
    const b = replay([count('b', '2026-11-23T09:30:00Z', 150)]);
    const members = [
      {
        capacity: 100,
        staleAfterMs: 2 * HOUR,
        steps: a,
        summary: summarize(a, { capacity: 100, staleAfterMs: 2 * HOUR }, start, end),
      },
      {
        capacity: 300,
        staleAfterMs: HOUR,
        steps: b,
        summary: summarize(b, { capacity: 300, staleAfterMs: HOUR }, start, end),
      },
    ];
    // coverage (100×1 + 300×0.5)/400 = 0.625; utilization (50×60 + 150×30)/(100×60 + 300×30) = 0.5;
    // avgOccupied 0.5 × 400 = 200; summed occupancy 200 until 10:30, then 50.
    expect(zoneRow(members, start, end)).toEqual({
      avgOccupied: 200,
      utilization: 0.5,
      peakOccupied: 200,
      peakAt: '2026-11-23T10:00:00.000Z',
      minOccupied: 50,
      timeFull: 0,
      coverage: 0.625,
      observations: 0,
      flags: [],
    });
  });
});

describe('zone peaks', () => {
  /** The definition, instant by instant: at each cut, sum the members covered then. */
  function peaksByDefinition(
    members: { steps: OccupancyStep[]; staleAfterMs: number }[],
    start: number,
    end: number,
  ) {
    const cuts = new Set([start, end]);
    for (const m of members) {
      for (const s of m.steps) {
        for (const t of [s.at, s.at + m.staleAfterMs]) if (t > start && t < end) cuts.add(t);
      }
    }
    const times = [...cuts].sort((a, b) => a - b);
    let peak: number | null = null;
    let peakAt: number | null = null;
    let min: number | null = null;
    for (let i = 0; i + 1 < times.length; i++) {
      const t = times[i]!;
      let covered = false;
      let sum = 0;
      for (const m of members) {
        const last = m.steps.filter((s) => s.at <= t).at(-1);
        if (last && t < last.at + m.staleAfterMs) {
          covered = true;
          sum += last.occupied;
        }
      }
      if (!covered) continue;
      if (peak === null || sum > peak) [peak, peakAt] = [sum, t];
      if (min === null || sum < min) min = sum;
    }
    return { peak, peakAt: peakAt === null ? null : new Date(peakAt).toISOString(), min };
  }

  it('finds the peak and minimum of the summed occupancy as the definition does', () => {
    const member = fc.record({
      minutes: fc.array(fc.tuple(fc.integer({ min: -90, max: 150 }), fc.integer({ min: -5, max: 60 })), {
        maxLength: 12,
      }),
      staleMinutes: fc.integer({ min: 1, max: 90 }),
    });
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 5 }), (raw) => {
        const start = at('2026-11-23T10:00:00Z');
        const end = start + HOUR;
        const members = raw.map((m, k) => {
          const obs = m.minutes.map(([min, occupied], i) =>
            count(`m${k}-${i}`, new Date(start + min * 60_000).toISOString(), occupied),
          );
          const steps = replay(obs);
          const params = { capacity: 50, staleAfterMs: m.staleMinutes * 60_000 };
          return { ...params, steps, summary: summarize(steps, params, start, end) };
        });
        const rowFigures = zoneRow(members, start, end);
        const expected = peaksByDefinition(members, start, end);
        if (rowFigures.coverage === 0) return;
        expect({
          peak: rowFigures.peakOccupied,
          peakAt: rowFigures.peakAt,
          min: rowFigures.minOccupied,
        }).toEqual(expected);
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });
});

describe('heatmap', () => {
  it('puts each local hour in its weekday × hour cell, weighting by covered time', () => {
    // Monday 2026-11-23 10:00–11:00 UTC = 10:00 London: utilization 0.5 over 60 covered minutes,
    // and Monday 2026-11-30 10:00: 1.0 over 30 covered minutes → (0.5×60 + 1×30)/90 = 2/3.
    const cells = heatmap(
      [
        {
          start: at('2026-11-23T10:00:00Z'),
          end: at('2026-11-23T11:00:00Z'),
          integral: 50 * HOUR,
          capacityCoveredMs: 100 * HOUR,
          capacity: 100,
        },
        {
          start: at('2026-11-30T10:00:00Z'),
          end: at('2026-11-30T11:00:00Z'),
          integral: 100 * HOUR * 0.5,
          capacityCoveredMs: 100 * HOUR * 0.5,
          capacity: 100,
        },
      ],
      'Europe/London',
    );
    expect(cells).toHaveLength(168);
    const monday10 = cells.find((c) => c.weekday === 1 && c.hour === 10)!;
    expect(monday10.utilization).toBeCloseTo(2 / 3, 12);
    expect(monday10.coverage).toBeCloseTo(0.75, 12);
    expect(cells.find((c) => c.weekday === 2 && c.hour === 10)!.utilization).toBeNull();
  });
});

describe('observations at a bucket edge', () => {
  it('counts every observation at exactly the bucket start, and none at its end', () => {
    const obs = [
      count('a', '2026-11-23T10:00:00Z', 5),
      count('b', '2026-11-23T10:00:00Z', 6),
      count('c', '2026-11-23T11:00:00Z', 7),
    ];
    // a and b both at 10:00 (b wins by event id order), c belongs to the next bucket.
    expect(row(obs, '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z')).toMatchObject({
      observations: 2,
      avgOccupied: 6,
      coverage: 1,
    });
  });
});
