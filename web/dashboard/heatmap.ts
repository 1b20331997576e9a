// The weekday × hour heatmap: a table of 7 × 24 cells, shaded by mean utilization, each with its
// figure in words for screen readers.
import type { Heatmap } from '../lib/api-types';
import { el } from '../lib/dom';
import { fmtPct, fmtWeekday } from '../lib/format';
import { t } from '../lib/i18n';
import { dayRange } from './chart';
import type { ReportSpec } from './report';
import { ui } from './ui';

/** The API's weekdays, Monday = 1. */
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

type Rgb = readonly [number, number, number];
const LOW: Rgb = [238, 244, 251];
const MID: Rgb = [107, 174, 214];
const HIGH: Rgb = [8, 48, 107];

/** The cell's colour on the light-to-dark blue ramp the legend shows. */
function heatColour(utilization: number): string {
  const t = Math.max(0, Math.min(1, utilization));
  const [from, to, f] = t <= 0.5 ? [LOW, MID, t / 0.5] : [MID, HIGH, (t - 0.5) / 0.5];
  const mix = (i: 0 | 1 | 2) => Math.round(from[i] + (to[i] - from[i]) * f);
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}

export function renderHeatmap(body: Heatmap, spec: ReportSpec): void {
  const cells = new Map(body.cells.map((c) => [`${c.weekday}:${c.hour}`, c]));
  ui.heatmap.replaceChildren(
    el('caption', {
      text: t('heat.caption', { name: spec.name, range: dayRange(spec), tz: body.tz }),
    }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col', text: t('heat.day') }),
        ...HOURS.map((h) => el('th', { scope: 'col', text: h, title: `${h}:00` })),
      ),
    ),
    el(
      'tbody',
      {},
      ...WEEKDAYS.map((weekday) => {
        const day = fmtWeekday(weekday, 'long');
        return el(
          'tr',
          {},
          el('th', { scope: 'row', text: fmtWeekday(weekday, 'short'), title: day }),
          ...HOURS.map((h, hour) => {
            const cell = cells.get(`${weekday}:${hour}`);
            const u = cell?.utilization ?? null;
            const label = t('heat.cell', {
              day,
              from: `${h}:00`,
              to: `${String(hour + 1).padStart(2, '0')}:00`,
              figures:
                u === null
                  ? t('heat.noData')
                  : t('heat.figures', { pct: fmtPct(u), coverage: fmtPct(cell?.coverage ?? 0) }),
            });
            const td = el(
              'td',
              { title: label, 'data-u': u ?? '', text: u === null ? '·' : Math.round(u * 100) },
              el('span', { class: 'vh', text: ` ${label}` }),
            );
            if (u !== null) {
              td.style.background = heatColour(u);
              if (u > 0.55) td.classList.add('dark');
            }
            return td;
          }),
        );
      }),
    ),
  );
}
