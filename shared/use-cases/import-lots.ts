// Staff: import lots from a city's file — a GeoJSON FeatureCollection (ParkAPI city files) or CSV.
// 1. Parse the whole file; a file that is not one of those shapes is rejected with nothing written.
// 2. Check every row on its own, strictly (README "Limits"): numbers are JSON numbers in GeoJSON and
//    plain decimals in CSV, a point is [lon, lat] or [lon, lat, altitude], a given id is used as it
//    is or the row is rejected. Bad rows are reported with their row, field and reason, never
//    half-written and never "repaired" into something the file did not say.
// 3. Upsert the good rows (a re-import is idempotent; occupancy and history are kept).

import { CsvSyntaxError } from '../domain/csv';
import {
  DEFAULT_STALE_AFTER_SECONDS,
  LOT_FEATURES,
  LOT_TYPES,
  type LotFeature,
  type LotType,
  RESERVED_LOT_IDS,
} from '../domain/lot';
import { lotNameProblem } from '../domain/lot-name';
import { type HoursEvaluator, loadOpeningHours, MAX_OPENING_HOURS_LENGTH } from '../domain/opening-hours';
import { slug } from '../domain/slug';
import { canonicalTimeZone, isTimeZone } from '../domain/zoned-time';
import { mapLimit } from '../lib/concurrency';
import { InvalidInputError } from './errors';
import { type LotInput, putLot } from './manage-lots';
import type { Dependencies } from './ports';

export const MAX_IMPORT_ROWS = 5000;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The text of a number in CSV: plain decimal, as in query parameters (no 0x10, 1e3, +1, .5). */
const DECIMAL_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

export interface ImportOptions {
  /** IANA zone for rows that carry none. */
  timeZone?: string | undefined;
  zone?: string | undefined;
  /** Prefixed to ids slugged from names, e.g. "dresden-". */
  idPrefix?: string | undefined;
  dryRun?: boolean | undefined;
  /** The rows' coordinates in WGS-84 (they may be given in another system; default: as given). */
  toWgs84?: ((point: { lat: number; lon: number }) => { lat: number; lon: number }) | undefined;
}

export interface Rejection {
  row: number;
  /** Where in the file: a CSV column, or a GeoJSON member such as properties.total. */
  field: string;
  id?: string;
  name?: string;
  reason: string;
}

export interface ImportSummary {
  created: number;
  updated: number;
  rejected: Rejection[];
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

type RowKey =
  | 'id'
  | 'name'
  | 'lat'
  | 'lon'
  | 'capacity'
  | 'type'
  | 'features'
  | 'zone'
  | 'timeZone'
  | 'staleAfterSeconds'
  | 'openingHours'
  /** A file-level prefix for slugged ids (ParkAPI's flat CSV names the city per row). */
  | 'scope';

/** One row as the file gave it: values not yet checked, and where each came from. */
export interface RawRow {
  /** 1-based: the feature's position in `features`, or the CSV record's after the header. */
  row: number;
  /** How numbers are written: JSON numbers (GeoJSON), or plain decimal text (CSV). */
  numbers: 'json' | 'text';
  values: Partial<Record<RowKey, unknown>>;
  /** The file's name for each value given (CSV column, or GeoJSON member). */
  at: Partial<Record<RowKey, string>>;
  /** A fault of the row's shape found while reading it (not a Feature, no point, a ragged record). */
  fault?: { field: string; reason: string };
}

export function rowsFromGeoJson(body: unknown): RawRow[] {
  const fc = body as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new InvalidInputError('not a GeoJSON FeatureCollection', [
      { path: 'type', message: 'must be "FeatureCollection" with a features array' },
    ]);
  }
  const rows: RawRow[] = [];
  fc.features.forEach((feature: unknown, index) => {
    const properties = isObject(feature) ? feature.properties : undefined;
    if (isObject(properties) && properties.type === 'city') return; // ParkAPI's city centre
    rows.push(rowFromFeature(feature, index + 1));
  });
  return rows;
}

