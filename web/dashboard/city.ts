// City overview: every lot in a box around a centre, as totals, a map-like plot coloured by
// occupancy (stale lots dashed, at their last known figures) and a sortable table of the same lots.
// Zoomed out past what the API lists lot by lot (README "Boxes of any size"), the answer is
// clusters: drawn as circles sized by their lots and labelled with the count, the totals added up
// from them, and the note saying the figures are grouped and as of when.
import type { LatLon, Lot, LotList } from '../lib/api-types';
import { type Cluster, clusterRadius, clusterTotals } from '../lib/clusters';
import { el, find, findAll, on, sv } from '../lib/dom';
import { fmtAge, fmtClock, fmtDistance, fmtInt, fmtList, fmtPct } from '../lib/format';
import { bboxAround, type Offset, offsetFrom } from '../lib/geometry';
import { t, tn } from '../lib/i18n';
import { statusBadge, statusText } from '../lib/labels';
import { fillPickers, pickLot } from './report';
import { AuthError, api } from './session';
import { message, note, ui } from './ui';

/** The most lots one bbox call returns (the API's maximum `limit`). */
const MAX_LOTS = 1000;

let lots: Lot[] = [];
/** The box's clusters when it is not listed lot by lot (`lots` empty); else empty. */
let clusters: Cluster[] = [];

type SortColumn = 'name' | 'zone' | 'status' | 'occupancy' | 'free' | 'age';
let sort: { col: SortColumn; dir: 1 | -1 } = { col: 'occupancy', dir: -1 };

/** The map's colour for an occupancy (the legend in body.html names the bands). */
function occupancyColour(occupancy: number | null): string {
  if (occupancy === null) return '#ffffff';
  if (occupancy < 0.5) return '#2e7d32';
  if (occupancy < 0.8) return '#f9a825';
  if (occupancy < 0.95) return '#ef6c00';
  return '#c62828';
}

const isLive = (l: Lot) => l.status === 'available' || l.status === 'full';

export async function loadCity(): Promise<void> {
  const latText = ui.centreLat.value;
  const lonText = ui.centreLon.value;
  const centre: LatLon = { lat: Number(latText), lon: Number(lonText) };
  const half = Number(ui.half.value);
  if (latText === '' || lonText === '' || !(Math.abs(centre.lat) <= 85) || !(Math.abs(centre.lon) <= 180)) {
    note(ui.cityNote, t('city.badCentre'), true);
    return;
  }
  if (!lots.length && !clusters.length) note(ui.cityNote, t('city.loading'));
  let body: LotList;
  try {
    const query = new URLSearchParams({ bbox: bboxAround(centre, half * 1000), limit: String(MAX_LOTS) });
    body = await api('/v1/lots', query);
  } catch (err) {
    if (!(err instanceof AuthError)) note(ui.cityNote, t('city.failed', { reason: message(err) }), true);
    return;
  }
  lots = body.lots;
  // Clusters beside listed lots (more than `limit` in a small box) change nothing: the lots are
  // shown as before and the note says they are capped. Only a box answered by clusters alone is drawn grouped.
  clusters = !lots.length && body.clusters?.length ? body.clusters : [];
  if (clusters.length) {
    showClusters(centre, half, body.clustersAsOf ?? null);
    return;
  }
  tableRegion().hidden = false;
  ui.legendSize.textContent = t('dash.legend.size');
  renderTotals();
  renderMap(centre);
  renderTable();
  fillPickers(lots);
  note(
    ui.cityNote,
    t('city.note', {
      count: tn('city.count', lots.length, { n: fmtInt(lots.length) }),
      size: fmtDistance(2 * half * 1000),
      capped: lots.length >= MAX_LOTS ? t('city.capped', { max: fmtInt(MAX_LOTS) }) : '',
      time: fmtClock(new Date().toISOString()),
    }),
  );
  performance.mark('parking:city');
}

