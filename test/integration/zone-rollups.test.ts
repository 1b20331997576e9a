// Zone reports from zone rollups give exactly what raw history gives: an oracle replays every lot's
// whole history (no rollups at all) and builds each zone row from the exact steps, and the report
// through the real app must equal it row for row, as lots join, leave, move, are deleted and
// re-created, receive late data, span a DST change, and while today is not rolled up yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../shared/domain/observation';
import { replay } from '../../shared/domain/observation';
import type { BucketSize } from '../../shared/domain/utilization/buckets';
import { bucketsFor } from '../../shared/domain/utilization/buckets';
import { type ZoneMember, zoneRow } from '../../shared/domain/utilization/rows';
import { summarize } from '../../shared/domain/utilization/summary';
import { refreshRollups } from '../../shared/use-cases/reports';
import { buildZoneDays } from '../../shared/use-cases/zone-rollups';
import { openApp, storeKinds, testClock } from '../support/stores';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const stats = () => ({ itemsRead: 0, rawObservationsRead: 0 });
const lotBody = (zone: string, capacity: number, staleAfterSeconds = 5400) => ({
  name: 'Zone lot',
  location: { lat: 51.5, lon: -0.12 },
  capacity,
  type: 'surface',
  zone,
  timeZone: 'Europe/London',
  staleAfterSeconds,
});

