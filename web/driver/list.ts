// The ranked list of car parks, numbered as the plot's markers.
import type { NearbyLot } from '../lib/api-types';
import { el } from '../lib/dom';
import { fmtAge, fmtDistance, fmtInt } from '../lib/format';
import { FEATURE_TEXT, statusBadge, TYPE_TEXT } from '../lib/labels';
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
  const features = lot.features.map((f) => FEATURE_TEXT[f]).join(', ');
  const where = `${lot.location.lat},${lot.location.lon}`;
  return el(
    'li',
    { class: `s-${lot.status}`, 'data-id': lot.id, id: `lot-${n}` },
    el('span', { class: 'rank', 'aria-hidden': 'true', text: n }),
    el('div', { class: 'top' }, el('h3', { class: 'name', text: lot.name }), statusBadge(lot.status)),
    el(
      'p',
      { class: 'free' },
      el('span', { class: 'vh', text: `Number ${n} on the plot. ` }),
      el('strong', { text: fmtInt(lot.free) }),
      ` of ${fmtInt(lot.capacity)} free${lot.status === 'stale' ? ' when last seen' : ''}`,
    ),
    el(
      'p',
      { class: 'meta' },
      `${fmtDistance(lot.distance)} away · ${TYPE_TEXT[lot.type]}${features ? ` · ${features}` : ''}` +
        ` · updated ${fmtAge(lot.dataAge)} · `,
      el('a', {
        href: `geo:${where}?q=${where}`,
        text: 'open in maps',
        'aria-label': `Open ${lot.name} in your maps app`,
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
