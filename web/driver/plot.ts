// The map-like plot around the search point: rings at round distances, north up, one numbered
// marker per lot (numbered as the list), coloured by status (the list says the status in words).
import type { LotStatus, NearbyResponse } from '../lib/api-types';
import { find, sv } from '../lib/dom';
import { fmtDistance, fmtInt } from '../lib/format';
import { offsetFrom } from '../lib/geometry';
import { t, tn } from '../lib/i18n';
import type { SearchPoint } from './filters';
import { ui } from './ui';

const COLOUR: Record<LotStatus, string> = {
  available: '#0a7d32',
  full: '#b3261e',
  stale: '#7a5c00',
  closed: '#5f6b76',
  nodata: '#5f6b76',
};

/** Ring distances the outer ring snaps to (metres). */
const RING_STEPS = [
  100, 200, 250, 300, 400, 500, 600, 750, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10_000, 15_000,
  20_000, 30_000, 50_000,
];

/** Labels are drawn after the markers; a selected marker moves just below them. */
const LABEL = 'text[paint-order]';

export function drawPlot(body: NearbyResponse, point: SearchPoint, onSelect: (n: number) => void): void {
  const title = find(ui.plot, 'title', SVGTitleElement);
  ui.plot.replaceChildren(title);
  // The outer ring is the farthest lot shown, rounded up to a round distance (at most the radius),
  // so that 20 lots within 600 m do not huddle in the middle of a 5 km circle.
  const farthest = Math.max(100, ...body.lots.map((l) => l.distance)) * 1.04;
  const extent = Math.min(body.radius, RING_STEPS.find((d) => d >= farthest) ?? body.radius);
  const scale = 100 / extent;
  const ringLabel = fmtDistance(extent);
  ui.plot.append(
    sv('circle', { r: 100, fill: '#f7f9fb', stroke: '#b8c2cc' }),
    sv('circle', { r: 50, fill: 'none', stroke: '#d5dbe1', 'stroke-dasharray': '3 3' }),
    sv('line', { x1: -104, x2: 104, y1: 0, y2: 0, stroke: '#e3e8ed' }),
    sv('line', { y1: -104, y2: 104, x1: 0, x2: 0, stroke: '#e3e8ed' }),
    sv('text', {
      x: -112,
      y: -106,
      'font-size': 8,
      'font-weight': 700,
      fill: '#4f5b66',
      text: t('fmt.northUp'),
    }),
    sv('path', { d: 'M-5 0H5M0 -5V5', stroke: '#0b3d5c', 'stroke-width': 2 }),
  );
  const halo = { stroke: '#fff', 'stroke-width': 2.5, 'paint-order': 'stroke', 'pointer-events': 'none' };
  const labels = [
    sv('text', { x: 3, y: -102, 'font-size': 7, fill: '#4f5b66', text: ringLabel, ...halo }),
    sv('text', { x: 3, y: -52, 'font-size': 7, fill: '#4f5b66', text: fmtDistance(extent / 2), ...halo }),
    sv('text', {
      x: 4,
      y: 10,
      'font-size': 7,
      fill: '#0b3d5c',
      text: point.mine ? t('plot.you') : t('plot.point'),
      ...halo,
    }),
  ];
  const marks = body.lots.map((lot, i) => {
    const n = i + 1;
    const d = offsetFrom(body.origin, lot.location);
    const mark = sv(
      'g',
      {
        class: 'm',
        'data-n': n,
        transform: `translate(${(d.x * scale).toFixed(1)} ${(-d.y * scale).toFixed(1)})`,
      },
      sv('title', {
        text: t('plot.mark', {
          n,
          name: lot.name,
          free: fmtInt(lot.free),
          distance: fmtDistance(lot.distance),
        }),
      }),
      sv('circle', { r: 6.5, fill: COLOUR[lot.status] }),
      sv('text', { text: n }),
    );
    mark.addEventListener('click', () => onSelect(n));
    return mark;
  });
  ui.plot.append(...marks.reverse(), ...labels); // the nearest on top; labels above all
  title.textContent = t('plot.title', {
    count: tn('driver.count', body.lots.length),
    ring: ringLabel,
    place: point.label,
  });
}

/** Marks marker n and lifts it above the other markers. */
export function selectMark(n: number): void {
  for (const m of ui.plot.querySelectorAll('.m.sel')) m.classList.remove('sel');
  const mark = ui.plot.querySelector(`.m[data-n="${n}"]`);
  if (!mark) return;
  mark.classList.add('sel');
  ui.plot.insertBefore(mark, ui.plot.querySelector(LABEL));
}
