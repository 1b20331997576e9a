// Open data: the lots a published export lists (README "Open formats"), as drivers see them.
// 1. Read the lots of the box (the bbox listing's bounded search), or of the zone, or all, never
//    more than the cap + 1 of them.
// 2. More than EXPORT_MAX_LOTS: the caller must narrow it (a partial export would look whole).
import type { LotView } from '../domain/lot';
import { toLotView } from '../domain/lot';
import { loadOpeningHours } from '../domain/opening-hours';
import { InvalidInputError } from './errors';
import { lotsInBox, MAX_BBOX_RADIUS_METRES } from './manage-lots';
import type { Bbox, Dependencies } from './ports';

/** Lots one export lists at most (README "Limits"): the bbox listing's largest page. */
export const EXPORT_MAX_LOTS = 1000;

export async function lotsForExport(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  query: { zone?: string | undefined; bbox?: Bbox | undefined },
  maxLots = EXPORT_MAX_LOTS,
): Promise<LotView[]> {
  const now = deps.now();
  const hours = await loadOpeningHours();
  // The cap applies before the zone filter: a box cut at the cap could drop some of the zone's lots.
  const read =
    query.bbox !== undefined
      ? await boxLots(deps, query.bbox, maxLots + 1)
      : (await deps.lots.list(query.zone, maxLots + 1)).map((lot) => toLotView(lot, now, hours));
  if (read.length > maxLots) {
    const path = query.bbox !== undefined ? 'bbox' : 'zone';
    throw new InvalidInputError(`more than ${maxLots} lots: narrow the export with zone or bbox`, [
      { path, message: `selects more than ${maxLots} lots` },
    ]);
  }
  const lots = query.zone === undefined ? read : read.filter((lot) => lot.zone === query.zone);
  return lots.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A box's lots one by one; a box too large to list (the map gets clusters for it) is refused. */
async function boxLots(deps: Pick<Dependencies, 'lots' | 'now'>, bbox: Bbox, limit: number) {
  const answer = await lotsInBox(deps, bbox, limit);
  if (answer.clusters !== undefined && answer.lots.length === 0) {
    throw new InvalidInputError('bbox too large to export lot by lot', [
      {
        path: 'bbox',
        message: `its corners must lie within ${MAX_BBOX_RADIUS_METRES / 1000} km of its centre`,
      },
    ]);
  }
  return answer.lots;
}
