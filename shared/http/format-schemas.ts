// The documents of the open formats (README "Open formats"), as the OpenAPI document describes
// them. They describe what the service writes; the official schemas (DATEX II, Smart Data Models)
// are what tests validate the documents against.
import { z } from '@hono/zod-openapi';
import { TEMPORAL_ATTRIBUTES, type TemporalAttribute } from '../domain/formats/ngsi-ld-temporal';
import { MAX_LOT_NAME_LENGTH } from '../domain/lot-name';
import { EXPORT_MAX_LOTS } from '../use-cases/export-lots';
import { TEMPORAL_MAX_OBSERVATIONS } from '../use-cases/temporal';
import {
  BboxQuerySchema,
  FREE_TEXT,
  freeText,
  HistoryQuerySchema,
  Id,
  IdOut,
  int,
  TIME_DOMAIN_TEXT,
} from './schemas';

const instant = () => z.string().max(40).openapi({ format: 'date-time' });

export const ExportQuerySchema = z.object({
  zone: Id.optional().openapi({ description: 'only the lots of this zone' }),
  bbox: BboxQuerySchema.shape.bbox.optional(),
});

const ParkingSiteSchema = z
  .object({
    _id: IdOut.openapi({ description: 'the lot id' }),
    type: z.object({
      value: z.enum(['carPark', 'offStreetParkingGround', 'onStreet', '_extended']),
      _extendedValue: z.enum(['parkAndRide']).optional(),
    }),
    name: freeText(MAX_LOT_NAME_LENGTH),
    lastUpdate: instant()
      .optional()
      .openapi({ description: 'when the lot was last observed (absent: never)' }),
    openingTimesDescription: z.array(freeText(255)).max(1).optional(),
    isOpenNow: z.boolean(),
    temporaryClosed: z.boolean().openapi({ description: 'closed by staff' }),
    zoneDescription: z.array(IdOut).max(1).optional(),
    numberOfSpaces: int(1, 100_000),
    availableSpaces: int(0, 100_000)
      .optional()
      .openapi({ description: "drivers' free spaces; only while the data is fresh and the lot open" }),
    locationAndDimension: z.object({
      coordinatesForDisplay: z.object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
      }),
    }),
  })
  .openapi('Datex2ParkingSite');

export const Datex2LightSchema = z
  .object({
    _modelBaseVersion: z.literal('3'),
    _version: z.literal('3.0'),
    parkingPublicationLight: z.object({
      lang: z.literal('en'),
      publicationTime: instant(),
      publicationCreator: z.object({
        country: z.string().max(2).openapi({ pattern: '^[A-Z]{2}$' }),
        nationalIdentifier: z.string().max(64).openapi(FREE_TEXT),
      }),
      name: freeText(64),
      parkingSite: z.array(ParkingSiteSchema).max(EXPORT_MAX_LOTS),
    }),
  })
  .openapi('Datex2ParkingPublicationLight', {
    description:
      'A DATEX II v3 Parking Publication Light 02-00-00 payload, valid against ' +
      'DATEXII_3_Common.json#/definitions/_PayloadPublication',
  });

export const Datex2FullSchema = z
  .object({
    payload: z
      .object({
        modelBaseVersionG: z.literal('3'),
        versionG: z.literal('3.7'),
      })
      .catchall(z.unknown()),
  })
  .openapi('Datex2Payload', {
    description:
      'A DATEX II v3.7 payload (prkParkingTablePublication or prkParkingStatusPublication), valid against the ' +
      'official DATEXII_3_D2Payload.json; at most one Place or PlaceStatus per lot, ' +
      `${EXPORT_MAX_LOTS} lots`,
  });

// ── NGSI-LD ──

/** Vertices a `georel=within` polygon may have (README "Limits"). */
export const MAX_POLYGON_VERTICES = 200;
/** Entities one NGSI-LD query answers at most: the nearby search's largest page. */
export const NGSI_LD_MAX_LIMIT = 100;

// What a coordinates parameter may hold at all: brackets, commas, spaces and plain decimals.
const COORDINATES_TEXT = /^\[[-0-9.,[\] ]*\]$/;
const NEAR = /^near;maxDistance==(0|[1-9]\d{0,4})$/;
const REF_PARKING_SITE = /^refParkingSite=="urn:ngsi-ld:OffStreetParking:([A-Za-z0-9][A-Za-z0-9._-]{0,63})"$/;

