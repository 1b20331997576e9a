// Feed sources: each feed the service fetches, when it last did and what went wrong, if anything
// (README "Feeds a city already has").
import type { FeedSource } from '../lib/api-types';
import { el } from '../lib/dom';
import { fmtDateTime } from '../lib/format';
import { AuthError, api } from './session';
import { message, note, ui } from './ui';

export async function loadSources(): Promise<void> {
  let sources: FeedSource[];
  try {
    sources = (await api('/v1/sources')).sources;
  } catch (err) {
    if (!(err instanceof AuthError))
      note(ui.sourcesNote, `Could not load the feed sources: ${message(err)}.`, true);
    return;
  }
  const failing = sources.filter((s) => s.lastError !== null).length;
  note(
    ui.sourcesNote,
    sources.length === 0
      ? 'No feed sources: add one with PUT /v1/sources/{id}.'
      : failing === 0
        ? 'Every source fetched without error at its last fetch.'
        : `${failing} of ${sources.length} failed at their last fetch.`,
    failing > 0,
  );
  if (sources.length === 0) {
    ui.sourcesTable.replaceChildren();
    return;
  }
  const head = ['Source', 'Format', 'Last fetch', 'Sites', 'Applied', 'Last error'];
  ui.sourcesTable.replaceChildren(
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...head.map((h) =>
          el('th', { scope: 'col', class: h === 'Sites' || h === 'Applied' ? 'num' : null, text: h }),
        ),
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
          el('td', { text: s.lastFetchAt ? fmtDateTime(s.lastFetchAt) : 'never' }),
          el('td', { class: 'num', text: String(s.sites) }),
          el('td', { class: 'num', text: String(s.applied) }),
          el('td', { text: s.lastError ?? '—' }),
        ),
      ),
    ),
  );
}
