// Lot names in every script round-trip through PUT, PATCH and both import formats; names with
// control characters, bidi controls or nothing visible are refused everywhere a name comes in.
// (The same refusals for PUT and PATCH one by one: test/hardening/hostile-input.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../shared/domain/csv';
import { openApp } from '../support/stores';

const GOOD_NAMES = [
  'Bull Ring',
  '北京南站停车场', // Chinese
  'موقف السيارات المركزي', // Arabic, right to left
  'חניון התחנה המרכזית', // Hebrew
  'Parking \u200fمركزي', // a right-to-left mark between scripts
  'پارکینگ‌های شهر', // Persian with a zero-width non-joiner, which the spelling needs
  'दिल्ली पार्किंग', // Devanagari: combining vowel signs
  'ที่จอดรถสยาม', // Thai
  '서울역 주차장', // Korean
  '東京駅 八重洲 P1', // Japanese
  'Москва-Сити П2', // Cyrillic
  'Parkhaus Zähringer Tor', // precomposed ä
  'Zu\u0308rich HB', // decomposed ü (u + combining diaeresis)
  'Café de la Gare — P+R',
  'Ñuñoa Estacionamiento',
  'P&R 🚗 Nord', // emoji
  '👨‍👩‍👧 Family parking', // an emoji sequence with zero-width joiners
  '🅿️', // an emoji with a variation selector, and nothing else
  "O'Hare Economy Lot E",
  'Lot "A", level -2; gate #3',
  '42',
  'x'.repeat(200),
];

const BAD_NAMES: [string, string, RegExp][] = [
  ['NUL', 'Lot\u0000A', /control characters/],
  ['a newline', 'Lot\nA', /control characters/],
  ['a C1 control', 'Lot\u009bA', /control characters/],
  ['a right-to-left override', 'Lot \u202egnp.exe', /bidirectional/],
  ['a first-strong isolate', 'Lot \u2068A', /bidirectional/],
  ['only zero-width spaces', '\u200b\u200b', /visible character/],
  ['only a Hangul filler', '\u3164', /visible character/],
  ['only spaces', '   ', /no name/],
  ['201 characters', 'x'.repeat(201), /at most 200/],
];

describe('lot names', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp('dynalite');
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const lot = (name: string) => ({
    name,
    location: { lat: 52.48, lon: -1.9 },
    capacity: 10,
    type: 'garage',
    timeZone: 'Europe/London',
  });
  const importAs = (type: string, body: string) =>
    t.request('/v1/lots:import?timeZone=Europe/London', {
      method: 'POST',
      headers: { ...t.staff, 'content-type': type },
      body,
    });

  it('keeps names in any script exactly as given, through PUT and PATCH', async () => {
    for (const [i, name] of GOOD_NAMES.entries()) {
      const put = await t.request(`/v1/lots/name-${i}`, { method: 'PUT', headers: t.staff, json: lot(name) });
      expect(put.status, name).toBe(201);
      expect((await put.json()).name).toBe(name);
      const patched = `${name} `.repeat(2).trim().slice(0, 200);
      const patch = await t.request(`/v1/lots/name-${i}`, {
        method: 'PATCH',
        headers: t.staff,
        json: { name: patched },
      });
      expect(patch.status, name).toBe(200);
      expect((await (await t.request(`/v1/lots/name-${i}`)).json()).name).toBe(patched);
    }
  });

  it('imports names in any script from GeoJSON and CSV', async () => {
    const features = GOOD_NAMES.map((name, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-1.9, 52.48] },
      properties: { id: `geo-name-${i}`, name, capacity: 10 },
    }));
    const geo = await importAs(
      'application/geo+json',
      JSON.stringify({ type: 'FeatureCollection', features }),
    );
    expect(await geo.json()).toMatchObject({ created: GOOD_NAMES.length, rejected: [] });
    const csv = [
      'id,name,lat,lon,capacity',
      ...GOOD_NAMES.map((name, i) => `csv-name-${i},${csvCell(name)},52.48,-1.9,10`),
    ].join('\r\n');
    const res = await importAs('text/csv', csv);
    expect(await res.json()).toMatchObject({ created: GOOD_NAMES.length, rejected: [] });
    for (const [i, name] of GOOD_NAMES.entries()) {
      for (const id of [`geo-name-${i}`, `csv-name-${i}`])
        expect((await (await t.request(`/v1/lots/${id}`)).json()).name).toBe(name);
    }
  });

  it('refuses bad names in PUT and PATCH, naming `name`, and rejects import rows with them', async () => {
    for (const [what, name, reason] of BAD_NAMES) {
      const put = await t.request('/v1/lots/bad-name', { method: 'PUT', headers: t.staff, json: lot(name) });
      expect(put.status, what).toBe(400);
      const problem = await put.json();
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        what,
      ).toEqual(['name']);
      if (!/no name/.test(reason.source)) expect(problem.errors[0].message, what).toMatch(reason);
      const patch = await t.request('/v1/lots/name-0', { method: 'PATCH', headers: t.staff, json: { name } });
      expect(patch.status, what).toBe(400);
    }
    expect((await t.request('/v1/lots/bad-name')).status).toBe(404);
    expect((await (await t.request('/v1/lots/name-0')).json()).name).toBe('Bull Ring Bull Ring'); // unchanged

    const features = BAD_NAMES.map(([, name], i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [-1.9, 52.48] },
      properties: { id: `bad-geo-${i}`, name, capacity: 10 },
    }));
    const geo = await (
      await importAs('application/geo+json', JSON.stringify({ type: 'FeatureCollection', features }))
    ).json();
    expect(geo.created).toBe(0);
    expect(geo.rejected.map((r: { field: string }) => r.field)).toEqual(
      BAD_NAMES.map(() => 'properties.name'),
    );
    BAD_NAMES.forEach(([what, , reason], i) => {
      expect(geo.rejected[i].reason, what).toMatch(reason);
    });
    const csv = [
      'id,name,lat,lon,capacity',
      ...BAD_NAMES.map(([, name], i) => `bad-csv-${i},${csvCell(name)},52.48,-1.9,10`),
    ].join('\n');
    const rows = await (await importAs('text/csv', csv)).json();
    expect(rows.created).toBe(0);
    expect(rows.rejected.map((r: { field: string }) => r.field)).toEqual(BAD_NAMES.map(() => 'name'));
  });

  it('documents the rules in the OpenAPI document', async () => {
    const doc = await (await t.request('/openapi.json')).json();
    for (const schema of ['LotInput', 'LotPatch']) {
      const name = doc.components.schemas[schema].properties.name;
      expect(name).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
      expect(name.description).toMatch(/control characters/);
      expect(name.description).toMatch(/U\+202A–U\+202E, U\+2066–U\+2069/);
      expect(name.description).toMatch(/no visible character/);
    }
  });
});
