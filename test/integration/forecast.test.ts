// GET /v1/lots/{id}/forecast through the real app on both stores (README "Forecasts"): the answer
// equals a brute-force recomputation from the raw observations (fold, quarter figures, fit at the
// start of asOf's UTC day, last value at asOf), with the stored model and fitted on demand; a past
// asOf answers as a store holding only the observations up to it; DST days; no history; every bound
// and error; a lot created again under its id does not inherit the model; the job refits when the
// UTC day advances and when late data reach the training window.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FORECAST_TRAINING_DAYS,
  fitForecastModel,
  fitInstantFor,
  forecastFromModel,
  quarterFigures,
} from '../../shared/domain/forecast';
import { type CountObservation, replay } from '../../shared/domain/observation';
import { stepsUpTo } from '../../shared/domain/utilization/summary';
import { readDataset } from '../../shared/replay/datasets';
import { findNearby } from '../../shared/use-cases/find-nearby';
import { forecastLot, refreshForecastModels } from '../../shared/use-cases/forecast';
import { refreshRollups } from '../../shared/use-cases/reports';
import { sharedFile } from '../support/shared-data';
import { openApp, storeKinds, testClock } from '../support/stores';

const MINUTE = 60_000;
const DAY = 86_400_000;
const CAPACITY = 200;
const STALE_AFTER_SECONDS = 3600;
const NOW = Date.parse('2026-10-27T11:57:00Z');

/** Seeded PRNG (mulberry32): the same observations every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A car park that fills on weekday mornings (UK local time), with noise and gaps. */
function observations(prefix: string, from: number, to: number, seed: number): CountObservation[] {
  const rnd = random(seed);
  const out: CountObservation[] = [];
  for (let t = from; t <= to; t += 20 * MINUTE) {
    if (rnd() < 0.05) continue; // a missed report now and then
    const local = new Date(t + (isBst(t) ? 3_600_000 : 0));
    const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
    const weekday = local.getUTCDay() % 6 !== 0;
    const base = (weekday ? 150 : 70) * Math.exp(-(((hour - 13) / 3.5) ** 2));
    const occupied = Math.max(0, Math.min(CAPACITY + 5, Math.round(base + 25 * (rnd() - 0.5))));
    out.push({ kind: 'count', eventId: `${prefix}-${t}`, observedAt: t, occupied });
  }
  return out;
}

/** British Summer Time in 2026: 29 March 01:00Z to 25 October 01:00Z. */
const isBst = (t: number) =>
  t >= Date.parse('2026-03-29T01:00:00Z') && t < Date.parse('2026-10-25T01:00:00Z');

/** What the forecast must be, computed straight from the raw observations. */
function bruteForce(
  all: readonly CountObservation[],
  asOf: number,
  horizons: readonly number[],
  capacity = CAPACITY,
) {
  const steps = replay(all);
  const fittedAt = fitInstantFor(asOf);
  const series = { capacity, staleAfterMs: STALE_AFTER_SECONDS * 1000 };
  const window = quarterFigures(steps, series, fittedAt - FORECAST_TRAINING_DAYS * DAY, fittedAt);
  const model = fitForecastModel(window, { timeZone: 'Europe/London', fittedAt });
  const n = stepsUpTo(steps, asOf);
  const last = n === 0 ? null : { at: steps[n - 1]!.at, occupied: steps[n - 1]!.occupied };
  const { points } = forecastFromModel({
    model: last ? model : null,
    last,
    capacity,
    asOf,
    horizons,
  });
  return {
    asOf: new Date(asOf).toISOString(),
    basis: {
      lastObservedAt: last ? new Date(last.at).toISOString() : null,
      historyDays: last ? model.historyDays : 0,
    },
    points: points.map((p) => ({ ...p, at: new Date(p.at).toISOString() })),
  };
}

type Point = { occupied: number | null; free: number | null; low: number | null; high: number | null };
function expectWellFormed(points: Point[]) {
  for (const p of points) {
    if (p.occupied === null) continue;
    expect(Number.isInteger(p.occupied) && Number.isInteger(p.low) && Number.isInteger(p.high)).toBe(true);
    expect(p.low!).toBeGreaterThanOrEqual(0);
    expect(p.low!).toBeLessThanOrEqual(p.occupied);
    expect(p.occupied).toBeLessThanOrEqual(p.high!);
    expect(p.high!).toBeLessThanOrEqual(CAPACITY);
    expect(p.free).toBe(CAPACITY - p.occupied);
  }
}

