// Lot import from real city files (ParkAPI GeoJSON) and CSV, and how strictly rows are read:
// numbers that are not numbers, points that are not two or three numbers, given ids that are not
// ids, media types in any case, CSV syntax (BOM, CRLF, quoted line breaks, ragged records).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slug } from '../../shared/domain/slug';
import { tableSnapshot } from '../hardening/input-support';
import { SHARED_DATA, sharedFile } from '../support/shared-data';
import { openApp } from '../support/stores';

interface Rejected {
  row: number;
  field: string;
  id?: string;
  name?: string;
  reason: string;
}

const GOOD_FEATURE = {
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [-1.894, 52.477] },
  properties: { name: 'Good Lot', capacity: 100 },
};
/** A feature like the good one but for `change` (deep enough for properties and geometry). */
function feature(name: string, change: Record<string, unknown> = {}): Record<string, unknown> {
  const { properties, geometry, ...rest } = change as {
    properties?: Record<string, unknown>;
    geometry?: unknown;
  };
  return {
    ...GOOD_FEATURE,
    ...rest,
    geometry: geometry === undefined ? GOOD_FEATURE.geometry : geometry,
    properties: { ...GOOD_FEATURE.properties, name, ...properties },
  };
}
const point = (...coordinates: unknown[]) => ({ geometry: { type: 'Point', coordinates } });

// Each: what is wrong, the feature, the field the rejection must name, what its reason must say.
const BAD_FEATURES: [string, Record<string, unknown>, string, RegExp][] = [
  [
    'capacity "12"',
    feature('Cap String', { properties: { capacity: '12' } }),
    'properties.capacity',
    /JSON number/,
  ],
  [
    'capacity true',
    feature('Cap True', { properties: { capacity: true } }),
    'properties.capacity',
    /JSON number/,
  ],
  [
    'capacity "0x10"',
    feature('Cap Hex', { properties: { capacity: '0x10' } }),
    'properties.capacity',
    /JSON number/,
  ],
  [
    'capacity [12]',
    feature('Cap Array', { properties: { capacity: [12] } }),
    'properties.capacity',
    /JSON number/,
  ],
  [
    'capacity {}',
    feature('Cap Object', { properties: { capacity: {} } }),
    'properties.capacity',
    /JSON number/,
  ],
  [
    'capacity 12.5',
    feature('Cap Fraction', { properties: { capacity: 12.5 } }),
    'properties.capacity',
    /whole number/,
  ],
  [
    'total "12" (ParkAPI)',
    feature('Total String', { properties: { capacity: undefined, total: '12' } }),
    'properties.total',
    /JSON number/,
  ],
  [
    'coordinates [true, [52]]',
    feature('Coord Bool', point(true, [52])),
    'geometry.coordinates[0]',
    /JSON number/,
  ],
  [
    'coordinates ["-1.9", "52.4"]',
    feature('Coord Text', point('-1.9', '52.4')),
    'geometry.coordinates[0]',
    /JSON number/,
  ],
  ['latitude "52.4"', feature('Lat Text', point(-1.9, '52.4')), 'geometry.coordinates[1]', /JSON number/],
  ['one coordinate', feature('Coord One', point(-1.9)), 'geometry.coordinates', /not 1 values/],
  [
    'four coordinates',
    feature('Coord Four', point(-1.9, 52.4, 100, 7)),
    'geometry.coordinates',
    /not 4 values/,
  ],
  ['no coordinates', feature('Coord None', point()), 'geometry.coordinates', /not 0 values/],
  ['altitude "100"', feature('Alt Text', point(-1.9, 52.4, '100')), 'geometry.coordinates[2]', /JSON number/],
  ['altitude null', feature('Alt Null', point(-1.9, 52.4, null)), 'geometry.coordinates[2]', /JSON number/],
  [
    'coordinates as text',
    feature('Coord String', { geometry: { type: 'Point', coordinates: '-1.9,52.4' } }),
    'geometry.coordinates',
    /\[lon, lat\]/,
  ],
  [
    'a Polygon',
    feature('Polygon', {
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [1, 0],
            [0, 0],
          ],
        ],
      },
    }),
    'geometry.type',
    /"Point"/,
  ],
  ['no geometry', feature('No Geometry', { geometry: null }), 'geometry', /no point geometry/],
  ['latitude 91', feature('Lat High', point(-1.9, 91)), 'geometry.coordinates[1]', /outside/],
  [
    'staleAfterSeconds "600"',
    feature('Stale Text', { properties: { staleAfterSeconds: '600' } }),
    'properties.staleAfterSeconds',
    /JSON number/,
  ],
  [
    'given id "Bull Ring"',
    feature('Given Bad Id', { properties: { id: 'Bull Ring' } }),
    'properties.id',
    /must match/,
  ],
  [
    'given id 17',
    feature('Given Number Id', { properties: { id: 17 } }),
    'properties.id',
    /must be a string/,
  ],
  ['given id ""', feature('Given Empty Id', { properties: { id: '' } }), 'properties.id', /must match/],
  [
    'given id with a slash',
    feature('Given Slash Id', { properties: { id: 'a/b' } }),
    'properties.id',
    /must match/,
  ],
  [
    'given id "nearby"',
    feature('Given Reserved Id', { properties: { id: 'nearby' } }),
    'properties.id',
    /reserved/,
  ],
  ['name 12', feature('x', { properties: { name: 12 } }), 'properties.name', /must be a string/],
  ['name with NUL', feature('Nul\u0000Lot'), 'properties.name', /control characters/],
  [
    'type "helipad"',
    feature('Helipad', { properties: { type: 'helipad' } }),
    'properties.type',
    /unknown type/,
  ],
  ['type 3', feature('Type Number', { properties: { type: 3 } }), 'properties.type', /must be a string/],
  [
    'features "ev"',
    feature('Features Text', { properties: { features: 'ev' } }),
    'properties.features',
    /array of strings/,
  ],
  ['zone 7', feature('Zone Number', { properties: { zone: 7 } }), 'properties.zone', /must be a string/],
  ['zone "—"', feature('Zone Dash', { properties: { zone: '—' } }), 'properties.zone', /zone id/],
  [
    'timeZone 1',
    feature('Tz Number', { properties: { timeZone: 1 } }),
    'properties.timeZone',
    /must be a string/,
  ],
  [
    'openingHours of 256 characters',
    feature('Long Hours', { properties: { openingHours: 'x'.repeat(256) } }),
    'properties.openingHours',
    /longer than 255/,
  ],
  ['a feature that is a number', 42 as unknown as Record<string, unknown>, '(feature)', /Feature object/],
  ['type "Point" instead of "Feature"', feature('Wrong Type', { type: 'Point' }), 'type', /"Feature"/],
  ['properties an array', { ...GOOD_FEATURE, properties: ['Good Lot'] }, 'properties', /object/],
];

