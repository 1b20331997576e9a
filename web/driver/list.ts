// The ranked list of car parks, numbered as the plot's markers.
import type { NearbyLot } from '../lib/api-types';
import { el, layout } from '../lib/dom';
import { fmtAge, fmtDistance, fmtInt, fmtList } from '../lib/format';
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
    el(
      'p',
      { class: 'free' },
      el('span', { class: 'vh', text: t('list.onPlot', { n }) }),
      ...layout(
        t(lot.status === 'stale' ? 'list.freeWhenSeen' : 'list.free', { capacity: fmtInt(lot.capacity) }),
        { free: el('strong', { text: fmtInt(lot.free) }) },
      ),
    ),
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

/** Marks list item n (and scrolls to it when asked). */
export function selectItem(n: number, scroll: boolean): void {
  for (const li of ui.lots.querySelectorAll('li.sel')) li.classList.remove('sel');
  const li = document.getElementById(`lot-${n}`);
  if (!li) return;
  li.classList.add('sel');
  if (scroll) li.scrollIntoView({ block: 'nearest' });
}
