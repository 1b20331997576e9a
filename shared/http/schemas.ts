// The zod schemas that validate every request and generate the OpenAPI document: one source of
// truth for what clients may send (README "API summary" and "Limits").
import { z } from '@hono/zod-openapi';
import { LOT_FEATURES, LOT_TYPES, RESERVED_LOT_IDS } from '../domain/lot';
import { LOT_NAME_RULES, lotNameProblem, MAX_LOT_NAME_LENGTH } from '../domain/lot-name';
import { EVENT_ID_PATTERN } from '../domain/observation';
import {
  inTimeDomain,
  TIME_DOMAIN_END_ISO,
  TIME_DOMAIN_MESSAGE,
  TIME_DOMAIN_START_ISO,
} from '../domain/time-domain';
import { canonicalTimeZone } from '../domain/zoned-time';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID_MESSAGE = 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

export const Id = z.string().regex(ID_PATTERN, ID_MESSAGE);
export const EventId = z.string().regex(EVENT_ID_PATTERN, 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$');

// Query values arrive as text: plain decimal only (no 0x10, 1e3, empty) per CONTRACT §6.
const decimalText = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const integerText = /^(?:0|[1-9]\d*)$/;

function decimalParam(min: number, max: number, name: string) {
  return z
    .string()
    .regex(decimalText, `${name} must be a plain decimal number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be ≥ ${min}`).max(max, `${name} must be ≤ ${max}`));
}

