// AWS Lambda on EventBridge schedules. `handler` keeps utilization rollups current so reports read
// rollups only (shared/store/rollups.ts), fits each lot's forecast model once a UTC day (README
// "Forecasts"), reclaims deleted lots' bays and rollups, and keeps the
// directory of non-empty cells that wide nearby and box searches read (filled for a table that
// predates it, emptied cells pruned), and rebuilds the coarse-cell aggregates large boxes are
// answered from (shared/store/clusters.ts). Safe to run at any time and concurrently: a rebuild is
// idempotent and clears a lot's mark only if nothing arrived meanwhile; a purge deletes only what
// no lot can reach; the directory's upkeep is idempotent and race-free (shared/store/cells.ts).
import { loadLambdaDependencies } from '../shared/lambda';
import { maintainCellDirectory } from '../shared/use-cases/cell-directory';
import { refreshForecastModels } from '../shared/use-cases/forecast';
import { purgeDeletedLots, refreshClusters } from '../shared/use-cases/manage-lots';
import { refreshRollups } from '../shared/use-cases/reports';
import { fetchDueSources } from '../shared/use-cases/sources';

const { deps, logger, flushMetrics } = loadLambdaDependencies(process.env);

export const handler = async () => {
  try {
    // Read once, before the rollup refresh clears the marks the models' refresh reads.
    const lots = await deps.lots.list();
    const result = await refreshRollups(deps, lots);
    logger.info('rollups refreshed', { ...result });
    const forecasts = await refreshForecastModels(deps, lots);
    logger.info('forecast models refreshed', { ...forecasts });
    const purge = await purgeDeletedLots(deps);
    logger.info('deleted lots purged', { ...purge });
    const cells = await maintainCellDirectory(deps);
    logger.info('cell directory maintained', { ...cells });
    const clusters = await refreshClusters(deps);
    logger.info('box clusters rebuilt', { ...clusters });
    return { ...result, forecasts, purge, cells, clusters };
  } finally {
    flushMetrics();
  }
};

/**
 * A minute's schedule of its own (the FeedJob function): fetches the feed sources whose interval
 * has passed, a few at a time (README "Feeds a city already has"). Safe to overlap: a refetch
 * applies nothing twice.
 */
export const fetchFeeds = async () => {
  try {
    const result = await fetchDueSources(deps);
    logger.info('feed sources fetched', { ...result });
    return result;
  } finally {
    flushMetrics();
  }
};
