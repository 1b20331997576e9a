// The API docs page in a real browser (Debian's Chromium via playwright-core) against the real
// local server: it lists every operation of the service's own OpenAPI document, "Try it" calls a
// route with the parameters and the key typed in (the key only in the Authorization header), and
// the page runs under its content security policy with no violation (Chromium reports each one as
// a console error, which the watch below fails on).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { type LocalServer, startLocalServer } from '../../shared/local/server';
import {
  DESKTOP,
  describeFigures,
  hasChromium,
  launchChromium,
  openChecked,
  pageFigures,
  SCREENSHOTS,
  watch,
} from './support';

const ADMIN = 'e2e-docs-admin-key-0123456789abcdef';

describe.runIf(hasChromium)('API docs page in Chromium', () => {
  let dataDir: string;
  let server: LocalServer;
  let browser: Browser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-e2e-docs-'));
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

  it('lists every operation of /openapi.json and tries routes with parameters and the key', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const { problems, requests } = watch(page, server.url);
    await openChecked(page, `${server.url}/docs`, problems);

    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(operations.length).toBeGreaterThan(10);
    const summaries = page.locator('#ops > details > summary');
    await summaries.nth(operations.length - 1).waitFor();
    const shown = await summaries.evaluateAll((items) =>
      items.map((s) => `${s.querySelector('.m')?.textContent} ${s.querySelector('code')?.textContent}`),
    );
    expect(shown).toEqual(operations);

    // A public route with a path parameter: the lot's JSON.
    const lots = (await (await fetch(`${server.url}/v1/lots?bbox=-1.95,52.45,-1.85,52.51`)).json()) as {
      lots: { id: string; name: string }[];
    };
    const lot = lots.lots[0]!;
    const getLot = page.locator('#ops > details').nth(operations.indexOf('get /v1/lots/{id}'));
    await getLot.locator('summary').click();
    await getLot.getByLabel('path id').fill(lot.id);
    await getLot.getByRole('button', { name: 'Try it' }).click();
    await getLot.locator('pre').filter({ hasText: /^200 / }).waitFor();
    expect(await getLot.locator('pre').textContent()).toContain(`"name":"${lot.name}"`);

    // A staff route: 401 without the key, 200 with it, and the key never in a URL.
    const health = page.locator('#ops > details').nth(operations.indexOf('get /v1/reports/health'));
    await health.locator('summary').click();
    await health.getByRole('button', { name: 'Try it' }).click();
    await health.locator('pre').filter({ hasText: /^401 / }).waitFor();
    await page.getByLabel(/^API key/).fill(ADMIN);
    await health.getByRole('button', { name: 'Try it' }).click();
    await health.locator('pre').filter({ hasText: /^200 / }).waitFor();
    expect(requests.filter((u) => u.includes(ADMIN))).toEqual([]);

    const html = await (await fetch(`${server.url}/docs`)).text();
    console.log(describeFigures('docs (desktop)', await pageFigures(page, html), 'parking:docs'));
    await page.screenshot({ path: `${SCREENSHOTS}/docs.png`, fullPage: true });
    // Chromium logs the 401 answer itself as a console error; nothing else may appear.
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await context.close();
  });
});
