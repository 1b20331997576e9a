// The words the pages use for the API's enumerations, from the message catalogue (web/lib/i18n.ts).
// Each key table is a Record over the API's own enum type, so a status, feature or lot type added
// to the schemas fails the type check until it has its words (the driver's feature filter is built
// from FEATURE_KEYS).
import type { LotFeature, LotStatus, LotType } from './api-types';
import { el } from './dom';
import { type MessageKey, t } from './i18n';

const STATUS_KEYS: Record<LotStatus, MessageKey> = {
  available: 'status.available',
  full: 'status.full',
  stale: 'status.stale',
  nodata: 'status.nodata',
  closed: 'status.closed',
};

export const FEATURE_KEYS: Record<LotFeature, MessageKey> = {
  ev: 'feature.ev',
  accessible: 'feature.accessible',
  covered: 'feature.covered',
  '24h': 'feature.24h',
  bicycle: 'feature.bicycle',
};

const TYPE_KEYS: Record<LotType, MessageKey> = {
  garage: 'type.garage',
  surface: 'type.surface',
  underground: 'type.underground',
  on_street: 'type.on_street',
  park_and_ride: 'type.park_and_ride',
};

export const statusText = (status: LotStatus): string => t(STATUS_KEYS[status]);
export const featureText = (feature: LotFeature): string => t(FEATURE_KEYS[feature]);
export const typeText = (type: LotType): string => t(TYPE_KEYS[type]);

export function isFeature(value: string): value is LotFeature {
  return Object.hasOwn(FEATURE_KEYS, value);
}

/** A lot's status in words, coloured by its class (never colour alone). */
export function statusBadge(status: LotStatus): HTMLSpanElement {
  return el('span', { class: `badge s-${status}`, text: statusText(status) });
}