/** The zoomed-out view: totals, circles and note from the clusters; the table and pickers are kept. */
function showClusters(centre: LatLon, half: number, asOf: string | null): void {
  const size = fmtDistance(2 * half * 1000);
  const totals = clusterTotals(clusters);
  const count = tn('city.count', totals.lots, { n: fmtInt(totals.lots) });
  const groups = tn('city.clusterCount', clusters.length, { n: fmtInt(clusters.length) });
  const tile = (value: string, label: string) =>
    el('div', { class: 'tile' }, el('b', { text: value }), el('span', { text: label }));
  ui.totals.replaceChildren(
    tile(fmtInt(totals.lots), t('city.tile.clusterLots', { clusters: groups })),
    tile(fmtInt(totals.capacity), t('city.tile.clusterCapacity')),
    tile(fmtInt(totals.free), t('city.tile.clusterFree')),
  );
  renderClusterMap(centre, half, count, groups);
  ui.legendSize.textContent = t('dash.legend.sizeClusters');
  // No lot rows to show: the table (and its scrollable, focusable region) goes until an area small
  // enough to list lot by lot.
  find(ui.lotsTable, 'tbody', HTMLTableSectionElement).replaceChildren();
  tableRegion().hidden = true;
  note(
    ui.cityNote,
    t('city.grouped', {
      count,
      clusters: groups,
      size,
      asOf: asOf === null ? t('city.groupedNever') : fmtClock(asOf),
    }),
  );
  performance.mark('parking:city');
}

function renderTotals(): void {
  const count = (status: Lot['status']) => lots.filter((l) => l.status === status).length;
  const live = lots.filter(isLive);
  const capacity = live.reduce((s, l) => s + l.capacity, 0);
  const occupied = live.reduce((s, l) => s + (l.occupied ?? 0), 0);
  const tile = (value: string, label: string) =>
    el('div', { class: 'tile' }, el('b', { text: value }), el('span', { text: label }));
  ui.totals.replaceChildren(
    tile(
      fmtInt(lots.length),
      t('city.tile.lots', {
        available: fmtInt(count('available')),
        full: fmtInt(count('full')),
        closed: fmtInt(count('closed')),
      }),
    ),
    tile(capacity ? fmtPct(occupied / capacity) : t('fmt.missing'), t('city.tile.occupied')),
    tile(fmtInt(capacity - occupied), t('city.tile.free', { capacity: fmtInt(capacity) })),
    tile(
      fmtInt(count('stale') + count('nodata')),
      t('city.tile.attention', { stale: fmtInt(count('stale')), nodata: fmtInt(count('nodata')) }),
    ),
  );
}

interface Frame {
  X: (x: number) => number;
  Y: (y: number) => number;
  title: SVGTitleElement;
}

/** Clears the map and draws its frame (grid, centre, north, scale) to hold every point. */
function drawFrame(points: readonly Offset[]): Frame {
  const title = find(ui.map, 'title', SVGTitleElement);
  ui.map.replaceChildren(title);
  const xs = [...points.map((p) => p.x), 0];
  const ys = [...points.map((p) => p.y), 0];
  let minX = Math.min(...xs);
  let maxX = Math.max(...xs);
  let minY = Math.min(...ys);
  let maxY = Math.max(...ys);
  const span = Math.max(maxX - minX, maxY - minY, 1000);
  const pad = span * 0.06;
  minX -= pad;
  maxX += pad;
  minY -= pad;
  maxY += pad;
  if (maxX - minX < span * 0.5) {
    const c = (minX + maxX) / 2;
    minX = c - span * 0.25;
    maxX = c + span * 0.25;
  }
  let s = 640 / (maxX - minX);
  if ((maxY - minY) * s > 640) s = 640 / (maxY - minY);
  const W = (maxX - minX) * s;
  const H = Math.max(240, (maxY - minY) * s);
  ui.map.setAttribute('viewBox', `0 0 ${W.toFixed(0)} ${H.toFixed(0)}`);
  const X = (x: number) => (x - minX) * s;
  const Y = (y: number) => H - (y - minY) * s;
  // Grid: a round step giving at most ~10 lines (country-sized areas too).
  const steps = [250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000];
  const step = steps.find((st) => (maxX - minX) / st <= 10) ?? 1_000_000;
  const grid = sv('g', { stroke: '#e3e8ed', 'stroke-width': 1 });
  for (let gx = Math.ceil(minX / step) * step; gx <= maxX; gx += step) {
    grid.append(sv('line', { x1: X(gx), x2: X(gx), y1: 0, y2: H }));
  }
  for (let gy = Math.ceil(minY / step) * step; gy <= maxY; gy += step) {
    grid.append(sv('line', { y1: Y(gy), y2: Y(gy), x1: 0, x2: W }));
  }
  const bar = step * s;
  ui.map.append(
    grid,
    sv('path', { d: `M${X(0) - 6} ${Y(0)}h12M${X(0)} ${Y(0) - 6}v12`, stroke: '#0b3d5c', 'stroke-width': 2 }),
    sv('text', { x: X(0) + 5, y: Y(0) + 14, 'font-size': 11, fill: '#0b3d5c', text: t('city.centre') }),
    sv('text', { x: 8, y: 16, 'font-size': 12, 'font-weight': 700, fill: '#4f5b66', text: t('fmt.northUp') }),
    sv('path', {
      d: `M10 ${H - 12}h${bar}M10 ${H - 16}v8M${10 + bar} ${H - 16}v8`,
      stroke: '#4f5b66',
      'stroke-width': 1.5,
    }),
    sv('text', {
      x: 12,
      y: H - 18,
      'font-size': 11,
      fill: '#4f5b66',
      text: t('city.grid', { distance: fmtDistance(step) }),
    }),
  );
  return { X, Y, title };
}

