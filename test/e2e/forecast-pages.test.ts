// The pages' forecasts in a real browser (Debian's Chromium via playwright-core) against the real
// local server with the demo city, one of whose lots gets 14 days of hourly history through the
// API and then the scheduled job's rollup refresh and model fit (README "Forecasts"): on the
// driver page, "arriving in 1 h" asks nearby for arriveAt = now + 1 h and each lot shows the
// forecast it answered, with its range, marked as a forecast; on the dashboard, a lot picked from
// the table shows its forecast for the next 24 hours as a chart and a table; both in Chinese too.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { createDependencies } from '../../shared/dependencies';
import { type LocalServer, startLocalServer } from '../../shared/local/server';
import { createDynamoClient } from '../../shared/store/client';
import { refreshForecastModels } from '../../shared/use-cases/forecast';
import { refreshRollups } from '../../shared/use-cases/reports';
import { DAY_HORIZONS } from '../../web/lib/forecast';
import { DESKTOP, hasChromium, launchChromium, openChecked, PHONE, SCREENSHOTS, watch } from './support';

const ADMIN = 'e2e-forecast-admin-key-0123456789';
const HOUR = 3_600_000;
const CENTRE = { latitude: 52.4797, longitude: -1.9026 };
const TZ = 'Europe/London';

interface Prediction {
  at: string;
  occupied: number;
  free: number;
  low: number;
  high: number;
}
interface NearbyBody {
  lots: { id: string; name: string; capacity: number; free: number; prediction?: Prediction | null }[];
}
interface ForecastBody {
  asOf: string;
  points: {
    at: string;
    occupied: number | null;
    low: number | null;
    high: number | null;
    free: number | null;
  }[];
}

