// Utilization over time and the weekday × hour heatmap of one lot or zone (and a lot's forecast): the pickers, the
// request both views share, and the CSV download of the same figures.
import type { Bucket, Lot } from '../lib/api-types';
import { el, find, findAll } from '../lib/dom';
import { fmtInt } from '../lib/format';
import { t, tn } from '../lib/i18n';
import { clearChart, renderChart } from './chart';
import { forecastForZone, loadForecast } from './forecast';
import { renderHeatmap } from './heatmap';
import { AuthError, api, apiCsv, signedIn } from './session';
import { message, note, ui } from './ui';

const DAY_MS = 86_400_000;
/** Within the ranges the report routes answer (hourly up to 745 hours, daily up to 366 days). */
const MAX_HOURLY_DAYS = 31;
const MAX_DAYS = 366;

type Scope = 'lot' | 'zone';

/** One report request, as both views and the CSV download make it. */
export interface ReportSpec {
  /** The utilization query (with `bucket`). */
  query: URLSearchParams;
  /** The heatmap query (the same range and lot or zone). */
  heatQuery: URLSearchParams;
  /** "Markets (bhmbccmkt01)" or "zone city-centre". */
  name: string;
  /** The lot id or zone. */
  which: string;
  /** First and last day shown (YYYY-MM-DD, both included). */
  from: string;
  last: string;
  bucket: Bucket;
}

let known: Lot[] = []; // the city overview's lots, for names
let pickersReady = false;
let reportSeq = 0;

/** Refills the lot and zone pickers from the city overview, keeping what was chosen. */
export function fillPickers(lots: Lot[]): void {
  known = lots;
  const keepLot = ui.lot.value;
  const keepZone = ui.zone.value;
  const byName = lots.slice().sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  ui.lot.replaceChildren(...byName.map((l) => el('option', { value: l.id, text: `${l.name} (${l.id})` })));
  const zones = new Map<string, number>();
  for (const l of lots) if (l.zone) zones.set(l.zone, (zones.get(l.zone) ?? 0) + 1);
  const zoneList = [...zones].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  ui.zone.replaceChildren(
    ...zoneList.map(([z, n]) =>
      el('option', {
        value: z,
        text: t('report.zoneOption', { zone: z, count: tn('city.count', n, { n: fmtInt(n) }) }),
      }),
    ),
  );
  scopeRadio('zone').disabled = zoneList.length === 0;
  if (keepLot && lots.some((l) => l.id === keepLot)) ui.lot.value = keepLot;
  if (keepZone && zones.has(keepZone)) ui.zone.value = keepZone;
  if (pickersReady) return;
  // The first time: the last seven days, of the busiest zone (or else the fullest lot).
  pickersReady = true;
  const today = localDate(new Date());
  ui.to.value = today;
  ui.from.value = addDays(today, -6);
  if (zoneList.length) setScope('zone');
  else {
    const fullest = lots
      .filter((l) => l.occupancy !== null)
      .sort((a, b) => (b.occupancy ?? 0) - (a.occupancy ?? 0))[0];
    if (fullest) ui.lot.value = fullest.id;
  }
}

/** Whether the pickers hold a first choice, so that a report can be drawn without asking. */
export function reportReady(): boolean {
  return pickersReady;
}

/** Shows the utilization of one lot (from the map, the table or the health list). */
export function pickLot(id: string): void {
  setScope('lot');
  ui.lot.value = id;
  void loadReport();
  ui.util.scrollIntoView();
  ui.utilTitle.focus({ preventScroll: true });
}

