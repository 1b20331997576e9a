// Data health: the lots whose data is stale or that never reported, each a link to its utilization.
import type { HealthReport } from '../lib/api-types';
import { el, on } from '../lib/dom';
import { fmtAge, fmtDateTime, fmtInt } from '../lib/format';
import { type MessageKey, t, tn } from '../lib/i18n';
import { statusBadge } from '../lib/labels';
import { pickLot } from './report';
import { AuthError, api } from './session';
import { message, note, ui } from './ui';

export async function loadHealth(): Promise<void> {
  let body: HealthReport;
  try {
    body = await api('/v1/reports/health');
  } catch (err) {
    if (!(err instanceof AuthError)) note(ui.healthNote, t('health.failed', { reason: message(err) }), true);
    return;
  }
  const list = body.lots;
  ui.healthTitle.textContent =
    list.length === 0 ? t('health.titleAll') : tn('health.title', list.length, { n: fmtInt(list.length) });
  note(ui.healthNote, list.length === 0 ? t('health.allFresh') : t('health.some'));
  if (list.length === 0) {
    ui.healthTable.replaceChildren();
    return;
  }
  const head: MessageKey[] = ['health.col.lot', 'health.col.status', 'health.col.last', 'health.col.age'];
  ui.healthTable.replaceChildren(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...head.map((h) =>
          el('th', { scope: 'col', class: h === 'health.col.age' ? 'num' : null, text: t(h) }),
        ),
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
          el('td', { text: l.observedAt ? fmtDateTime(l.observedAt) : t('fmt.never') }),
          el('td', { class: 'num', text: fmtAge(l.dataAge) }),
        ),
      ),
    ),
  );
}
