// A lot as the store keeps it: its definition, its current state (the fold of its observations)
// and the bookkeeping that makes ingestion exactly-once and rollups incremental (README "Table
// design", "Ingestion guarantees"). A plain shape: the store maps it to and from items.
import type { FoldState } from './ingest';
import type { Lot } from './lot';

/** An event applied to the state whose history item is not yet confirmed written. */
export interface PendingEvent {
  /** JSON of the observation as stored in history (so a later writer can repair history). */
  o: string;
  /** Body fingerprint: the same event id with another body is a conflict. */
  h: string;
  /** Outcome reported the first time: applied or stale. */
  x: 'applied' | 'stale';
  /** Epoch ms when the state first took it. */
  r: number;
}

export interface StoredLot extends Lot, FoldState {
  /**
   * Which incarnation of the lot id this is: set by the store when it creates the item, kept for
   * the item's life, '' on lots written before generations existed. Everything keyed by the lot
   * lives under its data scope (`dataScope` in ./lot-incarnation), so a lot re-created later starts empty.
   */
  generation: string;
  version: number;
  /** Earliest observation time not yet folded into the utilization rollups; null when they are current. */
  rollupFrom: number | null;
  /** Bumped whenever rollupFrom is set, so a rollup rebuild clears it only if nothing came in since. */
  rollupSeq: number;
  pending: Record<string, PendingEvent>;
  createdAt: number;
  updatedAt: number;
}