// Each: what is wrong, the CSV line (header name,lat,lon,capacity,id,staleAfterSeconds), field, reason.
const CSV_HEADER = 'name,lat,lon,capacity,id,staleAfterSeconds';
const BAD_CSV: [string, string, string, RegExp][] = [
  ['capacity 0x10', 'Cap Hex,52.4,-1.9,0x10,,', 'capacity', /plain decimal/],
  ['capacity 1e3', 'Cap Exp,52.4,-1.9,1e3,,', 'capacity', /plain decimal/],
  ['capacity +5', 'Cap Plus,52.4,-1.9,+5,,', 'capacity', /plain decimal/],
  ['capacity 12abc', 'Cap Junk,52.4,-1.9,12abc,,', 'capacity', /plain decimal/],
  ['capacity 012', 'Cap Zero,52.4,-1.9,012,,', 'capacity', /plain decimal/],
  ['capacity 12.5', 'Cap Fraction,52.4,-1.9,12.5,,', 'capacity', /whole number/],
  ['latitude "52,4" (a decimal comma)', 'Lat Comma,"52,4",-1.9,10,,', 'lat', /plain decimal/],
  ['latitude .5', 'Lat Dot,.5,-1.9,10,,', 'lat', /plain decimal/],
  ['longitude Infinity', 'Lon Inf,52.4,Infinity,10,,', 'lon', /plain decimal/],
  ['no latitude', 'Lat None,,-1.9,10,,', 'lat', /no latitude/],
  ['staleAfterSeconds 6e2', 'Stale Exp,52.4,-1.9,10,,6e2', 'staleAfterSeconds', /plain decimal/],
  ['given id "Bull Ring"', 'Given Bad Id,52.4,-1.9,10,Bull Ring,', 'id', /must match/],
  ['given id "../x"', 'Given Dots Id,52.4,-1.9,10,../x,', 'id', /must match/],
  [
    'an unquoted comma in the name',
    'Moor Street, Upper,52.4,-1.9,10,,',
    '(row)',
    /7 cells where the header has 6/,
  ],
  ['a cell missing', 'Short Row,52.4,-1.9,10,', '(row)', /5 cells/],
  ['a name that is only a zero-width space', '\u200b,52.4,-1.9,10,,', 'name', /visible character/],
];