/** Each cluster as a circle (area by its lots) labelled with its count, its figures in its title. */
function renderClusterMap(centre: LatLon, half: number, count: string, groups: string): void {
  const placed = clusters.map((c) => ({ c, at: offsetFrom(centre, c.location) }));
  // The frame holds the whole area asked for, so that a few clusters show where they lie in it.
  const corners = [-1, 1].map((k) => ({ x: k * half * 1000, y: k * half * 1000 }));
  const { X, Y, title } = drawFrame([...placed.map((p) => p.at), ...corners]);
  const maxLots = Math.max(1, ...clusters.map((c) => c.lots));
  // Largest first, so that small clusters are drawn on top and their labels stay readable.
  for (const { c, at } of placed.sort((a, b) => b.c.lots - a.c.lots)) {
    const cx = X(at.x).toFixed(1);
    const cy = Y(at.y).toFixed(1);
    ui.map.append(
      sv(
        'g',
        { class: 'cluster', 'data-lots': c.lots },
        sv('title', {
          text: t('city.cluster.title', {
            count: tn('city.count', c.lots, { n: fmtInt(c.lots) }),
            capacity: fmtInt(c.capacity),
            free: fmtInt(c.free),
          }),
        }),
        sv('circle', {
          cx,
          cy,
          r: clusterRadius(c.lots, maxLots).toFixed(1),
          fill: '#0b3d5c',
          'fill-opacity': 0.7,
          stroke: '#fff',
          'stroke-width': 1.5,
        }),
        sv('text', {
          x: cx,
          y: cy,
          'font-size': 11,
          'font-weight': 700,
          fill: '#fff',
          'text-anchor': 'middle',
          'dominant-baseline': 'central',
          text: fmtInt(c.lots),
        }),
      ),
    );
  }
  title.textContent = t('city.map.clusters', { count, clusters: groups });
}

function renderMap(centre: LatLon): void {
  const placed = lots.map((lot) => ({ lot, at: offsetFrom(centre, lot.location) }));
  const { X, Y, title } = drawFrame(placed.map((p) => p.at));
  const maxCapacity = Math.max(1, ...lots.map((l) => l.capacity));
  // Largest first, so that small lots are drawn on top and stay clickable.
  for (const { lot, at } of placed.sort((a, b) => b.lot.capacity - a.lot.capacity)) {
    const dot = sv(
      'circle',
      {
        class: 'lot',
        'data-id': lot.id,
        'data-status': lot.status,
        cx: X(at.x).toFixed(1),
        cy: Y(at.y).toFixed(1),
        r: (3.5 + 8 * Math.sqrt(lot.capacity / maxCapacity)).toFixed(1),
        ...dotStyle(lot),
      },
      sv('title', { text: describe(lot) }),
    );
    dot.addEventListener('click', () => pickLot(lot.id));
    ui.map.append(dot);
  }
  const stale = lots.filter((l) => l.status === 'stale').length;
  title.textContent = t('city.map.title', {
    count: tn('city.count', lots.length, { n: fmtInt(lots.length) }),
    stale: fmtInt(stale),
  });
}

function dotStyle(lot: Lot) {
  const fill = occupancyColour(lot.occupancy);
  switch (lot.status) {
    case 'stale':
      return { fill, 'fill-opacity': 0.45, stroke: '#222', 'stroke-width': 1.6, 'stroke-dasharray': '3 2' };
    case 'nodata':
      return { fill: '#fff', stroke: '#5f6b76', 'stroke-width': 1.6 };
    case 'closed':
      return { fill: '#5f6b76', stroke: '#fff', 'stroke-width': 1 };
    default:
      return { fill, stroke: '#fff', 'stroke-width': 1 };
  }
}