describe.runIf(hasChromium)('forecasts on the pages in Chromium', () => {
  let dataDir: string;
  let server: LocalServer;
  let browser: Browser;
  let lot: { id: string; name: string; capacity: number };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-e2e-forecast-'));
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'true', ADMIN_API_KEY: ADMIN });
    server = await startLocalServer(config);
    // The nearest demo lot with room and over 100 spaces: 14 days of a lot that fills by day.
    const near = (await (
      await fetch(
        `${server.url}/v1/lots/nearby?lat=${CENTRE.latitude}&lon=${CENTRE.longitude}&radius=1000&limit=20`,
      )
    ).json()) as NearbyBody;
    lot = near.lots.find((l) => l.capacity > 100)!;
    expect(lot).toBeDefined();
    // Open at every hour: the suite runs at any time, and the demo's surface lots close at midnight,
    // so from 23:00 London the lot would be closed on arrival in 1 h and left out of the answer.
    const open = await fetch(`${server.url}/v1/lots/${lot.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ openingHours: '24/7' }),
    });
    expect(open.status, await open.text()).toBe(200);
    const now = Date.now();
    const observations = Array.from({ length: 14 * 24 }, (_, i) => {
      const at = now - 5 * 60_000 - (14 * 24 - 1 - i) * HOUR;
      const hour = new Date(at).getUTCHours();
      const share = 0.15 + 0.7 * Math.exp(-(((hour - 13) / 4) ** 2)) + 0.1 * Math.sin(i * 1.7);
      return {
        eventId: `e2e-forecast-${i}`,
        observedAt: new Date(at).toISOString(),
        occupied: Math.max(0, Math.min(lot.capacity, Math.round(lot.capacity * share))),
      };
    });
    for (let i = 0; i < observations.length; i += 100) {
      const res = await fetch(`${server.url}/v1/lots/${lot.id}/observations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ observations: observations.slice(i, i + 100) }),
      });
      expect(res.status, await res.text()).toBe(200);
    }
    // The scheduled job (the local server's runs every 5 minutes), for this lot, on the server's store.
    const deps = createDependencies({
      client: createDynamoClient({ region: config.AWS_REGION, endpoint: server.storeEndpoint }),
      tableName: config.TABLE_NAME,
    });
    const listed = (await deps.lots.list()).filter((l) => l.id === lot.id);
    await refreshRollups(deps, listed);
    await refreshForecastModels(deps, listed);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function open(path: string, viewport = PHONE) {
    const context = await browser.newContext({
      viewport,
      timezoneId: TZ,
      geolocation: CENTRE,
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    const watched = watch(page, server.url);
    await openChecked(page, `${server.url}${path}`, watched.problems);
    return { page, context, ...watched };
  }

  /** Chooses an arrival time; the nearby answer the page then shows, and the instant it asked for. */
  async function arriveIn(page: Page, label: string) {
    const before = await page.evaluate(() => Date.now());
    const answered = page.waitForResponse(
      (r) => r.url().includes('/v1/lots/nearby') && r.url().includes('arriveAt='),
    );
    await page.locator('#arrive').selectOption({ label });
    const res = await answered;
    const after = await page.evaluate(() => Date.now());
    expect(res.status()).toBe(200);
    const arriveAt = Date.parse(new URL(res.url()).searchParams.get('arriveAt')!);
    return { body: (await res.json()) as NearbyBody, arriveAt, before, after };
  }

  const en = (n: number) => n.toLocaleString('en-GB');
  const zh = (n: number) => n.toLocaleString('zh-CN');
  const clock = (iso: string, locale: string) =>
    new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone: TZ });

  it('driver page: "arriving in 1 h" asks for arriveAt and shows each lot’s forecast with its range', async () => {
    const { page, context, problems } = await open('/');
    await page.locator('#state').filter({ hasText: 'nearest first' }).waitFor(); // location already granted
    expect(await page.locator('#lots .tag').count()).toBe(0); // "now": live figures, no forecast
    const { body, arriveAt, before, after } = await arriveIn(page, 'in 1 h');
    expect(arriveAt - 60 * 60_000).toBeGreaterThanOrEqual(before);
    expect(arriveAt - 60 * 60_000).toBeLessThanOrEqual(after);
    await page.locator('#state').filter({ hasText: 'forecast for arriving at' }).waitFor();
    expect(await page.locator('#state').textContent()).toContain(
      clock(new Date(arriveAt).toISOString(), 'en-GB'),
    );
    const ids = await page
      .locator('#lots li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-id')));
    expect(ids).toEqual(body.lots.map((l) => l.id));
    const seeded = body.lots.find((l) => l.id === lot.id);
    expect(seeded?.prediction).toBeTruthy();
    expect(seeded!.prediction!.low).toBeLessThan(seeded!.prediction!.high); // the fitted model has a band
    for (const [i, l] of body.lots.entries()) {
      const item = page.locator('#lots li').nth(i);
      const p = l.prediction;
      if (p === undefined) throw new Error(`${l.id}: no prediction field with arriveAt`);
      if (p === null) {
        await expect(item.locator('.free').textContent()).resolves.toContain('No forecast for this car park');
        continue;
      }
      const [low, high] = [l.capacity - p.high, l.capacity - p.low];
      const range = low === high ? '' : ` (${en(low)}–${en(high)})`;
      await expect(item.locator('.tag').textContent()).resolves.toBe('Forecast');
      await expect(item.locator('.free strong').textContent()).resolves.toBe(
        `about ${en(p.free)} free at ${clock(p.at, 'en-GB')}${range}`,
      );
      await expect(item.locator('.live').textContent()).resolves.toBe(
        `now ${en(l.free)} of ${en(l.capacity)} free`,
      );
    }
    await page.screenshot({ path: `${SCREENSHOTS}/driver-forecast.png` });
    // Back to "now": no arriveAt, live figures again.
    const live = page.waitForResponse((r) => r.url().includes('/v1/lots/nearby'));
    await page.locator('#arrive').selectOption({ label: 'now' });
    expect((await live).url()).not.toContain('arriveAt');
    await page.locator('#state').filter({ hasText: 'nearest first' }).waitFor();
    await expect(page.locator('#lots .tag').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('driver page in Chinese: the forecast in Chinese words', async () => {
    const { page, context, problems } = await open('/?lang=zh-CN');
    await page.locator('#state').filter({ hasText: '由近到远' }).waitFor();
    const { body } = await arriveIn(page, '1 小时后');
    await page.locator('#state').filter({ hasText: '到达时的预测' }).waitFor();
    const i = body.lots.findIndex((l) => l.id === lot.id);
    const p = body.lots[i]!.prediction!;
    const item = page.locator('#lots li').nth(i);
    await expect(item.locator('.tag').textContent()).resolves.toBe('预测');
    await expect(item.locator('.free strong').textContent()).resolves.toBe(
      `预计 ${clock(p.at, 'zh-CN')} 约有 ${zh(p.free)} 个空位（${zh(lot.capacity - p.high)}–${zh(lot.capacity - p.low)}）`,
    );
    await expect(page.getByLabel('到达时间').isVisible()).resolves.toBe(true);
    await page.locator('#lots').screenshot({ path: `${SCREENSHOTS}/driver-forecast-zh.png` });
    expect(problems).toEqual([]);
    await context.close();
  });

  /** Signs in, picks the seeded lot from the table; the forecast answer the page drew. */
  async function pickSeeded(page: Page, keyLabel: string, signIn: string) {
    await page.getByLabel(keyLabel).fill(ADMIN);
    await page.getByRole('button', { name: signIn }).click();
    await page.locator(`#lots-table tbody tr[data-id="${lot.id}"] button`).waitFor();
    const answered = page.waitForResponse((r) => r.url().includes(`/v1/lots/${lot.id}/forecast`));
    await page.locator(`#lots-table tbody tr[data-id="${lot.id}"] button`).click();
    const res = await answered;
    expect(res.status()).toBe(200);
    expect(new URL(res.url()).searchParams.get('horizons')).toBe(DAY_HORIZONS.join(','));
    const body = (await res.json()) as ForecastBody;
    await page.locator('#fchart circle.pt').first().waitFor();
    return body;
  }

  it('dashboard: a picked lot’s forecast for the next 24 hours as a chart with its band and a table', async () => {
    const { page, context, problems } = await open('/dashboard', DESKTOP);
    const body = await pickSeeded(page, 'Staff key', 'Sign in');
    const full = body.points.filter((p) => p.occupied !== null);
    expect(full.length).toBe(DAY_HORIZONS.length);
    expect(Date.parse(full.at(-1)!.at) - Date.parse(body.asOf)).toBe(24 * HOUR);
    const drawn = await page
      .locator('#fchart circle.pt')
      .evaluateAll((cs) => cs.map((c) => c.getAttribute('data-at')));
    expect(drawn).toEqual(full.map((p) => p.at));
    await expect(page.locator('#fchart polygon.band').count()).resolves.toBe(1);
    await expect(page.locator('#forecast-figure figcaption').textContent()).resolves.toContain(
      'central 80% range',
    );
    await expect(page.locator('#fchart title').first().textContent()).resolves.toMatch(
      new RegExp(`^Forecast of ${lot.name} .*for the next 24 hours.*Busiest predicted`),
    );
    const rows = await page
      .locator('#forecast-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual(full.map((p) => [en(p.occupied!), `${en(p.low!)}–${en(p.high!)}`, en(p.free!)]));
    await expect(page.locator('#forecast-table caption').textContent()).resolves.toContain(lot.name);
    await expect(page.locator('#forecast-note').textContent()).resolves.toMatch(
      /^As of .*days of history\.$/,
    );
    await page.locator('#forecast').screenshot({ path: `${SCREENSHOTS}/dashboard-forecast.png` });
    // A zone has no forecast: the view says to choose one lot.
    await page.getByLabel('a zone').check();
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.locator('#forecast-note').filter({ hasText: 'choose one lot' }).waitFor();
    await expect(page.locator('#forecast-figure').isHidden()).resolves.toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('dashboard in Chinese: the forecast’s heading, caption and table in Chinese', async () => {
    const { page, context, problems } = await open('/dashboard?lang=zh-CN', DESKTOP);
    await pickSeeded(page, '工作人员密钥', '登录');
    await expect(page.locator('#forecast-title').textContent()).resolves.toBe('未来 24 小时预测');
    await expect(page.locator('#forecast-figure figcaption').textContent()).resolves.toContain(
      '中间 80% 的范围',
    );
    await expect(page.locator('#forecast-table thead').textContent()).resolves.toContain('预计占用');
    await expect(page.locator('#forecast-summary').textContent()).resolves.toContain('预计最繁忙');
    expect(problems).toEqual([]);
    await context.close();
  });
});
