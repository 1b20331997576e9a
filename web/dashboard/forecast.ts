// A picked lot's forecast for the next 24 hours (README "Forecasts"), beside its utilization: the
// predicted occupied spaces as a dashed line over the central 80% band, the capacity, a sentence
// of its figures and the figures as a table for screen readers. One SVG unit per CSS pixel, as
// the utilization chart, redrawn when the window is resized.
import type { ForecastResponse, Lot } from '../lib/api-types';
import { el, find, sv } from '../lib/dom';
import { DAY_HORIZONS, type FullPoint, fullPoints } from '../lib/forecast';
import { fmtDateTime, fmtInt, fmtTime, fmtZonedTime } from '../lib/format';
import { t } from '../lib/i18n';
import { AuthError, api, NotYetError, signedIn } from './session';
import { message, note, ui } from './ui';

const HOUR_MS = 3_600_000;
/** A forecast not ready yet is asked again after Retry-After, but at most this often and this many times. */
const MIN_RETRY_S = 10;
const MAX_RETRIES = 5;

interface Shown {
  body: ForecastResponse;
  points: FullPoint[];
  name: string;
  capacity: number;
  timeZone: string | undefined;
}

let drawn: Shown | null = null;
let seq = 0;
let resizeTimer = 0;
let retryTimer = 0;

function clear(): void {
  drawn = null;
  ui.forecastFigure.hidden = true;
  ui.forecastSummary.textContent = '';
  ui.forecastTable.replaceChildren();
  const title = find(ui.forecastChart, 'title', SVGTitleElement);
  ui.forecastChart.replaceChildren(title);
  title.textContent = t('dash.forecast.label');
}

/** A zone is picked: forecasts are per lot. */
export function forecastForZone(): void {
  seq++;
  clearTimeout(retryTimer);
  clear();
  note(ui.forecastNote, t('forecast.zone'));
}

/** Loads and draws the forecast of lot `id` (`lot`: what the city overview knows of it). */
export async function loadForecast(
  id: string,
  name: string,
  lot: Lot | undefined,
  retries = 0,
): Promise<void> {
  const mine = ++seq;
  clearTimeout(retryTimer);
  clear();
  if (retries === 0) note(ui.forecastNote, t('forecast.loading', { name }));
  const path: `/v1/lots/${string}/forecast` = `/v1/lots/${encodeURIComponent(id)}/forecast`;
  let body: ForecastResponse;
  try {
    body = await api(path, new URLSearchParams({ horizons: DAY_HORIZONS.join(',') }));
  } catch (err) {
    if (mine !== seq || err instanceof AuthError) return;
    if (err instanceof NotYetError && retries < MAX_RETRIES) {
      // The job fits the day's model within minutes (README "Forecasts"): ask again then.
      const seconds = Math.max(MIN_RETRY_S, err.retryAfterSeconds);
      note(ui.forecastNote, t('forecast.notYet', { name, reason: err.message, seconds: fmtInt(seconds) }));
      retryTimer = setTimeout(() => {
        if (mine === seq && signedIn()) void loadForecast(id, name, lot, retries + 1);
      }, seconds * 1000);
      return;
    }
    note(ui.forecastNote, t('forecast.failed', { name, reason: message(err) }), true);
    return;
  }
  if (mine !== seq || !signedIn()) return; // a newer pick, or signed out meanwhile
  const points = fullPoints(body.points);
  if (points.length === 0) {
    note(ui.forecastNote, t('forecast.none', { name }));
    return;
  }
  // occupied + free is the capacity the forecast was made for (the overview's may be older).
  const first = points[0];
  const capacity = first ? first.occupied + first.free : (lot?.capacity ?? 0);
  drawn = { body, points, name, capacity, timeZone: lot?.timeZone };
  note(
    ui.forecastNote,
    t('forecast.basis', { time: fmtDateTime(body.asOf), days: fmtInt(body.basis.historyDays) }),
  );
  draw(drawn);
}

function zoned(iso: string, timeZone: string | undefined): string {
  return timeZone ? fmtZonedTime(iso, timeZone) : fmtDateTime(iso);
}

function tip(p: FullPoint, timeZone: string | undefined): string {
  return t('forecast.tip', {
    time: zoned(p.at, timeZone),
    occupied: fmtInt(p.occupied),
    low: fmtInt(p.low),
    high: fmtInt(p.high),
    free: fmtInt(p.free),
  });
}

