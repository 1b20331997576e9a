// Data health: the lots whose data is stale or that never reported, each a link to its utilization.
import type { HealthReport } from '../lib/api-types';
import { el, on } from '../lib/dom';
import { fmtAge, fmtDateTime } from '../lib/format';
import { statusBadge } from '../lib/labels';
import { pickLot } from './report';
import { AuthError, api } from './session';
import { message, note, ui } from './ui';

export async function loadHealth(): Promise<void> {
  let body: HealthReport;
  try {
    body = await api('/v1/reports/health');
  } catch (err) {
    if (!(err instanceof AuthError))
      note(ui.healthNote, `Could not load the health list: ${message(err)}.`, true);
    return;
  }
  const list = body.lots;
  const attention = list.length === 1 ? '1 lot needs' : `${list.length} lots need`;
  ui.healthTitle.textContent = `Data health: ${list.length === 0 ? 'every lot reports' : `${attention} attention`}`;
  note(
    ui.healthNote,
    list.length === 0
      ? 'Every lot has fresh data.'
      : 'Lots whose data is stale or that never reported, never-reported first.',
  );
  if (list.length === 0) {
    ui.healthTable.replaceChildren();
    return;
  }
  const head = ['Lot', 'Status', 'Last observation', 'Data age'];
  ui.healthTable.replaceChildren(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...head.map((h) => el('th', { scope: 'col', class: h === 'Data age' ? 'num' : null, text: h })),
      ),
    ),
    el(
      'tbody',
      {},
      ...list.map((l) =>
        el(
          'tr',
          { 'data-id': l.id },
          el(
            'td',
            {},
            on(el('button', { type: 'button', class: 'link', text: l.name }), 'click', () => pickLot(l.id)),
            el('span', { class: 'vh', text: ` (${l.id})` }),
          ),
          el('td', {}, statusBadge(l.status)),
          el('td', { text: l.observedAt ? fmtDateTime(l.observedAt) : 'never' }),
          el('td', { class: 'num', text: fmtAge(l.dataAge) }),
        ),
      ),
    ),
  );
}
