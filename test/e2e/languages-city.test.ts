// The pages in a Hangzhou deployment, in a real browser (Debian's Chromium via playwright-core)
// against the real local server seeded with DEMO_CITY=hangzhou and its city from configuration
// (CITY_NAME, CITY_NAME_ZH, CITY_CENTER): English and Simplified Chinese by ?lang=, by the
// browser's language and by the switch; the nearest lots found on load when the browser has
// already granted its location; AMap directions in GCJ-02 on the Chinese page; never Birmingham.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gcoord from 'gcoord';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { metresBetween } from '../../shared/geo';
import { type LocalServer, startLocalServer } from '../../shared/local/server';
import { DESKTOP, hasChromium, launchChromium, openChecked, PHONE, SCREENSHOTS, watch } from './support';

const ADMIN = 'e2e-languages-admin-key-0123456789';
const CENTRE = { lat: 30.2741, lon: 120.1551 }; // CITY_CENTER below, on purpose not the demo's own
const WULIN = { latitude: 30.2722, longitude: 120.1653 };

interface NearbyLot {
  id: string;
  name: string;
  location: { lat: number; lon: number };
}

describe.runIf(hasChromium)('a Hangzhou deployment in Chromium: languages, city, auto-locate', () => {
  let dataDir: string;
  let server: LocalServer;
  let browser: Browser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-e2e-lang-'));
    server = await startLocalServer(
      loadConfig({
        DATA_DIR: dataDir,
        PORT: '0',
        SEED_DEMO: 'true',
        DEMO_CITY: 'hangzhou',
        CITY_NAME: 'Greater Hangzhou',
        CITY_NAME_ZH: '大杭州',
        CITY_CENTER: `${CENTRE.lat},${CENTRE.lon}`,
        ADMIN_API_KEY: ADMIN,
      }),
    );
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function open(path: string, options: BrowserContextOptions = {}) {
    const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB', ...options });
    const page = await context.newPage();
    const watched = watch(page, server.url);
    await openChecked(page, `${server.url}${path}`, watched.problems);
    return { page, context, ...watched };
  }

  async function nearby(lat: number, lon: number): Promise<NearbyLot[]> {
    const res = await fetch(
      `${server.url}/v1/lots/nearby?lat=${lat.toFixed(5)}&lon=${lon.toFixed(5)}&limit=20`,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { lots: NearbyLot[] }).lots;
  }

  const status = (page: Page, text: string | RegExp) =>
    page.getByRole('status').filter({ hasText: text }).waitFor();
  const shownIds = (page: Page) =>
    page.locator('#lots li').evaluateAll((items) => items.map((li) => li.getAttribute('data-id')));
  const nearbyRequests = (requests: string[]) => requests.filter((u) => u.includes('/v1/lots/nearby'));
  const bodyText = (page: Page) => page.evaluate(() => document.body.innerText);

  it('finds the nearest lots on load, without a click, when location is already granted', async () => {
    const { page, context, problems } = await open('/', {
      geolocation: WULIN,
      permissions: ['geolocation'],
    });
    await status(page, 'nearest first');
    const api = await nearby(WULIN.latitude, WULIN.longitude);
    expect(api.length).toBeGreaterThan(3);
    expect(await shownIds(page)).toEqual(api.map((l) => l.id));
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/of your location/);
    // The city is the configured one, in English; Birmingham is nowhere.
    await expect(page.locator('#centre').textContent()).resolves.toBe('Greater Hangzhou city centre');
    expect(await bodyText(page)).not.toMatch(/Birmingham/);
    expect(await page.locator('#lat').getAttribute('placeholder')).toBe(CENTRE.lat.toFixed(4));
    // English pages keep the phone's own maps app (geo: URI, WGS-84).
    const href = await page.locator('#lots li .meta a').first().getAttribute('href');
    expect(href).toBe(
      `geo:${api[0]!.location.lat},${api[0]!.location.lon}?q=${api[0]!.location.lat},${api[0]!.location.lon}`,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/driver-hangzhou-auto.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks as before when location is not granted yet, and finds on load once it is', async () => {
    const { page, context, problems, requests } = await open('/', { geolocation: WULIN });
    // Wait until the page has asked the Permissions API too (it answers "prompt": nothing granted).
    expect(
      await page.evaluate(async () => (await navigator.permissions.query({ name: 'geolocation' })).state),
    ).toBe('prompt');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    expect(nearbyRequests(requests)).toEqual([]);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/^Choose where to search/);
    await context.grantPermissions(['geolocation']);
    await page.reload();
    await status(page, 'nearest first');
    expect(nearbyRequests(requests).length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('?lang=zh-CN: Chinese words, Chinese numbers and AMap directions in GCJ-02', async () => {
    const { page, context, problems } = await open('/?lang=zh-CN');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expect(page.getByRole('button', { name: '使用我的位置' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: '大杭州市中心' }).click();
    await status(page, '由近到远');
    const api = await nearby(CENTRE.lat, CENTRE.lon);
    expect(await shownIds(page)).toEqual(api.map((l) => l.id));
    expect(await page.locator('#lots li .name').allTextContents()).toEqual(api.map((l) => l.name));
    expect(api.every((l) => /\p{Script=Han}/u.test(l.name))).toBe(true);
    // Distances and ages as Intl writes them for zh-CN.
    const meta = await page.locator('#lots li .meta').first().textContent();
    expect(meta).toMatch(/距离 [\d.,]+\s?(米|公里)/);
    expect(meta).toMatch(/更新于.*前/);
    await expect(page.locator('#radius option:checked').textContent()).resolves.toMatch(/^1\s?公里$/);
    // Each lot's directions open AMap at the lot converted WGS-84 → GCJ-02 (hundreds of metres off here).
    const links = await page
      .locator('#lots li .meta a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toHaveLength(api.length);
    links.forEach((href, i) => {
      const url = new URL(href!);
      expect(url.origin + url.pathname).toBe('https://uri.amap.com/navigation');
      const [lon, lat] = url.searchParams.get('to')!.split(',').map(Number);
      const lot = api[i]!.location;
      const [gcjLon, gcjLat] = gcoord.transform([lot.lon, lot.lat], gcoord.WGS84, gcoord.GCJ02);
      expect(metresBetween({ lat: lat!, lon: lon! }, { lat: gcjLat, lon: gcjLon })).toBeLessThan(0.5);
      expect(metresBetween({ lat: lat!, lon: lon! }, lot)).toBeGreaterThan(300);
    });
    await expect(page.locator('#lots li .meta a').first().textContent()).resolves.toBe('导航（高德地图）');
    const text = await bodyText(page);
    expect(text).not.toMatch(/Birmingham|伯明翰|car park|nearest first/);
    await expect(page.locator('#lang-switch').textContent()).resolves.toBe('English');
    await page.screenshot({ path: `${SCREENSHOTS}/driver-zh-CN.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows the browser’s language (Accept-Language zh-CN) and finds on load in Chinese', async () => {
    const { page, context, problems } = await open('/', {
      locale: 'zh-CN',
      geolocation: WULIN,
      permissions: ['geolocation'],
    });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await status(page, '由近到远');
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/你的位置/);
    const href = await page.locator('#lots li .meta a').first().getAttribute('href');
    expect(href).toMatch(/^https:\/\/uri\.amap\.com\/navigation\?/);
    await expect(page.locator('h1').textContent()).resolves.toBe('停车查找');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches language with the link, and keeps it on the way to the dashboard', async () => {
    const { page, context, problems } = await open('/');
    await page.getByRole('link', { name: '中文' }).click();
    await page.waitForURL(/\?lang=zh-CN$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('停车查找');
    await page.getByRole('link', { name: '工作人员面板' }).click();
    await page.waitForURL(/\/dashboard\?lang=zh-CN$/);
    await expect(page.getByRole('button', { name: '登录' }).isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/dashboard\?lang=en$/);
    await expect(page.getByRole('button', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the dashboard in Chinese, centred on the configured city', async () => {
    const { page, context, problems } = await open('/dashboard', { locale: 'zh-CN', viewport: DESKTOP });
    await page.getByLabel('工作人员密钥').fill(ADMIN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#city-note').filter({ hasText: '个停车场' }).waitFor();
    await expect(page.locator('#tagline').textContent()).resolves.toContain('大杭州');
    expect(await page.locator('#clat').inputValue()).toBe(String(CENTRE.lat));
    expect(await page.locator('#clon').inputValue()).toBe(String(CENTRE.lon));
    const rows = await page.locator('#lots-table tbody tr').count();
    expect(rows).toBe(120);
    const badges = new Set(await page.locator('#lots-table .badge').allTextContents());
    expect([...badges].every((b) => /\p{Script=Han}/u.test(b))).toBe(true);
    await expect(page.locator('#half option:checked').textContent()).resolves.toMatch(
      /^20\s?公里 × 20\s?公里$/,
    );
    await page.locator('#health-title').filter({ hasText: '数据健康：' }).waitFor();
    expect(await bodyText(page)).not.toMatch(/Birmingham|伯明翰/);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-zh-CN.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});