function integerParam(min: number, max: number, name: string) {
  return z
    .string()
    .regex(integerText, `${name} must be a whole number in plain decimal`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be ≥ ${min}`).max(max, `${name} must be ≤ ${max}`));
}

const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Where every instant a request carries must lie (README "Limits"), for the OpenAPI descriptions. */
export const TIME_DOMAIN_TEXT = `from ${TIME_DOMAIN_START_ISO} up to, not including, ${TIME_DOMAIN_END_ISO}`;

// An instant inside the service's time domain; what zod accepts, Date.parse reads exactly.
const isoInstant = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 time with Z or an offset' })
  .refine((text) => inTimeDomain(Date.parse(text)), TIME_DOMAIN_MESSAGE);

export const LocationSchema = z
  .strictObject({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  })
  .openapi('Location', { description: 'WGS-84 decimal degrees, kept to 9 decimal places' });

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
    example: 'Bull Ring',
    description: LOT_NAME_RULES,
  });

const lotFields = {
  name: LotNameSchema,
  location: LocationSchema,
  capacity: z.number().int().min(1).max(100_000),
  type: LotTypeSchema,
  features: z
    .array(FeatureSchema)
    .max(LOT_FEATURES.length)
    .refine((f) => new Set(f).size === f.length, 'must not repeat a feature'),
  zone: Id.optional(),
  timeZone: TimeZoneSchema,
  staleAfterSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400),
  openingHours: z.string().max(255).optional(),
};

export const LotInputSchema = z
  .strictObject({
    ...lotFields,
    features: lotFields.features.default([]),
    staleAfterSeconds: lotFields.staleAfterSeconds.default(3600),
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
    openingHours: z.string().max(255).nullable().optional(),
    closed: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'a patch must change at least one field')
  .openapi('LotPatch');

export const LotSchema = z
  .object({
    id: Id,
    name: z.string(),
    location: LocationSchema,
    capacity: z.number().int(),
    occupied: z.number().int().nullable().openapi({ description: 'clamped to [0, capacity]' }),
    free: z.number().int().nullable(),
    occupancy: z.number().nullable(),
    status: z.enum(['available', 'full', 'stale', 'nodata', 'closed']),
    observedAt: z.string().nullable(),
    dataAge: z.number().int().nullable().openapi({ description: 'seconds since observedAt' }),
    type: LotTypeSchema,
    features: z.array(FeatureSchema),
    zone: z.string().nullable(),
    timeZone: z.string(),
    staleAfterSeconds: z.number().int(),
    openingHours: z.string().nullable(),
    flags: z.array(z.enum(['over_capacity', 'negative_count'])),
  })
  .openapi('Lot');

export const NearbyLotSchema = LotSchema.extend({ distance: z.number().int() }).openapi('NearbyLot');

export const NearbyQuerySchema = z.object({
  lat: decimalParam(-90, 90, 'lat').openapi({ type: 'string', example: '52.4797' }),
  lon: decimalParam(-180, 180, 'lon').openapi({ type: 'string', example: '-1.9026' }),
  radius: integerParam(1, 50_000, 'radius').optional().openapi({ type: 'string', example: '1000' }),
  limit: integerParam(1, 100, 'limit').optional().openapi({ type: 'string', example: '10' }),
  minFree: integerParam(0, 100_000, 'minFree').optional().openapi({ type: 'string', example: '1' }),
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
    .openapi({ type: 'string', example: 'ev,accessible' }),
  includeStale: booleanParam.optional().openapi({ type: 'string', enum: ['true', 'false'] }),
  arriveAt: isoInstant.optional().openapi({
    description: `Accepted for forward compatibility; answers are currently live occupancy. Instants ${TIME_DOMAIN_TEXT}.`,
  }),
});

export const NearbyResponseSchema = z
  .object({
    origin: z.object({ lat: z.number(), lon: z.number() }),
    radius: z.number().int(),
    asOf: z.string(),
    lots: z.array(NearbyLotSchema),
  })
  .openapi('NearbyResponse');

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
      example: '-1.92,52.47,-1.88,52.49',
      description: 'minLon,minLat,maxLon,maxLat; minLon > maxLon crosses the antimeridian',
    }),
  limit: integerParam(1, 1000, 'limit').optional().openapi({ type: 'string', example: '500' }),
});

export const LotListResponseSchema = z.object({ lots: z.array(LotSchema) }).openapi('LotList');

/** A lot list as GeoJSON (`Accept: application/geo+json`): Points at [lon, lat], the lot as properties. */
export const FeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        geometry: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()) }),
        properties: z.record(z.string(), z.unknown()),
      }),
    ),
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

// Observations (CONTRACT §3): exactly one kind per item.
export const ObservationInputSchema = z
  .strictObject({
    eventId: EventId,
    observedAt: isoInstant.openapi({ description: `${TIME_DOMAIN_TEXT}, and at most 5 minutes ahead` }),
    occupied: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    entries: z.number().int().min(0).max(100_000).optional(),
    exits: z.number().int().min(0).max(100_000).optional(),
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
    results: z.array(z.object({ eventId: z.string(), outcome: z.enum(['applied', 'duplicate', 'stale']) })),
    applied: z.number().int(),
    duplicates: z.number().int(),
    stale: z.number().int(),
  })
  .openapi('IngestResult');

export const HistoryQuerySchema = z.object({
  from: isoInstant.optional().openapi({ description: `default: 24 hours before to; ${TIME_DOMAIN_TEXT}` }),
  to: isoInstant.optional().openapi({ description: `exclusive, default now; ${TIME_DOMAIN_TEXT}` }),
  cursor: z.string().max(2048).optional(),
});

export const HistoryResponseSchema = z
  .object({
    lotId: z.string(),
    observations: z.array(
      z.object({
        eventId: z.string(),
        observedAt: z.string(),
        receivedAt: z.string(),
        occupied: z.number().int().optional(),
        entries: z.number().int().optional(),
        exits: z.number().int().optional(),
        spaceId: z.string().optional(),
        state: z.enum(['occupied', 'vacant']).optional(),
      }),
    ),
    nextCursor: z.string().optional(),
  })
  .openapi('History');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** What API Gateway answers when its stage throttle rejects a request (before the app sees it). */
export const GatewayThrottleSchema = z.object({ message: z.string() }).openapi('GatewayThrottle');

export const KeyInputSchema = z
  .strictObject({
    role: z.enum(['sensor', 'staff']),
    lots: z.array(Id).min(1).max(1000).optional(),
    label: z.string().trim().min(1).max(100),
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
    keyId: z.string(),
    role: z.enum(['sensor', 'staff']),
    lots: z.array(z.string()).optional(),
    label: z.string(),
    createdAt: z.string(),
  })
  .openapi('Key');

export const CreatedKeySchema = KeySchema.extend({
  secret: z.string().openapi({ description: 'shown once; store it now' }),
}).openapi('CreatedKey');

export const KeyIdParams = z.object({
  keyId: Id.openapi({ param: { name: 'keyId', in: 'path' } }),
});

export const ImportQuerySchema = z.object({
  timeZone: TimeZoneSchema.optional().openapi({ description: 'IANA zone for rows that carry none' }),
  zone: Id.optional().openapi({ description: 'zone for rows that carry none' }),
  idPrefix: z
    .string()
    .regex(/^[a-z0-9-]{0,20}$/, 'lower-case letters, digits and dashes, at most 20')
    .optional()
    .openapi({ description: 'prefixed to ids slugged from names, e.g. "dresden-"' }),
  dryRun: booleanParam.optional().openapi({ type: 'string', enum: ['true', 'false'] }),
});

export const FeatureCollectionInputSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.unknown()).max(5000),
  })
  .openapi('LotFeatureCollection', {
    description:
      'GeoJSON Points; properties name, capacity (or ParkAPI total), type (ours or ParkAPI Parkhaus/Tiefgarage/' +
      'Parkplatz), features, zone, timeZone, staleAfterSeconds, openingHours, id. A feature whose properties.type ' +
      'is "city" (ParkAPI city centre) is skipped.',
  });

export const ImportSummarySchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    rejected: z.array(
      z.object({
        row: z.number().int().openapi({
          description: "1-based: the feature's position in `features`, or the CSV record's after the header",
        }),
        field: z.string().openapi({
          description: 'where in the row: a CSV column, or a GeoJSON member such as `properties.total`',
          example: 'geometry.coordinates',
        }),
        id: z.string().optional(),
        name: z.string().optional(),
        reason: z.string(),
      }),
    ),
    ids: z.array(z.string()),
    dryRun: z.boolean(),
  })
  .openapi('ImportSummary');

export const HealthReportSchema = z
  .object({
    lots: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.enum(['stale', 'nodata']),
        observedAt: z.string().nullable(),
        dataAge: z.number().int().nullable(),
      }),
    ),
  })
  .openapi('HealthReport');

const reportBound = (what: string, example: string) =>
  z
    .string()
    .max(40)
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
  cursor: z
    .string()
    .max(512)
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
    lotId: z.string().optional(),
    zone: z.string().optional(),
    start: z.string().openapi({ description: 'bucket start, ISO-8601 with the local offset' }),
    end: z.string(),
    avgOccupied: nullableNumber,
    utilization: nullableNumber,
    peakOccupied: nullableNumber,
    peakAt: z.string().nullable(),
    minOccupied: nullableNumber,
    timeFull: nullableNumber,
    coverage: z.number(),
    observations: z.number().int(),
    flags: z.array(z.string()),
  })
  .openapi('UtilizationRow');

export const UtilizationReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    bucket: z.enum(['hour', 'day']),
    tz: z.string(),
    rows: z.array(UtilizationRowSchema),
    nextCursor: z
      .string()
      .optional()
      .openapi({ description: 'all-lots reports: pass it as cursor for the next page; absent on the last' }),
  })
  .openapi('UtilizationReport');

export const HeatmapSchema = z
  .object({
    tz: z.string(),
    cells: z.array(
      z.object({
        weekday: z.number().int().openapi({ description: 'Monday = 1' }),
        hour: z.number().int(),
        utilization: nullableNumber,
        coverage: z.number(),
      }),
    ),
  })
  .openapi('Heatmap');