export const EntityIdParams = z.object({
  entityId: z
    .string()
    .max(200)
    .regex(
      /^urn:ngsi-ld:[A-Za-z][A-Za-z0-9]*:[\x21-\x7e]+$/,
      'must be an NGSI-LD entity id (urn:ngsi-ld:<type>:<id>)',
    )
    .openapi({
      param: { name: 'entityId', in: 'path' },
      example: 'urn:ngsi-ld:OffStreetParking:bhm-bull-ring',
      description: 'urn:ngsi-ld:OffStreetParking:<lot id>',
    }),
});

const OptionsSchema = z
  .enum(['keyValues', 'normalized'])
  .optional()
  .openapi({ description: 'keyValues: plain values (the Smart Data Models form); default normalized' });

export const EntityQuerySchema = z.object({ options: OptionsSchema });

const decimal = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const intText = (name: string, min: number, max: number) =>
  z
    .string()
    .max(6)
    .regex(/^(0|[1-9]\d*)$/, `${name} must be a whole number in plain decimal`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be ≥ ${min}`).max(max, `${name} must be ≤ ${max}`))
    .openapi({ type: 'string', pattern: '^(0|[1-9]\\d*)$', maxLength: 6 });

export const EntitiesQuerySchema = z.object({
  type: z
    .enum(['OffStreetParking', 'ParkingSpot'])
    .optional()
    .openapi({ description: 'OffStreetParking (default: lots, with georel) or ParkingSpot (bays, with q)' }),
  q: z
    .string()
    .max(120)
    .regex(REF_PARKING_SITE, 'must be refParkingSite=="urn:ngsi-ld:OffStreetParking:<lot id>"')
    .transform((q) => REF_PARKING_SITE.exec(q)![1]!)
    .optional()
    .openapi({
      type: 'string',
      pattern: REF_PARKING_SITE.source,
      maxLength: 120,
      example: 'refParkingSite=="urn:ngsi-ld:OffStreetParking:bhm-bull-ring"',
      description: 'with type=ParkingSpot: the bays of one lot',
    }),
  georel: z
    .string()
    .max(40)
    .regex(/^(near;maxDistance==(0|[1-9]\d{0,4})|within)$/, 'must be near;maxDistance==<metres> or within')
    .transform((g) => {
      const near = NEAR.exec(g);
      return near ? { rel: 'near' as const, maxDistance: Number(near[1]) } : { rel: 'within' as const };
    })
    .openapi({
      type: 'string',
      pattern: '^(near;maxDistance==(0|[1-9]\\d{0,4})|within)$',
      maxLength: 40,
      example: 'near;maxDistance==1000',
      description: 'near;maxDistance==<metres, 1..50000> with a Point, or within with a Polygon',
    })
    .optional(),
  geometry: z.enum(['Point', 'Polygon']).optional(),
  coordinates: z
    .string()
    .max(16_384)
    .regex(COORDINATES_TEXT, 'must be a JSON array of plain decimal numbers')
    .openapi({
      pattern: COORDINATES_TEXT.source,
      example: '[-1.894,52.477]',
      description:
        `GeoJSON coordinates, [lon,lat] for a Point or [[[lon,lat],…]] for a Polygon (one closed ring, ` +
        `at most ${MAX_POLYGON_VERTICES} vertices)`,
    })
    .optional(),
  geoproperty: z.enum(['location']).optional(),
  limit: intText('limit', 1, NGSI_LD_MAX_LIMIT)
    .optional()
    .openapi({ example: '20', description: 'default 20' }),
  offset: intText('offset', 0, NGSI_LD_MAX_LIMIT - 1)
    .optional()
    .openapi({ example: '0' }),
  options: OptionsSchema,
});

const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** The `coordinates` text of a query, read for its geometry; a list of problems if it is not one. */
export function readCoordinates(
  geometry: 'Point' | 'Polygon',
  text: string,
): { point: { lat: number; lon: number } } | { ring: { lat: number; lon: number }[] } | string {
  let parsed: unknown;
  try {
    // Plain decimals only, as every number in a query (README "API summary").
    const numbers = text.match(/-?[0-9.]+(?:[eE][-+]?\d+)?/g) ?? [];
    if (numbers.some((n) => !decimal.test(n))) return 'coordinates must be plain decimal numbers';
    parsed = JSON.parse(text);
  } catch {
    return 'coordinates must be a JSON array';
  }
  if (geometry === 'Point') {
    const p = LonLat.safeParse(parsed);
    return p.success ? { point: { lon: p.data[0], lat: p.data[1] } } : 'a Point is [lon,lat] in range';
  }
  const polygon = z
    .array(
      z
        .array(LonLat)
        .min(4)
        .max(MAX_POLYGON_VERTICES + 1),
    )
    .length(1)
    .safeParse(parsed);
  if (!polygon.success) {
    return `a Polygon is [[[lon,lat],…]]: one ring of 4 to ${MAX_POLYGON_VERTICES + 1} positions in range`;
  }
  const ring = polygon.data[0]!;
  const [first, last] = [ring[0]!, ring[ring.length - 1]!];
  if (first[0] !== last[0] || first[1] !== last[1]) return 'a Polygon ring must end where it starts';
  return { ring: ring.map(([lon, lat]) => ({ lat, lon })) };
}

export const NgsiLdEntitySchema = z
  .object({
    id: z.string().max(200).openapi({ format: 'uri' }),
    type: z.enum(['OffStreetParking', 'ParkingSpot']),
    '@context': z
      .array(z.string().max(200).openapi({ format: 'uri' }))
      .max(2)
      .optional()
      .openapi({ description: 'with Accept: application/ld+json only' }),
  })
  .catchall(z.unknown())
  .openapi('NgsiLdEntity', {
    description:
      'A Smart Data Models OffStreetParking entity (a lot) or ParkingSpot entity (a reported bay): normalized ' +
      '(Property/GeoProperty/Relationship objects, observedAt on what an observation set), or key-values with ' +
      "options=keyValues (valid against the model's schema.json)",
  });

// ── NGSI-LD temporal ──

const instantParam = HistoryQuerySchema.shape.from.unwrap();

export const TemporalQuerySchema = z.object({
  timerel: z
    .enum(['before', 'after', 'between'])
    .optional()
    .openapi({ description: 'with timeAt (and endTimeAt for between); default the last 24 hours' }),
  timeAt: instantParam.optional().openapi({ description: `an instant ${TIME_DOMAIN_TEXT}` }),
  endTimeAt: instantParam.optional().openapi({ description: `exclusive; an instant ${TIME_DOMAIN_TEXT}` }),
  timeproperty: z.enum(['observedAt']).optional(),
  attrs: z
    .string()
    .max(200)
    .regex(
      new RegExp(`^(${TEMPORAL_ATTRIBUTES.join('|')})(,(${TEMPORAL_ATTRIBUTES.join('|')}))*$`),
      `must be a comma list of ${TEMPORAL_ATTRIBUTES.join(', ')}`,
    )
    .transform((s) => [...new Set(s.split(','))] as TemporalAttribute[])
    .optional()
    .openapi({
      type: 'string',
      pattern: `^(${TEMPORAL_ATTRIBUTES.join('|')})(,(${TEMPORAL_ATTRIBUTES.join('|')}))*$`,
      maxLength: 200,
      example: 'occupiedSpotNumber',
    }),
  lastN: intText('lastN', 1, TEMPORAL_MAX_OBSERVATIONS)
    .optional()
    .openapi({ example: '10', description: 'only the last N instances of each attribute' }),
  options: z
    .enum(['temporalValues'])
    .optional()
    .openapi({ description: 'temporalValues: `values: [[value, observedAt], …]` per attribute' }),
});

export const NgsiLdTemporalEntitySchema = z
  .object({
    id: z.string().max(200).openapi({ format: 'uri' }),
    type: z.enum(['OffStreetParking', 'ParkingSpot']),
    '@context': z
      .array(z.string().max(200).openapi({ format: 'uri' }))
      .max(2)
      .optional(),
  })
  .catchall(z.unknown())
  .openapi('NgsiLdTemporalEntity', {
    description:
      'Per attribute (occupiedSpotNumber for counts, vehicleEntranceCount/vehicleExitCount for gate reports; ' +
      'status for a ParkingSpot, from its bay reports) ' +
      'its instances `{type: Property, value, observedAt, instanceId}` in time order, each observation once; ' +
      'with options=temporalValues `{type: Property, values: [[value, observedAt], …]}`',
  });