describe('POST /v1/lots:import', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp('dynalite');
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const post = (path: string, body: string, type: string) =>
    t.request(path, { method: 'POST', headers: { ...t.staff, 'content-type': type }, body });

  it('imports CSV rows, slugging ids from names and reporting bad rows with reasons', async () => {
    const csv = [
      'name,lat,lon,capacity,type,features,zone',
      'Bull Ring,52.477,-1.894,3053,garage,ev;covered,centre',
      '"Moor Street, Upper",52.4791,-1.8925,120,Parkplatz,,centre',
      'Nowhere,51.5,51.5,100,garage,,',
      'No Space,52.47,-1.89,0,garage,,',
      'Bull Ring,52.477,-1.894,3053,garage,,',
    ].join('\n');
    const res = await post('/v1/lots:import?timeZone=Europe/London', csv, 'text/csv');
    expect(res.status).toBe(200);
    const summary = await res.json();
    expect(summary).toMatchObject({ created: 2, updated: 0, ids: ['bull-ring', 'moor-street-upper'] });
    expect(summary.rejected.map((r: { row: number; reason: string }) => [r.row, r.reason])).toEqual([
      [3, 'latitude equals longitude: a swapped or placeholder coordinate'],
      [4, 'capacity 0 is not a whole number from 1 to 100000 (placeholder lot?)'],
      [5, 'duplicate id in this file'],
    ]);
    const lot = await (await t.request('/v1/lots/moor-street-upper')).json();
    expect(lot).toMatchObject({ name: 'Moor Street, Upper', type: 'surface', capacity: 120, zone: 'centre' });
    const again = await (await post('/v1/lots:import?timeZone=Europe/London', csv, 'text/csv')).json();
    expect(again).toMatchObject({ created: 0, updated: 2 });
  });

  it('rejects a file that is neither, writing nothing', async () => {
    const csv = await post('/v1/lots:import?timeZone=Europe/London', 'title,where\nx,y', 'text/csv');
    expect(csv.status).toBe(400);
    const json = await post('/v1/lots:import', JSON.stringify({ type: 'Feature' }), 'application/json');
    expect(json.status).toBe(400);
    const text = await post('/v1/lots:import', 'hello', 'text/plain');
    expect(text.status).toBe(415);
  });

  it('needs a time zone for rows without one', async () => {
    const res = await post('/v1/lots:import', 'name,lat,lon,capacity\nA,52.4,-1.9,10', 'text/csv');
    expect((await res.json()).rejected[0].reason).toMatch(/no timeZone/);
  });

  it('rejects every GeoJSON row whose numbers, point, id or fields are not what they must be, naming the field', async () => {
    const body = { type: 'FeatureCollection', features: [...BAD_FEATURES.map(([, f]) => f), GOOD_FEATURE] };
    const before = await tableSnapshot(t.store);
    const res = await post(
      '/v1/lots:import?timeZone=Europe/London',
      JSON.stringify(body),
      'application/geo+json',
    );
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { created: number; rejected: Rejected[]; ids: string[] };
    expect(summary.ids).toEqual(['good-lot']);
    expect(summary.rejected.map((r) => r.row)).toEqual(BAD_FEATURES.map((_, i) => i + 1));
    BAD_FEATURES.forEach(([what, , field, reason], i) => {
      const r = summary.rejected[i]!;
      expect(r.field, what).toBe(field);
      expect(r.reason, what).toMatch(reason);
    });
    // Nothing of a rejected row was written, under its given id or a slug of its name.
    const after = await tableSnapshot(t.store);
    expect(after.length - before.length).toBe(1);
    for (const id of ['given-bad-id', 'cap-string', 'coord-bool'])
      expect((await t.request(`/v1/lots/${id}`)).status, id).toBe(404);
    // Three coordinates are a point with an altitude.
    const withAltitude = feature('With Altitude', point(-1.9, 52.4, 120));
    const alt = await post(
      '/v1/lots:import?timeZone=Europe/London&dryRun=true',
      JSON.stringify({ type: 'FeatureCollection', features: [withAltitude] }),
      'application/geo+json',
    );
    expect(await alt.json()).toMatchObject({ ids: ['with-altitude'], rejected: [] });
  });

  it('uses a valid given id exactly as given, and slugs ids only for rows without one', async () => {
    const body = {
      type: 'FeatureCollection',
      features: [
        feature('Named Lot', { properties: { id: 'Given.ID_7' } }),
        feature('Slugged Lot', { properties: { id: null } }),
      ],
    };
    const res = await post(
      '/v1/lots:import?timeZone=Europe/London&idPrefix=x-',
      JSON.stringify(body),
      'application/json',
    );
    expect(await res.json()).toMatchObject({ ids: ['Given.ID_7', 'x-slugged-lot'], rejected: [] });
    expect((await (await t.request('/v1/lots/Given.ID_7')).json()).name).toBe('Named Lot');
  });

  it('rejects every CSV row whose numbers are not plain decimals, whose id is invalid or whose cells do not line up', async () => {
    const csv = [
      CSV_HEADER,
      ...BAD_CSV.map(([, line]) => line),
      'Good Csv Lot,52.4,-1.9,10,good-csv,600',
    ].join('\n');
    const res = await post('/v1/lots:import?timeZone=Europe/London', csv, 'text/csv');
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { rejected: Rejected[]; ids: string[] };
    expect(summary.ids).toEqual(['good-csv']);
    expect(summary.rejected.map((r) => r.row)).toEqual(BAD_CSV.map((_, i) => i + 1));
    BAD_CSV.forEach(([what, , field, reason], i) => {
      expect(summary.rejected[i]!.field, what).toBe(field);
      expect(summary.rejected[i]!.reason, what).toMatch(reason);
    });
    expect((await t.request('/v1/lots/given-bad-id')).status).toBe(404);
    expect((await t.request('/v1/lots/moor-street')).status).toBe(404);
  });

  it('reads CSV with a byte-order mark, CRLF line ends and a quoted line break', async () => {
    const csv =
      '\uFEFFname,lat,lon,capacity,openingHours\r\nBom Lot,52.41,-1.91,10,"Mo-Fr 08:00-18:00;\r\nSa 09:00-12:00"\r\n\r\n';
    const res = await post('/v1/lots:import?timeZone=Europe/London', csv, 'text/csv');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ids: ['bom-lot'], rejected: [] });
    const lot = await (await t.request('/v1/lots/bom-lot')).json();
    expect(lot).toMatchObject({
      name: 'Bom Lot',
      capacity: 10,
      openingHours: 'Mo-Fr 08:00-18:00;\r\nSa 09:00-12:00',
    });
  });

  it('rejects CSV that is not RFC 4180 or repeats a column, writing nothing', async () => {
    for (const csv of [
      'name,lat,lon,capacity\n"Quoted"Tail,52.4,-1.9,10\n',
      'name,lat,lon,capacity\n"Unterminated,52.4,-1.9,10\n',
      'name,lat,lon,capacity,name\nA,52.4,-1.9,10,B\n',
    ]) {
      const before = await tableSnapshot(t.store);
      const res = await post('/v1/lots:import?timeZone=Europe/London', csv, 'text/csv');
      expect(res.status, csv).toBe(400);
      const problem = await res.json();
      expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([
        csv.includes(',name\n') ? '(header)' : '(body)',
      ]);
      expect(await tableSnapshot(t.store)).toEqual(before);
    }
  });

  it('matches media types case-insensitively, with parameters and spaces', async () => {
    const csv = 'name,lat,lon,capacity\nCase Lot,52.42,-1.92,10\n';
    const json = JSON.stringify({ type: 'FeatureCollection', features: [feature('Case Lot')] });
    for (const [type, body] of [
      ['TEXT/CSV', csv],
      ['Text/Csv; Charset=UTF-8', csv],
      ['text/csv;charset="utf-8"', csv],
      ['Application/Geo+JSON; charset=UTF-8', json],
      ['APPLICATION/JSON', json],
      ['application/json ; charset=utf-8', json],
    ] as const) {
      const res = await post('/v1/lots:import?timeZone=Europe/London&dryRun=true', body, type);
      expect(res.status, type).toBe(200);
      expect(await res.json(), type).toMatchObject({ ids: ['case-lot'], rejected: [] });
    }
    for (const type of ['text/csv; charset=iso-8859-1', 'application/json, text/csv', 'text/plain', 'csv']) {
      const res = await post('/v1/lots:import?timeZone=Europe/London', csv, type);
      expect(res.status, type).toBe(415);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  const parkapi = sharedFile('lots/parkapi');
  it.runIf(parkapi !== null)(
    'keeps every real ParkAPI file importing: each lot is created unless the file itself says it cannot be one',
    async () => {
      const files = readdirSync(join(SHARED_DATA, 'lots/parkapi')).filter((f) => f.endsWith('.geojson'));
      expect(files.length).toBeGreaterThan(20);
      let created = 0;
      for (const file of files) {
        const body = readFileSync(join(SHARED_DATA, 'lots/parkapi', file), 'utf8');
        const prefix = `${slug(file.replace('.geojson', ''))}-`;
        // The oracle, from the file: what a careful reader would refuse, in the importer's order.
        type F = {
          geometry: { coordinates: number[] } | null;
          properties: { type?: string; name: string; total?: number };
        };
        const lots = (JSON.parse(body) as { features: F[] }).features.filter(
          (f) => f.properties.type !== 'city',
        );
        const seen = new Set<string>();
        const expected = lots.map((f) => {
          if (f.geometry === null) return 'no point geometry';
          const [lon, lat] = f.geometry.coordinates;
          if (lat === lon) return 'latitude equals longitude: a swapped or placeholder coordinate';
          if (f.properties.total === undefined) return 'no capacity';
          if (f.properties.total === 0)
            return 'capacity 0 is not a whole number from 1 to 100000 (placeholder lot?)';
          const id = slug(`${prefix}${f.properties.name}`);
          if (seen.has(id)) return 'duplicate id in this file';
          seen.add(id);
          return 'created';
        });
        const res = await post(
          `/v1/lots:import?timeZone=Europe/Berlin&idPrefix=${prefix}&dryRun=true`,
          body,
          'application/geo+json',
        );
        expect(res.status, file).toBe(200);
        const summary = (await res.json()) as { rejected: Rejected[]; ids: string[] };
        expect(summary.ids.length, file).toBe(expected.filter((e) => e === 'created').length);
        expect(summary.rejected.map((r) => r.reason).sort(), file).toEqual(
          expected.filter((e) => e !== 'created').sort(),
        );
        created += summary.ids.length;
      }
      expect(created).toBeGreaterThan(300);

      // The flat CSV of the same lots: the same lots are created from it.
      const flat = readFileSync(join(SHARED_DATA, 'lots/parkapi/parkapi-lots-flat.csv'), 'utf8');
      const res = await post('/v1/lots:import?timeZone=Europe/Berlin&dryRun=true', flat, 'text/csv');
      const summary = (await res.json()) as { rejected: Rejected[]; ids: string[] };
      expect(summary.ids.length).toBe(created);
      for (const r of summary.rejected) expect(['capacity', 'total', 'lat', 'name']).toContain(r.field);
    },
  );

  const zurich = sharedFile('lots/parkapi/Zuerich.geojson');
  it.runIf(zurich !== null)(
    'imports a real ParkAPI city file, skipping its city feature and null geometries',
    async () => {
      const body = readFileSync(zurich!, 'utf8');
      const fc = JSON.parse(body) as { features: { geometry: unknown; properties: { type?: string } }[] };
      const lots = fc.features.filter((f) => f.properties.type !== 'city');
      const nullGeometry = lots.filter((f) => f.geometry === null).length;
      const res = await post(
        '/v1/lots:import?timeZone=Europe/Zurich&idPrefix=zh-',
        body,
        'application/geo+json',
      );
      expect(res.status).toBe(200);
      const summary = await res.json();
      expect(nullGeometry).toBe(3);
      expect(summary.created + summary.rejected.length).toBe(lots.length);
      expect(
        summary.rejected.filter((r: { reason: string }) => r.reason === 'no point geometry'),
      ).toHaveLength(3);
      expect(summary.ids.every((id: string) => id.startsWith('zh-'))).toBe(true);
      const first = await (await t.request(`/v1/lots/${summary.ids[0]}`)).json();
      expect(first.timeZone).toBe('Europe/Zurich');
    },
  );
});
