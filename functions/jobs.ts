// AWS Lambda on an EventBridge schedule: keeps utilization rollups current so reports read
// rollups only (shared/store/rollups.ts). Safe to run at any time and concurrently: a rebuild is
// idempotent and clears a lot's mark only if nothing arrived meanwhile.
import { loadLambdaDependencies } from '../shared/lambda';
import { refreshRollups } from '../shared/use-cases/reports';

const { deps, logger, flushMetrics } = loadLambdaDependencies(process.env);

export const handler = async () => {
  try {
    const result = await refreshRollups(deps);
    logger.info('rollups refreshed', { ...result });
    return result;
  } finally {
    flushMetrics();
  }
};
