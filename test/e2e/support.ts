// Shared by the browser tests: Debian's Chromium through playwright-core (no browser download), a
// watch on every page for console errors (Chromium reports each content-security-policy violation
// as one), page errors and requests that leave the local host, and the page's own timing figures.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { generatedModuleIsFresh } from '../../web/build';

// The server serves the committed web/generated/pages.ts: testing it while web/'s sources say
// otherwise would prove nothing about them.
if (!(await generatedModuleIsFresh())) {
  throw new Error('web/generated/pages.ts is stale: run npm run build:web (and commit it)');
}

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI === 'true')
    throw new Error('CI must run the browser tests, but /usr/bin/chromium is missing');
  console.warn(
    '[tests] /usr/bin/chromium not found: the browser tests are skipped (apt-get install chromium)',
  );
}

export const SCREENSHOTS = 'test-results/screenshots';

export async function launchChromium(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return await chromium.launch({
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
}

export const PHONE = { width: 412, height: 915 };
export const DESKTOP = { width: 1280, height: 900 };

/**
 * Collects what must not happen on a page: console errors, uncaught errors, and requests to anything
 * but the local server (blob: URLs of the page's own origin are downloads made in the page).
 */
export function watch(page: Page, serverUrl: string) {
  const origin = new URL(serverUrl).origin;
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    requests.push(url);
    if (!url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`) && !url.startsWith('data:'))
      problems.push(`left the local host: ${url}`);
  });
  return {
    problems,
    requests,
    /** Problems other than the ones a test provokes on purpose. */
    unexpected: (...expected: RegExp[]) => problems.filter((p) => !expected.some((e) => e.test(p))),
  };
}

/**
 * Opens a page and fails at once if loading it already went wrong: a script the content security
 * policy blocked shows as a console error here, and the tests would otherwise wait for text it
 * never writes.
 */
export async function openChecked(page: Page, url: string, problems: string[]): Promise<void> {
  await page.goto(url);
  if (problems.length > 0) throw new Error(`loading ${url} went wrong:\n${problems.join('\n')}`);
}

export interface PageFigures {
  htmlBytes: number;
  htmlGzipBytes: number;
  transferredBytes: number;
  firstContentfulPaintMs: number | null;
  domContentLoadedMs: number;
  marks: Record<string, number>;
}

/** Weight and timing as the page saw them (Navigation/Resource/Paint Timing, and its own marks). */
export async function pageFigures(page: Page, html: string): Promise<PageFigures> {
  const seen = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return {
      transferred: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
      fcp: fcp ? fcp.startTime : null,
      dcl: nav.domContentLoadedEventEnd,
      marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
    };
  });
  return {
    htmlBytes: Buffer.byteLength(html),
    htmlGzipBytes: gzipSync(html).length,
    transferredBytes: seen.transferred,
    firstContentfulPaintMs: seen.fcp,
    domContentLoadedMs: seen.dcl,
    marks: seen.marks,
  };
}

export function describeFigures(name: string, f: PageFigures, mark: string): string {
  const ms = (v: number | null | undefined) =>
    v === null || v === undefined ? 'n/a' : `${Math.round(v)} ms`;
  return (
    `[e2e] ${name}: HTML ${(f.htmlBytes / 1024).toFixed(1)} KiB (${(f.htmlGzipBytes / 1024).toFixed(1)} KiB gzipped), ` +
    `${(f.transferredBytes / 1024).toFixed(1)} KiB transferred in all; first contentful paint ${ms(f.firstContentfulPaintMs)}, ` +
    `DOMContentLoaded ${ms(f.domContentLoadedMs)}, ${mark} ${ms(f.marks[mark])} after navigation start`
  );
}
