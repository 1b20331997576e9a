// Key layout of every item (table-design.ts explains the design). One module builds keys so a
// typo cannot put an item where no query will find it.
export const lotKey = (lotId: string) => ({ pk: `LOT#${lotId}`, sk: 'LOT' });

/** What names one incarnation of a lot: its id and the generation it was created with. */
export interface LotIncarnation {
  id: string;
  /** Unique per creation of the lot; '' for lots written before generations existed. */
  generation: string;
}

/**
 * The partition suffix of everything keyed by a lot (history, bays, rollups): the lot id and its
 * generation, so a lot re-created under the same id starts with empty partitions (README "Table
 * design"). Lots without a generation keep the original layout (`<lotId>`), so older data stays
 * readable with no migration. `#` cannot occur in an id, so the two layouts never collide.
 */
export const dataScope = (lot: LotIncarnation) =>
  lot.generation === '' ? lot.id : `${lot.id}#${lot.generation}`;

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
/** The directory of geo-index partitions that hold lots (shared/store/cells.ts). */
export const CELLS_PARTITION = 'CELLS';
export const cellKey = (partition: string) => ({ pk: CELLS_PARTITION, sk: partition });
/** Sorts before every partition key ('#' < '0' < 'P'), so no range of cells ever returns it. */
export const cellDirectoryStateKey = { pk: CELLS_PARTITION, sk: '#directory' };

/** Sortable text of an epoch-ms instant (13 digits covers years 1970–2286). */
export const sortableTime = (ms: number) => String(ms).padStart(13, '0');
/** Sort key of the history index: observation time, ties by event id (the fold's order). */
export const historySortKey = (observedAt: number, eventId: string) =>
  `${sortableTime(observedAt)}#${eventId}`;
export const rollupPk = (scope: string) => `ROLL#${scope}`;
/** UTC calendar day of an instant: the sort key of a rollup item. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
