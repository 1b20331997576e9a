// What a Lambda entry point needs: config from its environment, one client, one logger.
// Built once per container (cold start), reused by every invocation.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type CityConfig, cityConfig, loadConfig } from './config';
import { createDependencies } from './dependencies';
import { createDynamoClient } from './store/client';
import type { Dependencies } from './use-cases/ports';

export const METRICS_NAMESPACE = 'ParkingFinder';

export function loadLambdaDependencies(env: Record<string, string | undefined>): {
  deps: Dependencies;
  /** The city the pages show (README "Configuration"). */
  city: CityConfig;
  logger: Logger;
  /** Write the metrics of this invocation (CloudWatch embedded metric format on stdout). */
  flushMetrics: () => void;
} {
  const config = loadConfig(env);
  const logger = new Logger({
    serviceName: 'parking-finder',
    logLevel: config.LOG_LEVEL === 'SILENT' ? 'SILENT' : config.LOG_LEVEL,
  });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'parking-finder' });
  const client = createDynamoClient({
    region: config.AWS_REGION,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
  });
  return {
    deps: createDependencies({
      client,
      tableName: config.TABLE_NAME,
      historyRetentionDays: config.HISTORY_RETENTION_DAYS,
      apiKeyCacheSeconds: config.API_KEY_CACHE_SECONDS,
      allowPrivateSources: config.ALLOW_PRIVATE_SOURCES,
      metrics: {
        count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
        milliseconds: (name, ms) => metrics.addMetric(name, MetricUnit.Milliseconds, ms),
      },
    }),
    city: cityConfig(config),
    logger,
    flushMetrics: () => metrics.publishStoredMetrics(),
  };
}
