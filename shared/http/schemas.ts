// The zod schemas that validate every request and generate the OpenAPI document: one source of
// truth for what clients may send (README "API summary" and "Limits").
import { z } from '@hono/zod-openapi';
import { FEED_FORMATS } from '../domain/feeds/formats';
import {
  FORECAST_HORIZONS,
  FORECAST_TRAINING_DAYS,
  PAST_AS_OF_TOLERANCE_MS,
} from '../domain/forecast/serving';
import { NETWORKS } from '../domain/lorawan';
import { DEFAULT_STALE_AFTER_SECONDS, LOT_FEATURES, LOT_TYPES, RESERVED_LOT_IDS } from '../domain/lot';
import { LOT_NAME_RULES, lotNameProblem, MAX_LOT_NAME_LENGTH } from '../domain/lot-name';
import { EVENT_ID_PATTERN } from '../domain/observation';
import { loadOpeningHours, MAX_OPENING_HOURS_LENGTH } from '../domain/opening-hours';
import {
  inTimeDomain,
  TIME_DOMAIN_END_ISO,
  TIME_DOMAIN_MESSAGE,
  TIME_DOMAIN_START_ISO,
} from '../domain/time-domain';
import { canonicalTimeZone } from '../domain/zoned-time';
import { CrsParam } from './crs';
import { BODY_LIMIT_BYTES } from './limits';
import { PROBLEM_TITLES } from './problem-titles';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID_MESSAGE = 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

// The patterns bound the length; maxLength says so to tools that read only maxLength.
export const Id = z.string().regex(ID_PATTERN, ID_MESSAGE).openapi({ maxLength: 64 });
export const EventId = z
  .string()
  .regex(EVENT_ID_PATTERN, 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$')
  .openapi({ maxLength: 128 });

/**
 * Marks a string as free text (a name, a label, a message): nothing narrower than its length can
 * describe it, so the API lint does not ask it for a pattern or format (.spectral.yaml).
 */
export const FREE_TEXT = { 'x-free-text': true } as const;
export const freeText = (maxLength: number) => z.string().max(maxLength).openapi(FREE_TEXT);

/** An id as the service answers it (it only answers ids it accepted). */
export const IdOut = z.string().max(64).openapi({ pattern: ID_PATTERN.source });

/** An integer, with the format that holds its range. */
export function int(min: number, max: number) {
  const int32 = min >= -(2 ** 31) && max <= 2 ** 31 - 1;
  return z
    .number()
    .int()
    .min(min)
    .max(max)
    .openapi({ format: int32 ? 'int32' : 'int64' });
}

/** A count the service answers that nothing bounds but the number type. */
const count = () => int(0, Number.MAX_SAFE_INTEGER);

/** An instant the service answers: ISO-8601 (Z, or a local offset in reports). */
const instantOut = () => z.string().max(40).openapi({ format: 'date-time' });

// Query values arrive as text: plain decimal only (no 0x10, 1e3, empty; README "API summary"), of
// at most QUERY_NUMBER_LENGTH characters (README "Limits").
const decimalText = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const integerText = /^(?:0|[1-9]\d*)$/;
export const QUERY_NUMBER_LENGTH = 32;

function decimalParam(min: number, max: number, name: string) {
  return z
    .string()
    .max(QUERY_NUMBER_LENGTH, `${name} must be at most ${QUERY_NUMBER_LENGTH} characters`)
    .regex(decimalText, `${name} must be a plain decimal number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be ≥ ${min}`).max(max, `${name} must be ≤ ${max}`));
}