describe.each(storeKinds())('zone rollups on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  // London leaves summer time on 2026-10-25 at 01:00 UTC (a 25-hour local day).
  const now = Date.parse('2026-10-28T09:40:00Z');
  beforeAll(async () => {
    t = await openApp(kind, testClock(now));
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const put = async (id: string, body: unknown, status = [200, 201]) => {
    const res = await t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json: body });
    expect(status, await res.clone().text()).toContain(res.status);
  };
  const post = async (id: string, observations: unknown[]) => {
    const res = await t.request(`/v1/lots/${id}/observations`, {
      method: 'POST',
      headers: t.staff,
      json: { observations },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  /** Readings every `everyMin` minutes from `from` for `hours`, a pseudo-random walk per lot. */
  const readings = (
    id: string,
    from: number,
    hours: number,
    everyMin: number,
    capacity: number,
    tag = '',
  ) => {
    const out: { eventId: string; observedAt: string; occupied: number }[] = [];
    let seed = [...id].reduce((s, c) => s * 31 + c.charCodeAt(0), 7) >>> 0;
    for (let at = from, k = 0; at < from + hours * HOUR; at += everyMin * 60_000 + (k % 3) * 60_000, k++) {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      out.push({
        eventId: `${id}${tag}-${k}`,
        observedAt: new Date(at).toISOString(),
        occupied: seed % (capacity + 3),
      });
    }
    return out;
  };
  const postAll = async (id: string, obs: unknown[]) => {
    for (let i = 0; i < obs.length; i += 100) await post(id, obs.slice(i, i + 100));
  };

  /** The zone's rows from raw history alone: each lot's whole history replayed, no rollups. */
  async function oracle(zone: string, from: number, to: number, bucket: BucketSize, tz: string) {
    const lots = await t.deps.lots.list(zone);
    const members: { capacity: number; staleAfterMs: number; steps: ReturnType<typeof replay> }[] = [];
    for (const lot of lots) {
      const history: Observation[] = [];
      let after: Parameters<typeof t.deps.observations.list>[3]['after'];
      do {
        const page = await t.deps.observations.list(lot, 0, to, { limit: 1000, ...(after ? { after } : {}) });
        history.push(...page.observations.map((o) => o.observation));
        after = page.next;
      } while (after !== undefined);
      members.push({
        capacity: lot.capacity,
        staleAfterMs: lot.staleAfterSeconds * 1000,
        steps: replay(history),
      });
    }
    return bucketsFor(from, to, bucket, tz).map((b) => {
      const rowMembers: ZoneMember[] = members.map((m) => ({
        ...m,
        summary: summarize(m.steps, m, b.start, b.end),
      }));
      return { zone, start: b.startIso, end: b.endIso, ...zoneRow(rowMembers, b.start, b.end) };
    });
  }

  /** The report through the app equals the oracle; returns what it read. */
  async function check(zone: string, query: { from: string; to: string; bucket: BucketSize; tz: string }) {
    const qs = new URLSearchParams({ zone, ...query }).toString();
    const res = await t.request(`/v1/reports/utilization?${qs}`, { headers: t.staff });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { from: string; to: string; rows: unknown[] };
    const expected = await oracle(zone, Date.parse(body.from), Date.parse(body.to), query.bucket, query.tz);
    expect(body.rows, `${zone} ${qs}`).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(
      expected.some((r) => r.peakOccupied !== null),
      'the range has data',
    ).toBe(true);
    return {
      items: Number(res.headers.get('x-items-read')),
      raw: Number(res.headers.get('x-raw-observations-read')),
    };
  }

  const QUERIES = [
    { from: '2026-10-22', to: '2026-10-28', bucket: 'day' as const, tz: 'Europe/London' },
    {
      from: '2026-10-24T20:00:00Z',
      to: '2026-10-25T06:00:00Z',
      bucket: 'hour' as const,
      tz: 'Europe/London',
    },
    // Local days that are not UTC days, and hours at +05:45 and −03:30.
    { from: '2026-10-22', to: '2026-10-28', bucket: 'day' as const, tz: 'Asia/Kathmandu' },
    {
      from: '2026-10-23T00:00:00Z',
      to: '2026-10-24T12:00:00Z',
      bucket: 'hour' as const,
      tz: 'America/St_Johns',
    },
    // Bounds inside a quarter hour.
    { from: '2026-10-23T10:07:00Z', to: '2026-10-26T17:52:30Z', bucket: 'day' as const, tz: 'Europe/London' },
    // Up to now: today is not rolled up (or only partly).
    { from: '2026-10-27', to: '2026-10-28T09:40:00Z', bucket: 'hour' as const, tz: 'Europe/London' },
  ];
  const checkAll = async (zone: string) => {
    const reads = [];
    for (const q of QUERIES) reads.push(await check(zone, q));
    return reads;
  };

  it('matches raw history through late data, membership changes and re-creation', async () => {
    const start = Date.parse('2026-10-21T22:00:00Z');
    await put('zr-a', lotBody('zr', 40));
    await put('zr-b', lotBody('zr', 25, 1800));
    await put('zr-c', lotBody('zr-other', 60));
    await postAll('zr-a', readings('zr-a', start, 150, 50, 40));
    await postAll('zr-b', readings('zr-b', start + 17 * 60_000, 150, 35, 25));
    await postAll('zr-c', readings('zr-c', start + 5 * 60_000, 150, 40, 60));

    const refreshed = await refreshRollups(t.deps);
    expect(refreshed.zoneDays).toBeGreaterThan(0);
    // Built by the job: a daily report on whole quarters reads no raw history at all.
    const built = await checkAll('zr');
    expect(built[0]!.raw).toBe(0);
    expect(built[2]!.raw).toBe(0);

    // Late observations, then the job: it rebuilds the lot and the zone's days it rewrote.
    await post('zr-b', [{ eventId: 'late-0', observedAt: '2026-10-23T12:01:00Z', occupied: 26 }]);
    expect((await refreshRollups(t.deps)).zoneDays).toBeGreaterThan(0);
    expect((await checkAll('zr'))[0]!.raw).toBe(0);

    // Late observations a report sees first: it rebuilds the lot, whose new stamps no longer
    // match the zone's items from that day on, so it reads those days raw (and writes back the
    // whole UTC days it read: the next report reads none of them).
    await post('zr-a', [
      { eventId: 'late-1', observedAt: '2026-10-24T23:55:00Z', occupied: 41 },
      { eventId: 'late-2', observedAt: '2026-10-25T00:59:00Z', occupied: 3 },
    ]);
    // A build while a lot still has unrolled data in those days writes nothing.
    const lateDay = Date.parse('2026-10-24T00:00:00Z');
    const before = await t.deps.rollups.readZone('zr', '2026-10-24', '2026-10-25', stats());
    const ids = (await t.deps.lots.list('zr')).map((l) => l.id);
    expect(await buildZoneDays(t.deps, 'zr', ids, [lateDay, lateDay + DAY], stats())).toBe(0);
    expect(await t.deps.rollups.readZone('zr', '2026-10-24', '2026-10-25', stats())).toEqual(before);
    expect((await checkAll('zr'))[0]!.raw).toBeGreaterThan(0);
    expect((await checkAll('zr'))[0]!.raw).toBe(0);
    await refreshRollups(t.deps);
    await checkAll('zr');

    // A lot joins (moved from another zone): the items name other lots, so raw until rebuilt.
    await put('zr-c', lotBody('zr', 60));
    expect((await checkAll('zr'))[0]!.raw).toBeGreaterThan(0);
    // A lot leaves.
    await put('zr-b', lotBody('zr-other', 25, 1800));
    await checkAll('zr');
    await checkAll('zr-other');
    await refreshRollups(t.deps);
    await checkAll('zr');

    // Deleted and re-created under the same id: the new lot has none of the old history.
    expect((await t.request('/v1/lots/zr-a', { method: 'DELETE', headers: t.staff })).status).toBe(204);
    await put('zr-a', lotBody('zr', 30));
    await postAll('zr-a', readings('zr-a', Date.parse('2026-10-26T08:00:00Z'), 30, 20, 30, 'new'));
    await checkAll('zr');
    await refreshRollups(t.deps);
    const recreated = await checkAll('zr');
    expect(recreated[0]!.raw).toBe(0);

    // Today keeps arriving after the job: those readings are read raw, the rest from rollups.
    await postAll('zr-c', readings('zr-c', Date.parse('2026-10-28T07:00:00Z'), 2, 10, 60, 'today'));
    const today = await checkAll('zr');
    expect(today[5]!.raw).toBeGreaterThan(0);
  }, 300_000);

  it('matches raw history where every bucket edge cuts a quarter hour (Monrovia, −0:44:30 until 1972)', async () => {
    const body = (capacity: number) => ({ ...lotBody('zm', capacity), timeZone: 'Africa/Monrovia' });
    await put('zm-a', body(20));
    await put('zm-b', body(35));
    await postAll('zm-a', readings('zm-a', Date.parse('1971-06-01T20:00:00Z'), 40, 13, 20));
    await postAll('zm-b', readings('zm-b', Date.parse('1971-06-01T21:10:00Z'), 40, 29, 35));
    const queries = [
      { from: '1971-06-01', to: '1971-06-04', bucket: 'hour' as const, tz: 'Africa/Monrovia' },
      { from: '1971-06-01', to: '1971-06-04', bucket: 'day' as const, tz: 'Africa/Monrovia' },
      { from: '1971-06-01', to: '1971-06-04', bucket: 'day' as const, tz: 'UTC' },
    ];
    for (const q of queries) await check('zm', q);
    await refreshRollups(t.deps);
    for (const q of queries) await check('zm', q);
    // UTC days on whole quarters: from the zone's rollups alone.
    expect((await check('zm', queries[2]!)).raw).toBe(0);
  }, 120_000);
});
