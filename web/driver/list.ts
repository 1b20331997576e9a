// The ranked list of car parks, numbered as the plot's markers. With an arrival time, each lot
// leads with its forecast, marked as one, and keeps its live figures beside it. A lot with opening
// hours says when it closes (or, closed now, when it opens).
import type { NearbyLot } from '../lib/api-types';
import { type Child, el, layout } from '../lib/dom';
import { predictionText } from '../lib/forecast';
import { fmtAge, fmtDistance, fmtInt, fmtList } from '../lib/format';
import { hoursText } from '../lib/hours';
import { pageLang, t } from '../lib/i18n';
import { featureText, statusBadge, typeText } from '../lib/labels';
import { directionsLink } from '../lib/maps';
import { ui } from './ui';

export function renderList(lots: NearbyLot[], onSelect: (n: number) => void): void {
  ui.lots.replaceChildren(
    ...lots.map((lot, i) => {
      const n = i + 1;
      const li = lotItem(lot, n);
      li.addEventListener('mouseenter', () => onSelect(n));
      li.addEventListener('focusin', () => onSelect(n));
      return li;
    }),
  );
}

function lotItem(lot: NearbyLot, n: number): HTMLLIElement {
  const features = lot.features.length ? fmtList(lot.features.map(featureText)) : '';
  const meta = t('list.meta', { distance: fmtDistance(lot.distance), type: typeText(lot.type) });
  // Chinese pages open AMap (GCJ-02, converted); English ones the phone's maps app (geo: URI).
  const link = directionsLink(pageLang(), lot.location, lot.name);
  return el(
    'li',
    { class: `s-${lot.status}`, 'data-id': lot.id, id: `lot-${n}` },
    el('span', { class: 'rank', 'aria-hidden': 'true', text: n }),
    el('div', { class: 'top' }, el('h3', { class: 'name', text: lot.name }), statusBadge(lot.status)),
    ...freeLines(lot, n),
    ...hoursLine(lot),
    el(
      'p',
      { class: 'meta' },
      `${meta}${features ? ` · ${features}` : ''} · ${t('list.updated', { age: fmtAge(lot.dataAge) })} · `,
      el('a', {
        href: link.href,
        class: link.amap ? 'amap' : 'geo',
        text: t(link.amap ? 'list.amap' : 'list.open'),
        'aria-label': t(link.amap ? 'list.amapLabel' : 'list.openLabel', { name: lot.name }),
        ...(link.amap ? { target: '_blank', rel: 'noopener noreferrer' } : {}),
      }),
    ),
  );
}

/** "closes at 18:00" / "opens at 08:00" by the lot's opening hours, where it has such a change. */
function hoursLine(lot: NearbyLot): HTMLParagraphElement[] {
  const text = hoursText(lot, Date.now());
  return text === null ? [] : [el('p', { class: 'hours', text })];
}

/** The live figures ("30 of 200 free"), with the figure in bold. */
function liveFigures(lot: NearbyLot): Child[] {
  return layout(
    t(lot.status === 'stale' ? 'list.freeWhenSeen' : 'list.free', { capacity: fmtInt(lot.capacity) }),
    { free: el('strong', { text: fmtInt(lot.free) }) },
  );
}

/**
 * Live figures only without an arrival time; with one, the forecast (tagged "Forecast") and the
 * live figures under it, or "no forecast" and the live figures for a lot without a prediction.
 */
function freeLines(lot: NearbyLot, n: number): HTMLParagraphElement[] {
  const onPlot = el('span', { class: 'vh', text: t('list.onPlot', { n }) });
  const p = lot.prediction;
  if (p === undefined) return [el('p', { class: 'free' }, onPlot, ...liveFigures(lot))];
  if (p === null) {
    return [
      el(
        'p',
        { class: 'free' },
        onPlot,
        el('span', { class: 'noforecast', text: t('list.noForecast') }),
        ...liveFigures(lot),
      ),
    ];
  }
  return [
    el(
      'p',
      { class: 'free predicted' },
      onPlot,
      el('span', { class: 'tag', text: t('list.forecast') }),
      ' ',
      el('strong', { text: predictionText(p, lot.capacity) }),
    ),
    el('p', {
      class: 'live',
      text: t('list.liveNow', { free: fmtInt(lot.free), capacity: fmtInt(lot.capacity) }),
    }),
  ];
}

/** Marks list item n (and scrolls to it when asked). */
export function selectItem(n: number, scroll: boolean): void {
  for (const li of ui.lots.querySelectorAll('li.sel')) li.classList.remove('sel');
  const li = document.getElementById(`lot-${n}`);
  if (!li) return;
  li.classList.add('sel');
  if (scroll) li.scrollIntoView({ block: 'nearest' });
}