function integerParam(min: number, max: number, name: string) {
  return z
    .string()
    .max(QUERY_NUMBER_LENGTH, `${name} must be at most ${QUERY_NUMBER_LENGTH} characters`)
    .regex(integerText, `${name} must be a whole number in plain decimal`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be ≥ ${min}`).max(max, `${name} must be ≤ ${max}`));
}

/** How a number in the query looks in the document: text, its pattern and length, the example. */
const decimalDoc = (example: string) => ({
  type: 'string' as const,
  pattern: decimalText.source,
  maxLength: QUERY_NUMBER_LENGTH,
  example,
});
const integerDoc = (example: string) => ({
  type: 'string' as const,
  pattern: integerText.source,
  maxLength: QUERY_NUMBER_LENGTH,
  example,
});

export const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Where every instant a request carries must lie (README "Limits"), for the OpenAPI descriptions. */
export const TIME_DOMAIN_TEXT = `from ${TIME_DOMAIN_START_ISO} up to, not including, ${TIME_DOMAIN_END_ISO}`;

// An instant inside the service's time domain; what zod accepts, Date.parse reads exactly.
// At most 40 characters (README "Limits"): room for nine fractional digits and an offset.
const isoInstant = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 time with Z or an offset' })
  .max(40)
  .refine((text) => inTimeDomain(Date.parse(text)), TIME_DOMAIN_MESSAGE)
  .openapi({ maxLength: 40 });

export const LocationSchema = z
  .strictObject({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  })
  .openapi('Location', {
    description:
      'decimal degrees, WGS-84 unless the request says another `crs`; stored as WGS-84 to 9 decimal places',
  });

export const FeatureSchema = z.enum(LOT_FEATURES);
export const LotTypeSchema = z.enum(LOT_TYPES);

// Zone names are case-insensitive: each is kept and echoed in the runtime's canonical spelling
// (europe/london → Europe/London), so one zone's lots never split in reports.
export const TimeZoneSchema = z
  .string()
  .max(64)
  .transform((tz, ctx) => {
    const canonical = canonicalTimeZone(tz);
    if (canonical === null) {
      ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/London' });
      return z.NEVER;
    }
    return canonical;
  })
  .openapi({
    type: 'string',
    format: 'time-zone',
    maxLength: 64,
    example: 'Europe/London',
    description: 'An IANA time zone, any letter case; stored and echoed in its canonical spelling',
  });

export const LotNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = lotNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({
    // No pattern: the rules need Unicode property classes, which JSON Schema patterns cannot rely on.
    minLength: 1,
    maxLength: MAX_LOT_NAME_LENGTH,
    ...FREE_TEXT,
    example: 'Bull Ring',
    description: LOT_NAME_RULES,
  });

/** An OpenStreetMap opening_hours value the evaluator can parse and evaluate (README "Opening hours"). */
export const OpeningHoursSchema = z
  .string()
  .max(MAX_OPENING_HOURS_LENGTH)
  // Asynchronous, for the evaluator's on-demand load: the routes' validators parse asynchronously.
  .superRefine(async (value, ctx) => {
    // zod runs this even when max failed: the length is checked again inside, before parsing.
    if (value.length > MAX_OPENING_HOURS_LENGTH) return;
    const problem = (await loadOpeningHours()).problem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({
    ...FREE_TEXT,
    example: 'Mo-Fr 08:00-20:00; Sa 09:00-18:00',
    description:
      "An OpenStreetMap `opening_hours` value, evaluated in the lot's timeZone (sunrise and sunset at its " +
      'location; public and school holidays, PH and SH, are unknown to the service and never apply). ' +
      'A value that does not parse or evaluate is a 400 naming openingHours.',
  });

const lotFields = {
  name: LotNameSchema,
  location: LocationSchema,
  capacity: int(1, 100_000),
  type: LotTypeSchema,
  features: z
    .array(FeatureSchema)
    .max(LOT_FEATURES.length)
    .refine((f) => new Set(f).size === f.length, 'must not repeat a feature'),
  zone: Id.optional(),
  timeZone: TimeZoneSchema,
  staleAfterSeconds: int(60, 7 * 86_400),
  openingHours: OpeningHoursSchema.optional(),
};

export const LotInputSchema = z
  .strictObject({
    ...lotFields,
    features: lotFields.features.default([]),
    staleAfterSeconds: lotFields.staleAfterSeconds.default(DEFAULT_STALE_AFTER_SECONDS),
  })
  .openapi('LotInput', {
    example: {
      name: 'Bull Ring',
      location: { lat: 52.477, lon: -1.894 },
      capacity: 3053,
      type: 'garage',
      features: ['ev'],
      zone: 'bhm-centre',
      timeZone: 'Europe/London',
    },
  });

export const LotPatchSchema = z
  .strictObject({
    name: lotFields.name.optional(),
    location: LocationSchema.optional(),
    capacity: lotFields.capacity.optional(),
    type: LotTypeSchema.optional(),
    features: lotFields.features.optional(),
    zone: Id.nullable().optional(),
    timeZone: TimeZoneSchema.optional(),
    staleAfterSeconds: lotFields.staleAfterSeconds.optional(),
    openingHours: OpeningHoursSchema.nullable().optional(),
    closed: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'a patch must change at least one field')
  .openapi('LotPatch');

export const LotSchema = z
  .object({
    id: IdOut,
    name: freeText(MAX_LOT_NAME_LENGTH),
    location: LocationSchema,
    capacity: int(1, 100_000),
    occupied: int(0, 100_000).nullable().openapi({ description: 'clamped to [0, capacity]' }),
    free: int(0, 100_000).nullable(),
    occupancy: z.number().min(0).max(1).nullable(),
    status: z.enum(['available', 'full', 'stale', 'nodata', 'closed']),
    observedAt: instantOut().nullable(),
    dataAge: count().nullable().openapi({ description: 'seconds since observedAt' }),
    type: LotTypeSchema,
    features: z.array(FeatureSchema).max(LOT_FEATURES.length),
    zone: IdOut.nullable(),
    timeZone: z.string().max(64).openapi({ format: 'time-zone' }),
    staleAfterSeconds: int(60, 7 * 86_400),
    openingHours: freeText(255).nullable(),
    opensAt: instantOut()
      .nullable()
      .openapi({ description: 'closed by its opening hours: when it next opens, if within 7 days' }),
    closesAt: instantOut()
      .nullable()
      .openapi({ description: 'open by its opening hours: when it closes, if within 24 hours' }),
    flags: z.array(z.enum(['over_capacity', 'negative_count'])).max(2),
  })
  .openapi('Lot');

export const PredictionSchema = z
  .object({
    at: instantOut().openapi({ description: 'arriveAt' }),
    occupied: int(0, 100_000),
    free: int(0, 100_000),
    low: int(0, 100_000),
    high: int(0, 100_000),
  })
  .openapi('Prediction', {
    description:
      'The lot forecast for arriveAt (integers in [0, capacity], low ≤ occupied ≤ high, free = capacity − occupied)',
  });

export const NearbyLotSchema = LotSchema.extend({
  distance: int(0, 50_000),
  prediction: PredictionSchema.nullable().optional().openapi({
    description: 'only with arriveAt: the forecast for then, null where there is nothing to predict from',
  }),
}).openapi('NearbyLot');

export const NearbyQuerySchema = z.object({
  lat: decimalParam(-90, 90, 'lat').openapi(decimalDoc('52.4797')),
  lon: decimalParam(-180, 180, 'lon').openapi(decimalDoc('-1.9026')),
  radius: integerParam(1, 50_000, 'radius').optional().openapi(integerDoc('1000')),
  limit: integerParam(1, 100, 'limit').optional().openapi(integerDoc('10')),
  minFree: integerParam(0, 100_000, 'minFree').optional().openapi(integerDoc('1')),
  features: z
    .string()
    .max(200)
    .transform((s, ctx) => {
      const list = s === '' ? [] : s.split(',');
      for (const f of list) {
        if (!(LOT_FEATURES as readonly string[]).includes(f)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown feature '${f}' (one of ${LOT_FEATURES.join(', ')})`,
          });
          return z.NEVER;
        }
      }
      return list as (typeof LOT_FEATURES)[number][];
    })
    .optional()
    .openapi({
      type: 'string',
      // What the transform accepts: known features, comma-separated (or nothing).
      pattern: `^((${LOT_FEATURES.join('|')})(,(${LOT_FEATURES.join('|')}))*)?$`,
      maxLength: 200,
      example: 'ev,accessible',
    }),
  includeStale: booleanParam.optional().openapi({ type: 'string', enum: ['true', 'false'] }),
  crs: CrsParam,
  arriveAt: isoInstant.optional().openapi({
    description:
      'When the driver arrives, from now to now + 24 h (up to 5 minutes earlier is read as now; otherwise a ' +
      '400): every lot then carries `prediction` (its forecast for that instant, or null with nothing to predict ' +
      'from) and minFree applies to the predicted free spaces where there is a prediction. The order stays by ' +
      `distance (ties: more predicted free spaces). ${TIME_DOMAIN_TEXT}.`,
  }),
});

