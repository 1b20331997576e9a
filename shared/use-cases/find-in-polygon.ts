// Lots inside a polygon (NGSI-LD `georel=within`, README "Open formats"), any status, as the map's
// box listing finds them: the polygon's box read through the bounded box search, then the
// polygon's own edges.
import type { LotView } from '../domain/lot';
import { inRing, type LatLon, ringBox } from '../geo';
import { InvalidInputError } from './errors';
import { lotsForExport } from './export-lots';
import type { Dependencies } from './ports';

export async function lotsInPolygon(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  ring: readonly LatLon[],
): Promise<LotView[]> {
  // The box cap (and its 400 past it) is the export's: a polygon cut short would look whole.
  let inBox: LotView[];
  try {
    inBox = await lotsForExport(deps, { bbox: ringBox(ring) });
  } catch (error) {
    // The client gave a polygon, not a box: name what it sent.
    if (error instanceof InvalidInputError) {
      throw new InvalidInputError(`polygon: ${error.message}`, [
        { path: 'coordinates', message: error.message },
      ]);
    }
    throw error;
  }
  return inBox.filter((lot) => inRing(lot.location, ring));
}
