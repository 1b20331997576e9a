// The heaviest request each report route allows (REPORT_LIMITS, README "Limits") is answered, and
// the process stays live while it runs: no stretch without a yield holds the event loop for long,
// and /health keeps answering (the figures printed show ~5 s and ~0.3 s at most, inside the API
// functions' 15 s timeout, on an idle machine). With data seeded through the ingest use case (what POST .../observations runs) and
// rollups rebuilt as the job does. The figures are printed; the assertions are liveness bounds.
//
// Run on DynamoDB Local, the slower store (dynalite where Java is missing). /health is
// DescribeTable, which DynamoDB Local answers in hundreds of ms for a table this size even when
// idle, and in seconds while it serves a report's queries on a shared 2-core machine: so there
// /health's time is printed, and what this process controls, the event loop's longest hold, is
// asserted. On dynalite (in this process, cheap DescribeTable) /health itself is asserted too.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../shared/domain/observation';
import { seededRandom } from '../../shared/domain/random';
import { ingestObservations } from '../../shared/use-cases/ingest';
import { putLot } from '../../shared/use-cases/manage-lots';
import { REPORT_LIMITS, refreshRollups } from '../../shared/use-cases/reports';
import { openApp, storeKinds } from '../support/stores';

const DAY = 86_400_000;
// Liveness bounds, not speed (speed lives in the printed figures and the benchmarks): on an idle
// machine the heaviest report takes ~5 s and holds the event loop at most ~0.3 s; the bounds leave
// room for a machine several times busier, so the test fails only when the work is unbounded.
const LIVENESS_MS = 30_000;
const EVENT_LOOP_HOLD_MS = 3_000;
const HEALTH_WITHIN_MS = 3_000;

// The shapes that reach each limit (production values, checked below so a change shows here).
const WIDE = REPORT_LIMITS.lots; // a page of an all-lots daily report and a zone heatmap: lots × 10 days
const WIDE_DAYS = Math.floor(REPORT_LIMITS.lotDays / WIDE);
const HOURLY = Math.min(REPORT_LIMITS.zoneLots, Math.floor(REPORT_LIMITS.lotDays / 32)); // zone × 745 hours
const LONG = Math.floor(REPORT_LIMITS.lotDays / 367); // zone × 366 days
const PER_DAY_HOURLY = Math.floor(REPORT_LIMITS.rawObservations / (HOURLY * 31));
const PER_DAY_LONG = Math.floor(REPORT_LIMITS.rawObservations / (LONG * 366));

const kind = storeKinds().at(-1)!;

