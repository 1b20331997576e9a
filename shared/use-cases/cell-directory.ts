// Scheduled upkeep of the directory of non-empty cells that wide nearby and box searches read
// (README "Nearby query"); the scheduled job and the local server's timer call it.
// 1. Fill: a table that held lots before the directory existed gets it, in two passes at least a
//    minute apart; until then searches read every partition of their cover.
// 2. Prune: cells whose lots have all gone (deleted or moved) leave the directory, about an hour
//    after their last write at the earliest.
import type { Dependencies } from './ports';

export async function maintainCellDirectory(
  deps: Pick<Dependencies, 'lots' | 'now'>,
): Promise<{ directory: 'complete' | 'filling' | 'absent'; checked: number; pruned: number }> {
  const directory = await deps.lots.fillCellDirectory(deps.now);
  const { checked, pruned } = await deps.lots.pruneCellDirectory(deps.now());
  return { directory, checked, pruned };
}