export const NearbyResponseSchema = z
  .object({
    origin: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
    radius: int(1, 50_000),
    asOf: instantOut(),
    lots: z.array(NearbyLotSchema).max(100),
  })
  .openapi('NearbyResponse');

// Forecasts (README "Forecasts"): the bounds are the use case's.
const horizonsText = /^(?:[1-9]\d{0,3})(?:,[1-9]\d{0,3}){0,11}$/;

export const ForecastQuerySchema = z.object({
  horizons: z
    .string()
    .max(FORECAST_HORIZONS.maxCount * 5)
    .transform((s, ctx) => {
      const parts = s.split(',');
      if (parts.length > FORECAST_HORIZONS.maxCount) {
        ctx.addIssue({ code: 'custom', message: `at most ${FORECAST_HORIZONS.maxCount} horizons` });
        return z.NEVER;
      }
      const minutes: number[] = [];
      for (const p of parts) {
        const m = integerText.test(p) ? Number(p) : Number.NaN;
        if (!(m >= FORECAST_HORIZONS.minMinutes && m <= FORECAST_HORIZONS.maxMinutes)) {
          ctx.addIssue({
            code: 'custom',
            message:
              `'${p.slice(0, 8)}' is not a whole number of minutes from ${FORECAST_HORIZONS.minMinutes} to ` +
              `${FORECAST_HORIZONS.maxMinutes} (comma-separated, at most ${FORECAST_HORIZONS.maxCount})`,
          });
          return z.NEVER;
        }
        minutes.push(m);
      }
      return minutes;
    })
    .optional()
    .openapi({
      type: 'string',
      pattern: horizonsText.source,
      maxLength: FORECAST_HORIZONS.maxCount * 5,
      example: '15,30,60,120,240',
      description:
        `Minutes ahead of asOf, comma-separated: each ${FORECAST_HORIZONS.minMinutes}..${FORECAST_HORIZONS.maxMinutes}, ` +
        `at most ${FORECAST_HORIZONS.maxCount}, answered in the order given. Default ${FORECAST_HORIZONS.default.join(',')}.`,
    }),
  asOf: isoInstant.optional().openapi({
    description:
      'The forecast as it would have been made at this instant, from observations observed at or before it ' +
      `only (default now, or the lot's last observation when a sensor clock ahead of ours put it later; later than now is a 400). Earlier than now by more than ${PAST_AS_OF_TOLERANCE_MS / 60_000} ` +
      `minutes needs a staff key. ${TIME_DOMAIN_TEXT}.`,
  }),
});

