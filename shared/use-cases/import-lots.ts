// Staff: import lots from a city's file — a GeoJSON FeatureCollection (ParkAPI city files) or CSV.
// 1. Parse the whole file; a file that is not one of those shapes is rejected with nothing written.
// 2. Check every row on its own; bad rows are reported with a reason, never half-written.
// 3. Upsert the good rows (a re-import is idempotent; occupancy and history are kept).

import { parseCsv } from '../domain/csv';
import {
  DEFAULT_STALE_AFTER_SECONDS,
  LOT_FEATURES,
  LOT_TYPES,
  type LotFeature,
  type LotType,
  RESERVED_LOT_IDS,
} from '../domain/lot';
import { slug } from '../domain/slug';
import { canonicalTimeZone, isTimeZone } from '../domain/zoned-time';
import { InvalidInputError } from './errors';
import { type LotInput, putLot } from './manage-lots';
import type { Dependencies } from './ports';

export const MAX_IMPORT_ROWS = 5000;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ImportOptions {
  /** IANA zone for rows that carry none. */
  timeZone?: string | undefined;
  zone?: string | undefined;
  /** Prefixed to ids slugged from names, e.g. "dresden-". */
  idPrefix?: string | undefined;
  dryRun?: boolean | undefined;
}

export interface ImportSummary {
  created: number;
  updated: number;
  rejected: { row: number; id?: string; name?: string; reason: string }[];
  ids: string[];
  dryRun: boolean;
}

/** ParkAPI's German lot types (and English ones) → ours. */
const TYPE_NAMES: Record<string, LotType> = {
  parkhaus: 'garage',
  tiefgarage: 'underground',
  'parkplatz/tiefgarage': 'underground',
  parkplatz: 'surface',
  parkfläche: 'surface',
  'park-ride': 'park_and_ride',
  'park+ride': 'park_and_ride',
  garage: 'garage',
  multistorey: 'garage',
  underground: 'underground',
  surface: 'surface',
  street: 'on_street',
};

interface RawRow {
  id?: unknown;
  name?: unknown;
  lat?: unknown;
  lon?: unknown;
  capacity?: unknown;
  type?: unknown;
  features?: unknown;
  zone?: unknown;
  timeZone?: unknown;
  staleAfterSeconds?: unknown;
  openingHours?: unknown;
  /** A file-level prefix for slugged ids (ParkAPI's flat CSV names the city per row). */
  scope?: unknown;
}

export function rowsFromGeoJson(body: unknown): RawRow[] {
  const fc = body as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new InvalidInputError('not a GeoJSON FeatureCollection', [
      { path: 'type', message: 'must be "FeatureCollection" with a features array' },
    ]);
  }
  return fc.features
    .filter((f) => (f as { properties?: { type?: unknown } })?.properties?.type !== 'city') // ParkAPI's city centre
    .map((f) => {
      const feature = f as {
        geometry?: { type?: unknown; coordinates?: unknown } | null;
        properties?: Record<string, unknown>;
      };
      const p = feature?.properties ?? {};
      const coords =
        feature?.geometry?.type === 'Point' ? (feature.geometry.coordinates as unknown[]) : undefined;
      return {
        id: p.id,
        name: p.name,
        lon: coords?.[0],
        lat: coords?.[1],
        capacity: p.capacity ?? p.total,
        type: p.lotType ?? p.type,
        features: p.features,
        zone: p.zone ?? p.park_zone,
        timeZone: p.timeZone,
        staleAfterSeconds: p.staleAfterSeconds,
        openingHours: p.openingHours ?? p.opening_hours,
      };
    });
}

export function rowsFromCsv(text: string): RawRow[] {
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (error) {
    throw new InvalidInputError('not valid CSV', [{ path: '(body)', message: (error as Error).message }]);
  }
  const header = (table[0] ?? []).map((h) => h.trim());
  const has = (name: string) => header.includes(name);
  if (!has('name') || !has('lat') || !has('lon') || !(has('capacity') || has('total'))) {
    throw new InvalidInputError('CSV header lacks required columns', [
      { path: '(header)', message: 'needs name, lat, lon and capacity (or total)' },
    ]);
  }
  return table.slice(1).map((cells) => {
    const get = (name: string) => {
      const i = header.indexOf(name);
      const v = i < 0 ? undefined : cells[i]?.trim();
      return v === '' ? undefined : v;
    };
    return {
      id: get('id'),
      name: get('name'),
      lat: get('lat'),
      lon: get('lon'),
      capacity: get('capacity') ?? get('total'),
      type: get('type'),
      features: get('features')
        ?.split(';')
        .map((f) => f.trim()),
      zone: get('zone'),
      timeZone: get('timeZone'),
      staleAfterSeconds: get('staleAfterSeconds'),
      openingHours: get('openingHours'),
      scope: get('city_file')?.replace(/\.geojson$/i, ''),
    };
  });
}