function rowFromFeature(feature: unknown, row: number): RawRow {
  const raw: RawRow = { row, numbers: 'json', values: {}, at: {} };
  if (!isObject(feature))
    return { ...raw, fault: { field: '(feature)', reason: 'is not a GeoJSON Feature object' } };
  if (feature.type !== 'Feature') return { ...raw, fault: { field: 'type', reason: 'must be "Feature"' } };
  const p = feature.properties ?? {};
  if (!isObject(p)) return { ...raw, fault: { field: 'properties', reason: 'must be an object' } };
  const take = (key: RowKey, ...names: string[]) => {
    const name = names.find((n) => p[n] !== undefined && p[n] !== null);
    if (name === undefined) return;
    raw.values[key] = p[name];
    raw.at[key] = `properties.${name}`;
  };
  take('id', 'id');
  take('name', 'name');
  take('capacity', 'capacity', 'total');
  take('type', 'lotType', 'type');
  take('features', 'features');
  take('zone', 'zone', 'park_zone');
  take('timeZone', 'timeZone');
  take('staleAfterSeconds', 'staleAfterSeconds');
  take('openingHours', 'openingHours', 'opening_hours');
  const point = pointFault(feature.geometry);
  if (point) return { ...raw, fault: point };
  const [lon, lat] = (feature.geometry as { coordinates: number[] }).coordinates;
  Object.assign(raw.values, { lon, lat });
  Object.assign(raw.at, { lon: 'geometry.coordinates[0]', lat: 'geometry.coordinates[1]' });
  return raw;
}

/** Why `geometry` is not a GeoJSON Point of two or three JSON numbers, if it is not. */
function pointFault(geometry: unknown): { field: string; reason: string } | undefined {
  if (geometry === null || geometry === undefined) return { field: 'geometry', reason: 'no point geometry' };
  if (!isObject(geometry)) return { field: 'geometry', reason: 'must be a GeoJSON Point object' };
  if (geometry.type !== 'Point')
    return { field: 'geometry.type', reason: `must be "Point", not ${describe(geometry.type)}` };
  const c = geometry.coordinates;
  if (!Array.isArray(c) || c.length < 2 || c.length > 3) {
    const what = Array.isArray(c) ? `${c.length} values` : describe(c);
    return {
      field: 'geometry.coordinates',
      reason: `must be [lon, lat] or [lon, lat, altitude], not ${what}`,
    };
  }
  const bad = c.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
  if (bad >= 0)
    return {
      field: `geometry.coordinates[${bad}]`,
      reason: `must be a JSON number, not ${describe(c[bad])}`,
    };
  return undefined;
}

const CSV_COLUMNS: Partial<Record<RowKey, string[]>> = {
  id: ['id'],
  name: ['name'],
  lat: ['lat'],
  lon: ['lon'],
  capacity: ['capacity', 'total'],
  type: ['type'],
  features: ['features'],
  zone: ['zone'],
  timeZone: ['timeZone'],
  staleAfterSeconds: ['staleAfterSeconds'],
  openingHours: ['openingHours'],
  scope: ['city_file'],
};

/** A CSV file's rows; csv-parse is imported on the first CSV import (README "Benchmarks", Lambda). */
export async function rowsFromCsv(text: string): Promise<RawRow[]> {
  const { parseCsv } = await import('../domain/csv-read');
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    throw new InvalidInputError('not valid CSV', [{ path: '(body)', message: error.message }]);
  }
  const header = (table[0] ?? []).map((h) => h.trim());
  const has = (name: string) => header.includes(name);
  if (!has('name') || !has('lat') || !has('lon') || !(has('capacity') || has('total'))) {
    throw new InvalidInputError('CSV header lacks required columns', [
      { path: '(header)', message: 'needs name, lat, lon and capacity (or total)' },
    ]);
  }
  const repeated = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
  if (repeated.length > 0) {
    throw new InvalidInputError('CSV header repeats a column', [
      { path: '(header)', message: `repeats ${[...new Set(repeated)].join(', ')}` },
    ]);
  }
  return table.slice(1).map((cells, index) => {
    const raw: RawRow = { row: index + 1, numbers: 'text', values: {}, at: {} };
    if (cells.length !== header.length) {
      // A comma too many or too few shifts every later value into another column: nothing to trust.
      raw.fault = {
        field: '(row)',
        reason: `has ${cells.length} cells where the header has ${header.length}`,
      };
      return raw;
    }
    for (const [key, names] of Object.entries(CSV_COLUMNS) as [RowKey, string[]][]) {
      const name = names.find((n) => has(n) && cells[header.indexOf(n)]!.trim() !== '');
      if (name === undefined) continue;
      raw.values[key] = cells[header.indexOf(name)]!.trim();
      raw.at[key] = name;
    }
    if (typeof raw.values.features === 'string') {
      raw.values.features = raw.values.features
        .split(';')
        .map((f) => f.trim())
        .filter((f) => f !== '');
    }
    if (typeof raw.values.scope === 'string') raw.values.scope = raw.values.scope.replace(/\.geojson$/i, '');
    return raw;
  });
}

