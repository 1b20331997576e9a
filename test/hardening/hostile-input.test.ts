// A hand-written catalogue of hostile requests that generators rarely produce: prototype-pollution
// keys, duplicate JSON keys, numbers JSON cannot hold, ids that try to escape their path segment,
// deep nesting, repeated query parameters, wrong methods and content types, oversized, chunked,
// non-UTF-8 and empty bodies. Each case states the status it must get; every rejection is a
// problem+json naming the field where there is one, and leaves the table exactly as it was.
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../shared/http/app';
import { openApp } from '../support/stores';
import { type ProblemBody, problemFailures, snapshotDiff, tableSnapshot } from './input-support';

type Auth = 'none' | 'staff' | 'sensor';
interface Case {
  name: string;
  method: string;
  path: string;
  auth?: Auth;
  contentType?: string | null;
  body?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
  status: number | number[];
  /** A field the problem's errors must name (exactly, or as the start of a path). */
  field?: string;
  /** Checks Object.prototype afterwards. */
  pollution?: boolean;
}

const LOT = 'h-lot';
const LOT_BODY = {
  name: 'Hostile',
  location: { lat: 52.48, lon: -1.9 },
  capacity: 100,
  type: 'surface',
  timeZone: 'Europe/London',
};
const lotJson = JSON.stringify(LOT_BODY);
const lotWith = (extra: string) => `${lotJson.slice(0, -1)},${extra}}`;
const obs = (item: string) => `{"observations":[${item}]}`;
const OBS_OK = '{"eventId":"h-new","observedAt":"2026-11-23T09:59:30Z","occupied":6}';
const nearby = '/v1/lots/nearby?lat=52.48&lon=-1.9';
const report = '/v1/reports/utilization?from=2026-11-22&to=2026-11-23';
const nested = (depth: number, open: string, close: string, inner = '1') =>
  open.repeat(depth) + inner + close.repeat(depth);
const utf8 = (...parts: (string | number[])[]): Uint8Array<ArrayBuffer> =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))));
const padded = (bytes: number) => lotWith(`"openingHours":"${'x'.repeat(bytes - lotJson.length - 18)}"`);

