// The words the pages use for the API's enumerations. Each table is a Record over the API's own
// enum type, so a status, feature or lot type added to the schemas fails the type check until it
// has its words here (the driver's feature filter is built from FEATURE_TEXT).
import type { LotFeature, LotStatus, LotType } from './api-types';
import { el } from './dom';

export const STATUS_TEXT: Record<LotStatus, string> = {
  available: 'Free spaces',
  full: 'Full',
  stale: 'Old data',
  nodata: 'No data',
  closed: 'Closed',
};

export const FEATURE_TEXT: Record<LotFeature, string> = {
  ev: 'EV charging',
  accessible: 'Accessible',
  covered: 'Covered',
  '24h': 'Open 24 h',
  bicycle: 'Bicycle parking',
};

export const TYPE_TEXT: Record<LotType, string> = {
  garage: 'Multi-storey',
  surface: 'Surface car park',
  underground: 'Underground',
  on_street: 'On-street bays',
  park_and_ride: 'Park & ride',
};

export function isFeature(value: string): value is LotFeature {
  return Object.hasOwn(FEATURE_TEXT, value);
}

/** A lot's status in words, coloured by its class (never colour alone). */
export function statusBadge(status: LotStatus): HTMLSpanElement {
  return el('span', { class: `badge s-${status}`, text: STATUS_TEXT[status] });
}