const figure = (description: string) => int(0, 100_000).nullable().openapi({ description });

export const ForecastPointSchema = z
  .object({
    horizonMinutes: int(FORECAST_HORIZONS.minMinutes, FORECAST_HORIZONS.maxMinutes),
    at: instantOut().openapi({ description: 'asOf + horizonMinutes' }),
    occupied: figure('predicted occupancy, an integer in [0, capacity]; null: nothing to predict from'),
    free: figure('capacity − occupied'),
    low: figure('lower end of the central 80% interval of occupied (low ≤ occupied)'),
    high: figure('upper end of the central 80% interval of occupied (occupied ≤ high)'),
  })
  .openapi('ForecastPoint');

export const ForecastResponseSchema = z
  .object({
    lotId: IdOut,
    asOf: instantOut(),
    basis: z.object({
      lastObservedAt: instantOut().nullable().openapi({
        description: 'the last observation at or before asOf the forecast starts from (null: none)',
      }),
      historyDays: int(0, 366).openapi({
        description: `local days with data among the ${FORECAST_TRAINING_DAYS} UTC days before asOf's UTC day the model learned from`,
      }),
    }),
    points: z.array(ForecastPointSchema).max(FORECAST_HORIZONS.maxCount),
  })
  .openapi('Forecast');

export const BboxQuerySchema = z.object({
  bbox: z
    .string()
    .transform((s, ctx) => {
      const parts = s.split(',');
      if (parts.length !== 4 || parts.some((p) => !decimalText.test(p))) {
        ctx.addIssue({
          code: 'custom',
          message: 'bbox must be minLon,minLat,maxLon,maxLat in plain decimals',
        });
        return z.NEVER;
      }
      const [minLon, minLat, maxLon, maxLat] = parts.map(Number) as [number, number, number, number];
      if (
        [minLon, maxLon].some((x) => x < -180 || x > 180) ||
        [minLat, maxLat].some((y) => y < -90 || y > 90)
      ) {
        ctx.addIssue({
          code: 'custom',
          message: 'bbox longitudes must be in [-180, 180] and latitudes in [-90, 90]',
        });
        return z.NEVER;
      }
      if (minLat > maxLat) {
        ctx.addIssue({ code: 'custom', message: 'bbox minLat must not exceed maxLat' });
        return z.NEVER;
      }
      return { minLon, minLat, maxLon, maxLat };
    })
    .openapi({
      type: 'string',
      pattern: `^${decimalText.source.slice(1, -1)}(,${decimalText.source.slice(1, -1)}){3}$`,
      maxLength: 4 * QUERY_NUMBER_LENGTH + 3,
      example: '-1.92,52.47,-1.88,52.49',
      description: 'minLon,minLat,maxLon,maxLat; minLon > maxLon crosses the antimeridian',
    }),
  limit: integerParam(1, 1000, 'limit').optional().openapi(integerDoc('500')),
  crs: CrsParam,
});

export const ClusterSchema = z
  .object({
    location: LocationSchema.openapi({ description: "the centroid of the cluster's lots" }),
    lots: count(),
    capacity: count(),
    free: count().openapi({ description: 'free spaces of its lots that are open with fresh data' }),
    bbox: z
      .array(z.number().min(-180).max(180))
      .min(4)
      .max(4)
      .openapi({ description: "[minLon, minLat, maxLon, maxLat] of the cluster's lots" }),
  })
  .openapi('Cluster');

