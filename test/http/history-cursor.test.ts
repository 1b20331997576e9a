// History cursors: whatever a client sends as `cursor` (random text, a tampered or truncated
// cursor, other JSON, one for another lot, incarnation or range, a position outside its range),
// the answer is a 400 naming `cursor` or exactly the page the cursor names, never a 500.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataScope } from '../../shared/domain/lot-incarnation';
import { HISTORY_PAGE } from '../../shared/use-cases/history';
import { openApp, storeKinds } from '../support/stores';

const FROM = Date.parse('2026-11-01T00:00:00Z');
const TO = Date.parse('2026-11-21T00:00:00Z');
const DAY = 86_400_000;
const COUNT = 2 * HISTORY_PAGE + 500;
const PREFIXES = ['A', 'a', '0', 'Z', 'z', '9', 'm.', 'm_', 'm-'];

interface Entry {
  eventId: string;
  at: number;
}
const compare = (x: Entry, y: Entry) =>
  x.at - y.at || (x.eventId < y.eventId ? -1 : x.eventId > y.eventId ? 1 : 0);

/** The cursor text the service writes for this content (the test states the format on its own). */
const cursorText = (c: { l: string; f: number; t: number; a: number; e: string }) =>
  Buffer.from(JSON.stringify({ l: c.l, f: c.f, t: c.t, a: c.a, e: c.e })).toString('base64url');

