// The whole time domain through the real app, on both stores (README "Limits"): every instant a
// request carries lies in [1970-01-01, 2200-01-01) or the answer is a 400 naming the field; what
// once hung the process or answered 500 (London in 1847, Kiritimati in 1975, New York in 1883, a
// heatmap from 1800, ranges past 2200, observations from 1969) answers within seconds; zones with
// offsets that are not whole quarter hours get exact figures; zone names are stored canonical.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Observation, replay } from '../../shared/domain/observation';
import { bucketsFor, parseReportInstant } from '../../shared/domain/utilization/buckets';
import { lotRow } from '../../shared/domain/utilization/rows';
import { summarize } from '../../shared/domain/utilization/summary';
import { refreshRollups } from '../../shared/use-cases/reports';
import { problemFailures, tableSnapshot } from '../hardening/input-support';
import { openApp, storeKinds } from '../support/stores';

const HOUR = 3_600_000;
/** A generous liveness bound: each of these once never answered at all. */
const ANSWERS_WITHIN_MS = 5_000;

const lotBody = (timeZone: string, zone = 'td') => ({
  name: 'Time domain lot',
  location: { lat: 52.48, lon: -1.9 },
  capacity: 100,
  type: 'surface',
  zone,
  timeZone,
  staleAfterSeconds: 3600,
});