describe(`the heaviest report of each route on ${kind}`, () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  const figures: string[] = [];
  beforeAll(async () => {
    t = await openApp(kind);
    t.clock.set(Date.parse('2026-11-23T10:00:00Z'));
    const started = performance.now();
    const lot = (zone: string, staleAfterSeconds: number, capacity: number) => ({
      name: zone,
      location: { lat: 52.48, lon: -1.9 },
      capacity,
      type: 'surface' as const,
      features: [],
      zone,
      timeZone: 'Europe/London',
      staleAfterSeconds,
    });
    const random = seededRandom(20261207);
    const sets: {
      ids: string[];
      zone: string;
      stale: number;
      observations: (k: number, id: string) => Observation[];
    }[] = [
      {
        // Two readings 5 days apart, each covering up to a week: every lot-day has a full rollup.
        ids: Array.from({ length: WIDE }, (_, i) => `w-${String(i).padStart(4, '0')}`),
        zone: 'wide',
        stale: 7 * 86_400,
        observations: (k, id) =>
          [0, 5].map((d) => ({
            kind: 'count' as const,
            eventId: `${id}-${d}`,
            observedAt: Date.parse('2026-11-01T01:00:00Z') + d * DAY + k * 1000,
            occupied: k % 200,
          })),
      },
      {
        ids: Array.from({ length: HOURLY }, (_, i) => `h-${String(i).padStart(4, '0')}`),
        zone: 'hourly',
        stale: 3 * 3600,
        observations: (k, id) => spread(id, k, Date.parse('2026-10-01T00:00:00Z'), 31, PER_DAY_HOURLY),
      },
      {
        ids: Array.from({ length: LONG }, (_, i) => `l-${String(i).padStart(4, '0')}`),
        zone: 'long',
        stale: 3 * 3600,
        observations: (k, id) => spread(id, k, Date.parse('2025-10-31T00:00:00Z'), 366, PER_DAY_LONG),
      },
    ];
    function spread(id: string, k: number, start: number, days: number, perDay: number): Observation[] {
      return Array.from({ length: days * perDay }, (_, i) => ({
        kind: 'count' as const,
        eventId: `${id}-${i}`,
        observedAt: start + Math.floor((i * DAY) / perDay) + k * 1000 + Math.floor(random() * 60_000),
        occupied: Math.floor(random() * 200),
      }));
    }
    const work = sets.flatMap((set) => set.ids.map((id, k) => ({ set, id, k })));
    let observations = 0;
    await Promise.all(
      // dynalite serves from this process: fewer writers keep its requests inside their timeouts.
      Array.from({ length: kind === 'dynalite' ? 8 : 32 }, async () => {
        for (let job = work.pop(); job; job = work.pop()) {
          await putLot(t.deps, job.id, lot(job.set.zone, job.set.stale, 200));
          const all = job.set.observations(job.k, job.id);
          for (let i = 0; i < all.length; i += 100) {
            await ingestObservations(t.deps, job.id, all.slice(i, i + 100));
          }
          observations += all.length;
        }
      }),
    );
    const refreshed = await refreshRollups(t.deps);
    const idle = performance.now();
    await t.app.request('/health');
    figures.push(
      `seeded ${WIDE + HOURLY + LONG} lots and ${observations} observations, rollups of ${refreshed.rebuilt} ` +
        `lots rebuilt (${refreshed.stats.daysRebuilt} days), in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
        `an idle /health takes ${(performance.now() - idle).toFixed(0)} ms`,
    );
  }, 900_000);

  afterAll(async () => {
    console.log(`[budget ${kind}]\n  ${figures.join('\n  ')}`);
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('seeds each limit exactly', () => {
    expect(WIDE * WIDE_DAYS).toBeLessThanOrEqual(REPORT_LIMITS.lotDays);
    expect(HOURLY * 32).toBeLessThanOrEqual(REPORT_LIMITS.lotDays);
    expect(LONG * 367).toBeLessThanOrEqual(REPORT_LIMITS.lotDays);
    expect(PER_DAY_HOURLY).toBeGreaterThan(0);
    expect(PER_DAY_LONG).toBeGreaterThan(0);
  });

  const heaviest: [string, string, string?][] = [
    [
      'one lot, 745 hours',
      '/v1/reports/utilization?lotId=l-0000&bucket=hour&from=2026-09-01T00:00:00Z&to=2026-10-02T01:00:00Z',
    ],
    ['one lot, 366 days', '/v1/reports/utilization?lotId=l-0000&bucket=day&from=2025-10-31&to=2026-11-01'],
    [
      `a zone of ${HOURLY} lots, 745 hours`,
      '/v1/reports/utilization?zone=hourly&bucket=hour&from=2026-10-01T00:00:00Z&to=2026-11-01T01:00:00Z',
    ],
    [
      `a zone of ${LONG} lots, 366 days`,
      '/v1/reports/utilization?zone=long&bucket=day&from=2025-10-31&to=2026-11-01',
    ],
    // Every lot, for the longest hourly range: a page of whole lots × 745 hours. (The all-lots pages
    // name tz: without it a first page is sized with room for the lots' zone, so it holds fewer.)
    [
      'all lots, a page of 745 hours',
      `/v1/reports/utilization?bucket=hour&from=2026-10-01T00:00:00Z&to=${new Date(
        Date.parse('2026-10-01T00:00:00Z') + 745 * 3_600_000,
      ).toISOString()}`,
    ],
    [
      `all lots, a page of ${WIDE} lots × ${WIDE_DAYS} days`,
      `/v1/reports/utilization?bucket=day&from=2026-11-01&to=2026-11-${String(1 + WIDE_DAYS).padStart(2, '0')}&tz=Europe/London`,
    ],
    [
      `the same page as CSV`,
      `/v1/reports/utilization?bucket=day&from=2026-11-01&to=2026-11-${String(1 + WIDE_DAYS).padStart(2, '0')}&tz=Europe/London`,
      'text/csv',
    ],
    [
      `heatmap of ${WIDE} lots × ${WIDE_DAYS} days`,
      `/v1/reports/heatmap?zone=wide&from=2026-11-01&to=2026-11-${String(1 + WIDE_DAYS).padStart(2, '0')}`,
    ],
    [`heatmap of ${LONG} lots × 366 days`, '/v1/reports/heatmap?zone=long&from=2025-10-31&to=2026-11-01'],
  ];

  for (const [name, url, accept] of heaviest) {
    it(`answers ${name}, /health answering meanwhile`, async () => {
      const loop = monitorEventLoopDelay({ resolution: 10 });
      let gcMax = 0;
      const gc = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) gcMax = Math.max(gcMax, e.duration);
      });
      gc.observe({ entryTypes: ['gc'] });
      let worstHealth = 0;
      let running = true;
      const pinger = (async () => {
        while (running) {
          const sent = performance.now();
          const health = await t.app.request('/health');
          expect(health.status).toBe(200);
          worstHealth = Math.max(worstHealth, performance.now() - sent);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      loop.enable();
      const started = performance.now();
      const res = await t.app.request(url, { headers: { ...t.staff, accept: accept ?? 'application/json' } });
      const body = await res.text();
      const ms = performance.now() - started;
      running = false;
      await pinger;
      loop.disable();
      gc.disconnect();
      figures.push(
        `${name}: ${res.status} in ${ms.toFixed(0)} ms, ${(body.length / 1e6).toFixed(2)} MB, ` +
          `${res.headers.get('x-items-read')} rollups + ${res.headers.get('x-raw-observations-read')} raw read; ` +
          `/health at worst ${worstHealth.toFixed(0)} ms, event loop held at most ${(loop.max / 1e6).toFixed(0)} ms ` +
          `(longest GC pause ${gcMax.toFixed(0)} ms)`,
      );
      expect(res.status, body.slice(0, 300)).toBe(200);
      expect(ms, name).toBeLessThan(LIVENESS_MS);
      expect(loop.max / 1e6, `event loop held during ${name}`).toBeLessThan(EVENT_LOOP_HOLD_MS);
      if (kind === 'dynalite') expect(worstHealth, `/health during ${name}`).toBeLessThan(HEALTH_WITHIN_MS);
      // Lambda answers at most 6 MB.
      expect(body.length).toBeLessThan(6 * 1024 * 1024);
      if (accept === undefined && url.includes('utilization?bucket')) {
        expect(JSON.parse(body).nextCursor, 'an all-lots page says where the next starts').toBeDefined();
      }
    }, 60_000);
  }

  it('refuses one lot more than the heaviest zone report of days', async () => {
    await putLot(t.deps, 'l-extra', {
      name: 'one more',
      location: { lat: 52.48, lon: -1.9 },
      capacity: 10,
      type: 'surface',
      features: [],
      zone: 'long',
      timeZone: 'Europe/London',
      staleAfterSeconds: 3600,
    });
    const res = await t.app.request(
      '/v1/reports/utilization?zone=long&bucket=day&from=2025-10-31&to=2026-11-01',
      {
        headers: t.staff,
      },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({ path: 'to' });
  });
});
