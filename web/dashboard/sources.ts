// Feed sources: each feed the service fetches, when it last did and what went wrong, if anything
// (README "Feeds a city already has").
import type { FeedSource } from '../lib/api-types';
import { el } from '../lib/dom';
import { fmtDateTime, fmtInt } from '../lib/format';
import { type MessageKey, t } from '../lib/i18n';
import { AuthError, api } from './session';
import { message, note, ui } from './ui';

const COLUMNS: MessageKey[] = [
  'sources.col.source',
  'sources.col.format',
  'sources.col.last',
  'sources.col.sites',
  'sources.col.applied',
  'sources.col.error',
];
const NUMERIC = new Set<MessageKey>(['sources.col.sites', 'sources.col.applied']);

export async function loadSources(): Promise<void> {
  let sources: FeedSource[];
  try {
    sources = (await api('/v1/sources')).sources;
  } catch (err) {
    if (!(err instanceof AuthError))
      note(ui.sourcesNote, t('sources.failed', { reason: message(err) }), true);
    return;
  }
  const failing = sources.filter((s) => s.lastError !== null).length;
  note(
    ui.sourcesNote,
    sources.length === 0
      ? t('sources.none')
      : failing === 0
        ? t('sources.allOk')
        : t('sources.someFailed', { failed: fmtInt(failing), total: fmtInt(sources.length) }),
    failing > 0,
  );
  if (sources.length === 0) {
    ui.sourcesTable.replaceChildren();
    return;
  }
  ui.sourcesTable.replaceChildren(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...COLUMNS.map((h) => el('th', { scope: 'col', class: NUMERIC.has(h) ? 'num' : null, text: t(h) })),
      ),
    ),
    el(
      'tbody',
      {},
      ...sources.map((s) =>
        el(
          'tr',
          { 'data-id': s.sourceId },
          el('td', { text: s.sourceId }),
          el('td', { text: s.format }),
          el('td', { text: s.lastFetchAt ? fmtDateTime(s.lastFetchAt) : t('fmt.never') }),
          el('td', { class: 'num', text: fmtInt(s.sites) }),
          el('td', { class: 'num', text: fmtInt(s.applied) }),
          el('td', { text: s.lastError ?? t('fmt.missing') }),
        ),
      ),
    ),
  );
}