export async function loadReport(): Promise<void> {
  let spec: ReportSpec;
  try {
    spec = reportSpec();
  } catch (err) {
    note(ui.utilNote, message(err), true);
    return;
  }
  const seq = ++reportSeq;
  // A lot's forecast for the next 24 hours beside its utilization; a zone has none.
  if (checkedScope() === 'lot') {
    void loadForecast(
      spec.which,
      spec.name,
      known.find((l) => l.id === spec.which),
    );
  } else forecastForZone();
  note(ui.utilNote, t('report.loading', { name: spec.name }));
  note(ui.heatNote, t('report.loadingShort'));
  const [util, heat] = await Promise.allSettled([
    api('/v1/reports/utilization', spec.query),
    api('/v1/reports/heatmap', spec.heatQuery),
  ]);
  if (seq !== reportSeq || !signedIn()) return; // a newer report, or signed out meanwhile
  if (util.status === 'fulfilled') {
    renderChart(util.value, spec);
    note(ui.utilNote, '');
  } else {
    ui.utilSummary.textContent = '';
    clearChart(t('report.noFigures'));
    if (!(util.reason instanceof AuthError)) {
      note(ui.utilNote, t('report.failed', { name: spec.name, reason: message(util.reason) }), true);
    }
  }
  if (heat.status === 'fulfilled') {
    renderHeatmap(heat.value, spec);
    note(ui.heatNote, '');
  } else if (!(heat.reason instanceof AuthError)) {
    note(ui.heatNote, t('report.heatFailed', { reason: message(heat.reason) }), true);
  }
}

/** The request the form describes; throws an Error saying what to change. */
function reportSpec(): ReportSpec {
  const scope = checkedScope();
  const from = ui.from.value;
  const last = ui.to.value;
  const bucket: Bucket = ui.bucket.value === 'day' ? 'day' : 'hour';
  const tz = ui.tz.value.trim();
  const which = scope === 'lot' ? ui.lot.value : ui.zone.value;
  if (!which)
    throw new Error(
      t('report.choose', { scope: t(scope === 'lot' ? 'report.scope.lot' : 'report.scope.zone') }),
    );
  if (!from || !last) throw new Error(t('report.chooseDays'));
  if (last < from) throw new Error(t('report.backwards'));
  const to = addDays(last, 1);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  if (bucket === 'hour' && days > MAX_HOURLY_DAYS) {
    throw new Error(t('report.hourlyMax', { days: MAX_HOURLY_DAYS }));
  }
  if (days > MAX_DAYS) throw new Error(t('report.max', { days: MAX_DAYS }));
  const heatQuery = new URLSearchParams({ from, to });
  heatQuery.set(scope === 'lot' ? 'lotId' : 'zone', which);
  if (tz) heatQuery.set('tz', tz);
  const query = new URLSearchParams(heatQuery);
  query.set('bucket', bucket);
  const lot = known.find((l) => l.id === which);
  const name =
    scope === 'zone' ? t('report.zoneName', { zone: which }) : lot ? `${lot.name} (${which})` : which;
  return { query, heatQuery, name, which, from, last, bucket };
}

async function downloadCsv(): Promise<void> {
  let spec: ReportSpec;
  try {
    spec = reportSpec();
  } catch (err) {
    note(ui.utilNote, message(err), true);
    return;
  }
  ui.csv.disabled = true;
  note(ui.utilNote, t('report.preparing', { name: spec.name }));
  try {
    const blob = await apiCsv('/v1/reports/utilization', spec.query);
    const url = URL.createObjectURL(blob);
    const file = `utilization-${spec.which}-${spec.from}-to-${spec.last}-${spec.bucket}.csv`;
    const a = el('a', { href: url, download: file });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    note(ui.utilNote, t('report.downloaded', { name: spec.name, bytes: fmtInt(blob.size) }));
  } catch (err) {
    if (!(err instanceof AuthError)) note(ui.utilNote, t('report.csvFailed', { reason: message(err) }), true);
  } finally {
    ui.csv.disabled = false;
  }
}

function scopeRadios(): HTMLInputElement[] {
  return findAll(ui.report, 'input[name=scope]', HTMLInputElement);
}

function scopeRadio(scope: Scope): HTMLInputElement {
  return find(ui.report, `input[name=scope][value=${scope}]`, HTMLInputElement);
}

function checkedScope(): Scope {
  return scopeRadio('zone').checked ? 'zone' : 'lot';
}

function setScope(scope: Scope): void {
  scopeRadio(scope).checked = true;
  ui.lotLabel.hidden = scope !== 'lot';
  ui.zoneLabel.hidden = scope !== 'zone';
}

/** YYYY-MM-DD of a moment in the browser's own time zone. */
function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function initReport(): void {
  for (const radio of scopeRadios()) {
    radio.addEventListener('change', () => setScope(radio.value === 'zone' ? 'zone' : 'lot'));
  }
  ui.report.addEventListener('submit', (e) => {
    e.preventDefault();
    void loadReport();
  });
  ui.csv.addEventListener('click', () => void downloadCsv());
}
