// FIWARE NGSI-LD `OffStreetParking` entities (Smart Data Models; examples in the handbook's
// data/interop/fiware/): an array of entities, as a broker answers
// `/ngsi-ld/v1/entities?type=OffStreetParking`, normalized (each attribute a Property with `value`
// and maybe `observedAt`) or keyValues. The site id is the entity id without its
// `urn:ngsi-ld:<type>:` prefix; the count's time is `availableSpotNumber`'s (or
// `occupiedSpotNumber`'s) `observedAt`, else `observationDateTime`, else `dateModified`.
import { z } from 'zod';
import type { LotType } from '../lot';
import {
  capacity,
  FeedFormatError,
  type FeedRead,
  type FeedSite,
  firstIssue,
  instantOf,
  latitude,
  longitude,
  readSites,
  spaces,
} from './site';

const Entity = z.looseObject({ id: z.string().min(1).max(256), type: z.string().optional() });

/** A normalized Property's value, or a keyValues attribute as it is. */
function propertyValue(attribute: unknown): unknown {
  if (typeof attribute === 'object' && attribute !== null && 'value' in attribute) {
    return (attribute as { value: unknown }).value;
  }
  return attribute;
}
function observedAtOf(attribute: unknown): number | null {
  if (typeof attribute === 'object' && attribute !== null && 'observedAt' in attribute) {
    return instantOf((attribute as { observedAt: unknown }).observedAt);
  }
  return null;
}
/** `"2021-03-11T15:51:02Z"` or `{"@type": "DateTime", "@value": "…"}`. */
function dateTimeOf(attribute: unknown): number | null {
  const value = propertyValue(attribute);
  if (typeof value === 'object' && value !== null && '@value' in value) {
    return instantOf((value as { '@value': unknown })['@value']);
  }
  return instantOf(value);
}

const Point = z.looseObject({
  type: z.literal('Point'),
  coordinates: z.tuple([longitude, latitude]).rest(z.number()),
});
const Fields = z.object({
  name: z.string().min(1).max(500).optional(),
  location: Point,
  totalSpotNumber: capacity,
  availableSpotNumber: spaces.optional(),
  occupiedSpotNumber: z.coerce.number().int().min(-1_000_000).max(1_000_000).optional(),
});

const PREFIX = /^urn:ngsi-ld:[^:]+:/;

export async function readNgsiLd(document: unknown): Promise<FeedRead> {
  const entities = Array.isArray(document) ? document : [document];
  if (!entities.every((e) => Entity.safeParse(e).success)) {
    throw new FeedFormatError('not NGSI-LD entities: expected an array of objects with an id');
  }
  return readSites(entities, (raw): FeedSite | { siteId: string; reason: string } => {
    const entity = raw as Record<string, unknown> & { id: string };
    const siteId = entity.id.replace(PREFIX, '');
    if (entity.type !== undefined && entity.type !== 'OffStreetParking') {
      return { siteId, reason: `type ${String(entity.type)} is not OffStreetParking` };
    }
    const parsed = Fields.safeParse({
      name: propertyValue(entity.name),
      location: propertyValue(entity.location),
      totalSpotNumber: propertyValue(entity.totalSpotNumber),
      availableSpotNumber: propertyValue(entity.availableSpotNumber),
      occupiedSpotNumber: propertyValue(entity.occupiedSpotNumber),
    });
    if (!parsed.success) return { siteId, reason: firstIssue(parsed.error) };
    const f = parsed.data;
    const category = propertyValue(entity.category);
    const type: LotType =
      Array.isArray(category) && category.includes('underground') ? 'underground' : 'garage';
    const site: FeedSite = {
      siteId,
      name: f.name ?? siteId,
      location: { lat: f.location.coordinates[1], lon: f.location.coordinates[0] },
      capacity: f.totalSpotNumber,
      type,
    };
    const occupied =
      f.availableSpotNumber !== undefined ? f.totalSpotNumber - f.availableSpotNumber : f.occupiedSpotNumber;
    const observedAt =
      observedAtOf(
        f.availableSpotNumber !== undefined ? entity.availableSpotNumber : entity.occupiedSpotNumber,
      ) ??
      dateTimeOf(entity.observationDateTime) ??
      dateTimeOf(entity.dateModified);
    if (occupied !== undefined && observedAt !== null) site.count = { occupied, observedAt };
    return site;
  });
}
