// Key layout of every item (table-design.ts explains the design). One module builds keys so a
// typo cannot put an item where no query will find it. Partitions keyed by a lot take its data
// scope (shared/domain/lot-incarnation.ts).
export const lotKey = (lotId: string) => ({ pk: `LOT#${lotId}`, sk: 'LOT' });

export const observationPk = (scope: string) => `OBS#${scope}`;
export const observationKey = (scope: string, eventId: string) => ({
  pk: observationPk(scope),
  sk: `E#${eventId}`,
});
export const bayPk = (scope: string) => `BAY#${scope}`;
/** Data scopes of deleted lots whose bays and rollups are still to be purged (sk = the scope). */
export const RETIRED_PARTITION = 'RETIRED';
export const apiKeyKey = (keyId: string) => ({ pk: 'KEY', sk: keyId });
export const CATALOG_PARTITION = 'LOTS';
/** Feed sources, one item each (sk = the source id), listed by one Query. */
export const SOURCE_PARTITION = 'SOURCE';
export const sourceKey = (sourceId: string) => ({ pk: SOURCE_PARTITION, sk: sourceId });
/** LoRaWAN integrations, one item each (sk = the integration id), listed by one Query. */
export const INTEGRATION_PARTITION = 'INTEGRATION';
export const integrationKey = (integrationId: string) => ({ pk: INTEGRATION_PARTITION, sk: integrationId });
/** An integration's device mappings live under its generation, so a deleted one takes them along. */
export const deviceKey = (integrationId: string, generation: string, deviceId: string) => ({
  pk: `DEVICE#${integrationId}#${generation}`,
  sk: deviceId,
});
/** The directory of geo-index partitions that hold lots (shared/store/cells.ts). */
export const CELLS_PARTITION = 'CELLS';
export const cellKey = (partition: string) => ({ pk: CELLS_PARTITION, sk: partition });
/** Sorts before every partition key ('#' < '0' < 'P'), so no range of cells ever returns it. */
export const cellDirectoryStateKey = { pk: CELLS_PARTITION, sk: '#directory' };

/** Coarse-cell aggregates of one build and geohash precision (shared/store/clusters.ts). */
export const clusterPk = (build: string, precision: number) => `CLUSTER#${build}#${precision}`;
/**
 * One part of the positions of a dense geohash-5 cell of one build (shared/store/clusters.ts): a
 * partition of its own, so the Queries of a precision's cells never read parts.
 */
export const clusterPartKey = (build: string, cell: string, part: number | string) => ({
  pk: `CLUSTERPTS#${build}`,
  sk: `${cell}#${typeof part === 'number' ? String(part).padStart(4, '0') : part}`,
});
/** Which build of the aggregates readers use. */
export const CLUSTER_STATE_KEY = { pk: 'CLUSTERS', sk: '#build' };

/** Sortable text of an epoch-ms instant (13 digits covers years 1970–2286). */
export const sortableTime = (ms: number) => String(ms).padStart(13, '0');
/** Sort key of the history index: observation time, ties by event id (the fold's order). */
export const historySortKey = (observedAt: number, eventId: string) =>
  `${sortableTime(observedAt)}#${eventId}`;
export const rollupPk = (scope: string) => `ROLL#${scope}`;
/** A zone's rollups: one item per UTC day, beside its lots' (README "Utilization reports"). */
export const zoneRollupPk = (zone: string) => `ZROLL#${zone}`;
/** UTC calendar day of an instant: the sort key of a rollup item. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/**
 * The forecast model of a lot, keyed by its id (not its scope): nearby searches read it for lots
 * that come from the geo index, which does not carry the generation. The item names the
 * incarnation it belongs to, and a lot's DELETE removes it (README "Table design").
 */
export const forecastModelKey = (lotId: string) => ({ pk: `FCST#${lotId}`, sk: 'MODEL' });
