// DATEX II v3 Parking Publication Light (the JSON encoding of its schema, as in the handbook's
// data/interop/datex2/parking-light-02-00-00/): `parkingPublicationLight.parkingSite[]`, each with
// `_id`, `name`, `numberOfSpaces`, `availableSpaces` (only while fresh), `lastUpdate` and
// `locationAndDimension.coordinatesForDisplay`. The count's time is the site's `lastUpdate`, else
// the publication's `publicationTime`.
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

const Payload = z.looseObject({
  parkingPublicationLight: z.looseObject({
    publicationTime: z.string().optional(),
    parkingSite: z.array(z.unknown()),
  }),
});

const Site = z.looseObject({
  _id: z.string().min(1).max(256),
  name: z.string().min(1).max(500).optional(),
  type: z.looseObject({ value: z.string() }).optional(),
  numberOfSpaces: capacity,
  availableSpaces: spaces.optional(),
  lastUpdate: z.string().optional(),
  locationAndDimension: z.looseObject({
    coordinatesForDisplay: z.looseObject({ latitude, longitude }),
  }),
});

// DATEX II ParkingSiteTypeEnum values, to this service's lot types.
const TYPES: Record<string, LotType> = {
  onStreetParking: 'on_street',
  offStreetParkingGround: 'surface',
  carPark: 'garage',
  multiStoreyCarPark: 'garage',
  undergroundCarPark: 'underground',
  parkAndRide: 'park_and_ride',
};

export async function readDatex2Light(document: unknown): Promise<FeedRead> {
  const payload = Payload.safeParse(document);
  if (!payload.success)
    throw new FeedFormatError(`not a DATEX II parking publication light: ${firstIssue(payload.error)}`);
  const publishedAt = instantOf(payload.data.parkingPublicationLight.publicationTime);
  return readSites(
    payload.data.parkingPublicationLight.parkingSite,
    (raw, index): FeedSite | { siteId: string; reason: string } => {
      const parsed = Site.safeParse(raw);
      const siteId = (raw as { _id?: unknown } | null)?._id;
      if (!parsed.success)
        return {
          siteId: typeof siteId === 'string' ? siteId : `#${index}`,
          reason: firstIssue(parsed.error),
        };
      const s = parsed.data;
      const site: FeedSite = {
        siteId: s._id,
        name: s.name ?? s._id,
        location: {
          lat: s.locationAndDimension.coordinatesForDisplay.latitude,
          lon: s.locationAndDimension.coordinatesForDisplay.longitude,
        },
        capacity: s.numberOfSpaces,
        type: TYPES[s.type?.value ?? ''] ?? 'garage',
      };
      const observedAt = instantOf(s.lastUpdate) ?? publishedAt;
      if (s.availableSpaces !== undefined && observedAt !== null) {
        site.count = { occupied: s.numberOfSpaces - s.availableSpaces, observedAt };
      }
      return site;
    },
  );
}