/** Why a row cannot be imported: where in the row, and what is wrong there. */
class RowFault extends Error {
  override name = 'RowFault';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Checks one row: the lot, or a RowFault naming the field and the reason. */
function checkRow(
  raw: RawRow,
  options: ImportOptions,
  hours: HoursEvaluator,
): { id: string; input: LotInput } {
  if (raw.fault) throw new RowFault(raw.fault.field, raw.fault.reason);
  const v = raw.values;
  const fault = (key: RowKey, reason: string) => new RowFault(raw.at[key] ?? key, reason);
  const text = (key: RowKey): string | undefined => {
    const value = v[key];
    if (value === undefined || typeof value === 'string') return value;
    throw fault(key, `${key} must be a string, not ${describe(value)}`);
  };
  const number = (key: RowKey): number | undefined => {
    const value = v[key];
    if (value === undefined) return undefined;
    if (raw.numbers === 'json') {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw fault(key, `${key} must be a JSON number, not ${describe(value)}`);
    }
    if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return Number(value);
    throw fault(key, `${key} must be a plain decimal number, not ${describe(value)}`);
  };

  const name = text('name')?.trim() ?? '';
  if (!name) throw fault('name', 'no name');
  const nameProblem = lotNameProblem(name);
  if (nameProblem) throw fault('name', `name ${nameProblem}`);

  const lat = number('lat');
  const lon = number('lon');
  if (lat === undefined) throw fault('lat', 'no latitude');
  if (lon === undefined) throw fault('lon', 'no longitude');
  if (lat < -90 || lat > 90) throw fault('lat', `latitude ${lat} is outside [-90, 90]`);
  if (lon < -180 || lon > 180) throw fault('lon', `longitude ${lon} is outside [-180, 180]`);
  if (lat === lon) throw fault('lat', 'latitude equals longitude: a swapped or placeholder coordinate');
  if (lat === 0 && lon === 0) throw fault('lat', 'coordinates are 0,0: a placeholder');

  const capacity = number('capacity');
  if (capacity === undefined) throw fault('capacity', 'no capacity');
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 100_000) {
    throw fault(
      'capacity',
      `capacity ${String(v.capacity)} is not a whole number from 1 to 100000 (placeholder lot?)`,
    );
  }

  const typeText = text('type');
  const typeName = typeText?.trim().toLowerCase();
  const type: LotType | undefined =
    typeName === undefined
      ? 'surface'
      : (LOT_TYPES as readonly string[]).includes(typeName)
        ? (typeName as LotType)
        : TYPE_NAMES[typeName];
  if (!type) {
    throw fault(
      'type',
      `unknown type ${describe(typeText)} (one of ${LOT_TYPES.join(', ')}, or ParkAPI's Parkhaus, Tiefgarage, Parkplatz)`,
    );
  }

  const features = v.features ?? [];
  if (!Array.isArray(features) || features.some((f) => typeof f !== 'string'))
    throw fault('features', 'features must be an array of strings');
  const unknown = features.filter((f) => !(LOT_FEATURES as readonly string[]).includes(f));
  if (unknown.length) throw fault('features', `unknown features: ${unknown.join(', ')}`);

