// The inbound feed formats by name (README "Feeds a city already has").
import { readDatex2Light } from './datex2-light';
import type { FeedFormat } from './formats';
import { readNgsiLd } from './ngsi-ld';
import { readParkApiV3 } from './parkapi-v3';
import type { FeedRead } from './site';

export { FEED_FORMATS, type FeedFormat } from './formats';
export {
  FeedFormatError,
  type FeedRead,
  type FeedSite,
  feedEventId,
  MAX_FEED_SITES,
  sourceLotId,
} from './site';

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