describe.each(storeKinds())('the time domain on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const put = async (id: string, body: unknown) => {
    const res = await t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json: body });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return res.json();
  };
  const post = (id: string, observations: unknown[]) =>
    t.request(`/v1/lots/${id}/observations`, { method: 'POST', headers: t.staff, json: { observations } });

  /** GET as staff, timed: never a 5xx, and an answer within the liveness bound. */
  async function get(path: string, accept = 'application/json') {
    const started = performance.now();
    const res = await t.request(path, { headers: { ...t.staff, accept } });
    const text = await res.text();
    const ms = performance.now() - started;
    expect(res.status, `${path} → ${text.slice(0, 300)}`).toBeLessThan(500);
    expect(ms, `${path} answered in ${ms.toFixed(0)} ms`).toBeLessThan(ANSWERS_WITHIN_MS);
    return { res, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
  }

  /** A 400 problem+json naming `path`. */
  async function rejects(url: string, path: string) {
    const { res, body } = await get(url);
    expect(res.status, url).toBe(400);
    expect(problemFailures(400, res.headers.get('content-type'), body), url).toEqual([]);
    expect(
      body.errors.map((e: { path: string }) => e.path),
      url,
    ).toContain(path);
  }

  it('stores and echoes time zones in their canonical spelling, and keeps a zone in one report', async () => {
    expect((await put('td-lower', lotBody('europe/london', 'td-spell'))).timeZone).toBe('Europe/London');
    expect((await put('td-upper', lotBody('EUROPE/LONDON', 'td-spell'))).timeZone).toBe('Europe/London');
    const patched = await t.request('/v1/lots/td-upper', {
      method: 'PATCH',
      headers: t.staff,
      json: { timeZone: 'america/new_york' },
    });
    expect((await patched.json()).timeZone).toBe('America/New_York');
    await t.request('/v1/lots/td-upper', {
      method: 'PATCH',
      headers: t.staff,
      json: { timeZone: 'europe/LONDON' },
    });
    expect((await (await t.request('/v1/lots/td-lower')).json()).timeZone).toBe('Europe/London');
    // One zone, whatever the spelling it was given in: no "several time zones" 400.
    const { res, body } = await get(
      '/v1/reports/utilization?zone=td-spell&from=2026-11-01&to=2026-11-02&bucket=day',
    );
    expect(res.status).toBe(200);
    expect(body.tz).toBe('Europe/London');
    const asked = await get(
      '/v1/reports/utilization?lotId=td-lower&from=2026-11-01&to=2026-11-02&tz=asia/TOKYO',
    );
    expect(asked.body.tz).toBe('Asia/Tokyo');
    // Imports: a row's own zone and the file's default zone alike.
    const imported = await t.request('/v1/lots:import?timeZone=europe/berlin', {
      method: 'POST',
      headers: { ...t.staff, 'content-type': 'text/csv' },
      body: 'id,name,lat,lon,capacity,timeZone\ntd-csv-a,A,52.5,13.4,10,\ntd-csv-b,B,52.5,13.4,10,PACIFIC/KIRITIMATI\n',
    });
    expect(imported.status, await imported.clone().text()).toBe(200);
    expect((await (await t.request('/v1/lots/td-csv-a')).json()).timeZone).toBe('Europe/Berlin');
    expect((await (await t.request('/v1/lots/td-csv-b')).json()).timeZone).toBe('Pacific/Kiritimati');
    await rejects(
      '/v1/reports/utilization?lotId=td-lower&from=2026-11-01&to=2026-11-02&tz=Europe/Nowhere',
      'tz',
    );
  });

  it('answers the reports that once hung the process with a 400 naming the bound', async () => {
    await put('td-london', lotBody('Europe/London'));
    await put('td-ny', lotBody('America/New_York', 'td-ny'));
    const cases: [string, string][] = [
      [
        '/v1/reports/utilization?lotId=td-london&bucket=hour&from=1847-11-30T00:00:00Z&to=1847-11-30T02:00:00Z',
        'from',
      ],
      [
        '/v1/reports/utilization?lotId=td-ny&bucket=hour&from=1883-11-18T16:00:00Z&to=1883-11-18T19:00:00Z',
        'from',
      ],
      ['/v1/reports/utilization?zone=td-ny&bucket=day&from=1883-11-01&to=1883-12-01', 'from'],
      ['/v1/reports/heatmap?lotId=td-london&from=1800-01-01&to=1800-12-31', 'from'],
      ['/v1/reports/heatmap?from=1800-01-01&to=1800-12-31&tz=UTC', 'from'],
      ['/v1/reports/utilization?lotId=td-london&bucket=day&from=1969-12-01&to=1970-01-02', 'from'],
      ['/v1/reports/utilization?zone=td&bucket=day&from=1969-06-01&to=1969-07-01', 'from'],
      ['/v1/reports/utilization?lotId=td-london&bucket=day&from=2199-12-01&to=2200-01-02', 'to'],
      ['/v1/reports/utilization?lotId=td-london&bucket=day&from=2286-11-01&to=2286-11-30', 'from'],
      ['/v1/reports/utilization?zone=td&bucket=day&from=2286-11-01&to=2286-11-30', 'to'],
      // Year 70, not 1970 (Date.UTC would have read it so).
      ['/v1/reports/utilization?lotId=td-london&bucket=day&from=0070-01-01&to=0070-01-02', 'from'],
      ['/v1/reports/utilization?lotId=td-london&bucket=day&from=0000-01-01&to=9999-12-31', 'to'],
    ];
    for (const [url, path] of cases) await rejects(url, path);
  });

  it('reports right up to the edges of the domain', async () => {
    for (const url of [
      '/v1/reports/utilization?lotId=td-london&bucket=hour&from=1970-01-01T00:00:00Z&to=1970-01-01T06:00:00Z',
      '/v1/reports/utilization?lotId=td-london&bucket=day&from=2199-12-01&to=2199-12-31',
      '/v1/reports/utilization?lotId=td-london&bucket=hour&from=2199-12-31T00:00:00Z&to=2199-12-31T23:59:59.999Z',
      '/v1/reports/heatmap?lotId=td-london&from=2199-06-01&to=2199-12-31',
    ]) {
      const { res, body } = await get(url);
      expect(res.status, url).toBe(200);
      for (const row of body.rows ?? []) {
        expect(row.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}(:\d{2})?$/);
      }
    }
  });

  it('gives Kiritimati at −10:40 and Monrovia at −0:44:30 exact figures, reading their steps once', async () => {
    // Observations every 20 minutes over a day, values that change each time, in both zones.
    for (const [id, tz, day] of [
      ['td-kiritimati', 'Pacific/Kiritimati', '1975-06-01'],
      ['td-monrovia', 'Africa/Monrovia', '1971-06-01'],
    ] as const) {
      await put(id, lotBody(tz, `td-${tz.split('/')[1]!.toLowerCase()}`));
      const from = parseReportInstant(day, tz)!;
      const observations: Observation[] = Array.from({ length: 80 }, (_, i) => ({
        kind: 'count',
        eventId: `${id}-${i}`,
        observedAt: from - 2 * HOUR + i * 20 * 60_000 + 7_000,
        occupied: (i * 37) % 120,
      }));
      for (let i = 0; i < observations.length; i += 40) {
        const batch = observations.slice(i, i + 40).map((o) => ({
          eventId: o.eventId,
          observedAt: new Date(o.observedAt).toISOString(),
          occupied: (o as { occupied: number }).occupied,
        }));
        expect((await post(id, batch)).status).toBe(200);
      }
      const steps = replay(observations);
      const params = { capacity: 100, staleAfterMs: HOUR };
      await refreshRollups(t.deps); // as the scheduled job would: the report then reads only what it needs
      for (const bucket of ['hour', 'day'] as const) {
        const to = from + 24 * HOUR;
        const url = `/v1/reports/utilization?lotId=${id}&bucket=${bucket}&from=${day}&to=${new Date(to).toISOString()}`;
        const { res, body } = await get(url);
        expect(res.status, url).toBe(200);
        const expected = bucketsFor(from, to, bucket, tz).map((b) => ({
          lotId: id,
          start: b.startIso,
          end: b.endIso,
          ...lotRow(summarize(steps, params, b.start, b.end), 100, b.end - b.start),
        }));
        expect(body.rows, url).toEqual(expected);
        if (bucket === 'hour') {
          expect(body.rows[0].start).toMatch(
            tz === 'Pacific/Kiritimati' ? /T00:00:00-10:40$/ : /T00:00:00-00:44:30$/,
          );
          // Every hour edge is off the UTC quarter hour: the lot's steps are read once over the
          // range (one day of history), not once per cut quarter (48 reads of a day each).
          expect(Number(res.headers.get('x-raw-observations-read')), url).toBeLessThanOrEqual(
            observations.length,
          );
        }
      }
    }
  });

  it('refuses observations, history ranges and arrival times outside the domain, and writes nothing', async () => {
    await put('td-obs', lotBody('UTC'));
    const before = await tableSnapshot(t.store);
    for (const observedAt of ['1969-12-31T23:59:59.999Z', '1900-01-01T00:00:00Z', '0070-01-01T00:00:00Z']) {
      const res = await post('td-obs', [
        { eventId: 'ok-1', observedAt: '2026-11-23T09:00:00Z', occupied: 1 },
        { eventId: 'old-1', observedAt, occupied: 1 },
      ]);
      const body = await res.json();
      expect(res.status, observedAt).toBe(400);
      expect(body.errors.map((e: { path: string }) => e.path)).toContain('observations[1].observedAt');
    }
    expect(await tableSnapshot(t.store)).toEqual(before);
    for (const [query, path] of [
      ['from=1969-12-31T00:00:00Z&to=1970-01-01T12:00:00Z', 'from'],
      ['from=2286-11-20T00:00:00Z&to=2286-11-21T00:00:00Z', 'from'],
      ['from=2199-12-31T00:00:00Z&to=2200-01-01T00:00:00Z', 'to'],
      ['to=1969-12-31T23:00:00Z', 'to'],
    ]) {
      await rejects(`/v1/lots/td-obs/observations?${query}`, path!);
    }
    await rejects('/v1/lots/nearby?lat=52.48&lon=-1.9&arriveAt=2200-01-01T00:00:00Z', 'arriveAt');
    await rejects('/v1/lots/nearby?lat=52.48&lon=-1.9&arriveAt=1969-07-20T20:17:40Z', 'arriveAt');
  });

  it('keeps and lists an observation from the first millisecond of the domain', async () => {
    await put('td-first', lotBody('UTC'));
    const res = await post('td-first', [
      { eventId: 'first', observedAt: '1970-01-01T00:00:00.000Z', occupied: 9 },
    ]);
    expect(res.status).toBe(200);
    const { body } = await get(
      '/v1/lots/td-first/observations?from=1970-01-01T00:00:00Z&to=1970-01-02T00:00:00Z',
    );
    expect(body.observations.map((o: { eventId: string }) => o.eventId)).toEqual(['first']);
    // A `to` in January 1970 does not default `from` to 1969.
    const early = await get('/v1/lots/td-first/observations?to=1970-01-01T00:00:01Z');
    expect(early.res.status).toBe(200);
    const report = await get(
      '/v1/reports/utilization?lotId=td-first&bucket=hour&from=1970-01-01&to=1970-01-01T03:00:00Z',
    );
    expect(report.body.rows[0]).toMatchObject({
      start: '1970-01-01T00:00:00+00:00',
      peakOccupied: 9,
      coverage: 1,
    });
  });
});
