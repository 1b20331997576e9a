// Which incarnation of a lot id data belongs to. A lot deleted and re-created under the same id
// is a new incarnation: its history, bays and rollups start empty (README "Table design").
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
