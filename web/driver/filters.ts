// The search filters: the form's arrival time, radius, minimum free spaces, features and "old data", read into
// the nearby query and into words for the status line.
import type { LotFeature } from '../lib/api-types';
import { el, findAll } from '../lib/dom';
import { arriveAtFor } from '../lib/forecast';
import { fmtList } from '../lib/format';
import { t } from '../lib/i18n';
import { FEATURE_KEYS, featureText, isFeature } from '../lib/labels';
import { ui } from './ui';

export interface SearchPoint {
  lat: number;
  lon: number;
  /** How the status line names the point: "your location", "Hangzhou city centre", "52.3, -2.4". */
  label: string;
  /** The browser's own location (the plot marks it "You"). */
  mine: boolean;
}

export interface Filters {
  /** Minutes from now the driver expects to arrive (0: now, live figures only). */
  arriveInMinutes: number;
  radius: number;
  minFree: number;
  features: LotFeature[];
  includeStale: boolean;
}

/** One checkbox per feature the API knows, in FEATURE_KEYS' order. */
export function renderFeatureChoices(): void {
  for (const value of Object.keys(FEATURE_KEYS).filter(isFeature)) {
    ui.features.append(
      el(
        'label',
        { class: 'check' },
        el('input', { type: 'checkbox', name: 'feature', value }),
        ` ${featureText(value)}`,
      ),
    );
  }
}

export function featureBoxes(): HTMLInputElement[] {
  return findAll(ui.features, 'input[name=feature]', HTMLInputElement);
}

export function readFilters(): Filters {
  return {
    arriveInMinutes: Number(ui.arrive.value),
    radius: Number(ui.radius.value),
    minFree: Number(ui.minFree.value),
    features: featureBoxes()
      .filter((box) => box.checked)
      .map((box) => box.value)
      .filter(isFeature),
    includeStale: ui.stale.checked,
  };
}

/** The nearby query; `nowMs` (the browser's clock) dates the arrival, made afresh at each refresh. */
export function nearbyQuery(point: SearchPoint, filters: Filters, nowMs: number): URLSearchParams {
  const q = new URLSearchParams({
    lat: point.lat.toFixed(5),
    lon: point.lon.toFixed(5),
    radius: String(filters.radius),
    minFree: String(filters.minFree),
    limit: '20',
  });
  if (filters.features.length) q.set('features', filters.features.join(','));
  if (filters.includeStale) q.set('includeStale', 'true');
  // With arriveAt, minFree applies to the predicted free spaces (README "Forecasts").
  const arriveAt = arriveAtFor(nowMs, filters.arriveInMinutes);
  if (arriveAt) q.set('arriveAt', arriveAt);
  return q;
}

/** "at least 10 free spaces and EV charging and Covered" */
export function describeFilters(filters: Filters): string {
  const what = filters.minFree > 1 ? t('filters.atLeast', { n: filters.minFree }) : t('filters.free');
  if (!filters.features.length) return what;
  return t('filters.with', { what, features: fmtList(filters.features.map(featureText)) });
}