export const LotListResponseSchema = z
  .object({
    lots: z.array(LotSchema).max(1000),
    clusters: z
      .array(ClusterSchema)
      .max(1024)
      .optional()
      .openapi({
        description:
          'When the box holds more lots than `limit` (beside `lots`) or is too large to list lot by lot ' +
          '(`lots` empty): at most about 256 clusters whose `lots` add up to every lot in the box',
      }),
    clustersAsOf: instantOut()
      .nullable()
      .optional()
      .openapi({ description: "when the clusters' figures were computed; null before the first build" }),
  })
  .openapi('LotList');

/** A lot list as GeoJSON (`Accept: application/geo+json`): Points at [lon, lat], the lot as properties. */
export const FeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z
      .array(
        z.object({
          type: z.literal('Feature'),
          id: IdOut,
          geometry: z.object({
            type: z.literal('Point'),
            coordinates: z
              .array(z.number().min(-180).max(180))
              .min(2)
              .max(2)
              .openapi({ description: '[lon, lat]' }),
          }),
          properties: z.record(z.string(), z.unknown()),
        }),
      )
      .max(2048)
      .openapi({ description: 'lots, then clusters (properties.cluster = true) where the answer has them' }),
  })
  .openapi('FeatureCollection');

export const LotIdParams = z.object({
  id: Id.refine((id) => !RESERVED_LOT_IDS.includes(id), {
    message: `is reserved (${RESERVED_LOT_IDS.join(', ')}: GET /v1/lots/nearby is the nearby search)`,
  }).openapi({
    param: { name: 'id', in: 'path' },
    example: 'bhm-bull-ring',
    description: 'A lot id; `nearby` is reserved for the nearby search.',
  }),
});

// Observations (README "API summary"): exactly one kind per item.
export const ObservationInputSchema = z
  .strictObject({
    eventId: EventId,
    observedAt: isoInstant.openapi({ description: `${TIME_DOMAIN_TEXT}, and at most 5 minutes ahead` }),
    occupied: int(-1_000_000, 1_000_000).optional(),
    entries: int(0, 100_000).optional(),
    exits: int(0, 100_000).optional(),
    spaceId: Id.optional(),
    state: z.enum(['occupied', 'vacant']).optional(),
  })
  .superRefine((o, ctx) => {
    const kinds = [
      o.occupied !== undefined,
      o.entries !== undefined || o.exits !== undefined,
      o.spaceId !== undefined || o.state !== undefined,
    ].filter(Boolean).length;
    if (kinds !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be exactly one kind: occupied, or entries+exits, or spaceId+state',
      });
      return;
    }
    if ((o.entries === undefined) !== (o.exits === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [o.entries === undefined ? 'entries' : 'exits'],
        message: 'required',
      });
    }
    if ((o.spaceId === undefined) !== (o.state === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [o.spaceId === undefined ? 'spaceId' : 'state'],
        message: 'required',
      });
    }
  })
  .openapi('Observation');

export const ObservationBatchSchema = z
  .strictObject({ observations: z.array(ObservationInputSchema).min(1).max(100) })
  .openapi('ObservationBatch', {
    example: {
      observations: [
        { eventId: 's1-000123', observedAt: '2026-11-23T09:58:00Z', occupied: 2800 },
        { eventId: 'g2-000457', observedAt: '2026-11-23T09:58:05Z', entries: 3, exits: 1 },
        { eventId: 'b7-000999', observedAt: '2026-11-23T09:58:07Z', spaceId: 'L2-114', state: 'occupied' },
      ],
    },
  });

export const IngestResponseSchema = z
  .object({
    results: z
      .array(
        z.object({
          eventId: z.string().max(128).openapi({ pattern: EVENT_ID_PATTERN.source }),
          outcome: z.enum(['applied', 'duplicate', 'stale']),
        }),
      )
      .max(100),
    applied: int(0, 100),
    duplicates: int(0, 100),
    stale: int(0, 100),
  })
  .openapi('IngestResult');

export const HistoryQuerySchema = z.object({
  from: isoInstant.optional().openapi({ description: `default: 24 hours before to; ${TIME_DOMAIN_TEXT}` }),
  to: isoInstant.optional().openapi({ description: `exclusive, default now; ${TIME_DOMAIN_TEXT}` }),
  // Only base64url can be a cursor this service issued: said before the lot is looked up.
  cursor: z
    .string()
    .max(2048)
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this service issued')
    .optional(),
});

