// Staff: which lots are not telling us anything useful right now (README "API summary": `GET /v1/reports/health`).
// The report walks the catalog in pages of HEALTH_PAGE_LOTS lots (README "Limits"), so one request
// reads a bounded number of lots however large the city; `nextCursor` continues the walk.
import { lotStatus } from '../domain/lot';
import { loadOpeningHours } from '../domain/opening-hours';
import { decodePageCursor, encodePageCursor } from './page-cursor';
import type { CatalogPosition, Dependencies } from './ports';

/** Lots one health report page looks at (README "Limits"): 1,000 lot items, ~1,000 read units. */
export const HEALTH_PAGE_LOTS = 1000;

export interface HealthEntry {
  status: 'stale' | 'nodata';
  id: string;
  name: string;
  observedAt: string | null;
  dataAge: number | null;
}

export async function lotHealth(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  query: { cursor?: string | undefined } = {},
  pageLots = HEALTH_PAGE_LOTS,
): Promise<{ lots: HealthEntry[]; nextCursor?: string }> {
  const now = deps.now();
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const [page, hours] = await Promise.all([deps.lots.listPage(pageLots, after), loadOpeningHours()]);
  const lots = page.lots
    .map((lot) => ({ lot, status: lotStatus(lot, now, hours) }))
    .filter(({ status }) => status === 'stale' || status === 'nodata')
    .map(({ lot, status }) => ({
      status: status as 'stale' | 'nodata',
      id: lot.id,
      name: lot.name,
      observedAt: lot.lastAt === null ? null : new Date(lot.lastAt).toISOString(),
      dataAge: lot.lastAt === null ? null : Math.max(0, Math.round((now - lot.lastAt) / 1000)),
    }))
    // Never-observed first, then the longest silent (within the page).
    .sort((a, b) => (b.dataAge ?? Number.POSITIVE_INFINITY) - (a.dataAge ?? Number.POSITIVE_INFINITY));
  return page.next === undefined ? { lots } : { lots, nextCursor: encodeCursor(page.next) };
}

const LISTING = 'health';

function encodeCursor(at: CatalogPosition): string {
  return encodePageCursor(LISTING, [at.zone, at.id]);
}

function decodeCursor(cursor: string): CatalogPosition {
  const [zone = '', id = ''] = decodePageCursor(LISTING, cursor, 2);
  return { zone, id };
}
