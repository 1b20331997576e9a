// ParkAPI v3 parking sites (`GET /api/public/v3/parking-sites`: `{"items": [ParkingSite, …]}`,
// the ParkingSite model of ParkenDD/park-api-v3): `id`, `original_uid`, `name`, `lat`/`lon`
// (decimals, as numbers or strings), `capacity`, `realtime_free_capacity` and
// `realtime_data_updated_at` when `has_realtime_data`, and `type`. The site id is
// `original_uid` where given (stable across ParkAPI instances), else `id`.
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

const Page = z.union([z.looseObject({ items: z.array(z.unknown()) }), z.array(z.unknown())]);

const Site = z.looseObject({
  id: z.union([z.number().int(), z.string().min(1).max(256)]),
  original_uid: z.string().min(1).max(256).optional(),
  name: z.string().min(1).max(500),
  lat: latitude,
  lon: longitude,
  capacity,
  type: z.string().optional(),
  has_realtime_data: z.boolean().optional(),
  realtime_free_capacity: spaces.nullish(),
  realtime_data_updated_at: z.string().nullish(),
});

// ParkAPI v3 ParkingSiteType values, to this service's lot types.
const TYPES: Record<string, LotType> = {
  CAR_PARK: 'garage',
  UNDERGROUND: 'underground',
  OFF_STREET_PARKING_GROUND: 'surface',
  ON_STREET: 'on_street',
};

export async function readParkApiV3(document: unknown): Promise<FeedRead> {
  const page = Page.safeParse(document);
  if (!page.success) throw new FeedFormatError(`not ParkAPI v3 parking sites: ${firstIssue(page.error)}`);
  const items = Array.isArray(page.data) ? page.data : page.data.items;
  return readSites(items, (raw, index): FeedSite | { siteId: string; reason: string } => {
    const parsed = Site.safeParse(raw);
    const rawId = (raw as { original_uid?: unknown; id?: unknown } | null) ?? {};
    if (!parsed.success) {
      return {
        siteId: String(rawId.original_uid ?? rawId.id ?? `#${index}`),
        reason: firstIssue(parsed.error),
      };
    }
    const s = parsed.data;
    const site: FeedSite = {
      siteId: s.original_uid ?? String(s.id),
      name: s.name,
      location: { lat: s.lat, lon: s.lon },
      capacity: s.capacity,
      type: TYPES[s.type ?? ''] ?? 'garage',
    };
    const observedAt = instantOf(s.realtime_data_updated_at);
    if (s.has_realtime_data !== false && s.realtime_free_capacity != null && observedAt !== null) {
      site.count = { occupied: s.capacity - s.realtime_free_capacity, observedAt };
    }
    return site;
  });
}
