// The inbound feed formats by name (README "Feeds a city already has").
import { readDatex2Light } from './datex2-light';
import { readNgsiLd } from './ngsi-ld';
import { readParkApiV3 } from './parkapi-v3';
import type { FeedRead } from './site';

export {
  FeedFormatError,
  type FeedRead,
  type FeedSite,
  feedEventId,
  MAX_FEED_SITES,
  sourceLotId,
} from './site';

export const FEED_FORMATS = ['datex2-light', 'ngsi-ld', 'parkapi-v3'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** Rejects with FeedFormatError when the document is not the format. */
export async function readFeed(format: FeedFormat, document: unknown): Promise<FeedRead> {
  switch (format) {
    case 'datex2-light':
      return readDatex2Light(document);
    case 'ngsi-ld':
      return readNgsiLd(document);
    case 'parkapi-v3':
      return readParkApiV3(document);
  }
}
