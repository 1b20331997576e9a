// AWS Lambda on an EventBridge schedule: keeps utilization rollups current so reports read
// rollups only (shared/store/rollups.ts), and reclaims deleted lots' bays and rollups. Safe to run
// at any time and concurrently: a rebuild is idempotent and clears a lot's mark only if nothing
// arrived meanwhile; a purge deletes only what no lot can reach.
import { loadLambdaDependencies } from '../shared/lambda';
import { purgeDeletedLots } from '../shared/use-cases/manage-lots';
import { refreshRollups } from '../shared/use-cases/reports';

const { deps, logger, flushMetrics } = loadLambdaDependencies(process.env);

export const handler = async () => {
  try {
    const result = await refreshRollups(deps);
    logger.info('rollups refreshed', { ...result });
    const purge = await purgeDeletedLots(deps);
    logger.info('deleted lots purged', { ...purge });
    return { ...result, purge };
  } finally {
    flushMetrics();
  }
};