  const zoneText = text('zone');
  const zone = zoneText === undefined ? options.zone : slug(zoneText);
  if (zone !== undefined && !ID.test(zone))
    throw fault('zone', `cannot make a zone id from ${describe(zoneText)}`);

  const timeZoneText = text('timeZone');
  const timeZone =
    timeZoneText === undefined ? options.timeZone : (canonicalTimeZone(timeZoneText) ?? timeZoneText);
  if (!timeZone) throw fault('timeZone', 'no timeZone (give one per row or ?timeZone= for the file)');
  if (!isTimeZone(timeZone)) throw fault('timeZone', `unknown time zone ${timeZone}`);

  const stale = number('staleAfterSeconds') ?? DEFAULT_STALE_AFTER_SECONDS;
  if (!Number.isInteger(stale) || stale < 60 || stale > 7 * 86_400)
    throw fault('staleAfterSeconds', 'staleAfterSeconds must be a whole number from 60 to 604800');

  const openingHours = text('openingHours');
  if (openingHours !== undefined && openingHours.length > MAX_OPENING_HOURS_LENGTH)
    throw fault('openingHours', `openingHours is longer than ${MAX_OPENING_HOURS_LENGTH} characters`);
  const hoursProblem = openingHours === undefined ? null : hours.problem(openingHours);
  if (hoursProblem !== null) throw fault('openingHours', `openingHours ${hoursProblem}`);

  // A given id is the staff's own: used exactly, or the row is rejected. Only rows without one get
  // an id slugged from the name.
  let id: string;
  if (v.id !== undefined) {
    id = text('id')!;
    if (!ID.test(id)) throw fault('id', `id ${describe(id)} must match ${ID.source}`);
  } else {
    const scope = typeof v.scope === 'string' ? `${slug(v.scope)}-` : '';
    id = slug(`${options.idPrefix ?? ''}${scope}${name}`).slice(0, 64);
    if (!ID.test(id)) throw fault('name', `cannot make an id from "${name}"; give the row an id`);
  }
  if (RESERVED_LOT_IDS.includes(id))
    throw fault(v.id === undefined ? 'name' : 'id', `the id "${id}" is reserved; give the row another id`);

  return {
    id,
    input: {
      name,
      location: options.toWgs84 ? options.toWgs84({ lat, lon }) : { lat, lon },
      capacity,
      type,
      features: [...new Set(features)] as LotFeature[],
      zone,
      timeZone,
      staleAfterSeconds: stale,
      openingHours,
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
  const hours = await loadOpeningHours();
  const seen = new Set<string>();
  for (const raw of rows) {
    const name = typeof raw.values.name === 'string' ? { name: raw.values.name } : {};
    let checked: { id: string; input: LotInput };
    try {
      checked = checkRow(raw, options, hours);
    } catch (error) {
      if (!(error instanceof RowFault)) throw error;
      const id = typeof raw.values.id === 'string' ? { id: raw.values.id } : {};
      summary.rejected.push({ row: raw.row, field: error.field, ...id, ...name, reason: error.reason });
      continue;
    }
    if (seen.has(checked.id)) {
      summary.rejected.push({
        row: raw.row,
        field: raw.at.id ?? raw.at.name ?? 'name',
        id: checked.id,
        ...name,
        reason: 'duplicate id in this file',
      });
    } else {
      seen.add(checked.id);
      good.push(checked);
    }
  }
  if (summary.dryRun) {
    summary.ids = good.map((g) => g.id);
    return summary;
  }
  // A few upserts in flight; each is an idempotent conditional write, so a re-run after a
  // failure converges to the same lots.
  await mapLimit(good, 8, async (next) => {
    const { created } = await putLot(deps, next.id, next.input);
    if (created) summary.created++;
    else summary.updated++;
    summary.ids.push(next.id);
  });
  summary.ids.sort();
  return summary;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a rejection names it: `the string "12"`, `true`, `an array`, ... */
function describe(value: unknown): string {
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