const CASES: Case[] = [
  // --- prototype pollution: bodies are strict, query names are inert ---
  ...(['PUT', 'PATCH'] as const).map(
    (method): Case => ({
      name: `${method} lot with a __proto__ key`,
      method,
      path: `/v1/lots/${LOT}`,
      auth: 'staff',
      body: lotWith('"__proto__":{"polluted":"yes","capacity":5}'),
      status: 400,
      field: '(body)',
      pollution: true,
    }),
  ),
  {
    name: 'lot with constructor.prototype',
    method: 'PATCH',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: '{"constructor":{"prototype":{"polluted":"yes"}}}',
    status: 400,
    field: '(body)',
    pollution: true,
  },
  {
    name: 'nested __proto__ in location',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: JSON.stringify(LOT_BODY).replace('"lon":-1.9', '"lon":-1.9,"__proto__":{"polluted":"yes"}'),
    status: 400,
    field: 'location',
    pollution: true,
  },
  {
    name: '__proto__ inside an observation',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(
      '{"eventId":"h-p1","observedAt":"2026-11-23T09:59:00Z","occupied":1,"__proto__":{"polluted":"yes"}}',
    ),
    status: 400,
    field: 'observations[0]',
    pollution: true,
  },
  {
    name: 'key with __proto__.role',
    method: 'POST',
    path: '/v1/keys',
    auth: 'staff',
    body: '{"role":"staff","label":"x","__proto__":{"role":"sensor","polluted":"yes"}}',
    status: 400,
    field: '(body)',
    pollution: true,
  },
  {
    name: 'import (dry run) with __proto__ and constructor properties',
    method: 'POST',
    path: '/v1/lots:import?dryRun=true&timeZone=Europe/London',
    auth: 'staff',
    body: JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [-1.9, 52.48] },
          properties: { name: 'P', capacity: 10, constructor: { prototype: { polluted: 'yes' } } },
        },
      ],
    }).replace('"name"', '"__proto__":{"polluted":"yes"},"name"'),
    status: 200,
    pollution: true,
  },
  {
    name: 'import (dry run) CSV with __proto__ and constructor columns',
    method: 'POST',
    path: '/v1/lots:import?dryRun=true&timeZone=Europe/London',
    auth: 'staff',
    contentType: 'text/csv',
    body: 'name,lat,lon,capacity,__proto__,constructor\nP,52.48,-1.9,10,polluted,polluted\n',
    status: 200,
    pollution: true,
  },
  {
    name: 'query __proto__[polluted] and constructor[prototype][polluted]',
    method: 'GET',
    path: `${nearby}&__proto__[polluted]=yes&constructor[prototype][polluted]=yes&__proto__=x`,
    status: 200,
    pollution: true,
  },
  {
    name: 'staff query with __proto__ and hasOwnProperty names',
    method: 'GET',
    path: `${report}&__proto__=x&hasOwnProperty=x&toString=x`,
    auth: 'staff',
    status: 200,
    pollution: true,
  },
  // --- duplicate JSON keys: one value counts, the last (JSON.parse) ---
  {
    name: 'duplicate capacity, the last invalid',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: lotWith('"capacity":0'),
    status: 400,
    field: 'capacity',
  },
  {
    name: 'duplicate observations key, the last empty',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: `{"observations":[${OBS_OK}],"observations":[]}`,
    status: 400,
    field: 'observations',
  },
  {
    name: 'duplicate eventId key inside one observation, the last invalid',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(OBS_OK.replace('{', '{"eventId":"h-fine",').replace('"eventId":"h-new"', '"eventId":"h#new"')),
    status: 400,
    field: 'observations[0].eventId',
  },
  // --- numbers JSON and DynamoDB cannot hold ---
  {
    name: 'capacity 1e400',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: lotWith('"capacity":1e400'),
    status: 400,
    field: 'capacity',
  },
  {
    name: 'occupied 1e400',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(OBS_OK.replace('"occupied":6', '"occupied":1e400')),
    status: 400,
    field: 'observations[0].occupied',
  },
  {
    name: 'occupied -1e400',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(OBS_OK.replace('"occupied":6', '"occupied":-1e400')),
    status: 400,
    field: 'observations[0].occupied',
  },
  {
    name: 'occupied 2^53+1',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(OBS_OK.replace('"occupied":6', `"occupied":${2n ** 53n + 1n}`)),
    status: 400,
    field: 'observations[0].occupied',
  },
  {
    name: 'capacity 2^53+1',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: lotWith(`"capacity":${2n ** 53n + 1n}`),
    status: 400,
    field: 'capacity',
  },
  {
    name: 'capacity -0',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: lotWith('"capacity":-0'),
    status: 400,
    field: 'capacity',
  },
  {
    name: 'entries 1.5',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs('{"eventId":"h-g1","observedAt":"2026-11-23T09:59:00Z","entries":1.5,"exits":0}'),
    status: 400,
    field: 'observations[0].entries',
  },
  {
    name: 'occupied "NaN"',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(OBS_OK.replace('"occupied":6', '"occupied":"NaN"')),
    status: 400,
    field: 'observations[0].occupied',
  },
  {
    name: 'latitude 1e-200 (below what DynamoDB can store) is kept as 0',
    method: 'PUT',
    path: '/v1/lots/h-tiny',
    auth: 'staff',
    body: JSON.stringify({ ...LOT_BODY, location: { lat: 1e-200, lon: -1e-300 } }),
    status: 201,
  },
  { name: 'lat=NaN', method: 'GET', path: '/v1/lots/nearby?lat=NaN&lon=-1.9', status: 400, field: 'lat' },
  {
    name: 'lon=Infinity',
    method: 'GET',
    path: '/v1/lots/nearby?lat=52&lon=Infinity',
    status: 400,
    field: 'lon',
  },
  { name: 'lat=1e400', method: 'GET', path: '/v1/lots/nearby?lat=1e400&lon=1', status: 400, field: 'lat' },
  {
    name: 'radius=2^53+1',
    method: 'GET',
    path: `${nearby}&radius=9007199254740993`,
    status: 400,
    field: 'radius',
  },
  { name: 'radius=-0', method: 'GET', path: `${nearby}&radius=-0`, status: 400, field: 'radius' },
  { name: 'lat=-0 is zero', method: 'GET', path: '/v1/lots/nearby?lat=-0&lon=-0.0', status: 200 },
  // --- ids that try to leave their segment, or look like another id ---
  ...[
    ['#', 'a%23b'],
    ['../', '..%2Fkeys'],
    ['%2F', 'a%2Fb'],
    ['encoded ../', '%2E%2E%2Fadmin'],
    ['NUL', 'a%00b'],
    ['newline', 'a%0Ab'],
    ['DEL', 'a%7F'],
    ['right-to-left override', '%E2%80%AEabc'],
    ['dotless i (confusable)', 'bhm-bull-r%C4%B1ng'],
    ['Cyrillic a (confusable)', 'h-lot-%D0%B0'],
    ['full-width letters', '%EF%BD%88-lot'],
    ['space', 'h%20lot'],
    ['broken percent-encoding', '%E0%A4%A'],
    ['65 characters', 'a'.repeat(65)],
    ['10,000 characters', 'a'.repeat(10_000)],
    ['leading dot', '.hidden'],
  ].flatMap(([what, id]): Case[] => [
    { name: `GET lot id with ${what}`, method: 'GET', path: `/v1/lots/${id}`, status: 400, field: 'id' },
    {
      name: `PUT lot id with ${what}`,
      method: 'PUT',
      path: `/v1/lots/${id}`,
      auth: 'staff',
      body: lotJson,
      status: 400,
      field: 'id',
    },
  ]),
  { name: 'raw # is a fragment, not part of the id', method: 'GET', path: '/v1/lots/no-such#x', status: 404 },
  {
    name: 'raw ../ is resolved before routing (reaches /v1/keys, which needs a key)',
    method: 'GET',
    path: '/v1/lots/../keys',
    status: 401,
  },
  {
    name: 'key id with ../',
    method: 'DELETE',
    path: '/v1/keys/..%2Fadmin',
    auth: 'staff',
    status: 400,
    field: 'keyId',
  },
  {
    name: 'observations for a lot id with a control character',
    method: 'POST',
    path: '/v1/lots/h-lot%0D%0A/observations',
    auth: 'staff',
    body: obs(OBS_OK),
    status: 400,
    field: 'id',
  },
  ...[
    ['#', 'h#1'],
    ['../', '../x'],
    ['NUL', 'h\u0000x'],
    ['129 characters', 'e'.repeat(129)],
    ['a confusable', 'һ-1'],
  ].map(
    ([what, id]): Case => ({
      name: `eventId with ${what}`,
      method: 'POST',
      path: `/v1/lots/${LOT}/observations`,
      auth: 'sensor',
      body: obs(OBS_OK.replace('"h-new"', JSON.stringify(id))),
      status: 400,
      field: 'observations[0].eventId',
    }),
  ),
  {
    name: 'spaceId with ../',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs('{"eventId":"h-b1","observedAt":"2026-11-23T09:59:00Z","spaceId":"../L2","state":"occupied"}'),
    status: 400,
    field: 'observations[0].spaceId',
  },
  {
    name: 'zone with a control character',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: lotWith('"zone":"centre\\u0007"'),
    status: 400,
    field: 'zone',
  },
  {
    name: 'lotId query with #',
    method: 'GET',
    path: `${report}&lotId=a%23b`,
    auth: 'staff',
    status: 400,
    field: 'lotId',
  },
  // --- lot names that change how text is shown, or show nothing (README "API summary") ---
  ...[
    ['NUL', 'Lot\u0000A'],
    ['a tab', 'Lot\tA'],
    ['a newline', 'Lot\nA'],
    ['a carriage return', 'Lot\rA'],
    ['ESC (a terminal escape)', 'Lot\u001b[31mA'],
    ['DEL', 'Lot\u007f'],
    ['NEL (C1)', 'Lot\u0085A'],
    ['CSI (C1)', 'Lot\u009b31m'],
    ['a line separator', 'Lot\u2028A'],
    ['a paragraph separator', 'Lot\u2029A'],
    ['an unpaired surrogate', 'Lot\ud800A'],
    ['a noncharacter', 'Lot\uffffA'],
    ...['202a', '202b', '202c', '202d', '202e', '2066', '2067', '2068', '2069'].map((hex) => [
      `bidi control U+${hex.toUpperCase()}`,
      `Lot ${String.fromCharCode(Number.parseInt(hex, 16))}gnp.exe`,
    ]),
    ['only a zero-width space', '\u200b'],
    ['only zero-width joiners', '\u200d\u200c\u200d'],
    ['only a byte-order mark', '\ufeff'],
    ['only a word joiner', '\u2060'],
    ['only a soft hyphen', '\u00ad'],
    ['only a Hangul filler', '\u3164'],
    ['only a blank Braille pattern', '\u2800'],
    ['only a combining accent', '\u0301'],
    ['only spaces of several kinds', ' \u00a0\u2003\u3000 '],
    ['only invisible characters between spaces', ' \u200b\u2060 '],
  ].flatMap(([what, name]): Case[] => [
    {
      name: `PUT lot name with ${what}`,
      method: 'PUT',
      path: `/v1/lots/${LOT}`,
      auth: 'staff',
      body: JSON.stringify({ ...LOT_BODY, name }),
      status: 400,
      field: 'name',
    },
    {
      name: `PATCH lot name with ${what}`,
      method: 'PATCH',
      path: `/v1/lots/${LOT}`,
      auth: 'staff',
      body: JSON.stringify({ name }),
      status: 400,
      field: 'name',
    },
  ]),
  // --- deep nesting ---
  {
    name: 'array nested 10,000 deep',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: nested(10_000, '[', ']'),
    status: 400,
    field: '(body)',
  },
  {
    name: 'object nested 10,000 deep',
    method: 'PATCH',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: nested(10_000, '{"a":', '}'),
    status: 400,
    field: '(body)',
  },
  {
    name: 'eventId nested 10,000 deep',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(OBS_OK.replace('"h-new"', nested(10_000, '{"a":', '}'))),
    status: 400,
    field: 'observations[0].eventId',
  },
  {
    name: 'array nested 100,000 deep (under the body limit)',
    method: 'POST',
    path: '/v1/keys',
    auth: 'staff',
    body: nested(100_000, '[', ']'),
    status: 400,
    field: '(body)',
  },
  {
    name: 'import features nested 10,000 deep',
    method: 'POST',
    path: '/v1/lots:import?dryRun=true',
    auth: 'staff',
    body: `{"type":"FeatureCollection","features":[${nested(10_000, '[', ']')}]}`,
    status: 200,
  },
  // --- repeated query parameters ---
  {
    name: '?lat=1&lat=2',
    method: 'GET',
    path: '/v1/lots/nearby?lat=1&lat=2&lon=1',
    status: 400,
    field: 'lat',
  },
  {
    name: '?lat=&lat=52',
    method: 'GET',
    path: '/v1/lots/nearby?lat=&lat=52&lon=1',
    status: 400,
    field: 'lat',
  },
  {
    name: 'repeated bbox',
    method: 'GET',
    path: '/v1/lots?bbox=-1.92,52.47,-1.88,52.49&bbox=0,0,1,1',
    status: 400,
    field: 'bbox',
  },
  {
    name: 'repeated dryRun on import (nothing written)',
    method: 'POST',
    path: '/v1/lots:import?dryRun=true&dryRun=false',
    auth: 'staff',
    body: '{"type":"FeatureCollection","features":[]}',
    status: 400,
    field: 'dryRun',
  },
  { name: 'a repeated unknown parameter', method: 'GET', path: `${nearby}&x=1&x=1`, status: 400, field: 'x' },
  {
    name: 'a repeated parameter on a route without query parameters',
    method: 'GET',
    path: '/v1/reports/health?verbose=1&verbose=2',
    auth: 'staff',
    status: 400,
    field: 'verbose',
  },
  { name: 'empty lat', method: 'GET', path: '/v1/lots/nearby?lat=&lon=1', status: 400, field: 'lat' },
  // --- wrong methods: 404, as API Gateway answers (documented in /openapi.json) ---
  ...[
    ['POST', '/v1/lots/nearby'],
    ['DELETE', '/v1/lots'],
    ['PUT', '/v1/keys'],
    ['GET', '/v1/lots:import'],
    ['PATCH', '/v1/keys/abc'],
    ['PUT', `/v1/lots/${LOT}/observations`],
    ['POST', '/v1/reports/health'],
  ].map(
    ([method, path]): Case => ({
      name: `${method} ${path}`,
      method: method!,
      path: path!,
      auth: 'staff',
      ...(method === 'GET' ? {} : { body: '{}' }),
      status: 404,
    }),
  ),
  // --- content types ---
  ...[
    ['text/plain', lotJson],
    ['application/x-www-form-urlencoded', 'name=Hostile&capacity=10'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nH\r\n--x--\r\n',
    ],
    ['application/jsonp', lotJson],
    ['application/json, text/plain', lotJson],
    ['text/csv', 'name,lat,lon,capacity\nH,52.48,-1.9,10\n'],
    [null, lotJson],
  ].map(
    ([type, body]): Case => ({
      name: `PUT lot as ${type ?? 'no content type'}`,
      method: 'PUT',
      path: `/v1/lots/${LOT}`,
      auth: 'staff',
      contentType: type,
      body: body!,
      status: 415,
    }),
  ),
  {
    name: 'observations as text/plain',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    contentType: 'text/plain',
    body: obs(OBS_OK),
    status: 415,
  },
  {
    name: 'key without a content type',
    method: 'POST',
    path: '/v1/keys',
    auth: 'staff',
    contentType: null,
    body: '{"role":"staff","label":"x"}',
    status: 415,
  },
  {
    name: 'import as application/xml',
    method: 'POST',
    path: '/v1/lots:import',
    auth: 'staff',
    contentType: 'application/xml',
    body: '<lots/>',
    status: 415,
  },
  // --- media types are matched case-insensitively, parameters and spaces included ---
  {
    name: 'PUT lot as Application/JSON; Charset=UTF-8',
    method: 'PUT',
    path: '/v1/lots/h-case',
    auth: 'staff',
    contentType: 'Application/JSON; Charset=UTF-8',
    body: lotJson,
    status: 201,
  },
  {
    name: 'PUT lot as application/json ; charset="utf-8" (a space before the parameter)',
    method: 'PUT',
    path: '/v1/lots/h-case',
    auth: 'staff',
    contentType: 'application/json ; charset="utf-8"',
    body: lotJson,
    status: 200,
  },
  {
    name: 'import (dry run) as TEXT/CSV is CSV',
    method: 'POST',
    path: '/v1/lots:import?dryRun=true&timeZone=Europe/London',
    auth: 'staff',
    contentType: 'TEXT/CSV',
    body: 'name,lat,lon,capacity\nCase,52.48,-1.9,10\n',
    status: 200,
  },
  {
    name: 'import (dry run) as Application/Geo+JSON; charset=UTF-8 is GeoJSON',
    method: 'POST',
    path: '/v1/lots:import?dryRun=true&timeZone=Europe/London',
    auth: 'staff',
    contentType: 'Application/Geo+JSON; charset=UTF-8',
    body: '{"type":"FeatureCollection","features":[]}',
    status: 200,
  },
  ...['latin1', 'utf-16', 'windows-1252'].map(
    (charset): Case => ({
      name: `PUT lot as application/json; charset=${charset}`,
      method: 'PUT',
      path: `/v1/lots/${LOT}`,
      auth: 'staff',
      contentType: `application/json; charset=${charset}`,
      body: lotJson,
      status: 415,
    }),
  ),
  {
    name: 'import as text/csv; charset=iso-8859-1',
    method: 'POST',
    path: '/v1/lots:import?timeZone=Europe/London',
    auth: 'staff',
    contentType: 'text/csv; charset=iso-8859-1',
    body: 'name,lat,lon,capacity\nCase,52.48,-1.9,10\n',
    status: 415,
  },
  {
    name: 'PUT lot with a Content-Type that is not a media type',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    contentType: 'json',
    body: lotJson,
    status: 415,
  },
  {
    name: 'TEXT/CSV import with invalid UTF-8 is still checked',
    method: 'POST',
    path: '/v1/lots:import?timeZone=Europe/London',
    auth: 'staff',
    contentType: 'TEXT/CSV',
    body: utf8('name,lat,lon,capacity\nM', [0xfc], 'nchen,48.1,11.5,10\n'),
    status: 400,
    field: '(body)',
  },
  {
    name: 'APPLICATION/JSON lot with invalid UTF-8 is still checked',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    contentType: 'APPLICATION/JSON',
    body: utf8('{"name":"H', [0xff], `",${lotJson.slice(lotJson.indexOf('"location"'))}`),
    status: 400,
    field: '(body)',
  },
  // --- oversized bodies (the limit is 256 KiB, on every /v1 route) ---
  ...(['PUT', 'PATCH'] as const).map(
    (method): Case => ({
      name: `${method} lot over the body limit`,
      method,
      path: `/v1/lots/${LOT}`,
      auth: 'staff',
      body: padded(BODY_LIMIT_BYTES + 1),
      status: 413,
    }),
  ),
  {
    name: 'lot over the body limit, with its content-length',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: padded(BODY_LIMIT_BYTES + 1),
    headers: { 'content-length': String(BODY_LIMIT_BYTES + 1) },
    status: 413,
  },
  {
    name: 'lot exactly at the body limit is read (and its long openingHours rejected)',
    method: 'PUT',
    path: `/v1/lots/${LOT}`,
    auth: 'staff',
    body: padded(BODY_LIMIT_BYTES),
    status: 400,
    field: 'openingHours',
  },
  {
    name: 'observations over the body limit',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(Array.from({ length: 4000 }, (_, i) => OBS_OK.replace('h-new', `h-big-${i}`)).join(',')),
    status: 413,
  },
  {
    name: 'CSV import over the body limit',
    method: 'POST',
    path: '/v1/lots:import?timeZone=Europe/London',
    auth: 'staff',
    contentType: 'text/csv',
    body: `name,lat,lon,capacity\n${'Big lot,52.48,-1.9,10\n'.repeat(13_000)}`,
    status: 413,
  },
  {
    name: 'key over the body limit',
    method: 'POST',
    path: '/v1/keys',
    auth: 'staff',
    body: `{"role":"staff","label":"${'x'.repeat(BODY_LIMIT_BYTES)}"}`,
    status: 413,
  },
  // --- bytes that are not UTF-8 ---
  ...[
    ['0xFF', [0xff]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ].map(
    ([what, bytes]): Case => ({
      name: `lot name with ${what}`,
      method: 'PUT',
      path: `/v1/lots/${LOT}`,
      auth: 'staff',
      body: utf8('{"name":"H', bytes as number[], `",${lotJson.slice(lotJson.indexOf('"location"'))}`),
      status: 400,
      field: '(body)',
    }),
  ),
  {
    name: 'CSV import with invalid UTF-8',
    method: 'POST',
    path: '/v1/lots:import?timeZone=Europe/London',
    auth: 'staff',
    contentType: 'text/csv',
    body: utf8('name,lat,lon,capacity\nM', [0xfc], 'nchen,48.1,11.5,10\n'),
    status: 400,
    field: '(body)',
  },
  // --- empty and non-object bodies ---
  ...[
    ['empty', ''],
    ['whitespace', '  \n'],
    ['null', 'null'],
    ['an array', '[]'],
    ['an array of the lot', `[${lotJson}]`],
    ['a string', '"lot"'],
    ['a number', '42'],
    ['true', 'true'],
    ['truncated JSON', lotJson.slice(0, -1)],
    ['trailing garbage', `${lotJson}x`],
    ['two documents', `${lotJson}${lotJson}`],
    ['a comment', `/*x*/${lotJson}`],
    ['single quotes', lotJson.replaceAll('"', "'")],
  ].flatMap(([what, body]): Case[] =>
    (
      [
        ['PUT', `/v1/lots/${LOT}`, 'staff'],
        ['POST', `/v1/lots/${LOT}/observations`, 'sensor'],
        ['POST', '/v1/keys', 'staff'],
      ] as const
    ).map(([method, path, auth]) => ({
      name: `${method} ${path} with ${what} body`,
      method,
      path,
      auth,
      body: body!,
      status: 400,
      field: '(body)',
    })),
  ),
  {
    name: 'empty body and no content type',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    contentType: null,
    status: 400,
    field: 'observations',
  },
  {
    name: 'import with JSON null',
    method: 'POST',
    path: '/v1/lots:import',
    auth: 'staff',
    body: 'null',
    status: 400,
    field: '(body)',
  },
  {
    name: 'import with an empty CSV',
    method: 'POST',
    path: '/v1/lots:import',
    auth: 'staff',
    contentType: 'text/csv',
    body: '',
    status: 400,
  },
  // --- a batch is all or nothing ---
  {
    name: 'a batch with one invalid observation applies none',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(`${OBS_OK},{"eventId":"h-bad","observedAt":"2026-11-23T09:59:00Z","occupied":-1e400}`),
    status: 400,
    field: 'observations[1].occupied',
  },
  {
    name: 'a batch with one observation from the future applies none',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(`${OBS_OK},{"eventId":"h-future","observedAt":"2026-11-23T10:05:01Z","occupied":1}`),
    status: 400,
    field: 'observations[1].observedAt',
  },
  {
    name: 'a batch reusing an event id with another body applies none (409)',
    method: 'POST',
    path: `/v1/lots/${LOT}/observations`,
    auth: 'sensor',
    body: obs(`${OBS_OK},{"eventId":"h-seen","observedAt":"2026-11-23T09:58:00Z","occupied":9}`),
    status: 409,
    field: 'eventId',
  },
];

