// The staff dashboard in a real browser (Debian's Chromium via playwright-core) against the real
// local server: the demo city plus a slice of the Birmingham data set replayed through the API with
// the project's replay tool (or, where the handbook's data is absent, a day of counts posted for
// one demo lot). Checks that a wrong key shows an error, and that with the staff key the page shows
// every lot (stale ones flagged), a utilization chart and heatmap with the API's figures (and the lot's forecast view), a working
// CSV download, the health list and the feed sources' status; the key stays in session storage and out of every URL.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
  PHONE,
  pageFigures,
  SCREENSHOTS,
  watch,
} from './support';

const ADMIN = 'e2e-dashboard-admin-key-0123456789';
const BIRMINGHAM = '../shared/data/birmingham';
const READINGS = `${BIRMINGHAM}/birmingham-parking-shared.csv`;
const METADATA = `${BIRMINGHAM}/birmingham-carparks-metadata-2017-04-28.csv`;
const hasBirmingham = existsSync(READINGS) && existsSync(METADATA);

interface Row {
  start: string;
  utilization: number | null;
  coverage: number;
}

describe.runIf(hasChromium)('staff dashboard in Chromium', () => {
  let dataDir: string;
  let server: LocalServer;
  let browser: Browser;
  // What the utilization view is checked on: a replayed Birmingham car park, or a demo lot.
  let report: { lotId: string; name: string; from: string; last: string };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-e2e-dash-'));
    server = await startLocalServer(
      loadConfig({
        DATA_DIR: dataDir,
        PORT: '0',
        SEED_DEMO: 'true',
        ADMIN_API_KEY: ADMIN,
        ALLOW_PRIVATE_SOURCES: 'true',
      }),
    );
    // A feed source whose feed does not answer (nothing listens on port 9 here): the panel shows its error.
    const source = await fetch(`${server.url}/v1/sources/city-feed`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        format: 'datex2-light',
        url: 'http://127.0.0.1:9/feed.json',
        intervalSeconds: 3600,
        lotIdPrefix: 'feed-',
        zone: 'feeds',
        timeZone: 'Europe/London',
      }),
    });
    expect(source.status).toBe(201);
    if (hasBirmingham) {
      // The first 1,500 readings (4–8 October 2016) through the API, as `npm run replay` does.
      const started = Date.now();
      const { stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/replay.ts', READINGS, '--lots', METADATA, '--limit', '1500'],
        { env: { ...process.env, PARKING_URL: server.url, PARKING_API_KEY: ADMIN }, timeout: 120_000 },
      );
      const summary = stderr.trim().split('\n').at(-1);
      console.log(`[e2e] replayed a Birmingham slice in ${Date.now() - started} ms: ${summary}`);
      report = { lotId: 'bhmbccmkt01', name: 'Markets', from: '2016-10-04', last: '2016-10-07' };
    } else {
      console.warn(`[e2e] ${BIRMINGHAM} not found: the dashboard is checked on counts posted for a demo lot`);
      report = await postDemoDay(server.url);
    }
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const staff = async (path: string, accept = 'application/json') => {
    const res = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${ADMIN}`, accept },
    });
    expect(res.status, path).toBe(200);
    return res;
  };

  async function openDashboard(viewport = DESKTOP) {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    const watched = watch(page, server.url);
    await openChecked(page, `${server.url}/dashboard`, watched.problems);
    return { page, context, ...watched };
  }

  it('shows an error, not a blank page, for a wrong key', async () => {
    const { page, context, unexpected } = await openDashboard(PHONE);
    await page.getByLabel('Staff key').fill('pf_nobody.not-a-real-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: '401' }).waitFor();
    expect(await alert.textContent()).toContain('did not accept this staff key');
    await expect(page.getByLabel('Staff key').isVisible()).resolves.toBe(true);
    await expect(page.locator('#app').isHidden()).resolves.toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-wrong-key.png`, fullPage: true });
    // Chromium logs the 401 answer itself as a console error; nothing else may appear.
    expect(unexpected(/status of 401/)).toEqual([]);
    await context.close();
  });

  it('with the staff key: every lot, utilization and heatmap of real data, CSV download, health', async () => {
    const { page, context, problems, requests, unexpected } = await openDashboard();
    await page.getByLabel('Staff key').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#city-note').filter({ hasText: 'lots within' }).waitFor();

    // City view: the lots the API has in the page's box, each once in the table and on the map.
    const bboxUrl = requests.find((u) => u.includes('/v1/lots?bbox='))!;
    const inBox = (await (await staff(new URL(bboxUrl).pathname + new URL(bboxUrl).search)).json()) as {
      lots: { id: string; status: string }[];
    };
    const ids = inBox.lots.map((l) => l.id).sort();
    expect(ids.length).toBeGreaterThan(100);
    const rowIds = await page
      .locator('#lots-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(rowIds.sort()).toEqual(ids);
    const dots = await page
      .locator('#map circle.lot')
      .evaluateAll((cs) => cs.map((c) => [c.getAttribute('data-id'), c.getAttribute('stroke-dasharray')]));
    expect(dots.map(([id]) => id).sort()).toEqual(ids);
    const stale = inBox.lots.filter((l) => l.status === 'stale').map((l) => l.id);
    expect(stale.length).toBeGreaterThan(0);
    expect(
      dots
        .filter(([, dash]) => dash !== null)
        .map(([id]) => id)
        .sort(),
    ).toEqual(stale.sort());
    const cityFigures = await pageFigures(page, await (await fetch(`${server.url}/dashboard`)).text());

    // The key: in this tab's session storage only, never in a URL.
    expect(await page.evaluate(() => sessionStorage.getItem('parking.staffKey'))).toBe(ADMIN);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(requests.filter((u) => u.includes(ADMIN) || u.includes(encodeURIComponent(ADMIN)))).toEqual([]);
    expect(page.url()).toBe(`${server.url}/dashboard`);

    // Utilization of one lot by the hour, from the replayed data.
    await page.getByLabel('one lot').check();
    await page.locator('#lot').selectOption(report.lotId);
    await page.getByLabel('From').fill(report.from);
    await page.getByLabel('To (inclusive)').fill(report.last);
    await page.getByLabel('Buckets').selectOption('hour');
    const loaded = page.waitForResponse((r) => r.url().includes('/v1/reports/heatmap'));
    const forecast = page.waitForResponse((r) => r.url().includes(`/v1/lots/${report.lotId}/forecast`));
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await loaded;
    // The lot's forecast beside it: drawn, or (the replayed history ends in 2016 and waits for the
    // job's first rollup refresh: a 503 with Retry-After, README "Forecasts") the reason in words.
    const forecastAnswer = await forecast;
    const forecastStatus = forecastAnswer.status();
    if (forecastStatus === 503) {
      const retryAfter = Number(forecastAnswer.headers()['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      await page
        .locator('#forecast-note')
        .filter({ hasText: `is not ready yet` })
        .filter({ hasText: `asking again in ${Math.max(10, retryAfter)} s` })
        .waitFor();
      await expect(page.locator('#forecast-figure').isHidden()).resolves.toBe(true);
    } else {
      expect(forecastStatus).toBe(200);
      await page.locator('#fchart circle.pt').first().waitFor();
    }
    await page.locator('#util-summary').filter({ hasText: report.name }).waitFor();
    const query = `from=${report.from}&to=${nextDay(report.last)}&lotId=${report.lotId}`;
    const util = (await (await staff(`/v1/reports/utilization?${query}&bucket=hour`)).json()) as {
      rows: Row[];
    };
    const withData = util.rows.filter((r) => r.utilization !== null);
    expect(withData.length).toBeGreaterThan(10);
    const bars = await page
      .locator('#chart rect.bar')
      .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-start')));
    expect(bars).toEqual(withData.map((r) => r.start));
    const cells = await page
      .locator('#util-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
      );
    expect(cells).toEqual(
      util.rows.map((r) => [
        r.start.slice(0, 16).replace('T', ' '),
        r.utilization === null ? '–' : `${(r.utilization * 100).toFixed(1)}%`,
      ]),
    );
    expect(await page.locator('#util-summary').textContent()).toMatch(/mean utilization \d+\.\d%/);
    await expect(page.locator('#util-note').textContent()).resolves.toBe('');

    // The weekday × hour heatmap of the same lot and range.
    const heat = (await (await staff(`/v1/reports/heatmap?${query}`)).json()) as {
      cells: { weekday: number; hour: number; utilization: number | null }[];
    };
    const shownCells = await page
      .locator('#heatmap tbody td')
      .evaluateAll((tds) => tds.map((td) => td.getAttribute('data-u')));
    expect(shownCells).toHaveLength(168);
    const expected = [...heat.cells]
      .sort((a, b) => a.weekday - b.weekday || a.hour - b.hour)
      .map((c) => (c.utilization === null ? '' : String(c.utilization)));
    expect(shownCells).toEqual(expected);
    expect(shownCells.filter((u) => u !== '').length).toBeGreaterThan(10);

    // The CSV download: the same bytes the API gives for Accept: text/csv.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(download.suggestedFilename()).toBe(
      `utilization-${report.lotId}-${report.from}-to-${report.last}-hour.csv`,
    );
    expect(csv).toBe(await (await staff(`/v1/reports/utilization?${query}&bucket=hour`, 'text/csv')).text());
    expect(csv.split('\r\n')[0]).toMatch(/^lotId,start,end,/);
    await page.locator('#util-note').filter({ hasText: 'Downloaded the CSV' }).waitFor();

    // Health: the API's stale and never-observed lots.
    const health = (await (await staff('/v1/reports/health')).json()) as { lots: { id: string }[] };
    await expect(
      page
        .locator('#health-table tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id'))),
    ).resolves.toEqual(health.lots.map((l) => l.id));
    await expect(page.locator('#health-title').textContent()).resolves.toContain(
      `${health.lots.length} lots`,
    );

    // Feed sources: the one source, with its last error.
    await expect(
      page
        .locator('#sources-table tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id'))),
    ).resolves.toEqual(['city-feed']);
    await expect(page.locator('#sources-table tbody tr').textContent()).resolves.toMatch(/unreachable/);
    await page.locator('#sources-note').filter({ hasText: '1 of 1 failed' }).waitFor();

    await page.screenshot({ path: `${SCREENSHOTS}/dashboard.png`, fullPage: true });
    console.log(describeFigures('dashboard (desktop)', cityFigures, 'parking:city'));

    // A zone view works too, by the day.
    await page.getByLabel('a zone').check();
    await page.locator('#zone').selectOption('city-centre');
    await page.getByLabel('Buckets').selectOption('day');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.locator('#util-summary').filter({ hasText: 'zone city-centre, daily' }).waitFor();

    // A reload keeps the session; signing out forgets the key.
    await page.reload();
    await page.locator('#city-note').filter({ hasText: 'lots within' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByLabel('Staff key').isVisible()).resolves.toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // Chromium logs a 503 answer itself as a console error; nothing else may appear.
    expect(forecastStatus === 503 ? unexpected(/status of 503 \(Service Unavailable\)/) : problems).toEqual(
      [],
    );
    await context.close();
  });

  it('fits a phone screen', async () => {
    const { page, context, problems } = await openDashboard(PHONE);
    await page.evaluate((key) => sessionStorage.setItem('parking.staffKey', key), ADMIN);
    await page.reload();
    await page.locator('#city-note').filter({ hasText: 'lots within' }).waitFor();
    await page.locator('#util-summary').filter({ hasText: 'zone' }).waitFor();
    const html = await (await fetch(`${server.url}/dashboard`)).text();
    console.log(
      describeFigures('dashboard (phone, key in session)', await pageFigures(page, html), 'parking:city'),
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-phone.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Without the handbook's data: a day of hourly counts for one demo lot, ending now. */
async function postDemoDay(url: string) {
  const lots = (await (await fetch(`${url}/v1/lots?bbox=-1.95,52.45,-1.85,52.51`)).json()) as {
    lots: { id: string; name: string; capacity: number; status: string }[];
  };
  const lot = lots.lots.find((l) => l.status === 'available' && l.capacity > 100)!;
  const now = Date.now();
  const observations = Array.from({ length: 24 }, (_, i) => ({
    eventId: `e2e-${i}`,
    observedAt: new Date(now - (24 - i) * 3_600_000).toISOString(),
    occupied: Math.round(lot.capacity * (0.2 + 0.6 * Math.sin((i / 24) * Math.PI))),
  }));
  const res = await fetch(`${url}/v1/lots/${lot.id}/observations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ observations }),
  });
  if (res.status !== 200) throw new Error(`posting demo observations: ${res.status} ${await res.text()}`);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { lotId: lot.id, name: lot.name, from: day(now - 86_400_000), last: day(now) };
}
