// The geo module: a leaf (numbers and plain objects in, plain objects out), depends on geolib only.
import { partitionOfZ, SORT_PRECISION } from './cover';
import type { LatLon } from './distance';
import { zOf, zToGeohash } from './geohash';

export { type CellRange, type CoverOptions, coverCircle, PARTITION_PRECISION, SORT_PRECISION } from './cover';
export { EARTH_RADIUS, type LatLon, metresBetween } from './distance';
export { geohashEncode } from './geohash';
export { type Rankable, type RankOptions, rankNearby } from './rank';

/** Partition cell of a point: its geohash-5, or 'PN'/'PS' in the polar geohash-2 rows. */
export function partitionOf(p: LatLon): string {
  return partitionOfZ(zOf(p.lat, p.lon));
}

/** Sort cell of a point: its geohash-10 (~1 m). */
export function sortCellOf(p: LatLon): string {
  return zToGeohash(zOf(p.lat, p.lon), SORT_PRECISION);
}
