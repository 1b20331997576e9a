// Lot import from real city files (ParkAPI GeoJSON) and CSV.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedFile } from '../support/shared-data';
import { openApp } from '../support/stores';

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
