// Pure geo: cell keys for the geo index, circle covering, distance and ranking. Depends on
// geolib only; numbers and plain objects in, plain objects out, no I/O.
export {
  type CellRange,
  type CoverOptions,
  coverCircle,
  DEFAULT_MAX_RANGES,
  DEFAULT_MIN_GAP_SQUARE_METRES,
  MAX_COVER_RADIUS_METRES,
  partitionsMeeting,
} from './cover';
export { kthNearestMetres } from './density';
export { EARTH_RADIUS_METRES, metresBetween } from './distance';
export {
  geohashEncode,
  NORTH_POLAR_PARTITION,
  PARTITION_PRECISION,
  partitionOf,
  SORT_PRECISION,
  SOUTH_POLAR_PARTITION,
  sortCellOf,
} from './geohash';
export type { LatLon } from './latlon';
export { METRES_PER_DEGREE, offsetBy } from './offset';
export {
  DEFAULT_MAX_KEY_RANGES,
  DEFAULT_MIN_KEY_GAP,
  type KeyRange,
  type KeyRangeOptions,
  partitionKeyRanges,
} from './partitions';
export { type Box, inRing, ringBox } from './polygon';
export { type Rankable, type RankOptions, rankNearby } from './rank';