function describe(lot: Lot): string {
  const parts = [`${lot.name} (${lot.id})`, statusText(lot.status)];
  if (lot.occupancy !== null) {
    parts.push(
      t('city.full', { pct: fmtPct(lot.occupancy), free: fmtInt(lot.free), capacity: fmtInt(lot.capacity) }),
    );
  }
  parts.push(t('city.updated', { age: fmtAge(lot.dataAge) }));
  if (lot.flags.length) parts.push(t('city.flags', { flags: fmtList(lot.flags) }));
  return parts.join(' · ');
}

const STATUS_ORDER: Record<Lot['status'], number> = { full: 0, available: 1, stale: 2, nodata: 3, closed: 4 };
const SORT_KEY: Record<SortColumn, (l: Lot) => string | number | null> = {
  name: (l) => l.name.toLowerCase(),
  zone: (l) => l.zone,
  status: (l) => STATUS_ORDER[l.status],
  // Live figures first: a stale lot's last known occupancy sorts after every live one.
  occupancy: (l) => (isLive(l) ? l.occupancy : null),
  free: (l) => (isLive(l) ? l.free : null),
  age: (l) => l.dataAge,
};

function renderTable(): void {
  const key = SORT_KEY[sort.col];
  const rows = lots.slice().sort((a, b) => {
    const va = key(a);
    const vb = key(b);
    if (va === vb) return a.name < b.name ? -1 : 1;
    if (va === null) return 1;
    if (vb === null) return -1;
    return (va < vb ? -1 : 1) * sort.dir;
  });
  for (const th of sortHeaders()) {
    const order = sort.dir > 0 ? 'ascending' : 'descending';
    th.setAttribute('aria-sort', th.dataset.sort === sort.col ? order : 'none');
  }
  find(ui.lotsTable, 'tbody', HTMLTableSectionElement).replaceChildren(...rows.map(tableRow));
}

function tableRow(lot: Lot): HTMLTableRowElement {
  return el(
    'tr',
    { 'data-id': lot.id, 'data-status': lot.status },
    el(
      'td',
      {},
      on(
        el('button', {
          type: 'button',
          class: 'link',
          text: lot.name,
          title: t('city.utilOf', { name: lot.name }),
        }),
        'click',
        () => pickLot(lot.id),
      ),
    ),
    el('td', { text: lot.zone ?? t('fmt.missing') }),
    el(
      'td',
      {},
      statusBadge(lot.status),
      ...lot.flags.map((f) => el('span', { class: 'flag', text: f.replace('_', ' ') })),
    ),
    el(
      'td',
      { class: 'num' },
      el(
        'span',
        { class: 'occ' },
        lot.occupancy === null
          ? t('fmt.missing')
          : el('meter', {
              min: 0,
              max: 1,
              low: 0.8,
              high: 0.95,
              optimum: 0.3,
              value: Math.min(1, lot.occupancy),
              'aria-hidden': 'true',
            }),
        el('span', { text: fmtPct(lot.occupancy) }),
      ),
    ),
    el('td', {
      class: 'num',
      text: `${fmtInt(lot.free)} / ${fmtInt(lot.capacity)}`,
    }),
    el('td', { class: 'num', text: fmtAge(lot.dataAge) }),
  );
}

/** The scrollable region that holds the lot table. */
function tableRegion(): HTMLElement {
  return ui.lotsTable.parentElement ?? ui.lotsTable;
}

function sortHeaders(): HTMLTableCellElement[] {
  return findAll(ui.lotsTable, 'th[data-sort]', HTMLTableCellElement);
}

function isSortColumn(value: string | undefined): value is SortColumn {
  return value !== undefined && Object.hasOwn(SORT_KEY, value);
}

export function initCity(): void {
  for (const th of sortHeaders()) {
    const col = th.dataset.sort;
    if (!isSortColumn(col)) throw new Error(`unknown sort column ${col}`);
    find(th, 'button', HTMLButtonElement).addEventListener('click', () => {
      const reverse = sort.dir === 1 ? -1 : 1;
      sort = { col, dir: sort.col === col ? reverse : col === 'name' || col === 'zone' ? 1 : -1 };
      renderTable();
    });
  }
  ui.area.addEventListener('submit', (e) => {
    e.preventDefault();
    lots = [];
    clusters = [];
    void loadCity();
  });
}