describe('hostile input catalogue', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let sensor: string;
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    t = await openApp('dynalite');
    const put = await t.request(`/v1/lots/${LOT}`, { method: 'PUT', headers: t.staff, json: LOT_BODY });
    expect(put.status).toBe(201);
    const key = await t.request('/v1/keys', {
      method: 'POST',
      headers: t.staff,
      json: { role: 'sensor', lots: [LOT], label: 'hostile' },
    });
    sensor = ((await key.json()) as { secret: string }).secret;
    const seen = await t.request(`/v1/lots/${LOT}/observations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sensor}` },
      json: { observations: [{ eventId: 'h-seen', observedAt: '2026-11-23T09:58:00Z', occupied: 8 }] },
    });
    expect(seen.status).toBe(200);
  });

  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  function headersOf(c: Pick<Case, 'auth' | 'contentType' | 'body' | 'headers'>): Record<string, string> {
    const headers: Record<string, string> = { ...c.headers };
    if (c.auth === 'staff') Object.assign(headers, t.staff);
    if (c.auth === 'sensor') headers.authorization = `Bearer ${sensor}`;
    const type =
      c.contentType === undefined ? (c.body !== undefined ? 'application/json' : null) : c.contentType;
    if (type !== null) headers['content-type'] = type;
    return headers;
  }

  async function expectOutcome(c: Case, status: number, contentType: string | null, text: string) {
    const allowed = Array.isArray(c.status) ? c.status : [c.status];
    expect(allowed, `${c.name} → ${status} ${text.slice(0, 400)}`).toContain(status);
    if (status >= 400) {
      const problem = JSON.parse(text) as ProblemBody;
      expect(problemFailures(status, contentType, problem)).toEqual([]);
      if (c.field !== undefined) {
        const field = c.field;
        const named = (problem.errors ?? []).some(
          (e) => e.path === field || e.path.startsWith(`${field}.`) || e.path.startsWith(`${field}[`),
        );
        expect(named, `${c.name}: ${field} not named in ${text}`).toBe(true);
      }
    }
    if (c.pollution) {
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
    }
  }

  for (const c of CASES) {
    it(`${c.name} → ${c.status}`, async () => {
      const before = await tableSnapshot(t.store);
      const res = await t.app.request(c.path, {
        method: c.method,
        headers: headersOf(c),
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      const text = await res.text();
      await expectOutcome(c, res.status, res.headers.get('content-type'), text);
      const after = await tableSnapshot(t.store);
      if (res.status >= 400 || c.path.includes('dryRun=true') || c.method === 'GET')
        expect(after, `${c.name} wrote:\n${snapshotDiff(before, after)}`).toEqual(before);
    });
  }

  it('stored nothing from any rejected observation', async () => {
    const res = await t.request(`/v1/lots/${LOT}/observations?from=2026-11-23T00:00:00Z`, {
      headers: t.staff,
    });
    const body = (await res.json()) as { observations: { eventId: string }[] };
    expect(body.observations.map((o) => o.eventId)).toEqual(['h-seen']);
  });

  describe('over a real HTTP server (chunked bodies, no content-length)', () => {
    let server: ReturnType<typeof serve>;
    let port: number;
    beforeAll(async () => {
      server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
      await once(server, 'listening');
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((done) => server.close(() => done()));
    });

    /** Sends `chunks` with Transfer-Encoding: chunked; resolves with the response, whatever the write side saw. */
    function chunked(method: string, path: string, headers: Record<string, string>, chunks: Buffer[]) {
      return new Promise<{ status: number; contentType: string | null; text: string; headers: Headers }>(
        (done, fail) => {
          let answered = false;
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              method,
              path,
              agent: false, // a connection of its own: an early 413 may close it
              headers: { ...headers, 'transfer-encoding': 'chunked' },
            },
            (res) => {
              answered = true;
              const parts: Buffer[] = [];
              res.on('data', (d: Buffer) => parts.push(d));
              res.on('end', () =>
                done({
                  status: res.statusCode ?? 0,
                  contentType: (res.headers['content-type'] as string | undefined) ?? null,
                  text: Buffer.concat(parts).toString('utf8'),
                  headers: new Headers(res.headers as Record<string, string>),
                }),
              );
            },
          );
          req.on('error', (e) => {
            // The server may answer 413 and close while the body is still going out.
            const early = 'code' in e && (e.code === 'EPIPE' || e.code === 'ECONNRESET');
            if (!early) fail(e);
            else setTimeout(() => answered || fail(e), 2000);
          });
          const writeAll = async () => {
            for (const chunk of chunks) {
              if (req.destroyed) return;
              if (!req.write(chunk)) await once(req, 'drain').catch(() => undefined);
            }
            req.end();
          };
          void writeAll();
        },
      );
    }

    const split = (body: string | Buffer, size: number) => {
      const bytes = Buffer.from(body);
      return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
        bytes.subarray(i * size, (i + 1) * size),
      );
    };

    const chunkedCases: (Case & { chunkSize: number })[] = [
      {
        name: 'chunked lot over the body limit',
        method: 'PUT',
        path: `/v1/lots/${LOT}`,
        auth: 'staff',
        body: padded(BODY_LIMIT_BYTES + 1),
        chunkSize: 16_384,
        status: 413,
      },
      {
        name: 'chunked observations far over the body limit',
        method: 'POST',
        path: `/v1/lots/${LOT}/observations`,
        auth: 'sensor',
        body: obs(Array.from({ length: 20_000 }, (_, i) => OBS_OK.replace('h-new', `h-ch-${i}`)).join(',')),
        chunkSize: 65_536,
        status: 413,
      },
      {
        name: 'chunked invalid JSON',
        method: 'PUT',
        path: `/v1/lots/${LOT}`,
        auth: 'staff',
        body: lotJson.slice(0, -1),
        chunkSize: 7,
        status: 400,
        field: '(body)',
      },
      {
        name: 'chunked UTF-8 split inside a character is still valid (and this body is wrong only in capacity)',
        method: 'PUT',
        path: `/v1/lots/${LOT}`,
        auth: 'staff',
        body: lotWith('"capacity":0').replace('Hostile', 'Höstile 😀'),
        chunkSize: 1,
        status: 400,
        field: 'capacity',
      },
      {
        name: 'chunked TEXT/CSV import (dry run): a streamed body under a rewritten media type is CSV',
        method: 'POST',
        path: '/v1/lots:import?dryRun=true&timeZone=Europe/London',
        auth: 'staff',
        contentType: 'TEXT/CSV; Charset=UTF-8',
        body: 'name,lat,lon,capacity\nChunked Case,52.48,-1.9,10\n',
        chunkSize: 9,
        status: 200,
      },
      {
        name: 'chunked invalid UTF-8',
        method: 'PUT',
        path: `/v1/lots/${LOT}`,
        auth: 'staff',
        body: utf8('{"name":"H', [0xff], `",${lotJson.slice(lotJson.indexOf('"location"'))}`),
        chunkSize: 5,
        status: 400,
        field: '(body)',
      },
    ];

    for (const c of chunkedCases) {
      it(`${c.name} → ${c.status}`, async () => {
        const before = await tableSnapshot(t.store);
        const res = await chunked(
          c.method,
          c.path,
          headersOf(c),
          split(Buffer.from(c.body as string | Uint8Array), c.chunkSize),
        );
        await expectOutcome(c, res.status, res.contentType, res.text);
        expect(snapshotDiff(before, await tableSnapshot(t.store))).toBe('');
      });
    }

    it('a valid chunked observation batch is applied once', async () => {
      const body = obs('{"eventId":"h-chunked","observedAt":"2026-11-23T09:59:40Z","occupied":7}');
      const headers = headersOf({ auth: 'sensor', body });
      const first = await chunked('POST', `/v1/lots/${LOT}/observations`, headers, split(body, 3));
      expect(first.status, first.text).toBe(200);
      expect(JSON.parse(first.text)).toMatchObject({ applied: 1 });
      const again = await chunked('POST', `/v1/lots/${LOT}/observations`, headers, split(body, 10));
      expect(JSON.parse(again.text)).toMatchObject({ duplicates: 1 });
    });
  });
});
