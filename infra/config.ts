// Deployment settings, read once from CDK context (`cdk deploy -c stageName=prod -c alarmEmail=ops@city.example`)
// or passed as props by tests. Every setting has a production-minded default, listed in DEFAULTS.
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigError as AppConfigError,
  DEFAULT_API_KEY_CACHE_SECONDS,
  DEFAULT_HISTORY_RETENTION_DAYS,
  loadConfig,
} from '../shared/config';

export interface ServiceConfig {
  /** Deployment stage (dev, prod, ...): names the stack `parking-finder-<stage>`, so stages never collide. */
  stageName: string;
  /** Steady requests per second across the whole API (stage default route throttling). */
  throttleRateLimit: number;
  /** Requests the API accepts in a burst above the steady rate. */
  throttleBurstLimit: number;
  /** How long observation history is kept (DynamoDB TTL); the functions' HISTORY_RETENTION_DAYS. */
  historyRetentionDays: number;
  /** The functions' API_KEY_CACHE_SECONDS (0: off, every request reads its key). */
  apiKeyCacheSeconds: number;
  /** Retention of the functions' logs and the API access log, in days (a CloudWatch Logs value). */
  logRetentionDays: RetentionDays;
  /** Where alarm notifications go; unset: the SNS topic exists without a subscription. */
  alarmEmail?: string;
  /**
   * The city the pages show and who publishes its open data (README "Configuration"): CITY_NAME,
   * CITY_NAME_ZH, CITY_CENTER, PUBLISHER_COUNTRY, PUBLISHER_ID for the functions, from the context
   * keys cityName, cityNameZh, cityCenter, publisherCountry, publisherId; checked at synth as the
   * functions would read them. Unset: the functions' defaults.
   */
  cityEnvironment?: Record<string, string>;
}

/** The city's context keys and the functions' variables they set. */
const CITY_CONTEXT = {
  cityName: 'CITY_NAME',
  cityNameZh: 'CITY_NAME_ZH',
  cityCenter: 'CITY_CENTER',
  publisherCountry: 'PUBLISHER_COUNTRY',
  publisherId: 'PUBLISHER_ID',
} as const;

export const DEFAULTS = {
  stageName: 'dev',
  // A city's drivers' app at rush hour is tens of requests per second; the burst absorbs app start-ups
  // after a tunnel. Both are far below the account's 10,000 rps, so one noisy client cannot starve others.
  throttleRateLimit: 100,
  throttleBurstLimit: 200,
  historyRetentionDays: DEFAULT_HISTORY_RETENTION_DAYS, // a year and a month: year-on-year reports
  apiKeyCacheSeconds: DEFAULT_API_KEY_CACHE_SECONDS, // off: a revoked key is refused at once everywhere
  logRetentionDays: RetentionDays.ONE_MONTH,
} as const satisfies Omit<ServiceConfig, 'alarmEmail'>;

/** Context keys, as typed after `-c` or in cdk.json's "context". */
export const CONTEXT_KEYS = [
  'stageName',
  'throttleRateLimit',
  'throttleBurstLimit',
  'historyRetentionDays',
  'apiKeyCacheSeconds',
  'logRetentionDays',
  'alarmEmail',
  'cityName',
  'cityNameZh',
  'cityCenter',
  'publisherCountry',
  'publisherId',
] as const;

/** The rollup job runs this often (like the local server's timer, shared/local/server.ts). */
export const ROLLUP_INTERVAL = Duration.minutes(5);
/** How often the feed job looks for due sources: the shortest interval a source may have (README "Feeds a city already has"). */
export const FEED_INTERVAL = Duration.minutes(1);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

// What CloudWatch Logs accepts, without "never expire" (logs of every request would then grow forever).
const FINITE_RETENTIONS = Object.values(RetentionDays).filter(
  (d): d is RetentionDays => typeof d === 'number' && d !== RetentionDays.INFINITE,
);

type Lookup = (key: (typeof CONTEXT_KEYS)[number]) => unknown;

/** Reads and checks the settings; a bad value stops synth with a message naming the context key. */
export function readConfig(lookup: Lookup, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  const problems: string[] = [];
  const text = (key: 'stageName' | 'alarmEmail' | keyof typeof CITY_CONTEXT): string | undefined => {
    const value = lookup(key);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') problems.push(`${key}: must be a string`);
    return typeof value === 'string' ? value : undefined;
  };
  // `-c key=value` gives strings, cdk.json gives numbers: accept both, but only plain integers.
  const integer = (key: (typeof CONTEXT_KEYS)[number], min: number, max: number): number | undefined => {
    const value = lookup(key);
    if (value === undefined || value === '') return undefined;
    const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key}: must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return n;
  };

  const config: ServiceConfig = {
    stageName: overrides.stageName ?? text('stageName') ?? DEFAULTS.stageName,
    throttleRateLimit:
      overrides.throttleRateLimit ?? integer('throttleRateLimit', 1, 10_000) ?? DEFAULTS.throttleRateLimit,
    throttleBurstLimit:
      overrides.throttleBurstLimit ?? integer('throttleBurstLimit', 1, 5_000) ?? DEFAULTS.throttleBurstLimit,
    historyRetentionDays:
      overrides.historyRetentionDays ??
      integer('historyRetentionDays', 1, 3650) ??
      DEFAULTS.historyRetentionDays,
    apiKeyCacheSeconds:
      overrides.apiKeyCacheSeconds ?? integer('apiKeyCacheSeconds', 0, 60) ?? DEFAULTS.apiKeyCacheSeconds,
    logRetentionDays:
      overrides.logRetentionDays ?? integer('logRetentionDays', 1, 9999) ?? DEFAULTS.logRetentionDays,
  };
  const alarmEmail = 'alarmEmail' in overrides ? overrides.alarmEmail : text('alarmEmail');
  if (alarmEmail !== undefined) config.alarmEmail = alarmEmail;
  const city =
    overrides.cityEnvironment ??
    Object.fromEntries(
      Object.entries(CITY_CONTEXT).flatMap(([key, variable]) => {
        const value = text(key as keyof typeof CITY_CONTEXT);
        return value === undefined ? [] : [[variable, value]];
      }),
    );
  if (Object.keys(city).length > 0) {
    config.cityEnvironment = city;
    try {
      loadConfig(city);
    } catch (error) {
      if (!(error instanceof AppConfigError)) throw error;
      // "  CITY_CENTER: must be …" → "cityCenter: must be …"
      for (const line of error.message.split('\n').slice(1)) {
        const [variable = '', ...rest] = line.trim().split(': ');
        const key = Object.entries(CITY_CONTEXT).find(([, v]) => v === variable)?.[0] ?? variable;
        problems.push(`${key}: ${rest.join(': ')}`);
      }
    }
  }

  if (!/^[a-z][a-z0-9-]{0,19}$/.test(config.stageName)) {
    problems.push(`stageName: must be 1-20 lower-case letters, digits or '-', starting with a letter`);
  }
  if (config.throttleBurstLimit < config.throttleRateLimit) {
    problems.push('throttleBurstLimit: must be at least throttleRateLimit');
  }
  if (!FINITE_RETENTIONS.includes(config.logRetentionDays)) {
    problems.push(`logRetentionDays: must be one of ${FINITE_RETENTIONS.join(', ')}`);
  }
  if (config.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(config.alarmEmail)) {
    problems.push('alarmEmail: must be an e-mail address');
  }
  if (problems.length > 0) throw new ConfigError(`invalid CDK context:\n  ${problems.join('\n  ')}`);
  return config;
}