export const HistoryResponseSchema = z
  .object({
    lotId: IdOut,
    observations: z
      .array(
        z.object({
          eventId: z.string().max(128).openapi({ pattern: EVENT_ID_PATTERN.source }),
          observedAt: instantOut(),
          receivedAt: instantOut(),
          occupied: int(-1_000_000, 1_000_000).optional(),
          entries: int(0, 100_000).optional(),
          exits: int(0, 100_000).optional(),
          spaceId: IdOut.optional(),
          state: z.enum(['occupied', 'vacant']).optional(),
        }),
      )
      .max(1000),
    nextCursor: z.string().max(2048).optional().openapi({ pattern: '^[A-Za-z0-9_-]+$' }),
  })
  .openapi('History');

export const ProblemSchema = z
  .object({
    type: z.string().max(128).openapi({ format: 'uri' }),
    title: z.string().max(64).openapi({ enum: PROBLEM_TITLES }),
    status: int(400, 599),
    // Details and messages may quote what the request carried, which the HTTP server bounds
    // (16 KiB of request line and headers) and the body limit bounds.
    detail: freeText(16_384),
    errors: z
      .array(z.object({ path: freeText(16_384), message: freeText(16_384) }))
      .max(BODY_LIMIT_BYTES)
      .optional()
      .openapi({ description: 'one per field at fault; never more than the body had bytes' }),
  })
  .openapi('Problem');

/** What API Gateway answers when its stage throttle rejects a request (before the app sees it). */
export const GatewayThrottleSchema = z.object({ message: freeText(256) }).openapi('GatewayThrottle');

export const KeyInputSchema = z
  .strictObject({
    role: z.enum(['sensor', 'staff']),
    lots: z.array(Id).min(1).max(1000).optional(),
    label: z.string().trim().min(1).max(100).openapi(FREE_TEXT),
  })
  .superRefine((k, ctx) => {
    if (k.role === 'sensor' && k.lots === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lots'], message: 'a sensor key must list its lots' });
    }
    if (k.role === 'staff' && k.lots !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['lots'], message: 'a staff key reaches every lot; omit lots' });
    }
  })
  .openapi('KeyInput', { example: { role: 'sensor', lots: ['bhm-bull-ring'], label: 'Bull Ring gate 1' } });

export const KeySchema = z
  .object({
    keyId: IdOut,
    role: z.enum(['sensor', 'staff']),
    lots: z.array(IdOut).min(1).max(1000).optional(),
    label: freeText(100),
    createdAt: instantOut(),
  })
  .openapi('Key');

export const CreatedKeySchema = KeySchema.extend({
  secret: z
    .string()
    .max(512)
    .openapi({ pattern: '^[\\x21-\\x7e]{16,512}$', description: 'shown once; store it now' }),
}).openapi('CreatedKey');

export const KeyIdParams = z.object({
  keyId: Id.openapi({ param: { name: 'keyId', in: 'path' } }),
});

/** The query of a listing in pages (lot health, keys). */
export const PageQuerySchema = z.object({
  // Only base64url can be a cursor this service issued: said before anything is read.
  cursor: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this service issued')
    .optional()
    .openapi({ description: 'the nextCursor of the previous page' }),
});

export const NextCursorSchema = z.string().max(512).openapi({
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'more follow: pass it as cursor for the next page; absent on the last',
});

export const HealthReportSchema = z
  .object({
    lots: z
      .array(
        z.object({
          id: IdOut,
          name: freeText(MAX_LOT_NAME_LENGTH),
          status: z.enum(['stale', 'nodata']),
          observedAt: instantOut().nullable(),
          dataAge: count().nullable(),
        }),
      )
      // One page looks at HEALTH_PAGE_LOTS lots (shared/use-cases/lot-health.ts).
      .max(1000),
    nextCursor: NextCursorSchema.optional(),
  })
  .openapi('HealthReport');

// What the report's parser can read (a date, or an instant with Z or an offset, seconds optional):
// checked here so that a bound that cannot be one is named before the lots are looked up.
const REPORT_BOUND = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?))?$/;

const reportBound = (what: string, example: string) =>
  z
    .string()
    .max(40)
    .regex(REPORT_BOUND, 'must be an ISO-8601 instant or a date YYYY-MM-DD')
    .openapi({
      example,
      description:
        `${what}: an ISO-8601 instant (Z, ±hh:mm or ±hh:mm:ss) or a local date YYYY-MM-DD (midnight in tz), ` +
        `${TIME_DOMAIN_TEXT}`,
    });

