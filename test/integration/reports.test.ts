// Reports against real stores: delivery order cannot change a figure, CSV equals JSON, access,
// bounds, and what a month's report over many lots reads once rollups are current.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../shared/domain/observation';
import { REPORT_LIMITS, refreshRollups } from '../../shared/use-cases/reports';
import { openApp, storeKinds } from '../support/stores';
import { toWire } from '../support/wire';

const lotBody = (zone: string, capacity = 40) => ({
  name: 'Report lot',
  location: { lat: 52.48, lon: -1.9 },
  capacity,
  type: 'surface',
  zone,
  timeZone: 'Europe/London',
  staleAfterSeconds: 1800,
});

describe.each(storeKinds())('reports on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
    t.clock.set(Date.parse('2026-11-01T00:00:00Z'));
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const put = (id: string, body: unknown) =>
    t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json: body });
  const post = (id: string, observations: unknown[]) =>
    t.request(`/v1/lots/${id}/observations`, { method: 'POST', headers: t.staff, json: { observations } });
  const report = async (query: string, accept = 'application/json') => {
    const res = await t.request(`/v1/reports/utilization?${query}`, { headers: { ...t.staff, accept } });
    expect(res.status, await res.clone().text()).toBe(200);
    return res;
  };

  it('gives the same report for shuffled, duplicated delivery as for ordered delivery', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('count' as const),
              m: fc.nat(300),
              occupied: fc.integer({ min: 0, max: 50 }),
            }),
            fc.record({
              kind: fc.constant('gate' as const),
              m: fc.nat(300),
              entries: fc.nat(4),
              exits: fc.nat(4),
            }),
            fc.record({
              kind: fc.constant('bay' as const),
              m: fc.nat(300),
              spaceId: fc.constantFrom('b1', 'b2'),
              state: fc.constantFrom('occupied' as const, 'vacant' as const),
            }),
          ),
          { minLength: 1, maxLength: 15 },
        ),
        fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
        async (raw, noise) => {
          run++;
          const start = Date.parse('2026-10-24T22:00:00Z'); // spans the London fall-back night
          const obs = raw.map(({ m, ...rest }, i) => ({
            ...rest,
            eventId: `e${i}`,
            observedAt: start + m * 60_000,
          }));
          const ordered = `ordered-${run}`;
          const shuffled = `shuffled-${run}`;
          await put(ordered, lotBody(`zo-${run}`));
          await put(shuffled, lotBody(`zs-${run}`));
          const sorted = [...obs].sort(
            (a, b) => a.observedAt - b.observedAt || (a.eventId < b.eventId ? -1 : 1),
          );
          for (const o of sorted) expect((await post(ordered, [toWire(o as Observation)])).status).toBe(200);
          const deliveries = [...obs, ...obs.filter((_, i) => noise[i]! % 3 === 0)];
          deliveries.sort((a, b) => noise[Number(a.eventId.slice(1))]! - noise[Number(b.eventId.slice(1))]!);
          for (let i = 0; i < deliveries.length; i += 2) {
            expect(
              (
                await post(
                  shuffled,
                  deliveries.slice(i, i + 2).map((o) => toWire(o as Observation)),
                )
              ).status,
            ).toBe(200);
          }
          for (const query of [
            'bucket=hour&from=2026-10-24T21:00:00Z&to=2026-10-25T06:00:00Z',
            'bucket=day&from=2026-10-24&to=2026-10-26',
          ]) {
            const a = (await (await report(`${query}&lotId=${ordered}`)).json()).rows;
            const b = (await (await report(`${query}&lotId=${shuffled}`)).json()).rows;
            expect(b.map(({ lotId: _, ...r }: { lotId: string }) => r)).toEqual(
              a.map(({ lotId: _, ...r }: { lotId: string }) => r),
            );
          }
        },
      ),
      { numRuns: kind === 'dynalite' ? 12 : 6 },
    );
  }, 300_000);

  it('agrees row for row between CSV and JSON, for lots and for a zone', async () => {
    await put('csv-a', lotBody('csvzone', 40));
    await put('csv-b', lotBody('csvzone', 60));
    await post('csv-a', [
      { eventId: 'a1', observedAt: '2026-10-20T08:10:00Z', occupied: 41 },
      { eventId: 'a2', observedAt: '2026-10-20T09:00:00Z', occupied: 12 },
    ]);
    await post('csv-b', [{ eventId: 'b1', observedAt: '2026-10-20T08:40:00Z', occupied: 30 }]);
    for (const filter of ['lotId=csv-a', 'zone=csvzone']) {
      const query = `bucket=hour&from=2026-10-20T08:00:00Z&to=2026-10-20T11:00:00Z&${filter}`;
      const json = (await (await report(query)).json()).rows as Record<string, unknown>[];
      const csv = await (await report(query, 'text/csv')).text();
      const [header, ...lines] = csv.trim().split('\r\n');
      const columns = header!.split(',');
      expect(columns[0]).toBe(filter.startsWith('zone') ? 'zone' : 'lotId');
      expect(lines).toHaveLength(json.length);
      lines.forEach((line, i) => {
        const cells = line.split(',');
        columns.forEach((c, k) => {
          const v = json[i]![c];
          const expected = v === null ? '' : Array.isArray(v) ? v.join(';') : String(v);
          expect(cells[k], `${filter} row ${i} ${c}`).toBe(expected);
        });
      });
    }
    const zone = (
      await (
        await report('bucket=hour&from=2026-10-20T08:00:00Z&to=2026-10-20T09:00:00Z&zone=csvzone')
      ).json()
    ).rows[0];
    // 08:00–09:00: A 41 from 08:10 (cap 40), B 30 from 08:40 (cap 60); stale 30 min.
    // covered: A 08:10–08:40 (30 min), B 08:40–09:00 (20 min); coverage (40×30 + 60×20)/(100×60) = 0.4
    expect(zone.coverage).toBeCloseTo(0.4, 12);
    expect(zone.peakOccupied).toBe(41);
    expect(zone.peakAt).toBe('2026-10-20T08:10:00.000Z');
  });

  it('answers the weekday × hour heatmap from the same figures', async () => {
    // csv-a: 41 of 40 from Tuesday 2026-10-20 08:10 UTC (09:10 London), 12 from 09:00 UTC; stale 30 min.
    const res = await t.request('/v1/reports/heatmap?from=2026-10-19&to=2026-10-26&lotId=csv-a', {
      headers: t.staff,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.tz).toBe('Europe/London');
    expect(body.cells).toHaveLength(168);
    const cell = (weekday: number, hour: number) =>
      body.cells.find((c: { weekday: number; hour: number }) => c.weekday === weekday && c.hour === hour);
    // Tuesday 09:00–10:00 London: 41 over 09:10–09:40 → utilization 41/40, coverage 30/60.
    expect(cell(2, 9).utilization).toBeCloseTo(41 / 40, 12);
    expect(cell(2, 9).coverage).toBeCloseTo(0.5, 12);
    // Tuesday 10:00–11:00 London: 12 over 10:00–10:30 → 0.3.
    expect(cell(2, 10).utilization).toBeCloseTo(12 / 40, 12);
    expect(cell(3, 9)).toEqual({ weekday: 3, hour: 9, utilization: null, coverage: 0 });
  });

  it('needs a staff key and bounds the range', async () => {
    expect((await t.request('/v1/reports/utilization?from=2026-10-01&to=2026-10-02')).status).toBe(401);
    const sensorKey = await (
      await t.request('/v1/keys', {
        method: 'POST',
        headers: t.staff,
        json: { role: 'sensor', lots: ['csv-a'], label: 's' },
      })
    ).json();
    const asSensor = await t.request('/v1/reports/utilization?from=2026-10-01&to=2026-10-02', {
      headers: { authorization: `Bearer ${sensorKey.secret}` },
    });
    expect(asSensor.status).toBe(403);
    for (const [query, path] of [
      ['from=2026-10-02&to=2026-10-01&lotId=csv-a', 'to'],
      ['bucket=hour&from=2026-01-01&to=2026-03-01&lotId=csv-a', 'to'],
      ['bucket=day&from=2025-01-01&to=2026-03-01&lotId=csv-a', 'to'],
      ['from=yesterday&to=2026-10-01&lotId=csv-a', 'from'],
    ] as const) {
      const res = await t.request(`/v1/reports/utilization?${query}`, { headers: t.staff });
      expect(res.status, query).toBe(400);
      expect((await res.json()).errors[0].path, query).toBe(path);
    }
    const health = await (await t.request('/v1/reports/health', { headers: t.staff })).json();
    expect(
      health.lots.some((l: { id: string; status: string }) => l.id === 'csv-a' && l.status === 'stale'),
    ).toBe(true);
  });

  it('reads about one rollup item per lot and day for a month of daily figures over many lots', async () => {
    const lots = kind === 'dynalite' ? 1000 : 200;
    const days = 30;
    const start = Date.parse('2026-09-01T00:00:00Z');
    const ids = Array.from({ length: lots }, (_, i) => `month-${i}`);
    // Two readings a day per lot, posted as one batch per lot.
    const queue = [...ids];
    let raw = 0;
    const worker = async () => {
      for (let id = queue.pop(); id; id = queue.pop()) {
        expect((await put(id, lotBody('month', 50))).status).toBe(201);
        const observations = Array.from({ length: days * 2 }, (_, k) => ({
          eventId: `${id}-${k}`,
          observedAt: new Date(start + k * 12 * 3_600_000 + 7 * 60_000).toISOString(),
          occupied: (k * 7) % 50,
        }));
        raw += observations.length;
        for (let i = 0; i < observations.length; i += 100)
          expect((await post(id, observations.slice(i, i + 100))).status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const refreshed = await refreshRollups(t.deps);
    expect(refreshed.rebuilt).toBeGreaterThanOrEqual(lots);
    // Every lot, page by page (README "Limits": pages of whole lots, followed by nextCursor).
    let itemsRead = 0;
    let rawRead = 0;
    let pages = 0;
    const rows: { lotId: string; start: string }[] = [];
    let cursor: string | undefined;
    do {
      const res = await report(
        `bucket=day&from=2026-09-01&to=2026-10-01&tz=UTC${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      itemsRead += Number(res.headers.get('x-items-read'));
      rawRead += Number(res.headers.get('x-raw-observations-read'));
      const body = await res.json();
      expect(body.rows.length).toBeLessThanOrEqual(REPORT_LIMITS.rowsPerPage);
      rows.push(...body.rows);
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== undefined);
    const monthRows = rows.filter((r) => r.lotId.startsWith('month-'));
    expect(monthRows).toHaveLength(lots * days);
    expect(new Set(rows.map((r) => `${r.lotId} ${r.start}`)).size, 'each row once').toBe(rows.length);
    console.log(
      `[reports ${kind}] ${days}-day daily report over ${lots} lots (${raw} raw observations), ${pages} pages: ` +
        `${itemsRead} rollup items read (${(itemsRead / (lots * days)).toFixed(2)} per lot-day), ${rawRead} raw`,
    );
    expect(itemsRead).toBeLessThanOrEqual(2 * (lots + 10) * days);
    expect(rawRead).toBe(0);
  }, 300_000);
});
