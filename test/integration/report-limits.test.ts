// What a report may cost, through the real app on both stores (README "Limits"): all-lots
// reports in pages of whole lots behind a cursor bound to the query; 400s naming the field to
// change past the rows, lots, lot-days and raw observations a request may read; and rollup
// rebuilds whose work follows the data, not the calendar (one observation from 1970 once cost a
// walk over every day since, at every rebuild).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../shared/http/app';
import { CATALOG_INDEX } from '../../shared/store/table-design';
import { REPORT_LIMITS, type ReportLimits, refreshRollups } from '../../shared/use-cases/reports';
import { problemFailures } from '../hardening/input-support';
import { openApp, storeKinds } from '../support/stores';

const lotBody = (zone: string, timeZone = 'UTC', staleAfterSeconds = 7 * 86_400) => ({
  name: 'Limits lot',
  location: { lat: 52.48, lon: -1.9 },
  capacity: 50,
  type: 'surface',
  zone,
  timeZone,
  staleAfterSeconds,
});

describe.each(storeKinds())('report limits on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp(kind);
    t.clock.set(Date.parse('2026-11-23T10:00:00Z'));
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const put = async (id: string, body: unknown) => {
    const res = await t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json: body });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  };
  const post = async (id: string, observations: unknown[], headers = t.staff) => {
    const res = await t.request(`/v1/lots/${id}/observations`, {
      method: 'POST',
      headers,
      json: { observations },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  /** The app with small limits, on the same store. */
  const small = (limits: Partial<ReportLimits>) => {
    const app = createApp(t.deps, { reportLimits: limits, authThrottle: { limit: 1e9, windowMs: 60_000 } });
    return (path: string, accept = 'application/json') =>
      app.request(path, { headers: { ...t.staff, accept } });
  };
  async function expect400(res: Response, path: string, mentions: RegExp) {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(problemFailures(400, res.headers.get('content-type'), body)).toEqual([]);
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(body.errors.map((e: { message: string }) => e.message).join(' ')).toMatch(mentions);
  }

  it('pages an all-lots report by whole lots, each row once, each page within the limits', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `pg-${i}`);
    for (const [i, id] of ids.entries()) {
      await put(id, lotBody('pg'));
      await post(id, [{ eventId: `${id}-a`, observedAt: '2026-11-01T06:00:00Z', occupied: 10 + i }]);
    }
    const request = small({ rowsPerPage: 10, lots: 3 });
    const query = 'bucket=day&from=2026-11-01&to=2026-11-04&tz=UTC';
    const rows: { lotId: string; start: string }[] = [];
    const pages: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(`/v1/reports/utilization?${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.rows.length).toBeLessThanOrEqual(10);
      expect(new Set(body.rows.map((r: { lotId: string }) => r.lotId)).size).toBeLessThanOrEqual(3);
      rows.push(...body.rows);
      pages.push(body.rows.length);
      expect(res.headers.get('x-next-cursor') ?? undefined).toBe(body.nextCursor);
      cursor = body.nextCursor;
    } while (cursor !== undefined);
    expect(pages).toEqual([9, 9, 3]); // 3 lots × 3 days, twice, then the last lot
    expect(rows.map((r) => `${r.lotId} ${r.start}`)).toEqual(
      ids.flatMap((id) => ['01', '02', '03'].map((d) => `${id} 2026-11-${d}T00:00:00+00:00`)),
    );
    // Each row is the lot's own report's row.
    for (const id of ids) {
      const own = await (await request(`/v1/reports/utilization?${query}&lotId=${id}`)).json();
      expect(rows.filter((r) => r.lotId === id)).toEqual(own.rows);
    }
    // CSV pages carry the cursor in a header and hold the same rows.
    const csv = await request(`/v1/reports/utilization?${query}`, 'text/csv');
    expect(csv.headers.get('x-next-cursor')).toBeTruthy();
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(1 + 9);
  });

  it('refuses a cursor issued for another query, a tampered one, and one on a lot or zone report', async () => {
    const request = small({ rowsPerPage: 10, lots: 3 });
    const query = 'bucket=day&from=2026-11-01&to=2026-11-04&tz=UTC';
    const { nextCursor } = await (await request(`/v1/reports/utilization?${query}`)).json();
    expect(typeof nextCursor).toBe('string');
    const tampered = `${nextCursor.slice(0, -2)}${nextCursor.endsWith('A') ? 'B' : 'A'}${nextCursor.slice(-1)}`;
    for (const url of [
      `/v1/reports/utilization?bucket=day&from=2026-11-01&to=2026-11-05&tz=UTC&cursor=${nextCursor}`,
      `/v1/reports/utilization?bucket=hour&from=2026-11-01&to=2026-11-04&tz=UTC&cursor=${nextCursor}`,
      `/v1/reports/utilization?${query.replace('tz=UTC', 'tz=Europe/London')}&cursor=${nextCursor}`,
      `/v1/reports/utilization?${query}&cursor=${tampered}`,
      `/v1/reports/utilization?${query}&cursor=not-a-cursor`,
      `/v1/reports/utilization?${query}&cursor=`,
      `/v1/reports/utilization?${query}&cursor=${Buffer.from('[1,0,0,"day","UTC",""]').toString('base64url')}`,
      `/v1/reports/utilization?${query}&lotId=pg-0&cursor=${nextCursor}`,
      `/v1/reports/utilization?${query}&zone=pg&cursor=${nextCursor}`,
    ]) {
      await expect400(await request(url), 'cursor', /cursor|pages/);
    }
  });

  it('pages an all-lots report of more than 100,000 rows in pages, each page reading one catalog page', async () => {
    // 135 lots × 745 hours = 100,575 rows: more than a whole report may hold, so it comes in pages
    // (README "Limits"), and no page lists the whole catalog to find that out.
    const queue = Array.from({ length: 135 - 7 }, (_, i) => `rows-${i}`);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let id = queue.pop(); id; id = queue.pop()) await put(id, lotBody('rows'));
      }),
    );
    const hours = 'bucket=hour&from=2026-10-01T00:00:00Z&to=2026-11-01T01:00:00Z&tz=UTC';
    const perPage = Math.floor(REPORT_LIMITS.rowsPerPage / 745);
    let cursor: string | undefined;
    const seen = new Set<string>();
    let pages = 0;
    do {
      const res = await t.request(`/v1/reports/utilization?${hours}${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: t.staff,
      });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { rows: { lotId: string }[]; nextCursor?: string };
      const ids = new Set(page.rows.map((r) => r.lotId));
      expect(ids.size).toBeLessThanOrEqual(perPage);
      expect(page.rows.length).toBe(ids.size * 745);
      for (const id of ids) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(seen.size).toBe(135);
    expect(pages).toBe(Math.ceil(135 / perPage));
  });

  it('reads one catalog page of at most a page of lots per all-lots page, whatever the catalog holds', async () => {
    const catalogReads: number[] = [];
    const name = 'count-catalog-reads';
    t.store.client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { IndexName?: string; Limit?: number };
        if (input.IndexName === CATALOG_INDEX.indexName)
          catalogReads.push(input.Limit ?? Number.POSITIVE_INFINITY);
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      const hours = 'bucket=hour&from=2026-10-01T00:00:00Z&to=2026-11-01T01:00:00Z&tz=UTC';
      const perPage = Math.floor(REPORT_LIMITS.rowsPerPage / 745);
      const res = await t.request(`/v1/reports/utilization?${hours}`, { headers: t.staff });
      expect(res.status).toBe(200);
      expect(catalogReads).toEqual([perPage]);
    } finally {
      t.store.client.middlewareStack.remove(name);
    }
  });

  it('refuses zone reports and heatmaps over the lots, lot-days or raw observations a request may read', async () => {
    for (const id of ['zb-1', 'zb-2', 'zb-3', 'zb-4']) {
      await put(id, lotBody('zb', 'UTC', 3600));
      await post(
        id,
        Array.from({ length: 6 }, (_, i) => ({
          eventId: `${id}-${i}`,
          observedAt: new Date(Date.parse('2026-11-02T00:00:00Z') + i * 3_600_000).toISOString(),
          occupied: i,
        })),
      );
    }
    const zone = 'bucket=day&from=2026-11-01&to=2026-11-04&zone=zb';
    // No zone rollup yet: the summed peaks need the lots' raw history (24 observations).
    await expect400(
      await small({ rawObservations: 23 })(`/v1/reports/utilization?${zone}`),
      'to',
      /more than 23 observations/,
    );
    expect((await small({ rawObservations: 24 })(`/v1/reports/utilization?${zone}`)).status).toBe(200);
    // That report wrote the whole days it read raw back as zone rollups: the same report now
    // reads no raw history, so the raw budget no longer limits it (README "Utilization reports").
    const again = await small({ rawObservations: 0 })(`/v1/reports/utilization?${zone}`);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-raw-observations-read')).toBe('0');
    await expect400(
      await small({ zoneLots: 3 })(`/v1/reports/utilization?${zone}`),
      'to',
      /4 lots is more than 3/,
    );
    await expect400(
      await small({ lotDays: 11 })(`/v1/reports/utilization?${zone}`),
      'to',
      /4 lots × 3 days is more than 11/,
    );
    const heat = '/v1/reports/heatmap?from=2026-11-01&to=2026-11-04&zone=zb';
    expect((await small({ lots: 4, lotDays: 12 })(heat)).status).toBe(200);
    await expect400(await small({ lots: 3 })(heat), 'to', /4 lots is more than 3/);
    await expect400(await small({ lotDays: 11 })(heat), 'to', /more than 11/);
  });

  it('counts the raw history read for bucket edges inside quarter hours against the budget', async () => {
    // Monrovia was −0:44:30 until 1972: every local hour starts 14:30 into a UTC quarter hour.
    await put('mr', lotBody('mr', 'Africa/Monrovia', 3600));
    await post(
      'mr',
      Array.from({ length: 30 }, (_, i) => ({
        eventId: `mr-${i}`,
        observedAt: new Date(Date.parse('1971-06-01T00:00:00Z') + i * 17 * 60_000).toISOString(),
        occupied: i,
      })),
    );
    await refreshRollups(t.deps);
    const url = '/v1/reports/utilization?lotId=mr&bucket=hour&from=1971-06-01&to=1971-06-02';
    expect((await small({ rawObservations: 30 })(url)).status).toBe(200);
    await expect400(await small({ rawObservations: 29 })(url), 'to', /more than 29 observations/);
  });

  it('rebuilds rollups in work that follows the data: one 1970 observation costs a day, not 20,000', async () => {
    await refreshRollups(t.deps); // nothing else of this file left to rebuild
    await put('rc', lotBody('rc', 'UTC', 3600));
    const key = await (
      await t.request('/v1/keys', {
        method: 'POST',
        headers: t.staff,
        json: { role: 'sensor', lots: ['rc'], label: 'rc' },
      })
    ).json();
    const sensor = { authorization: `Bearer ${key.secret}` };
    await post('rc', [{ eventId: 'rc-1970', observedAt: '1970-01-01T00:00:00Z', occupied: 7 }], sensor);
    await post(
      'rc',
      Array.from({ length: 18 }, (_, i) => ({
        eventId: `rc-${i}`,
        observedAt: new Date(Date.parse('2026-11-20T00:00:00Z') + i * 4 * 3_600_000).toISOString(),
        occupied: 20 + i,
      })),
      sensor,
    );
    const first = await refreshRollups(t.deps);
    // The 1970 day, and the three days of 2026 data (each observation covers an hour).
    console.log(`[rollups ${kind}] days rebuilt after a 1970 observation: ${first.stats.daysRebuilt}`);
    expect(first.rebuilt).toBe(1);
    expect(first.stats.daysRebuilt).toBe(4);
    // A capacity change marks the lot from 0: the rebuild still visits only those days.
    const patched = await t.request('/v1/lots/rc', {
      method: 'PATCH',
      headers: t.staff,
      json: { capacity: 60 },
    });
    expect(patched.status).toBe(200);
    const second = await refreshRollups(t.deps);
    expect(second.stats.daysRebuilt).toBe(4);
    // And the figures are there for both ends of the data.
    const early = await (
      await t.request('/v1/reports/utilization?lotId=rc&bucket=day&from=1970-01-01&to=1970-01-02', {
        headers: t.staff,
      })
    ).json();
    expect(early.rows[0]).toMatchObject({ observations: 1, peakOccupied: 7, coverage: 1 / 24 });
    const late = await (
      await t.request('/v1/reports/utilization?lotId=rc&bucket=day&from=2026-11-20&to=2026-11-23', {
        headers: t.staff,
      })
    ).json();
    expect(late.rows.map((r: { observations: number }) => r.observations)).toEqual([6, 6, 6]);
    expect(late.rows[0].utilization).toBeCloseTo((20 + 21 + 22 + 23 + 24 + 25) / 6 / 60, 12);
  });

  it('decides an all-lots walk without tz from its first page, and refuses a later page in another zone, naming tz', async () => {
    // Pages read one catalog page each, so a zone met later cannot have been seen on page one: the
    // walk stops there with a 400 naming tz instead of mixing local days of two zones.
    // Every other lot of this file is in UTC but Monrovia's, which goes first.
    expect((await t.request('/v1/lots/mr', { method: 'DELETE', headers: t.staff })).status).toBeLessThan(300);
    await put('zzz-london', lotBody('zzz', 'Europe/London'));
    const request = small({ rowsPerPage: 40, lots: 40 });
    const query = 'bucket=day&from=2026-11-01&to=2026-11-04';
    const walk = async (q: string) => {
      let cursor: string | undefined;
      const tzs: string[] = [];
      for (;;) {
        const res = await request(`/v1/reports/utilization?${q}${cursor ? `&cursor=${cursor}` : ''}`);
        if (res.status !== 200) return { res, tzs };
        const body = (await res.json()) as { tz: string; nextCursor?: string };
        tzs.push(body.tz);
        cursor = body.nextCursor;
        if (cursor === undefined) return { res, tzs };
      }
    };
    const implicit = await walk(query);
    expect(implicit.tzs.length).toBeGreaterThan(0);
    expect(new Set(implicit.tzs)).toEqual(new Set(['UTC']));
    await expect400(implicit.res, 'tz', /began in UTC.*Europe\/London/);
    // Named, the same walk reaches the end; a cursor of the implicit walk is no cursor for it.
    const named = await walk(`${query}&tz=UTC`);
    expect(named.res.status).toBe(200);
    const first = (await (await request(`/v1/reports/utilization?${query}`)).json()) as {
      nextCursor: string;
    };
    await expect400(
      await request(`/v1/reports/utilization?${query}&tz=UTC&cursor=${first.nextCursor}`),
      'cursor',
      /cursor/,
    );
    const gone = await t.request('/v1/lots/zzz-london', { method: 'DELETE', headers: t.staff });
    expect(gone.status).toBeLessThan(300);
    expect((await walk(query)).res.status).toBe(200);
  });

  it('walks on past lots deleted or re-created between its pages: a re-created id reports none of its predecessor', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `rc-${i}`);
    for (const [i, id] of ids.entries()) {
      await put(id, lotBody('rc'));
      await post(id, [{ eventId: `${id}-a`, observedAt: '2026-11-02T06:00:00Z', occupied: 20 + i }]);
    }
    const request = small({ rowsPerPage: 6, lots: 2 });
    const query = 'bucket=day&from=2026-11-01&to=2026-11-04&tz=UTC';
    const own = async (id: string) =>
      ((await (await request(`/v1/reports/utilization?${query}&lotId=${id}`)).json()) as { rows: Row[] })
        .rows;
    type Row = { lotId: string; start: string; observations: number; avgOccupied: number | null };
    const before = await own('rc-4');
    expect(before.some((r) => r.observations > 0 && r.avgOccupied !== null)).toBe(true);
    const rows: Row[] = [];
    let cursor: string | undefined;
    let changed = false;
    do {
      const res = await request(`/v1/reports/utilization?${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as { rows: Row[]; nextCursor?: string };
      rows.push(...body.rows);
      cursor = body.nextCursor;
      if (!changed && body.rows.some((r) => r.lotId === 'rc-1')) {
        // The walk has passed rc-1: delete rc-3, and delete and re-create rc-4 (no readings since).
        changed = true;
        for (const id of ['rc-3', 'rc-4']) {
          const gone = await t.request(`/v1/lots/${id}`, { method: 'DELETE', headers: t.staff });
          expect(gone.status).toBeLessThan(300);
        }
        await put('rc-4', lotBody('rc'));
      }
    } while (cursor !== undefined);
    expect(changed).toBe(true);
    const walked = rows.filter((r) => r.lotId.startsWith('rc-'));
    // Every lot still there once, in catalog order; the deleted one not at all.
    expect([...new Set(walked.map((r) => r.lotId))]).toEqual(['rc-0', 'rc-1', 'rc-2', 'rc-4', 'rc-5']);
    expect(walked).toHaveLength(5 * 3);
    const reborn = walked.filter((r) => r.lotId === 'rc-4');
    expect(reborn).toEqual(await own('rc-4'));
    expect(reborn.every((r) => r.observations === 0 && r.avgOccupied === null)).toBe(true);
    for (const id of ['rc-0', 'rc-1', 'rc-2', 'rc-5'])
      expect(walked.filter((r) => r.lotId === id)).toEqual(await own(id));
  });
});