export const ReportQuerySchema = z.object({
  from: reportBound('start', '2026-11-01'),
  to: reportBound('end, exclusive', '2026-11-08'),
  bucket: z.enum(['hour', 'day']).optional().openapi({ description: 'default hour' }),
  lotId: Id.optional(),
  zone: Id.optional(),
  tz: TimeZoneSchema.optional().openapi({
    type: 'string',
    format: 'time-zone',
    maxLength: 64,
    example: 'Europe/London',
    description: "IANA zone of the buckets (any letter case); default the lots' own",
  }),
  // Only base64url can be a cursor this service issued: said before the lots are looked up.
  cursor: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]*$/, 'is not a cursor this service issued')
    .optional()
    .openapi({
      description:
        'the nextCursor of the previous page of an all-lots report (JSON body, or X-Next-Cursor with CSV); ' +
        'valid only with the same from, to, bucket and tz',
    }),
});

const nullableNumber = z.number().nullable();

export const UtilizationRowSchema = z
  .object({
    lotId: IdOut.optional(),
    zone: IdOut.optional(),
    start: instantOut().openapi({ description: 'bucket start, ISO-8601 with the local offset' }),
    end: instantOut(),
    avgOccupied: nullableNumber,
    utilization: nullableNumber,
    peakOccupied: nullableNumber,
    peakAt: instantOut().nullable(),
    minOccupied: nullableNumber,
    timeFull: nullableNumber,
    coverage: z.number(),
    observations: count(),
    flags: z.array(z.string().max(64).openapi({ pattern: '^[a-z_]+$' })).max(16),
  })
  .openapi('UtilizationRow');

export const UtilizationReportSchema = z
  .object({
    from: instantOut(),
    to: instantOut(),
    bucket: z.enum(['hour', 'day']),
    tz: z.string().max(64).openapi({ format: 'time-zone' }),
    // maxItems: the report budget, applied where the route is (resources/reports.ts).
    rows: z.array(UtilizationRowSchema),
    nextCursor: z
      .string()
      .max(512)
      .optional()
      .openapi({ description: 'all-lots reports: pass it as cursor for the next page; absent on the last' }),
  })
  .openapi('UtilizationReport');

export const HeatmapSchema = z
  .object({
    tz: z.string().max(64).openapi({ format: 'time-zone' }),
    cells: z
      .array(
        z.object({
          weekday: int(1, 7).openapi({ description: 'Monday = 1' }),
          hour: int(0, 23),
          utilization: nullableNumber,
          coverage: z.number(),
        }),
      )
      .max(168),
  })
  .openapi('Heatmap');

// LoRaWAN integrations (README "Sensor networks").
export const IntegrationParams = z.object({
  integrationId: Id.openapi({ param: { name: 'integrationId', in: 'path' }, example: 'city-tts' }),
});

export const DeviceParams = IntegrationParams.extend({
  deviceId: Id.openapi({
    param: { name: 'deviceId', in: 'path' },
    example: 'bay-sensor-0042',
    description:
      "The Things Stack's `end_device_ids.device_id`, or ChirpStack's `deviceInfo.devEui` (16 hex digits, " +
      'any case); matched case-insensitively.',
  }),
});

export const IntegrationInputSchema = z
  .strictObject({
    network: z.enum(NETWORKS).openapi({ description: '`tts` (The Things Stack v3) or `chirpstack` (v4)' }),
    label: z.string().trim().min(1).max(100).openapi(FREE_TEXT),
  })
  .openapi('IntegrationInput', { example: { network: 'tts', label: 'City bay sensors (TTS Cloud)' } });

export const CreatedIntegrationSchema = z
  .object({
    integrationId: IdOut,
    network: z.enum(NETWORKS),
    label: freeText(100),
    createdAt: instantOut(),
    secret: z.string().max(512).openapi({
      pattern: '^pfi_[A-Za-z0-9_-]{43}$',
      description: 'shown once: give it to the network server as `Authorization: Bearer <secret>`',
    }),
    webhookPath: z.string().max(128).openapi({
      pattern: '^/v1/integrations/[A-Za-z0-9._-]+/uplinks$',
      description: 'where to point the webhook',
    }),
  })
  .openapi('CreatedIntegration');

export const DeviceInputSchema = z
  .strictObject({
    lotId: Id,
    spaceId: Id.optional().openapi({
      description: 'given: a bay sensor (occupied true/false); omitted: a counter',
    }),
  })
  .openapi('DeviceInput', { example: { lotId: 'bhm-bull-ring', spaceId: 'L2-114' } });

export const DeviceSchema = z
  .object({
    integrationId: IdOut,
    deviceId: IdOut,
    lotId: IdOut,
    spaceId: IdOut.optional(),
  })
  .openapi('Device');

export const UplinkQuerySchema = z.object({
  event: z
    .string()
    .max(32)
    .regex(/^[a-z_]{1,32}$/, 'must be a ChirpStack event name')
    .optional()
    .openapi({
      example: 'up',
      description: "ChirpStack's event type: `up` is read, every other event is acknowledged and ignored",
    }),
});

