// The utilization chart (one bar per bucket, a coverage strip under the axis), its summary line and
// the figures as a table. One SVG unit per CSS pixel, redrawn when the window is resized.
import type { UtilizationReport, UtilizationRow } from '../lib/api-types';
import { el, find, sv } from '../lib/dom';
import { fmtDay, fmtDecimal, fmtInt, fmtList, fmtPct, fmtZonedTime } from '../lib/format';
import { type MessageKey, t } from '../lib/i18n';
import type { ReportSpec } from './report';
import { ui } from './ui';

let drawn: { body: UtilizationReport; spec: ReportSpec } | null = null; // the chart on screen
let resizeTimer = 0;

export function clearChart(label: string): void {
  drawn = null;
  reset(label);
}

function reset(label: string): void {
  const title = find(ui.chart, 'title', SVGTitleElement);
  ui.chart.replaceChildren(title);
  title.textContent = label;
  ui.utilTable.replaceChildren();
}

export function renderChart(body: UtilizationReport, spec: ReportSpec): void {
  const rows = body.rows;
  reset('');
  drawn = { body, spec };
  // One SVG unit per CSS pixel (960 at most), so that the text stays legible on a phone.
  const W = Math.round(Math.min(960, Math.max(320, ui.chart.getBoundingClientRect().width || 960)));
  const H = W < 600 ? 240 : 300;
  ui.chart.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const L = 44;
  const R = 10;
  const T = 14;
  const B = 50;
  const pw = W - L - R;
  const ph = H - T - B;
  const n = Math.max(rows.length, 1);
  const bw = pw / n;
  const yMax = Math.ceil(Math.max(1, ...rows.map((r) => r.utilization ?? 0)) * 4) / 4;
  const Y = (u: number) => T + ph - (Math.min(u, yMax) / yMax) * ph;
  const axis = sv('g');
  for (let u = 0; u <= yMax + 1e-9; u += 0.25) {
    axis.append(
      sv('line', {
        x1: L,
        x2: W - R,
        y1: Y(u),
        y2: Y(u),
        stroke: u === 1 ? '#8c959f' : '#e3e8ed',
        'stroke-dasharray': u === 1 && yMax > 1 ? '4 3' : null,
      }),
      sv('text', { x: L - 6, y: Y(u) + 4, 'text-anchor': 'end', text: `${Math.round(u * 100)}%` }),
    );
  }
  const bars = sv('g');
  const strip = sv('g');
  const labels = sv('g');
  const gap = bw > 4 ? 1 : 0;
  const every = spec.bucket === 'day' ? Math.ceil(n / Math.max(2, Math.floor(pw / 80))) : 0;
  const dayStep = Math.max(1, Math.ceil(70 / (bw * 24))); // label every day, or every 2nd, 3rd… on narrow screens
  let lastDay = '';
  let dayIndex = -1;
  rows.forEach((r, i) => {
    const x = L + i * bw;
    const date = r.start.slice(0, 10);
    const hour = r.start.slice(11, 16);
    const tip = rowTip(r, spec);
    if (r.utilization !== null) {
      bars.append(
        sv(
          'rect',
          {
            class: r.utilization >= 1 ? 'bar over' : 'bar',
            x: (x + gap).toFixed(2),
            width: Math.max(bw - 2 * gap, 0.6).toFixed(2),
            y: Y(r.utilization).toFixed(2),
            height: (T + ph - Y(r.utilization)).toFixed(2),
            'data-start': r.start,
          },
          sv('title', { text: tip }),
        ),
      );
    }
    if (r.coverage > 0) {
      strip.append(
        sv(
          'rect',
          {
            x: x.toFixed(2),
            width: bw.toFixed(2),
            y: T + ph + 4,
            height: 7,
            fill: '#4f5b66',
            'fill-opacity': Math.min(1, r.coverage).toFixed(2),
          },
          sv('title', { text: tip }),
        ),
      );
    }
    const newDay = date !== lastDay;
    if (newDay) dayIndex++;
    lastDay = date;
    if (spec.bucket === 'hour' ? newDay : i % every === 0) {
      labels.append(sv('line', { x1: x, x2: x, y1: T + ph, y2: T + ph + 16, stroke: '#8c959f' }));
      if (spec.bucket === 'day' || dayIndex % dayStep === 0) {
        labels.append(sv('text', { x: x + 3, y: T + ph + 27, text: fmtDay(date) }));
      }
    } else if (spec.bucket === 'hour' && bw * 12 >= 80 && hour === '12:00') {
      labels.append(
        sv('text', { x, y: T + ph + 27, 'text-anchor': 'middle', 'font-size': 9, text: '12:00' }),
      );
    }
  });
  ui.chart.append(
    axis,
    bars,
    strip,
    labels,
    sv('text', { x: L, y: H - 6, text: t('chart.coverage', { tz: body.tz }) }),
  );

  const what = t('chart.what', {
    name: spec.name,
    bucket: t(spec.bucket === 'hour' ? 'chart.hourly' : 'chart.daily'),
    range: dayRange(spec),
    tz: body.tz,
  });
  const figures = summary(rows, body.tz);
  ui.utilSummary.textContent = `${what}: ${figures}`;
  find(ui.chart, 'title', SVGTitleElement).textContent = t('chart.title', {
    what,
    bucket: t(spec.bucket === 'hour' ? 'chart.bucket.hour' : 'chart.bucket.day'),
    figures,
  });
  renderTable(rows, body.tz, what);
  performance.mark('parking:chart');
}

