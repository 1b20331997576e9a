// Real occupancy data sets → observations for the API. Naive local timestamps are converted with
// the data set's IANA zone. Used by the replay tool (scripts/replay.ts) and by tests.
import { parseCsv } from '../domain/csv-read';
import { slug } from '../domain/slug';
import { parseNaiveLocal } from '../domain/zoned-time';

export interface Reading {
  lotId: string;
  /** The data set's own name for the lot. */
  source: string;
  capacity: number;
  eventId: string;
  observedAt: number;
  occupied: number;
}

export interface DatasetFormat {
  name: string;
  timeZone: string;
  matches(header: string[]): boolean;
  read(rows: string[][], header: string[]): Reading[];
}

const column = (header: string[], name: string) => {
  const i = header.findIndex((h) => h.trim() === name);
  if (i < 0) throw new Error(`missing column ${name}`);
  return i;
};

/** UCI "Parking Birmingham": SystemCodeNumber,Capacity,Occupancy,LastUpdated (UK local time). */
export const birmingham: DatasetFormat = {
  name: 'birmingham',
  timeZone: 'Europe/London',
  matches: (h) => h.map((x) => x.trim()).join(',') === 'SystemCodeNumber,Capacity,Occupancy,LastUpdated',
  read(rows, header) {
    const [code, cap, occ, at] = ['SystemCodeNumber', 'Capacity', 'Occupancy', 'LastUpdated'].map((n) =>
      column(header, n),
    ) as [number, number, number, number];
    return rows.map((r) => {
      const source = r[code]!.trim();
      const local = r[at]!.trim();
      return {
        lotId: slug(source),
        source,
        capacity: Number(r[cap]),
        // The file has no ids: car park + local timestamp identifies a reading (duplicates share it).
        eventId: `${slug(source)}-${local.replace(/[^0-9]/g, '')}`,
        observedAt: parseNaiveLocal(local, this.timeZone),
        occupied: Number(r[occ]),
      };
    });
  },
};

/** CityPulse / Open Data Aarhus: vehiclecount,updatetime,_id,totalspaces,garagecode,streamtime (Danish time). */
export const aarhus: DatasetFormat = {
  name: 'aarhus',
  timeZone: 'Europe/Copenhagen',
  matches: (h) => h.includes('vehiclecount') && h.includes('garagecode') && h.includes('updatetime'),
  read(rows, header) {
    const [count, at, id, total, garage] = [
      'vehiclecount',
      'updatetime',
      '_id',
      'totalspaces',
      'garagecode',
    ].map((n) => column(header, n)) as [number, number, number, number, number];
    return rows.map((r) => {
      const source = r[garage]!.trim();
      return {
        lotId: `aarhus-${slug(source)}`,
        source,
        capacity: Number(r[total]),
        eventId: `aarhus-${r[id]!.trim()}`,
        observedAt: parseNaiveLocal(r[at]!.trim(), this.timeZone),
        occupied: Number(r[count]),
      };
    });
  },
};

export const FORMATS = [birmingham, aarhus];

export function readDataset(text: string): { format: DatasetFormat; readings: Reading[] } {
  const table = parseCsv(text);
  const header = (table[0] ?? []).map((h) => h.trim());
  const format = FORMATS.find((f) => f.matches(header));
  if (!format) {
    throw new Error(
      `unrecognised data set header: ${header.join(',')} (known: Birmingham SystemCodeNumber,Capacity,Occupancy,` +
        'LastUpdated; Aarhus vehiclecount,updatetime,_id,totalspaces,garagecode,streamtime)',
    );
  }
  return { format, readings: format.read(table.slice(1), header) };
}

export interface LotRecord {
  lotId: string;
  name: string;
  lat: number;
  lon: number;
  capacity: number;
}

/** Birmingham's car-park metadata (geom is a GeoJSON point in the last column). */
export function readBirminghamLots(text: string): LotRecord[] {
  const table = parseCsv(text);
  const header = (table[0] ?? []).map((h) => h.trim());
  const [code, cap, name, geom] = ['SystemCodeNumber', 'Capacity', 'ShortDescription', 'geom'].map((n) =>
    column(header, n),
  ) as [number, number, number, number];
  const lots: LotRecord[] = [];
  for (const r of table.slice(1)) {
    try {
      const point = JSON.parse(r[geom] ?? '') as { coordinates?: [number, number] };
      const [lon, lat] = point.coordinates ?? [];
      if (typeof lat !== 'number' || typeof lon !== 'number') continue;
      lots.push({
        lotId: slug(r[code]!.trim()),
        name: r[name]!.trim() || r[code]!.trim(),
        lat,
        lon,
        capacity: Number(r[cap]),
      });
    } catch {
      // a row without a usable point cannot become a lot
    }
  }
  return lots;
}
