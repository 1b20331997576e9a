// The driver's page in a real browser (Debian's Chromium via playwright-core) against the real
// local server: it finds the right lots in the right order, shows its error states, and talks to
// nothing but the local host.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { type LocalServer, startLocalServer } from '../../shared/local/server';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI === 'true')
    throw new Error('CI must run the browser tests, but /usr/bin/chromium is missing');
  console.warn(
    '[tests] /usr/bin/chromium not found: the browser tests are skipped (apt-get install chromium)',
  );
}
const SCREENSHOTS = 'test-results/screenshots';

describe.runIf(hasChromium)('driver page in Chromium', () => {
  let dataDir: string;
  let server: LocalServer;
  let browser: Browser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-e2e-'));
    server = await startLocalServer(loadConfig({ DATA_DIR: dataDir, PORT: '0' }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function openPage(options: { geolocation?: { latitude: number; longitude: number } } = {}) {
    const context = await browser.newContext({
      viewport: { width: 412, height: 915 }, // a phone
      ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
    });
    const page = await context.newPage();
    const problems: string[] = [];
    const origin = new URL(server.url).origin;
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(origin)) problems.push(`left the local host: ${r.url()}`);
    });
    const started = Date.now();
    await page.goto(server.url);
    return { page, context, problems, firstRenderMs: Date.now() - started };
  }

  it('lists the nearest lots with free spaces in the API’s order, from the browser’s location', async () => {
    const { page, context, problems, firstRenderMs } = await openPage({
      geolocation: { latitude: 52.4797, longitude: -1.9026 },
    });
    await page.getByRole('button', { name: 'Use my location' }).click();
    await page.getByRole('status').filter({ hasText: 'nearest first' }).waitFor();
    const shown = await page.locator('#lots li .name').allTextContents();
    const api = await (
      await fetch(`${server.url}/v1/lots/nearby?lat=52.47970&lon=-1.90260&radius=1000&minFree=1&limit=20`)
    ).json();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(api.lots.map((l: { name: string }) => l.name));
    expect(await page.locator('#plot circle').count()).toBe(shown.length + 2); // + radius ring + origin
    const html = await (await fetch(server.url)).text();
    console.log(`[e2e] driver page: ${Buffer.byteLength(html)} bytes, first render ${firstRenderMs} ms`);
    await page.screenshot({ path: `${SCREENSHOTS}/driver.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when location access is denied', async () => {
    const { page, context, problems } = await openPage();
    await page.getByRole('button', { name: 'Use my location' }).click();
    await page.getByRole('status').filter({ hasText: 'Location access was denied' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/driver-denied.png` });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when the service cannot be reached', async () => {
    const { page, context } = await openPage();
    await page.route('**/v1/**', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Birmingham city centre' }).click();
    await page.getByRole('status').filter({ hasText: 'cannot be reached' }).waitFor();
    await context.close();
  });
});
