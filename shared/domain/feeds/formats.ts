// The inbound feed formats by name (README "Feeds a city already has"). A leaf of its own, so the
// schemas (and the pages' types, web/lib/api-types.ts) name the formats without the readers.
export const FEED_FORMATS = ['datex2-light', 'ngsi-ld', 'parkapi-v3'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
