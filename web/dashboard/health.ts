// Data health: the lots whose data is stale or that never reported, each a link to its utilization.
import type { HealthReport } from '../lib/api-types';
import { el, on } from '../lib/dom';
import { fmtAge, fmtDateTime, fmtInt } from '../lib/format';
import { type MessageKey, t, tn } from '../lib/i18n';
import { statusBadge } from '../lib/labels';
import { pickLot } from './report';
import { AuthError, api } from './session';
import { message, note, ui } from './ui';

/**
 * Pages of the report the panel reads at most (each looks at up to 1,000 lots): a city larger than
 * that gets the silent lots of its first pages and a note saying so.
 */
const MAX_PAGES = 10;

export async function loadHealth(): Promise<void> {
  const list: HealthReport['lots'] = [];
  let more = false;
  try {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body: HealthReport = await api(
        '/v1/reports/health',
        cursor === undefined ? undefined : new URLSearchParams({ cursor }),
      );
      list.push(...body.lots);
      cursor = body.nextCursor;
      if (cursor === undefined) break;
    }
    more = cursor !== undefined;
  } catch (err) {
    if (!(err instanceof AuthError)) note(ui.healthNote, t('health.failed', { reason: message(err) }), true);
    return;
  }
  // Pages are in catalog order: never-observed first, then the longest silent, across all of them.
  list.sort((a, b) => (b.dataAge ?? Number.POSITIVE_INFINITY) - (a.dataAge ?? Number.POSITIVE_INFINITY));
  ui.healthTitle.textContent =
    list.length === 0 ? t('health.titleAll') : tn('health.title', list.length, { n: fmtInt(list.length) });
  const said = list.length === 0 ? t('health.allFresh') : t('health.some');
  note(ui.healthNote, more ? `${said} ${t('health.more', { pages: fmtInt(MAX_PAGES) })}` : said);
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