/**
 * Whatever the network server sends, read in the integration's dialect by the handler: a message
 * this service cannot use is acknowledged (202), never refused, since network servers retry refusals.
 */
export const UplinkBodySchema = z.looseObject({}).openapi('LorawanUplink', {
  description:
    'A The Things Stack v3 webhook uplink message (`end_device_ids.device_id`, `uplink_message.f_cnt`, ' +
    '`uplink_message.decoded_payload.occupied`, `uplink_message.received_at`) or a ChirpStack v4 ' +
    'HTTP-integration event (`deviceInfo.devEui`, `fCnt`, `object.occupied`, `time`), as their documentation ' +
    'shows them. `occupied` is a boolean for a bay sensor (true = occupied) and an integer for a counter.',
  example: {
    end_device_ids: { device_id: 'bay-sensor-0042', application_ids: { application_id: 'parking' } },
    received_at: '2026-11-23T09:58:00.214Z',
    uplink_message: {
      f_cnt: 118,
      frm_payload: 'AQ==',
      decoded_payload: { occupied: true },
      received_at: '2026-11-23T09:58:00.012Z',
    },
  },
});

export const UplinkAppliedSchema = z
  .object({ outcome: z.enum(['applied', 'duplicate', 'stale']) })
  .openapi('UplinkResult');
export const UplinkIgnoredSchema = z.object({ ignored: freeText(300) }).openapi('UplinkIgnored');

// Feed sources (README "Feeds a city already has").
export const SourceParams = z.object({
  sourceId: Id.openapi({ param: { name: 'sourceId', in: 'path' }, example: 'gent-garages' }),
});

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
// Headers the fetcher sets itself, or that would change what is fetched or how.
const RESERVED_HEADERS = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
];

export const SourceInputSchema = z
  .strictObject({
    format: z.enum(FEED_FORMATS),
    url: z.string().max(2048).url().openapi({
      format: 'uri',
      example: 'https://data.stad.gent/api/parking-light.json',
      description: 'https on a public address (unless the service runs with ALLOW_PRIVATE_SOURCES=true)',
    }),
    intervalSeconds: int(60, 86_400),
    lotIdPrefix: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$')
      .openapi({
        maxLength: 32,
        example: 'gent-',
        description: 'each site becomes the lot `<lotIdPrefix><site id>`',
      }),
    zone: Id,
    timeZone: TimeZoneSchema,
    headers: z
      .record(
        z.string().regex(HEADER_NAME, 'must be an HTTP header name').max(64),
        z
          .string()
          .max(1024)
          .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII'),
      )
      .refine((h) => Object.keys(h).length <= 10, 'at most 10 headers')
      .refine((h) => !Object.keys(h).some((name) => RESERVED_HEADERS.includes(name.toLowerCase())), {
        message: `may not set ${RESERVED_HEADERS.join(', ')}`,
      })
      .optional()
      .openapi({
        description: 'sent with every fetch of this source (e.g. an API token); never shown again',
      }),
  })
  .openapi('SourceInput', {
    example: {
      format: 'datex2-light',
      url: 'https://data.stad.gent/api/parking-light.json',
      intervalSeconds: 300,
      lotIdPrefix: 'gent-',
      zone: 'gent',
      timeZone: 'Europe/Brussels',
    },
  });

export const SourceSchema = z
  .object({
    sourceId: IdOut,
    format: z.enum(FEED_FORMATS),
    url: z.string().max(2048).openapi({ format: 'uri' }),
    intervalSeconds: int(60, 86_400),
    lotIdPrefix: z.string().max(32).openapi({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$' }),
    zone: IdOut,
    timeZone: z.string().max(64).openapi({ format: 'time-zone' }),
    headerNames: z.array(z.string().max(64).openapi({ pattern: HEADER_NAME.source })).max(10),
    lastFetchAt: instantOut().nullable(),
    lastError: freeText(1000).nullable(),
    sites: int(0, 5000),
    applied: int(0, 5000),
  })
  .openapi('Source');

export const FetchReportSchema = z
  .object({
    sourceId: IdOut,
    fetchedAt: instantOut(),
    error: freeText(1000).nullable(),
    sites: int(0, 5000),
    lotsCreated: int(0, 5000),
    lotsUpdated: int(0, 5000),
    applied: int(0, 5000),
    duplicates: int(0, 5000),
    stale: int(0, 5000),
    skipped: z.array(z.object({ siteId: freeText(256), reason: freeText(1000) })).max(20),
  })
  .openapi('FetchReport');

export const PutSourceResponseSchema = z
  .object({ source: SourceSchema, fetch: FetchReportSchema })
  .openapi('PutSourceResult');
