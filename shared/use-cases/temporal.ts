// Staff: a lot's history for the NGSI-LD temporal API (README "Open formats"), whole, in
// observation-time order: the history use case's pages, read one after another.
// 1. Page through the history of [from, to) with its cursors (its 31-day bound applies).
// 2. Past TEMPORAL_MAX_OBSERVATIONS: the caller must narrow the range (a cut answer would look whole).
import { InvalidInputError } from './errors';
import { HISTORY_PAGE, listHistory } from './history';
import type { Dependencies } from './ports';

/** Observations one temporal request answers at most (README "Limits"): ten history pages. */
export const TEMPORAL_MAX_OBSERVATIONS = 10 * HISTORY_PAGE;

type Entry = Awaited<ReturnType<typeof listHistory>>['observations'][number];

export async function wholeHistory(
  deps: Pick<Dependencies, 'lots' | 'observations' | 'now'>,
  lotId: string,
  range: { from?: string | undefined; to?: string | undefined },
  maxObservations = TEMPORAL_MAX_OBSERVATIONS,
): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listHistory(deps, lotId, { ...range, ...(cursor ? { cursor } : {}) });
    out.push(...page.observations);
    cursor = page.nextCursor;
    if (out.length > maxObservations || (cursor !== undefined && out.length >= maxObservations)) {
      throw new InvalidInputError(`more than ${maxObservations} observations: narrow the time range`, [
        { path: 'timeAt', message: `the range holds more than ${maxObservations} observations` },
      ]);
    }
  } while (cursor !== undefined);
  return out;
}
