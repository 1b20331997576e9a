// GET /v1/reports/health walks the catalog in pages (README "Limits"): whatever the city's size, one
// request reads a bounded number of lots, and following nextCursor lists every silent lot exactly
// once: lots with and without zones, lots deleted between pages, ids reused after a delete.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_PAGE_LOTS, lotHealth } from '../../shared/use-cases/lot-health';
import { countStoreCalls } from '../support/store-calls';
import { openApp, storeKinds } from '../support/stores';

const MINUTE = 60_000;
const ZONES = [undefined, 'a', 'a.b', 'b-1', 'Z'];

describe.each(storeKinds())('lot health pages on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  /** What each lot is as far as the test knows: fresh, stale or never observed. */
  const truth = new Map<string, 'fresh' | 'stale' | 'nodata'>();
  const zoneOf = new Map<string, string | undefined>();

  const putLot = async (id: string, zone: string | undefined) => {
    const json = {
      name: `Lot ${id}`,
      location: { lat: 52.48 + truth.size * 1e-4, lon: -1.9 },
      capacity: 40,
      type: 'garage',
      timeZone: 'UTC',
      staleAfterSeconds: 3600,
      ...(zone === undefined ? {} : { zone }),
    };
    expect((await t.request(`/v1/lots/${id}`, { method: 'PUT', headers: t.staff, json })).status).toBe(201);
  };
  const observe = async (id: string, agoMs: number) => {
    const observedAt = new Date(t.clock.now() - agoMs).toISOString();
    const json = { observations: [{ eventId: `${id}-${agoMs}`, observedAt, occupied: 3 }] };
    expect(
      (await t.request(`/v1/lots/${id}/observations`, { method: 'POST', headers: t.staff, json })).status,
    ).toBe(200);
  };

  beforeAll(async () => {
    t = await openApp(kind);
    for (let i = 0; i < 37; i++) {
      const id = `h${String(i).padStart(2, '0')}`;
      await putLot(id, ZONES[i % ZONES.length]);
      const kindOf = (['fresh', 'stale', 'nodata'] as const)[i % 3]!;
      if (kindOf !== 'nodata') await observe(id, kindOf === 'fresh' ? MINUTE : (2 + i) * 3600_000);
      truth.set(id, kindOf);
      zoneOf.set(id, ZONES[i % ZONES.length]);
    }
  });
  afterAll(() => t.close());

  const silent = () =>
    [...truth]
      .filter(([, s]) => s !== 'fresh')
      .map(([id]) => id)
      .sort();

  async function walk(pageLots: number) {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await lotHealth(t.deps, cursor === undefined ? {} : { cursor }, pageLots);
      expect(page.lots.length).toBeLessThanOrEqual(pageLots);
      seen.push(...page.lots.map((l) => l.id));
      cursor = page.nextCursor;
      pages++;
      expect(pages).toBeLessThanOrEqual(Math.ceil(truth.size / pageLots) + 1);
    } while (cursor !== undefined);
    return seen;
  }

  it('lists every silent lot exactly once across pages of any size', async () => {
    for (const pageLots of [1, 2, 7, 36, 37, 38, HEALTH_PAGE_LOTS]) {
      const seen = await walk(pageLots);
      expect(seen.slice().sort(), `pages of ${pageLots}`).toEqual(silent());
    }
  });

  it('reads at most one page of lots per request', async () => {
    const calls = countStoreCalls(t.store.client);
    calls.reset();
    const page = await lotHealth(t.deps, {}, 7);
    expect(page.nextCursor).toBeDefined();
    expect(calls.commands.get('Query')).toBe(1);
    expect(calls.commands.get('BatchGetItem')).toBe(1);
  });

  it('answers one page through the API, never-observed first, then the longest silent', async () => {
    const res = await t.request('/v1/reports/health', { headers: t.staff });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).not.toHaveProperty('nextCursor');
    expect(body.lots.map((l: { id: string }) => l.id).sort()).toEqual(silent());
    const ages = body.lots.map((l: { dataAge: number | null }) => l.dataAge ?? Number.POSITIVE_INFINITY);
    expect(ages).toEqual(ages.slice().sort((a: number, b: number) => b - a));
  });

  it('keeps walking when lots are deleted between pages and ids are reused', async () => {
    const first = await lotHealth(t.deps, {}, 5);
    expect(first.nextCursor).toBeDefined();
    // Delete the lot the cursor stands on and one further on; re-create one of them fresh.
    const [, cutZone, cut] = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8')) as [
      string,
      string,
      string,
    ];
    const position = (id: string) => `${zoneOf.get(id) ?? ''}#${id}`;
    for (const id of [cut, 'h30']) {
      expect((await t.request(`/v1/lots/${id}`, { method: 'DELETE', headers: t.staff })).status).toBe(204);
      truth.delete(id);
    }
    await putLot('h30', 'a');
    truth.set('h30', 'nodata');
    zoneOf.set('h30', 'a');
    const seen = new Set(first.lots.map((l) => l.id));
    let cursor = first.nextCursor;
    while (cursor !== undefined) {
      const page = await lotHealth(t.deps, { cursor }, 5);
      for (const l of page.lots) {
        expect(seen.has(l.id), l.id).toBe(false);
        seen.add(l.id);
      }
      cursor = page.nextCursor;
    }
    // The first page as it was, then the silent lots after the cut in the store as it is now: the
    // re-created h30 once if its new place in the catalog lies after the cut, else not at all.
    const after = silent().filter((id) => position(id) > `${cutZone}#${cut}`);
    expect([...seen].sort()).toEqual([...new Set([...first.lots.map((l) => l.id), ...after])].sort());
  });

  it('refuses any cursor it did not issue with a 400 naming cursor', async () => {
    const own = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = [
      'x',
      own(['health', '', '']),
      own(['health', 'a#b', 'h01']),
      own(['health', '', 'h01#']),
      own(['other', '', 'h01']),
      own(['health', '', 'h01', 'extra']),
      own({ zone: '', id: 'h01' }),
      own([1, 2, 3]),
      `${own(['health', '', 'h01'])}=`,
    ];
    const arbitrary = fc
      .sample(fc.string({ maxLength: 40 }), 30)
      .map((s) => Buffer.from(s).toString('base64url'));
    for (const cursor of [...bad, ...arbitrary]) {
      if (cursor === '') continue;
      const res = await t.request(`/v1/reports/health?cursor=${encodeURIComponent(cursor)}`, {
        headers: t.staff,
      });
      // A string that happens to decode to a valid position is a cursor like any other.
      if (res.status === 200) continue;
      expect(res.status, cursor).toBe(400);
      expect((await res.json()).errors[0].path, cursor).toBe('cursor');
    }
    for (const cursor of bad) {
      const res = await t.request(`/v1/reports/health?cursor=${encodeURIComponent(cursor)}`, {
        headers: t.staff,
      });
      expect(res.status, cursor).toBe(400);
    }
  });
});