/** Checks one row; returns the lot or the reason it cannot be imported. */
function checkRow(raw: RawRow, options: ImportOptions): { id: string; input: LotInput } | { reason: string } {
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (!name) return { reason: 'no name' };
  if (name.length > 200) return { reason: 'name longer than 200 characters' };
  const lat = Number(raw.lat);
  const lon = Number(raw.lon);
  if (raw.lat === undefined || raw.lon === undefined || raw.lat === null || raw.lon === null) {
    return { reason: 'no point geometry' };
  }
  if (!Number.isFinite(lat) || lat < -90 || lat > 90 || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    return { reason: 'coordinates out of range' };
  }
  if (lat === lon) return { reason: 'latitude equals longitude: a swapped or placeholder coordinate' };
  if (lat === 0 && lon === 0) return { reason: 'coordinates are 0,0: a placeholder' };
  const capacity = Number(raw.capacity);
  if (raw.capacity === undefined || raw.capacity === null || raw.capacity === '')
    return { reason: 'no capacity' };
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 100_000) {
    return {
      reason: `capacity ${String(raw.capacity)} is not a whole number from 1 to 100000 (placeholder lot?)`,
    };
  }
  const typeText = typeof raw.type === 'string' ? raw.type.trim().toLowerCase() : '';
  const type: LotType = (LOT_TYPES as readonly string[]).includes(typeText)
    ? (typeText as LotType)
    : (TYPE_NAMES[typeText] ?? 'surface');
  const features = Array.isArray(raw.features) ? raw.features.map(String) : [];
  const unknown = features.filter((f) => !(LOT_FEATURES as readonly string[]).includes(f));
  if (unknown.length) return { reason: `unknown features: ${unknown.join(', ')}` };
  const timeZone =
    typeof raw.timeZone === 'string' ? (canonicalTimeZone(raw.timeZone) ?? raw.timeZone) : options.timeZone;
  if (!timeZone) return { reason: 'no timeZone (give one per row or ?timeZone= for the file)' };
  if (!isTimeZone(timeZone)) return { reason: `unknown time zone ${timeZone}` };
  const zone = typeof raw.zone === 'string' && ID.test(slug(raw.zone)) ? slug(raw.zone) : options.zone;
  const stale =
    raw.staleAfterSeconds === undefined ? DEFAULT_STALE_AFTER_SECONDS : Number(raw.staleAfterSeconds);
  if (!Number.isInteger(stale) || stale < 60 || stale > 7 * 86_400)
    return { reason: 'staleAfterSeconds out of range' };
  const given = typeof raw.id === 'string' ? raw.id : undefined;
  const scope = typeof raw.scope === 'string' ? `${slug(raw.scope)}-` : '';
  const id = given && ID.test(given) ? given : slug(`${options.idPrefix ?? ''}${scope}${name}`).slice(0, 64);
  if (!ID.test(id)) return { reason: `cannot make an id from "${name}"` };
  if (RESERVED_LOT_IDS.includes(id)) return { reason: `the id "${id}" is reserved; give the row another id` };
  return {
    id,
    input: {
      name,
      location: { lat, lon },
      capacity,
      type,
      features: [...new Set(features)] as LotFeature[],
      zone,
      timeZone,
      staleAfterSeconds: stale,
      openingHours: typeof raw.openingHours === 'string' ? raw.openingHours.slice(0, 255) : undefined,
    },
  };
}

export async function importLots(
  deps: Pick<Dependencies, 'lots' | 'now'>,
  rows: RawRow[],
  options: ImportOptions,
): Promise<ImportSummary> {
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new InvalidInputError('too many rows', [
      { path: '(body)', message: `at most ${MAX_IMPORT_ROWS} lots per import` },
    ]);
  }
  const summary: ImportSummary = {
    created: 0,
    updated: 0,
    rejected: [],
    ids: [],
    dryRun: options.dryRun ?? false,
  };
  const good: { id: string; input: LotInput }[] = [];
  const seen = new Set<string>();
  rows.forEach((raw, index) => {
    const checked = checkRow(raw, options);
    const name = typeof raw.name === 'string' ? raw.name : undefined;
    if ('reason' in checked)
      summary.rejected.push({ row: index + 1, ...(name ? { name } : {}), reason: checked.reason });
    else if (seen.has(checked.id)) {
      summary.rejected.push({
        row: index + 1,
        id: checked.id,
        ...(name ? { name } : {}),
        reason: 'duplicate id in this file',
      });
    } else {
      seen.add(checked.id);
      good.push(checked);
    }
  });
  if (summary.dryRun) {
    summary.ids = good.map((g) => g.id);
    return summary;
  }
  // A few upserts in flight; each is an idempotent conditional write, so a re-run after a
  // failure converges to the same lots.
  const queue = [...good];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { created } = await putLot(deps, next.id, next.input);
      if (created) summary.created++;
      else summary.updated++;
      summary.ids.push(next.id);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  summary.ids.sort();
  return summary;
}
