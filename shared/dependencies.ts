// The composition root: one DynamoDB client → the stores → the use cases' dependencies.
import { DEFAULT_API_KEY_CACHE_SECONDS, DEFAULT_HISTORY_RETENTION_DAYS } from './config';
import { HttpFeedFetcher } from './outbound/feed-fetcher';
import type { StoreClient } from './store/client';
import { createStores } from './store/stores';
import { type Dependencies, type FeedFetcherPort, type MetricsPort, NO_METRICS } from './use-cases/ports';

export interface DependencyOptions {
  client: StoreClient;
  tableName: string;
  now?: () => number;
  historyRetentionDays?: number;
  /** API_KEY_CACHE_SECONDS: how long a successful key lookup is reused (0: never). */
  apiKeyCacheSeconds?: number;
  metrics?: MetricsPort;
  /** Id source for the generation of each lot created (default: 96 random bits). */
  newId?: () => string;
  /** ALLOW_PRIVATE_SOURCES: feeds may be on loopback or private addresses, over http (tests). */
  allowPrivateSources?: boolean;
  /** Outbound HTTP for feeds (default: the address-checking fetcher, shared/outbound). */
  feeds?: FeedFetcherPort;
}

export function createDependencies(options: DependencyOptions): Dependencies {
  const now = options.now ?? Date.now;
  return {
    ...createStores(options.client, options.tableName, {
      newId: options.newId,
      keyCache: { ttlMs: (options.apiKeyCacheSeconds ?? DEFAULT_API_KEY_CACHE_SECONDS) * 1000, now },
    }),
    feeds: options.feeds ?? new HttpFeedFetcher({ allowPrivate: options.allowPrivateSources ?? false }),
    metrics: options.metrics ?? NO_METRICS,
    now,
    historyRetentionDays: options.historyRetentionDays ?? DEFAULT_HISTORY_RETENTION_DAYS,
  };
}
