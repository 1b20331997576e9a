// Configuration is read once, here, from the environment (README "Configuration"). Nothing below
// this module touches process.env: tests and the Lambda entry pass their own values.
import { z } from 'zod';
import { KNOWN_CITIES, type KnownCityName } from './cities';
import { lotNameProblem } from './domain/lot-name';

/** How long observation history is kept when HISTORY_RETENTION_DAYS is unset (README "Configuration"). */
export const DEFAULT_HISTORY_RETENTION_DAYS = 400;

/**
 * How long a process trusts a successful API-key lookup when API_KEY_CACHE_SECONDS is unset: the
 * longest a key revoked elsewhere may still work here (README "Keys and authentication"). Off by
 * default, so that a revoked key is refused at once by every process, as the API promises; a
 * deployment may trade up to 60 s of that for fewer key reads.
 */
export const DEFAULT_API_KEY_CACHE_SECONDS = 0;

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** A whole number written in plain decimal, within [min, max] (no 0x10, 1e3 or 1.5). */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** A name the pages show (the city's): the same rules as a lot's name, at most 100 characters. */
const displayName = z
  .string()
  .trim()
  .max(100)
  .superRefine((name, ctx) => {
    const problem = lotNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An ISO 3166-1 alpha-2 region code that Intl knows (GB, CN, …); ZZ is "unknown". */
const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in capitals, such as GB or CN')
  .refine(knownRegion, 'is not an ISO 3166-1 country code');

function knownRegion(code: string): boolean {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(code) !== undefined;
  } catch {
    return false; // not a region code's shape at all (the regex names that)
  }
}

const DECIMAL = String.raw`[-+]?\d{1,3}(?:\.\d+)?`;
const CENTRE = new RegExp(`^\\s*(${DECIMAL})\\s*,\\s*(${DECIMAL})\\s*$`);
const CENTRE_FORMAT =
  'must be "latitude,longitude" in decimal degrees (latitude −90 to 90, longitude −180 to 180), e.g. 30.2722,120.1653';

/** "lat,lon" in plain decimal degrees, WGS-84 (as every stored coordinate). */
const centre = z.string().transform((text, ctx) => {
  const m = CENTRE.exec(text);
  const lat = Number(m?.[1]);
  const lon = Number(m?.[2]);
  if (!m || !(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) {
    ctx.addIssue({ code: 'custom', message: `${CENTRE_FORMAT}; got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return { lat, lon };
});

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./.data'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  TABLE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a valid DynamoDB table name')
    .default('parking'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  SEED_DEMO: booleanFlag.default(true),
  // Which demo city local mode seeds (shared/cities.ts, shared/demo/cities.ts); its name and centre are the defaults
  // of the city the pages show.
  DEMO_CITY: z.enum(Object.keys(KNOWN_CITIES) as [KnownCityName, ...KnownCityName[]]).default('birmingham'),
  // The city the pages name and centre on (README "Languages"): never hard-coded in a page.
  CITY_NAME: displayName.optional(),
  CITY_NAME_ZH: displayName.optional(),
  CITY_CENTER: centre.optional(),
  // Who the open data exports name as their publisher (README "Open formats"): a country and a name
  // unique in it, as a national access point registers it.
  PUBLISHER_COUNTRY: countryCode.default('ZZ'),
  PUBLISHER_ID: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'must be printable ASCII')
    .default('parking-finder'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_HISTORY_RETENTION_DAYS),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  // Feed sources may be on loopback, private or link-local addresses, and plain http (tests,
  // closed networks); otherwise only https on public addresses (README "Feeds a city already has").
  ALLOW_PRIVATE_SOURCES: booleanFlag.default(false),
  // The local server's connection bounds (README "Limits"): a connection that has not sent a whole
  // request (headers and body) within this many seconds is answered 408 and closed.
  HTTP_REQUEST_TIMEOUT_SECONDS: wholeNumber(1, 300).default(30),
  // Open connections at once; the next one is closed as soon as it is accepted.
  HTTP_MAX_CONNECTIONS: wholeNumber(1, 65_535).default(256),
  // Seconds a successful API-key lookup is reused in this process (0: every request reads the key
  // strongly consistently); a key revoked by another process works here for up to this long.
  API_KEY_CACHE_SECONDS: wholeNumber(0, 60).default(DEFAULT_API_KEY_CACHE_SECONDS),
});

export type Config = z.infer<typeof configSchema>;

/** The city the pages show (its name in each page language, its default centre) and who publishes its open data. */
export interface CityConfig {
  name: { en: string; 'zh-CN': string };
  centre: { lat: number; lon: number };
  publisher: { country: string; nationalIdentifier: string };
}

/**
 * CITY_NAME (every language), CITY_NAME_ZH (the Chinese pages; default CITY_NAME) and CITY_CENTER,
 * each defaulting to the demo city's, so that `DEMO_CITY=hangzhou` alone shows Hangzhou everywhere.
 */
export function cityConfig(config: Config): CityConfig {
  const demo = KNOWN_CITIES[config.DEMO_CITY];
  const en = config.CITY_NAME ?? demo.name.en;
  return {
    name: { en, 'zh-CN': config.CITY_NAME_ZH ?? config.CITY_NAME ?? demo.name['zh-CN'] },
    centre: config.CITY_CENTER ?? demo.centre,
    publisher: { country: config.PUBLISHER_COUNTRY, nationalIdentifier: config.PUBLISHER_ID },
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset" (a common shell idiom: FOO= npm start).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