describe.each(storeKinds())('history cursors on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let entries: Entry[]; // every observation of lot "hist", in history order
  let scope: string;
  let genuine: string;
  const stats: Record<string, number> = {};

  const put = (id: string) =>
    t.request(`/v1/lots/${id}`, {
      method: 'PUT',
      headers: t.staff,
      json: {
        name: id,
        location: { lat: 52.48, lon: -1.9 },
        capacity: 500,
        type: 'garage',
        timeZone: 'Europe/London',
      },
    });
  async function fill(id: string, list: Entry[]) {
    for (let i = 0; i < list.length; i += 100) {
      const observations = list.slice(i, i + 100).map((e, k) => ({
        eventId: e.eventId,
        observedAt: new Date(e.at).toISOString(),
        occupied: (i + k) % 500,
      }));
      const res = await t.request(`/v1/lots/${id}/observations`, {
        method: 'POST',
        headers: t.staff,
        json: { observations },
      });
      expect(res.status).toBe(200);
    }
  }
  const history = async (id: string, query: Record<string, string>) => {
    const res = await t.request(`/v1/lots/${id}/observations?${new URLSearchParams(query)}`, {
      headers: t.staff,
    });
    const body = await res.json();
    return { status: res.status, type: res.headers.get('content-type'), body };
  };

  beforeAll(async () => {
    t = await openApp(kind);
    expect((await put('hist')).status).toBe(201);
    // Pairs share an instant, so the event id breaks ties; the ids sort in byte order.
    entries = Array.from({ length: COUNT }, (_, i) => ({
      eventId: `${PREFIXES[i % PREFIXES.length]}${i}`,
      at: FROM + Math.floor(i / 2) * 10 * 60_000,
    }));
    await fill('hist', entries);
    entries.sort(compare);
    scope = dataScope((await t.deps.lots.get('hist', true))!);
    const first = await history('hist', {
      from: new Date(FROM).toISOString(),
      to: new Date(TO).toISOString(),
    });
    genuine = first.body.nextCursor;
  }, 120_000);
  afterAll(async () => {
    console.log(`cursor fuzz on ${kind}: ${JSON.stringify(stats)}`);
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('pages through the whole range with the cursors it issues, each observation once', async () => {
    const from = new Date(FROM).toISOString();
    const to = new Date(TO).toISOString();
    const seen: string[] = [];
    let page = await history('hist', { from, to });
    seen.push(...page.body.observations.map((o: { eventId: string }) => o.eventId));
    // Next: the cursor alone (its range is used), then with the same range written with an offset.
    page = await history('hist', { cursor: page.body.nextCursor });
    seen.push(...page.body.observations.map((o: { eventId: string }) => o.eventId));
    page = await history('hist', {
      cursor: page.body.nextCursor,
      from: '2026-11-01T01:00:00+01:00',
      to: '2026-11-21T00:00:00.000Z',
    });
    expect(page.status).toBe(200);
    seen.push(...page.body.observations.map((o: { eventId: string }) => o.eventId));
    expect(page.body.nextCursor).toBeUndefined();
    expect(seen).toEqual(entries.map((e) => e.eventId));
  });

  it('answers any cursor with a 400 naming cursor or with exactly the page it names', async () => {
    const inRange = (f: number, t: number) => entries.filter((e) => e.at >= f && e.at < t);
    const validId = fc.constantFrom(...entries.slice(0, 50).map((e) => e.eventId), 'zz', 'A0', '0');
    const instant = fc.oneof(
      fc.integer({ min: FROM - 60 * DAY, max: TO + 60 * DAY }),
      fc.constantFrom(FROM, TO, TO - 1, FROM - 1, entries[1500]!.at, 0, -1, Date.UTC(2200, 0, 1), 2 ** 53),
      fc.double(),
    );
    const crafted = fc
      .record(
        {
          l: fc.oneof(
            fc.constant(scope),
            fc.constantFrom('hist', `${scope}x`, 'hist#other-generation', 'other', '', 'x'.repeat(300)),
            fc.string(),
          ),
          f: fc.oneof(fc.constant(FROM), instant),
          t: fc.oneof(fc.constant(TO), instant),
          a: fc.oneof(fc.constantFrom(...entries.map((e) => e.at)), instant),
          e: fc.oneof(validId, fc.string(), fc.constantFrom('', '~', '#', 'x'.repeat(129), 'é')),
          extra: fc.anything(),
        },
        { requiredKeys: [] },
      )
      .chain((c) =>
        fc.oneof(
          fc.constant(cursorText(c as never)),
          fc.constant(Buffer.from(JSON.stringify(c)).toString('base64url')),
          fc.constant(Buffer.from(JSON.stringify(c, null, 1)).toString('base64url')),
        ),
      );
    const mutated = fc
      .record({
        at: fc.nat(genuine.length - 1),
        ch: fc.constantFrom('A', 'z', '0', '-', '_', '=', '+', '/', '.', ''),
      })
      .map(({ at, ch }) => genuine.slice(0, at) + ch + genuine.slice(at + 1));
    // Nearly valid cursors: the lot's own, mostly for the range asked and a position inside it,
    // sometimes with one part off (range, position, spelling): only a fully valid one gets a page.
    const mostly = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
      fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: odd, weight: 1 });
    const positioned = fc
      .record({
        // Odd ranges include ones longer than the 31 days a range may span.
        f: mostly(fc.constant(FROM), fc.oneof(instant, fc.constant(TO - 32 * DAY))),
        t: mostly(fc.constant(TO), fc.oneof(instant, fc.constant(FROM + 32 * DAY))),
        a: mostly(
          fc.oneof(fc.integer({ min: FROM, max: TO - 1 }), fc.constantFrom(...entries.map((e) => e.at))),
          instant,
        ),
        e: fc.oneof(validId, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/)),
        spelling: mostly(fc.constant('canonical'), fc.constantFrom('spaced', 'reordered', 'padded')),
      })
      .map(({ spelling, ...c }) => {
        const content = { l: scope, ...c };
        if (spelling === 'canonical') return cursorText(content);
        if (spelling === 'padded') return Buffer.from(JSON.stringify(content)).toString('base64');
        const json =
          spelling === 'spaced'
            ? JSON.stringify(content, null, 1)
            : JSON.stringify({ e: c.e, a: c.a, t: c.t, f: c.f, l: scope });
        return Buffer.from(json).toString('base64url');
      });
    const cursor = fc.oneof(
      { arbitrary: positioned, weight: 4 },
      fc.constant(genuine),
      fc.constantFrom('', '=', 'e30', 'bnVsbA', 'W10', '"x"', ' ', 'x'.repeat(2049), 'x'.repeat(3000)),
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.base64String(),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
      mutated,
      fc.constant(genuine.slice(0, -1)),
      fc.constant(`${genuine}A`),
      crafted,
    );
    // A valid range: absent, the cursor's own, or another valid one.
    const range = fc.oneof(
      fc.constant(null),
      fc.constant({ from: FROM, to: TO }),
      fc
        .record({
          from: fc.integer({ min: FROM - 5 * DAY, max: TO }),
          span: fc.integer({ min: 1, max: 31 * DAY }),
        })
        .map(({ from, span }) => ({ from, to: from + span })),
    );

    await fc.assert(
      fc.asyncProperty(cursor, range, async (text, given) => {
        const query: Record<string, string> = { cursor: text };
        if (given) {
          query.from = new Date(given.from).toISOString();
          query.to = new Date(given.to).toISOString();
        }
        const res = await history('hist', query);
        const where = `cursor=${JSON.stringify(text).slice(0, 200)} range=${JSON.stringify(given)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        stats[res.status] = (stats[res.status] ?? 0) + 1;
        expect([200, 400], where).toContain(res.status);
        if (res.status === 400) {
          expect(res.type, where).toBe('application/problem+json');
          expect(
            res.body.errors.map((e: { path: string }) => e.path),
            where,
          ).toContain('cursor');
          return;
        }
        // Accepted: it is exactly a cursor the service could have written for this lot, for the
        // range asked (or its own), with a position inside it; and the page is the one it names.
        const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
        expect(cursorText(c), where).toBe(text);
        expect(c.l, where).toBe(scope);
        if (given) expect([c.f, c.t], where).toEqual([given.from, given.to]);
        expect(c.f <= c.a && c.a < c.t && c.t - c.f <= 31 * DAY, where).toBe(true);
        const rest = inRange(c.f, c.t).filter((e) => compare(e, { at: c.a, eventId: c.e }) > 0);
        const ids = res.body.observations.map((o: { eventId: string }) => o.eventId);
        expect(ids, where).toEqual(rest.slice(0, HISTORY_PAGE).map((e) => e.eventId));
        expect(res.body.nextCursor === undefined, where).toBe(rest.length < HISTORY_PAGE);
      }),
      { seed: 12_2026, numRuns: 300 },
    );
    expect(stats['200']).toBeGreaterThan(0);
    expect(stats['400']).toBeGreaterThan(0);
  }, 300_000);

  it('refuses a genuine cursor for another lot, another incarnation of the lot, or another range', async () => {
    const list = Array.from({ length: HISTORY_PAGE + 1 }, (_, i) => ({
      eventId: `r${i}`,
      at: FROM + i * 60_000,
    }));
    expect((await put('regen')).status).toBe(201);
    await fill('regen', list);
    const range = { from: new Date(FROM).toISOString(), to: new Date(TO).toISOString() };
    const old = (await history('regen', range)).body.nextCursor as string;
    expect((await history('regen', { cursor: old })).body.observations).toHaveLength(1);

    const refused = async (id: string, query: Record<string, string>, message: RegExp) => {
      const res = await history(id, query);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'cursor', message: expect.stringMatching(message) }]);
    };
    await refused('hist', { cursor: old }, /another lot/);
    await refused('regen', { cursor: old, to: '2026-11-20T00:00:00Z' }, /another from\/to/);
    await refused('regen', { cursor: old, ...range, from: '2026-11-02T00:00:00Z' }, /another from\/to/);

    expect((await t.request('/v1/lots/regen', { method: 'DELETE', headers: t.staff })).status).toBe(204);
    expect((await put('regen')).status).toBe(201);
    await fill('regen', list);
    await refused('regen', { cursor: old }, /another lot/);
    const fresh = (await history('regen', range)).body.nextCursor as string;
    expect(fresh).not.toBe(old);
    expect((await history('regen', { cursor: fresh })).body.observations).toHaveLength(1);
  }, 120_000);
});