function draw(shown: Shown): void {
  const { body, points, capacity, timeZone } = shown;
  const title = find(ui.forecastChart, 'title', SVGTitleElement);
  ui.forecastChart.replaceChildren(title);
  ui.forecastFigure.hidden = false;
  const W = Math.round(Math.min(960, Math.max(300, ui.forecastChart.getBoundingClientRect().width || 640)));
  const H = 240;
  ui.forecastChart.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const L = 44;
  const R = 12;
  const T = 14;
  const B = 40;
  const pw = W - L - R;
  const ph = H - T - B;
  const start = Date.parse(body.asOf);
  const X = (iso: string) => L + ((Date.parse(iso) - start) / (24 * HOUR_MS)) * pw;
  const yMax = Math.max(1, capacity);
  const Y = (n: number) => T + ph - (Math.min(n, yMax) / yMax) * ph;
  const axis = sv('g');
  for (let k = 0; k <= 4; k++) {
    const n = (yMax * k) / 4;
    axis.append(
      sv('line', {
        x1: L,
        x2: W - R,
        y1: Y(n),
        y2: Y(n),
        stroke: k === 4 ? '#8c959f' : '#e3e8ed',
        'stroke-dasharray': k === 4 ? '4 3' : null,
      }),
      sv('text', { x: L - 6, y: Y(n) + 4, 'text-anchor': 'end', text: fmtInt(n) }),
    );
  }
  for (let h = 0; h <= 24; h += 6) {
    const at = new Date(start + h * HOUR_MS).toISOString();
    const x = X(at);
    axis.append(
      sv('line', { x1: x, x2: x, y1: T + ph, y2: T + ph + 6, stroke: '#8c959f' }),
      sv('text', {
        x,
        y: T + ph + 18,
        'text-anchor': h === 0 ? 'start' : h === 24 ? 'end' : 'middle',
        text: fmtTime(at, timeZone),
      }),
    );
  }
  const upper = points.map((p) => `${X(p.at).toFixed(1)},${Y(p.high).toFixed(1)}`);
  const lower = points.map((p) => `${X(p.at).toFixed(1)},${Y(p.low).toFixed(1)}`).reverse();
  const band = sv('polygon', { class: 'band', points: [...upper, ...lower].join(' ') });
  const line = sv('polyline', {
    class: 'line',
    points: points.map((p) => `${X(p.at).toFixed(1)},${Y(p.occupied).toFixed(1)}`).join(' '),
  });
  const marks = sv(
    'g',
    {},
    ...points.map((p) =>
      sv(
        'circle',
        { class: 'pt', cx: X(p.at).toFixed(1), cy: Y(p.occupied).toFixed(1), r: 3.5, 'data-at': p.at },
        sv('title', { text: tip(p, timeZone) }),
      ),
    ),
  );
  ui.forecastChart.append(
    axis,
    band,
    line,
    marks,
    sv('text', {
      x: L,
      y: H - 4,
      text: t('forecast.axis', { tz: timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone }),
    }),
  );
  const peak = points.reduce((a, b) => (b.occupied > a.occupied ? b : a));
  const least = points.reduce((a, b) => (b.occupied < a.occupied ? b : a));
  const summary = t('forecast.summary', {
    peak: fmtInt(peak.occupied),
    capacity: fmtInt(capacity),
    peakAt: zoned(peak.at, timeZone),
    least: fmtInt(least.occupied),
    leastAt: zoned(least.at, timeZone),
  });
  ui.forecastSummary.textContent = summary;
  title.textContent = t('forecast.title', { name: shown.name, summary });
  renderTable(shown);
  performance.mark('parking:forecast');
}

function renderTable({ points, name, timeZone }: Shown): void {
  const head = [
    'forecast.col.at',
    'forecast.col.occupied',
    'forecast.col.range',
    'forecast.col.free',
  ] as const;
  ui.forecastTable.replaceChildren(
    el('caption', { class: 'vh', text: t('forecast.tableCaption', { name }) }),
    el(
      'thead',
      {},
      el('tr', {}, ...head.map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null, text: t(h) }))),
    ),
    el(
      'tbody',
      {},
      ...points.map((p) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row', text: zoned(p.at, timeZone) }),
          el('td', { class: 'num', text: fmtInt(p.occupied) }),
          el('td', { class: 'num', text: `${fmtInt(p.low)}–${fmtInt(p.high)}` }),
          el('td', { class: 'num', text: fmtInt(p.free) }),
        ),
      ),
    ),
  );
}

export function initForecast(): void {
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (drawn) draw(drawn);
    }, 150);
  });
}
