// Opening hours and zoomed-out boxes on the pages, in a real browser (Debian's Chromium via
// playwright-core) against the real local server with the demo city: a lot whose hours end within
// the day says "closes at …" on the driver page at the time the API sends, in the lot's zone; the
// dashboard's largest area (5000 × 5000 km, answered as clusters: README "Boxes of any size") draws
// circles whose counts add up to the lots the API reports for the same box, with the totals and
// the note saying the figures are grouped. The local server runs the cluster rebuild at start.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { type LocalServer, startLocalServer } from '../../shared/local/server';
import { DESKTOP, hasChromium, launchChromium, openChecked, PHONE, SCREENSHOTS, watch } from './support';

const ADMIN = 'e2e-hours-clusters-admin-key-0123456789';
const HERE = { latitude: 52.4797, longitude: -1.9026 };

interface ClusterAnswer {
  lots: unknown[];
  clusters?: { lots: number; capacity: number; free: number }[];
  clustersAsOf?: string | null;
}

/** "HH:MM" on the wall clock of `timeZone` at `ms`. */
function wallClock(ms: number, timeZone: string): { text: string; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    text: `${get('hour')}:${get('minute')}`,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

describe.runIf(hasChromium)('opening hours and clusters on the pages in Chromium', () => {
  let dataDir: string;
  let server: LocalServer;
  let browser: Browser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-e2e-hours-'));
    server = await startLocalServer(
      loadConfig({ DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'true', ADMIN_API_KEY: ADMIN }),
    );
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const staff = async (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    });

  it('says when a lot closes, at the time the API sends, in the lot’s zone', async () => {
    const res = await fetch(`${server.url}/v1/lots/nearby?lat=${HERE.latitude}&lon=${HERE.longitude}`);
    expect(res.status).toBe(200);
    const [lot] = ((await res.json()) as { lots: { id: string; timeZone: string }[] }).lots;
    if (!lot) throw new Error('the demo city has no lot near the search point');
    // Hours that end within the next two hours of the lot's clock (and began before now): from
    // midnight to now + 2 h, or, where that passes midnight, from an hour ago to midnight.
    const now = wallClock(Date.now(), lot.timeZone).minutes;
    const hours =
      now + 120 < 1440 ? `Mo-Su 00:00-${hhmm(now + 120)}` : `Mo-Su ${hhmm(Math.max(0, now - 60))}-24:00`;
    const patched = await staff(`/v1/lots/${encodeURIComponent(lot.id)}`, {
      method: 'PATCH',
      body: JSON.stringify({ openingHours: hours }),
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    const one = (await (await staff(`/v1/lots/${encodeURIComponent(lot.id)}`)).json()) as {
      closesAt: string | null;
      status: string;
    };
    expect(one.status).not.toBe('closed');
    expect(one.closesAt).not.toBeNull();
    const closes = wallClock(Date.parse(one.closesAt as string), lot.timeZone).text;

    const context = await browser.newContext({
      viewport: PHONE,
      geolocation: HERE,
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    const { problems } = watch(page, server.url);
    await openChecked(page, server.url, problems);
    await page.getByRole('button', { name: 'Use my location' }).click();
    const item = page.locator(`#lots li[data-id="${lot.id}"]`);
    await item.locator('.hours').waitFor();
    expect(await item.locator('.hours').textContent()).toBe(`closes at ${closes}`);
    await page.screenshot({ path: `${SCREENSHOTS}/driver-closes-at.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();

    // The Chinese page says the same time in its own words.
    const zh = await browser.newContext({ viewport: PHONE, geolocation: HERE, permissions: ['geolocation'] });
    const zhPage = await zh.newPage();
    const zhWatch = watch(zhPage, server.url);
    await openChecked(zhPage, `${server.url}/?lang=zh-CN`, zhWatch.problems);
    await zhPage.locator('#locate').click();
    const zhItem = zhPage.locator(`#lots li[data-id="${lot.id}"] .hours`);
    await zhItem.waitFor();
    expect(await zhItem.textContent()).toBe(`营业至 ${closes}`);
    expect(zhWatch.problems).toEqual([]);
    await zh.close();
  }, 60_000);

  it('draws the largest area as clusters whose counts add up to the lots the API reports', async () => {
    // The rebuild runs once at start: wait for its first build (a world box answers clusters then).
    const deadline = Date.now() + 30_000;
    for (;;) {
      const world = (await (await staff('/v1/lots?bbox=-180,-90,180,90')).json()) as ClusterAnswer;
      if (world.clustersAsOf) break;
      if (Date.now() > deadline) throw new Error('no cluster build within 30 s of the start');
      await new Promise((r) => setTimeout(r, 250));
    }
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const { problems, requests } = watch(page, server.url);
    await openChecked(page, `${server.url}/dashboard`, problems);
    await page.getByLabel('Staff key').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#city-note').filter({ hasText: 'lots within' }).waitFor();
    await page.locator('#half').selectOption('2500');
    await page.getByRole('button', { name: 'Show lots' }).click();
    await page.locator('#city-note').filter({ hasText: 'grouped into' }).waitFor();

    const bboxUrl = requests.filter((u) => u.includes('/v1/lots?bbox=')).at(-1)!;
    const url = new URL(bboxUrl);
    const answer = (await (await staff(url.pathname + url.search)).json()) as ClusterAnswer;
    expect(answer.lots).toEqual([]);
    const clusters = answer.clusters ?? [];
    expect(clusters.length).toBeGreaterThan(0);
    const apiLots = clusters.reduce((s, c) => s + c.lots, 0);
    expect(apiLots).toBeGreaterThan(100);

    const drawn = await page.locator('#map g.cluster').evaluateAll((gs) =>
      gs.map((g) => ({
        lots: Number(g.getAttribute('data-lots')),
        label: g.querySelector('text')?.textContent,
      })),
    );
    expect(drawn.length).toBe(clusters.length);
    expect(drawn.reduce((s, c) => s + c.lots, 0)).toBe(apiLots);
    for (const c of drawn) expect(c.label).toBe(c.lots.toLocaleString('en-GB'));
    // The totals tiles: lots, capacity and free added up from the clusters; no lot rows.
    const tiles = await page.locator('#totals .tile b').allTextContents();
    const fmt = (n: number) => n.toLocaleString('en-GB');
    expect(tiles).toEqual([
      fmt(apiLots),
      fmt(clusters.reduce((s, c) => s + c.capacity, 0)),
      fmt(clusters.reduce((s, c) => s + c.free, 0)),
    ]);
    expect(await page.locator('#lots-table tbody tr').count()).toBe(0);
    // The legend says what a circle's size means here: its lots, not a lot's capacity.
    expect(await page.locator('#legend-size').textContent()).toContain('lots in the group');
    expect(await page.locator('#lots-table').isHidden()).toBe(true);
    expect(await page.locator('#city-note').textContent()).toContain(`${fmt(apiLots)} lots within`);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-clusters.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
