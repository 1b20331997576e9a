// AWS Lambda on an EventBridge schedule: keeps utilization rollups current so reports read
// rollups only (shared/store/rollups.ts), reclaims deleted lots' bays and rollups, and keeps the
// directory of non-empty cells that wide nearby and box searches read (filled for a table that
// predates it, emptied cells pruned), and rebuilds the coarse-cell aggregates large boxes are
// answered from (shared/store/clusters.ts). Safe to run at any time and concurrently: a rebuild is
// idempotent and clears a lot's mark only if nothing arrived meanwhile; a purge deletes only what
// no lot can reach; the directory's upkeep is idempotent and race-free (shared/store/cells.ts).
import { loadLambdaDependencies } from '../shared/lambda';
import { maintainCellDirectory } from '../shared/use-cases/cell-directory';
import { purgeDeletedLots, refreshClusters } from '../shared/use-cases/manage-lots';
import { refreshRollups } from '../shared/use-cases/reports';

const { deps, logger, flushMetrics } = loadLambdaDependencies(process.env);

export const handler = async () => {
  try {
    const result = await refreshRollups(deps);
    logger.info('rollups refreshed', { ...result });
    const purge = await purgeDeletedLots(deps);
    logger.info('deleted lots purged', { ...purge });
    const cells = await maintainCellDirectory(deps);
    logger.info('cell directory maintained', { ...cells });
    const clusters = await refreshClusters(deps);
    logger.info('box clusters rebuilt', { ...clusters });
    return { ...result, purge, cells, clusters };
  } finally {
    flushMetrics();
  }
};