describe.each(storeKinds())('lot forecasts on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  // Autumn lot: 32 days up to now, across the October clock change; spring lot: across March's.
  const autumn = observations('a', Date.parse('2026-09-25T00:10:00Z'), NOW - 10 * MINUTE, 1);
  const spring = observations('s', Date.parse('2026-02-26T00:00:00Z'), Date.parse('2026-04-02T00:00:00Z'), 2);
  const lotBody = {
    name: 'x',
    location: { lat: 52.48, lon: -1.9 },
    capacity: CAPACITY,
    type: 'garage',
    timeZone: 'Europe/London',
  };

  const put = (id: string) => t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json: lotBody });
  async function ingest(app: typeof t, id: string, list: readonly CountObservation[]) {
    for (let i = 0; i < list.length; i += 100) {
      const batch = list.slice(i, i + 100).map(({ kind: _, ...o }) => ({
        ...o,
        observedAt: new Date(o.observedAt).toISOString(),
      }));
      const res = await app.request(`/v1/lots/${id}/observations`, {
        method: 'POST',
        headers: app.staff,
        json: { observations: batch },
      });
      expect(res.status).toBe(200);
    }
  }
  async function job(app: typeof t) {
    const lots = await app.deps.lots.list();
    await refreshRollups(app.deps, lots);
    return refreshForecastModels(app.deps, lots);
  }
  /**
   * What nearby must predict: the lot's stored model (itself checked against a fit from the raw
   * observations at its fittedAt) and its last observation.
   */
  async function storedForecast(id: string, arriveAt: number) {
    const lot = (await t.deps.lots.get(id))!;
    const model = (await t.deps.forecasts.get(lot))!;
    const all = await allObservations(id);
    const steps = replay(all);
    const series = { capacity: CAPACITY, staleAfterMs: STALE_AFTER_SECONDS * 1000 };
    const window = quarterFigures(
      steps,
      series,
      model.fittedAt - FORECAST_TRAINING_DAYS * DAY,
      model.fittedAt,
    );
    expect(model).toEqual(fitForecastModel(window, { timeZone: 'Europe/London', fittedAt: model.fittedAt }));
    const last = steps[stepsUpTo(steps, NOW) - 1]!;
    return forecastFromModel({
      model,
      last: { at: last.at, occupied: last.occupied },
      capacity: CAPACITY,
      asOf: NOW,
      horizons: [(arriveAt - NOW) / MINUTE],
    }).points[0]!;
  }
  /** Every observation of a lot, read back through the history API. */
  async function allObservations(id: string): Promise<CountObservation[]> {
    const out: CountObservation[] = [];
    let cursor: string | undefined;
    for (let from = Date.parse('2026-09-01T00:00:00Z'); from < NOW + MINUTE; ) {
      const to = Math.min(from + 30 * DAY, NOW + 5 * MINUTE);
      const page = await (
        await t.request(
          `/v1/lots/${id}/observations?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}${cursor ? `&cursor=${cursor}` : ''}`,
          { headers: t.staff },
        )
      ).json();
      for (const o of page.observations)
        out.push({
          kind: 'count',
          eventId: o.eventId,
          observedAt: Date.parse(o.observedAt),
          occupied: o.occupied,
        });
      cursor = page.nextCursor;
      if (!cursor) from = to;
    }
    return out;
  }
  const forecast = (app: typeof t, id: string, query = '', headers: Record<string, string> = {}) =>
    app.request(`/v1/lots/${id}/forecast${query}`, { headers });

  beforeAll(async () => {
    t = await openApp(kind, testClock(NOW));
    await put('autumn');
    await put('spring');
    await put('empty');
    await ingest(t, 'autumn', autumn);
    await ingest(t, 'spring', spring);
  }, 180_000);
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('before the job: 503 while a backfill older than the window is not rolled up, then fitted on demand', async () => {
    // The backfill marked the rollups from its first observation, before the training window: the
    // state carried into the window is not known yet, and nothing on this route writes.
    const waiting = await forecast(t, 'autumn');
    expect(waiting.status).toBe(503);
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(0);
    await refreshRollups(t.deps); // the job's first half: rollups, no models
    const res = await forecast(t, 'autumn');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ lotId: 'autumn', ...bruteForce(autumn, NOW, [15, 30, 60, 120, 240]) });
    expect(body.basis.historyDays).toBeGreaterThanOrEqual(28);
    expect(body.points.every((p: Point) => p.occupied !== null)).toBe(true);
    expectWellFormed(body.points);
    expect(await t.deps.forecasts.get((await t.deps.lots.get('autumn'))!)).toBeNull();
  });

  it('after the job: answers from the stored model, the same figures', async () => {
    const refreshed = await job(t);
    expect(refreshed.fitted).toBe(2); // the empty lot has nothing to learn from
    const lot = (await t.deps.lots.get('autumn'))!;
    expect((await t.deps.forecasts.get(lot))?.fittedAt).toBe(fitInstantFor(NOW));
    const horizons = [5, 15, 45, 60, 90, 240, 480, 720, 1000, 1440, 30, 15];
    const result = await forecastLot(t.deps, { lotId: 'autumn', horizons });
    expect(result.storedModel).toBe(true);
    expect(result.stats.rawObservationsRead).toBe(0);
    const res = await forecast(t, 'autumn', `?horizons=${horizons.join(',')}`);
    const body = await res.json();
    expect(body).toEqual({ lotId: 'autumn', ...bruteForce(autumn, NOW, horizons) });
    expectWellFormed(body.points);
  });

  it('a past asOf (staff) uses only what was observed by then, also within today', async () => {
    for (const asOf of [
      NOW - 3 * 3_600_000,
      Date.parse('2026-10-20T07:40:00Z'),
      Date.parse('2026-10-01T16:05:00Z'),
    ]) {
      const iso = new Date(asOf).toISOString();
      const res = await forecast(t, 'autumn', `?asOf=${iso}&horizons=15,60,240,1440`, t.staff);
      expect(res.status, iso).toBe(200);
      expect(await res.json()).toEqual({ lotId: 'autumn', ...bruteForce(autumn, asOf, [15, 60, 240, 1440]) });
    }
  });

  it('a past asOf answers as a store holding only the observations up to it', async () => {
    const asOf = Date.parse('2026-10-26T09:20:00Z');
    const truncated = await openApp(kind, testClock(NOW));
    try {
      await truncated.request('/v1/lots/autumn', { method: 'PUT', headers: truncated.staff, json: lotBody });
      await ingest(
        truncated,
        'autumn',
        autumn.filter((o) => o.observedAt <= asOf),
      );
      await job(truncated);
      const query = `?asOf=${new Date(asOf).toISOString()}&horizons=15,30,60,120,240,1440`;
      const full = await (await forecast(t, 'autumn', query, t.staff)).json();
      const cut = await (await forecast(truncated, 'autumn', query, truncated.staff)).json();
      expect(cut).toEqual(full);
      expect(full.basis.lastObservedAt).not.toBeNull();
    } finally {
      expect(truncated.errors).toEqual([]);
      await truncated.close();
    }
  }, 120_000);

  it('DST days: spring forward and fall back, forecasts across the change', async () => {
    const cases: [string, CountObservation[]][] = [
      ['spring', spring],
      ['autumn', autumn],
    ];
    const instants = {
      spring: [
        '2026-03-29T00:30:00Z',
        '2026-03-29T00:59:00Z',
        '2026-03-29T01:00:00Z',
        '2026-03-29T08:05:00Z',
        '2026-03-28T23:50:00Z',
      ],
      autumn: [
        '2026-10-25T00:30:00Z',
        '2026-10-25T01:00:00Z',
        '2026-10-25T01:30:00Z',
        '2026-10-25T08:05:00Z',
        '2026-10-24T23:50:00Z',
      ],
    };
    for (const [id, list] of cases) {
      for (const iso of instants[id as 'spring' | 'autumn']) {
        const asOf = Date.parse(iso);
        const res = await forecast(t, id, `?asOf=${iso}&horizons=15,30,60,90,120,240,1440`, t.staff);
        expect(res.status, `${id} ${iso}`).toBe(200);
        const body = await res.json();
        expect(body, `${id} ${iso}`).toEqual({
          lotId: id,
          ...bruteForce(list, asOf, [15, 30, 60, 90, 120, 240, 1440]),
        });
        expectWellFormed(body.points);
      }
    }
  });

  it('a lot with no history, and an asOf before its first observation, answer null figures', async () => {
    const empty = await (await forecast(t, 'empty')).json();
    expect(empty.basis).toEqual({ lastObservedAt: null, historyDays: 0 });
    expect(empty.points.map((p: Point) => [p.occupied, p.free, p.low, p.high])).toEqual(
      Array.from({ length: 5 }, () => [null, null, null, null]),
    );
    expect(empty.points.map((p: { horizonMinutes: number }) => p.horizonMinutes)).toEqual([
      15, 30, 60, 120, 240,
    ]);
    const before = await (
      await forecast(t, 'autumn', '?asOf=2026-09-24T00:00:00Z&horizons=60', t.staff)
    ).json();
    expect(before.basis.lastObservedAt).toBeNull();
    expect(before.points[0]).toMatchObject({
      horizonMinutes: 60,
      occupied: null,
      free: null,
      low: null,
      high: null,
    });
  });

  it('every bound and error is a 4xx problem naming the field', async () => {
    const bad: [string, string][] = [
      ['?horizons=4', 'horizons'],
      ['?horizons=1441', 'horizons'],
      ['?horizons=015', 'horizons'],
      ['?horizons=15,,30', 'horizons'],
      ['?horizons=', 'horizons'],
      ['?horizons=1e2', 'horizons'],
      ['?horizons=-5', 'horizons'],
      [`?horizons=${Array.from({ length: 13 }, () => '15').join(',')}`, 'horizons'],
      [`?asOf=${new Date(NOW + 1000).toISOString()}`, 'asOf'],
      ['?asOf=yesterday', 'asOf'],
      ['?asOf=2200-01-01T00:00:00Z', 'asOf'],
    ];
    for (const [query, field] of bad) {
      const res = await forecast(t, 'autumn', query, t.staff);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(
        (await res.json()).errors.map((e: { path: string }) => e.path),
        query,
      ).toContain(field);
    }
    const twelve = await forecast(
      t,
      'autumn',
      `?horizons=${Array.from({ length: 12 }, (_, i) => 5 + i * 119).join(',')}`,
    );
    expect(twelve.status).toBe(200);
    expect((await twelve.json()).points.at(-1).horizonMinutes).toBe(1314);
    expect((await forecast(t, 'no-such-lot')).status).toBe(404);
    expect((await forecast(t, 'bad%23id')).status).toBe(400);
    // The tolerance: 5 minutes back is still "now" for anyone; more needs a staff key.
    const recent = await forecast(t, 'autumn', `?asOf=${new Date(NOW - 5 * MINUTE).toISOString()}`);
    expect(recent.status).toBe(200);
    const past = await forecast(t, 'autumn', `?asOf=${new Date(NOW - 5 * MINUTE - 1).toISOString()}`);
    expect(past.status).toBe(401);
  });

  it('past the raw-history budget: a 400 naming asOf for a past asOf, a 503 before the job fitted it', async () => {
    const asOf = Date.parse('2026-10-20T07:40:00Z');
    await expect(forecastLot(t.deps, { lotId: 'autumn', asOf }, 500)).rejects.toMatchObject({
      name: 'InvalidInputError',
      errors: [{ path: 'asOf' }],
    });
    // Within the budget, the same request answers.
    await expect(forecastLot(t.deps, { lotId: 'autumn', asOf }, 5_000)).resolves.toMatchObject({
      storedModel: false,
    });
    // A day later, before the job: today's model is not stored yet, and fitting it passes the budget.
    t.clock.set(NOW + DAY);
    try {
      await expect(forecastLot(t.deps, { lotId: 'autumn' }, 500)).rejects.toMatchObject({
        name: 'StoreUnavailableError',
        retryAfterSeconds: 60,
      });
    } finally {
      t.clock.set(NOW);
    }
    // Today's model is stored: the budget does not matter.
    await expect(forecastLot(t.deps, { lotId: 'autumn' }, 10)).resolves.toMatchObject({ storedModel: true });
  });

  it('late data into the training window: fitted on demand until the job refits', async () => {
    const late: CountObservation = {
      kind: 'count',
      eventId: 'a-late',
      observedAt: fitInstantFor(NOW) - 2 * 3_600_000,
      occupied: 0,
    };
    const withLate = [...autumn, late];
    await ingest(t, 'autumn', [late]);
    const before = await forecastLot(t.deps, { lotId: 'autumn' });
    expect(before.storedModel).toBe(false);
    const want = bruteForce(withLate, NOW, [15, 30, 60, 120, 240]);
    expect((await (await forecast(t, 'autumn')).json()).points).toEqual(want.points);
    const refreshed = await job(t);
    expect(refreshed.fitted).toBe(1);
    const after = await forecastLot(t.deps, { lotId: 'autumn' });
    expect(after.storedModel).toBe(true);
    expect((await (await forecast(t, 'autumn')).json()).points).toEqual(want.points);
  });

  it('the job refits when the UTC day advances, and only then', async () => {
    expect((await job(t)).fitted).toBe(0);
    t.clock.set(NOW + DAY);
    try {
      const refreshed = await job(t);
      expect(refreshed.fitted).toBe(2);
      const lot = (await t.deps.lots.get('autumn'))!;
      expect((await t.deps.forecasts.get(lot))?.fittedAt).toBe(fitInstantFor(NOW + DAY));
      expect((await job(t)).fitted).toBe(0);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('a lot created again under its id does not inherit the model', async () => {
    const old = (await t.deps.lots.get('spring'))!;
    expect(await t.deps.forecasts.get(old)).not.toBeNull();
    expect((await t.request('/v1/lots/spring', { method: 'DELETE', headers: t.staff })).status).toBe(204);
    expect((await put('spring')).status).toBe(201);
    expect(await t.deps.forecasts.get(old)).toBeNull(); // the DELETE took the model item
    const fresh = (await t.deps.lots.get('spring'))!;
    expect(fresh.generation).not.toBe(old.generation);
    expect(await t.deps.forecasts.get(fresh)).toBeNull();
    const empty = await (await forecast(t, 'spring')).json();
    expect(empty.basis).toEqual({ lastObservedAt: null, historyDays: 0 });
    // One observation: persistence from it, with no history behind it.
    await ingest(t, 'spring', [{ kind: 'count', eventId: 'n1', observedAt: NOW - MINUTE, occupied: 42 }]);
    const one = await (await forecast(t, 'spring', '?horizons=60')).json();
    expect(one.basis.historyDays).toBe(0);
    expect(one.points[0]).toMatchObject({ occupied: 42, free: CAPACITY - 42, low: 42, high: 42 });
    await job(t);
    expect((await t.deps.forecasts.get(fresh))?.historyDays).toBe(0);
  });
  it('a sensor clock ahead of ours: the default asOf is its last observation, read from the lot alone', async () => {
    await put('ahead');
    const at = NOW + 3 * MINUTE; // ingestion takes up to 5 minutes ahead
    await ingest(t, 'ahead', [{ kind: 'count', eventId: 'h1', observedAt: at, occupied: 77 }]);
    await job(t);
    const result = await forecastLot(t.deps, { lotId: 'ahead', horizons: [30] });
    expect(result).toMatchObject({ asOf: at, storedModel: true, basis: { lastObservedAt: at } });
    expect(result.stats.rawObservationsRead).toBe(0);
    const body = await (await forecast(t, 'ahead', '?horizons=30')).json();
    expect(body.asOf).toBe(new Date(at).toISOString());
    expect(body.points[0]).toMatchObject({ at: new Date(at + 30 * MINUTE).toISOString(), occupied: 77 });
    // Asked for now explicitly, the observation is later than asOf: nothing to predict from.
    const now = await (await forecast(t, 'ahead', `?asOf=${new Date(NOW).toISOString()}`)).json();
    expect(now.basis.lastObservedAt).toBeNull();
  });

  it('nearby with arriveAt: predictions from the stored models, minFree on the predicted free, by distance', async () => {
    await t.request('/v1/lots/far', {
      method: 'PUT',
      headers: t.staff,
      json: { ...lotBody, location: { lat: 52.49, lon: -1.9 } },
    });
    await ingest(t, 'far', [{ kind: 'count', eventId: 'f1', observedAt: NOW - 2 * MINUTE, occupied: 10 }]);
    const arriveAt = NOW + 60 * MINUTE;
    const at = new Date(arriveAt).toISOString();
    const nearby = (q: string) => t.request(`/v1/lots/nearby?lat=52.48&lon=-1.9&radius=2000&${q}`);
    const res = await nearby(`minFree=0&arriveAt=${at}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    const byId = new Map(body.lots.map((l: { id: string }) => [l.id, l]));
    const want = await storedForecast('autumn', arriveAt);
    expect((byId.get('autumn') as { prediction: unknown }).prediction).toEqual({
      at,
      occupied: want.occupied,
      free: want.free,
      low: want.low,
      high: want.high,
    });
    // A lot with one observation and a model that learned nothing: persistence.
    expect((byId.get('far') as { prediction: unknown }).prediction).toEqual({
      at,
      occupied: 10,
      free: CAPACITY - 10,
      low: 10,
      high: 10,
    });
    expect(byId.has('empty')).toBe(false); // no data: not in nearby, as without arriveAt
    const distances = body.lots.map((l: { distance: number }) => l.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // Without arriveAt: no prediction field at all.
    const live = await (await nearby('minFree=0')).json();
    expect(live.lots.every((l: object) => !('prediction' in l))).toBe(true);

    // minFree on the predicted free: the live and predicted answers differ where the figures do.
    const liveFree = (live.lots.find((l: { id: string }) => l.id === 'autumn') as { free: number }).free;
    expect(liveFree).not.toBe(want.free);
    const minFree = Math.max(liveFree, want.free!);
    const withArrival = (await (await nearby(`minFree=${minFree}&arriveAt=${at}`)).json()).lots.map(
      (l: { id: string }) => l.id,
    );
    const withoutArrival = (await (await nearby(`minFree=${minFree}`)).json()).lots.map(
      (l: { id: string }) => l.id,
    );
    expect(withArrival.includes('autumn')).toBe(want.free! >= minFree);
    expect(withoutArrival.includes('autumn')).toBe(liveFree >= minFree);
  });

  it('nearby with arriveAt looks further when the nearest lots are predicted full', async () => {
    const arriveAt = NOW + 60 * MINUTE;
    const want = await storedForecast('autumn', arriveAt);
    // autumn and spring (at the same place; spring holds 42 cars) are too full then, far (10) is not
    const minFree = Math.max(want.free! + 1, CAPACITY - 42 + 1);
    expect(minFree).toBeLessThanOrEqual(CAPACITY - 10);
    const q = `lat=52.48&lon=-1.9&radius=2000&limit=1&minFree=${minFree}&arriveAt=${new Date(arriveAt).toISOString()}`;
    const result = await findNearby(t.deps, {
      center: { lat: 52.48, lon: -1.9 },
      radius: 2000,
      limit: 1,
      minFree,
      features: [],
      includeStale: false,
      arriveAt,
    });
    const body = await (await t.request(`/v1/lots/nearby?${q}`)).json();
    expect(body.lots.map((l: { id: string }) => l.id)).toEqual(['far']);
    expect(result.lots.map((l) => l.id)).toEqual(['far']);
    expect(result.stats.searches).toBeGreaterThan(1);
  });

  it('arriveAt from now to now + 24 h, else a 400 naming it', async () => {
    const nearby = (offset: number) =>
      t.request(`/v1/lots/nearby?lat=52.48&lon=-1.9&arriveAt=${new Date(NOW + offset).toISOString()}`);
    for (const offset of [0, -5 * MINUTE, DAY, 30 * MINUTE])
      expect((await nearby(offset)).status, String(offset)).toBe(200);
    for (const offset of [-5 * MINUTE - 1, DAY + 1, -DAY]) {
      const res = await nearby(offset);
      expect(res.status, String(offset)).toBe(400);
      expect((await res.json()).errors.map((e: { path: string }) => e.path)).toEqual(['arriveAt']);
    }
  });

  it("nearby with arriveAt reads the returned lots' models in one batch, half a read unit each", async () => {
    const query = {
      center: { lat: 52.48, lon: -1.9 },
      radius: 2000,
      limit: 10,
      minFree: 0,
      features: [],
      includeStale: false,
    };
    const without = await findNearby(t.deps, query);
    const withArrival = await findNearby(t.deps, { ...query, arriveAt: NOW + 30 * MINUTE });
    expect(withArrival.stats.searches).toBe(1);
    expect(withArrival.lots.map((l) => l.id)).toEqual(without.lots.map((l) => l.id));
    expect(withArrival.stats.modelsRead).toBe(withArrival.lots.length);
    expect(withArrival.stats.requests).toBe(without.stats.requests + 1);
    if (kind === 'dynamodb-local') {
      // The same search, plus an eventually consistent read of each model found (under 4 KB each;
      // a lot the job has not fitted yet costs nothing).
      expect(without.stats.readUnits).toBeGreaterThan(0);
      expect(withArrival.stats.readUnits).toBeGreaterThan(without.stats.readUnits);
      expect(withArrival.stats.readUnits).toBeLessThanOrEqual(
        without.stats.readUnits + 0.5 * withArrival.stats.modelsRead,
      );
    }
  });
});

// Real data: two Birmingham car parks (UCI, Oct–Dec 2016, readings every half hour from 08:00 to
// 16:30 UK time), with the October clock change inside the window.
const birminghamFile = sharedFile('birmingham/birmingham-parking-shared.csv');

describe.skipIf(birminghamFile === null).each(storeKinds())('forecasts on Birmingham data on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  const { readings } = birminghamFile ? readDataset(readFileSync(birminghamFile, 'utf8')) : { readings: [] };
  const chosen = [...new Set(readings.map((r) => r.lotId))].slice(0, 2);
  const last = Math.max(...readings.map((r) => r.observedAt));
  beforeAll(async () => {
    t = await openApp(kind, testClock(last + 30 * MINUTE));
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('answers every car park as the brute force does, now and at past instants across the clock change', async () => {
    for (const id of chosen) {
      const own = readings.filter((r) => r.lotId === id);
      const capacity = own[0]!.capacity;
      const put = await t.request(`/v1/lots/${id}`, {
        method: 'PUT',
        headers: t.staff,
        json: {
          name: id,
          location: { lat: 52.48, lon: -1.9 },
          capacity,
          type: 'garage',
          timeZone: 'Europe/London',
        },
      });
      expect(put.status).toBe(201);
      const list: CountObservation[] = own.map((r) => ({
        kind: 'count',
        eventId: r.eventId,
        observedAt: r.observedAt,
        occupied: r.occupied,
      }));
      for (let i = 0; i < list.length; i += 100) {
        const res = await t.request(`/v1/lots/${id}/observations`, {
          method: 'POST',
          headers: t.staff,
          json: {
            observations: list
              .slice(i, i + 100)
              .map(({ kind: _, ...o }) => ({ ...o, observedAt: new Date(o.observedAt).toISOString() })),
          },
        });
        expect(res.status).toBe(200);
      }
      const lots = await t.deps.lots.list();
      await refreshRollups(t.deps, lots);
      await refreshForecastModels(t.deps, lots);
      const distinct = [...new Map(list.map((o) => [o.eventId, o])).values()];
      const horizons = [15, 30, 60, 120, 240, 1440];
      for (const asOf of [
        t.clock.now(),
        Date.parse('2016-10-30T00:30:00Z'),
        Date.parse('2016-10-31T09:10:00Z'),
        Date.parse('2016-11-24T12:00:00Z'),
      ]) {
        const res = await t.request(
          `/v1/lots/${id}/forecast?asOf=${new Date(asOf).toISOString()}&horizons=${horizons.join(',')}`,
          { headers: t.staff },
        );
        expect(res.status, `${id} ${new Date(asOf).toISOString()}`).toBe(200);
        const body = await res.json();
        expect(body).toEqual({ lotId: id, ...bruteForce(distinct, asOf, horizons, capacity) });
        if (asOf > Date.parse('2016-11-01T00:00:00Z'))
          expect(body.basis.historyDays).toBeGreaterThanOrEqual(20);
      }
    }
  }, 120_000);
});