/** The range's figures in a sentence: mean utilization weighted by covered time, peak, coverage. */
function summary(rows: UtilizationRow[], tz: string): string {
  let weightedUtilization = 0;
  let coveredMs = 0;
  let wallMs = 0;
  let observations = 0;
  let peak: UtilizationRow | null = null;
  for (const r of rows) {
    const ms = Date.parse(r.end) - Date.parse(r.start);
    wallMs += ms;
    coveredMs += r.coverage * ms;
    observations += r.observations;
    if (r.utilization !== null) weightedUtilization += r.utilization * r.coverage * ms;
    if (r.peakOccupied !== null && (peak?.peakOccupied ?? -Infinity) < r.peakOccupied) peak = r;
  }
  if (coveredMs === 0 || !peak) return t('chart.noData');
  return t('chart.summary', {
    mean: fmtPct(weightedUtilization / coveredMs, 1),
    peak: fmtInt(peak.peakOccupied),
    at: peak.peakAt ? t('chart.at', { time: fmtZonedTime(peak.peakAt, tz) }) : '',
    coverage: fmtPct(coveredMs / wallMs),
    observations: fmtInt(observations),
  });
}

function rowTip(r: UtilizationRow, spec: ReportSpec): string {
  const date = r.start.slice(0, 10);
  const span =
    spec.bucket === 'hour'
      ? `${fmtDay(date)} ${r.start.slice(11, 16)}–${r.end.slice(11, 16)}`
      : fmtDay(date, true);
  const figures =
    r.utilization === null
      ? t('chart.tipNoData')
      : t('chart.tipFigures', {
          pct: fmtPct(r.utilization, 1),
          avg: fmtInt(r.avgOccupied),
          peak: fmtInt(r.peakOccupied),
        });
  return t('chart.tip', {
    span,
    figures,
    coverage: fmtPct(r.coverage),
    observations: fmtInt(r.observations),
  });
}

export function dayRange(spec: ReportSpec): string {
  return fmtDay(spec.from, true) + (spec.last !== spec.from ? ` – ${fmtDay(spec.last, true)}` : '');
}

const TABLE_HEAD: MessageKey[] = [
  'chart.col.start',
  'chart.col.utilization',
  'chart.col.avg',
  'chart.col.peak',
  'chart.col.peakAt',
  'chart.col.min',
  'chart.col.timeFull',
  'chart.col.coverage',
  'chart.col.observations',
  'chart.col.flags',
];
const NUMERIC = new Set<MessageKey>([
  'chart.col.utilization',
  'chart.col.avg',
  'chart.col.peak',
  'chart.col.min',
  'chart.col.timeFull',
  'chart.col.coverage',
  'chart.col.observations',
]);

function renderTable(rows: UtilizationRow[], tz: string, what: string): void {
  ui.utilTable.replaceChildren(
    el('caption', { class: 'vh', text: t('chart.tableCaption', { what }) }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...TABLE_HEAD.map((h) =>
          el('th', { scope: 'col', class: NUMERIC.has(h) ? 'num' : null, text: t(h) }),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      ...rows.map((r) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row', text: r.start.slice(0, 16).replace('T', ' ') }),
          el('td', { class: 'num', text: fmtPct(r.utilization, 1) }),
          el('td', { class: 'num', text: fmtDecimal(r.avgOccupied, 1) }),
          el('td', { class: 'num', text: fmtInt(r.peakOccupied) }),
          el('td', { text: r.peakAt ? fmtZonedTime(r.peakAt, tz) : t('fmt.missing') }),
          el('td', { class: 'num', text: fmtInt(r.minOccupied) }),
          el('td', { class: 'num', text: fmtPct(r.timeFull) }),
          el('td', { class: 'num', text: fmtPct(r.coverage) }),
          el('td', { class: 'num', text: fmtInt(r.observations) }),
          el('td', { text: fmtList(r.flags) }),
        ),
      ),
    ),
  );
}

export function initChart(): void {
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (drawn) renderChart(drawn.body, drawn.spec);
    }, 150);
  });
}
