// The driver's page in a real browser (Debian's Chromium via playwright-core) against the real
// local server with the demo city: it finds the right lots in the right order for a mocked
// location, follows its filters (the arrival time from the keyboard too), shows its states (no car parks, location denied, service
// unreachable), refreshes on its own, and talks to nothing but the local host.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { type LocalServer, startLocalServer } from '../../shared/local/server';
import {
  DESKTOP,
  describeFigures,
  hasChromium,
  launchChromium,
  openChecked,
  PHONE,
  pageFigures,
  SCREENSHOTS,
  watch,
} from './support';

interface NearbyLot {
  id: string;
  name: string;
  free: number;
  features: string[];
}

describe.runIf(hasChromium)('driver page in Chromium', () => {
  let dataDir: string;
  let server: LocalServer;
  let browser: Browser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-e2e-'));
    server = await startLocalServer(loadConfig({ DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'true' }));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function openPage(
    options: {
      geolocation?: { latitude: number; longitude: number };
      viewport?: { width: number; height: number };
      clock?: boolean;
    } = {},
  ) {
    const context = await browser.newContext({
      viewport: options.viewport ?? PHONE,
      ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
    });
    const page = await context.newPage();
    const watched = watch(page, server.url);
    if (options.clock) await page.clock.install();
    await openChecked(page, server.url, watched.problems);
    return { page, context, ...watched };
  }

  async function nearby(query: string): Promise<NearbyLot[]> {
    const res = await fetch(`${server.url}/v1/lots/nearby?${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { lots: NearbyLot[] }).lots;
  }

  const shownIds = (page: Page) =>
    page.locator('#lots li').evaluateAll((items) => items.map((li) => li.getAttribute('data-id')));
  const status = (page: Page, text: string | RegExp) =>
    page.getByRole('status').filter({ hasText: text }).waitFor();

  it('lists the nearest lots with free spaces in the API’s order, from the browser’s location', async () => {
    const { page, context, problems } = await openPage({
      geolocation: { latitude: 52.4797, longitude: -1.9026 },
    });
    await page.getByRole('button', { name: 'Use my location' }).click();
    await status(page, 'nearest first');
    const shown = await shownIds(page);
    const api = await nearby('lat=52.47970&lon=-1.90260&radius=1000&minFree=1&limit=20');
    expect(shown.length).toBeGreaterThan(3);
    expect(shown).toEqual(api.map((l) => l.id));
    expect(await page.locator('#lots li .name').allTextContents()).toEqual(api.map((l) => l.name));
    // The plot has one numbered marker per lot, numbered as the list.
    const marks = await page
      .locator('#plot .m')
      .evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-n'))).sort((a, b) => a - b));
    expect(marks).toEqual(api.map((_, i) => i + 1));
    // Status in words, not colour alone; free spaces and data age in the text.
    const first = page.locator('#lots li').first();
    await expect(first.locator('.badge').textContent()).resolves.toBe('Free spaces');
    await expect(first.locator('.free').textContent()).resolves.toContain(`${api[0]!.free}`);
    await expect(first.locator('.meta').textContent()).resolves.toMatch(/away · .* updated .* ago/);

    const html = await (await fetch(server.url)).text();
    console.log(describeFigures('driver page (phone)', await pageFigures(page, html), 'parking:results'));
    await page.screenshot({ path: `${SCREENSHOTS}/driver-phone.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows its filters: radius, minimum free spaces, features and old data (desktop)', async () => {
    const { page, context, problems } = await openPage({ viewport: DESKTOP });
    await page.getByRole('button', { name: 'Birmingham city centre' }).click();
    await status(page, 'nearest first');
    await page.locator('#radius').selectOption('2000');
    await status(page, 'within 2 km');
    await page.locator('#minFree').selectOption('10');
    await status(page, 'at least 10 free spaces');
    await page.getByLabel('EV charging').check();
    await status(page, 'and EV charging');
    const api = await nearby('lat=52.47970&lon=-1.90260&radius=2000&minFree=10&limit=20&features=ev');
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((l) => l.features.includes('ev') && l.free >= 10)).toBe(true);
    expect(await shownIds(page)).toEqual(api.map((l) => l.id));
    await page.getByLabel('EV charging').uncheck();
    await page.getByLabel('Include car parks with old data').check();
    await page.waitForResponse((r) => r.url().includes('includeStale=true'));
    await status(page, 'nearest first');
    const withStale = await nearby(
      'lat=52.47970&lon=-1.90260&radius=2000&minFree=10&limit=20&includeStale=true',
    );
    expect(await shownIds(page)).toEqual(withStale.map((l) => l.id));
    await page.screenshot({ path: `${SCREENSHOTS}/driver-desktop.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when no car park is nearby, and offers a wider search', async () => {
    const { page, context, problems } = await openPage();
    await page.getByText('Or type a point', { exact: true }).click();
    await page.getByLabel('Latitude').fill('52.3');
    await page.getByLabel('Longitude').fill('-2.4');
    await page.getByRole('button', { name: 'Search here' }).click();
    await status(page, 'No car park with free spaces within 1 km');
    await expect(page.locator('#results').isHidden()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Search within 2 km' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/driver-no-lots.png` });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when location access is denied', async () => {
    const { page, context, problems } = await openPage();
    await page.getByRole('button', { name: 'Use my location' }).click();
    await status(page, 'Location access was denied');
    await page.screenshot({ path: `${SCREENSHOTS}/driver-denied.png` });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when the service cannot be reached, keeps the last list, and recovers', async () => {
    const { page, context, unexpected } = await openPage();
    await page.getByRole('button', { name: 'Birmingham city centre' }).click();
    await status(page, 'nearest first');
    const before = await shownIds(page);
    await page.route('**/v1/**', (route) => route.abort('connectionrefused'));
    await page.locator('#radius').selectOption('500');
    await status(page, 'cannot be reached');
    expect(await shownIds(page)).toEqual(before); // the last answer stays, marked as outdated
    await expect(page.locator('#results').getAttribute('class')).resolves.toContain('outdated');
    await page.screenshot({ path: `${SCREENSHOTS}/driver-unreachable.png` });
    await page.unroute('**/v1/**');
    await page.getByRole('button', { name: 'Try again' }).click();
    await status(page, 'within 500 m');
    expect(unexpected(/ERR_CONNECTION_REFUSED/)).toEqual([]);
    await context.close();
  });

  it('refreshes every 30 seconds on its own', async () => {
    const { page, context, problems } = await openPage({ clock: true });
    await page.getByRole('button', { name: 'Birmingham city centre' }).click();
    await status(page, 'nearest first');
    const next = page.waitForRequest((r) => r.url().includes('/v1/lots/nearby'));
    await page.clock.fastForward(30_000);
    await next;
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works from the keyboard and labels every control', async () => {
    const { page, context, problems } = await openPage();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, button')]
        .filter((e) => {
          const labels = (e as HTMLInputElement).labels;
          return !(labels && labels.length > 0) && !e.getAttribute('aria-label') && !e.textContent?.trim();
        })
        .map((e) => e.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    const focused = async () => page.evaluate(() => document.activeElement?.textContent?.trim());
    await page.keyboard.press('Tab'); // skip link
    expect(await focused()).toBe('Skip to the results');
    for (const _ of ['Staff dashboard', 'API', '中文', 'Use my location', 'Birmingham city centre'])
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('Birmingham city centre');
    await page.keyboard.press('Enter');
    await status(page, 'nearest first');
    // Then "Or type a point", then the arrival choice: a labelled select, changed by its arrow keys.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Or type a point');
    await page.keyboard.press('Tab');
    const arrive = await page.evaluate(() => {
      const e = document.activeElement as HTMLSelectElement;
      return { id: e.id, label: e.labels?.[0]?.firstChild?.textContent?.trim(), value: e.value };
    });
    expect(arrive).toEqual({ id: 'arrive', label: 'Arriving', value: '0' });
    const asked = page.waitForRequest(
      (r) => r.url().includes('/v1/lots/nearby') && r.url().includes('arriveAt='),
    );
    await page.keyboard.press('ArrowDown');
    await asked;
    await status(page, 'forecast for arriving at');
    expect(await page.locator('#arrive').inputValue()).toBe('15');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('serves the page with a content security policy that allows only the local host', async () => {
    const res = await fetch(server.url);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers.get('permissions-policy')).toContain('geolocation=(self)');
    const again = await fetch(server.url, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});
