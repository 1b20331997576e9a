// Generated fuzzing from the service's OWN OpenAPI document (GET /openapi.json): for every route,
// every parameter and every body field gets valid, boundary and invalid values (fast-check
// arbitraries derived from the JSON schema: types, minimum/maximum, enums, required, patterns,
// formats, array bounds, examples). Each request goes out with the credentials its route needs,
// so it reaches validation. For every response:
//   - never a 5xx, and only statuses the document lists for the operation;
//   - every 4xx is application/problem+json with type/title/status/detail, and a 400 names
//     fields of the operation (a value known to be invalid must be named by its path);
//   - every 2xx matches the response schema of its content type in the document;
//   - the table (a full Scan, canonical and sorted) is unchanged after every rejected request.
// Bounded and reproducible: a fixed seed (FUZZ_SEED to override, FUZZ_RUNS for more runs per
// route); on failure fast-check prints the seed and the counterexample path.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIME_DOMAIN } from '../../shared/domain/time-domain';
import { BODY_LIMIT_BYTES } from '../../shared/http/app';
import { routeTable } from '../../shared/http/route-table';
import { openApp } from '../support/stores';
import {
  flatten,
  type JsonSchema,
  type OpenApiDoc,
  type Operation,
  type ProblemBody,
  problemFailures,
  resolve,
  schemaFailures,
  snapshotDiff,
  tableSnapshot,
} from './input-support';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const RUNS = Number(process.env.FUZZ_RUNS ?? 45);
/** The documented example id, so that the document's own examples reach the fixture. */
const FUZZ_INTEGRATION = 'city-tts';
const ABSENT = Symbol('absent');

/** A value the request will carry, and, when it was deliberately broken, where and how surely. */
interface Mutation {
  /** The field as the service's problem `errors[].path` names it. */
  path: string;
  /** true: no reading of the schema accepts the value, so a 400 naming `path` is required. */
  sure: boolean;
  what: string;
}
interface Sample {
  value: unknown;
  mutation?: Mutation;
}

const join = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;
const clone = <T>(v: T): T => structuredClone(v);
const typesOf = (s: JsonSchema): string[] =>
  s.type === undefined ? [] : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];

// Values of every JSON type, to put where the schema wants another one.
const WRONG_TYPES: [string, unknown][] = [
  ['string', 'x'],
  ['integer', 7],
  ['number', 1.5],
  ['boolean', true],
  ['null', null],
  ['array', []],
  ['object', {}],
];

function wrongTypeValues(s: JsonSchema): unknown[] {
  const types = typesOf(s);
  if (types.length === 0) return [];
  return WRONG_TYPES.filter(([type, value]) => {
    if (types.includes(type)) return false;
    if (type === 'integer' && types.includes('number')) return false;
    if (type === 'number' && types.includes('integer')) return true; // 1.5 is not an integer
    return !(typeof value === 'number' && types.some((t) => t === 'number' || t === 'integer'));
  }).map(([, v]) => v);
}

const NOW = Date.parse('2026-11-23T10:00:00Z'); // testClock's start
const isoNear = fc
  .integer({ min: -40 * 86_400, max: 86_400 })
  .map((s) => new Date(NOW + s * 1000).toISOString().replace('.000Z', 'Z'));
// Instants over the whole time domain [1970, 2200) (README "Limits"), milliseconds included.
const inDomain = fc.integer({ min: TIME_DOMAIN.start, max: TIME_DOMAIN.end - 1 });
const isoAnywhere = inDomain.map((ms) => new Date(ms).toISOString());
const isoWithOffset = fc
  .tuple(
    fc.oneof(isoNear, isoAnywhere),
    fc.constantFrom('+01:00', '-05:30', '+14:00', '-12:00', '+00:00', '+05:45', '-10:40', '-00:44'),
  )
  .map(([iso, off]) => iso.replace('Z', off));
const DATE_TIME_EDGES = [
  '2026-11-23T10:05:00Z', // exactly the 5-minute skew allowance
  '2026-11-23T10:05:00.001Z',
  '2026-06-30T23:59:60Z',
  '2026-11-23t10:00:00z',
  '2026-11-23T10:00:00.123456789Z',
  '1970-01-01T00:00:00Z', // the first instant of the time domain
  '1970-01-01T01:00:00+01:00',
  '1970-01-01T00:00:00.000-00:00',
  '2199-12-31T23:59:59.999Z', // its last
];
// Outside the time domain, by a millisecond or by centuries (a year 0070 is not 1970).
const DATE_TIME_OUTSIDE = [
  '1969-12-31T23:59:59.999Z',
  '1970-01-01T00:30:00+01:00',
  '2200-01-01T00:00:00Z',
  '2199-12-31T23:30:00-01:00',
  '0000-01-01T00:00:00Z',
  '0070-01-01T00:00:00Z',
  '1847-11-30T00:00:00Z',
  '2286-11-21T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
];
const DATE_TIME_INVALID = ['not-a-date', '2026-13-01T00:00:00Z', '2026-11-23', '2026-11-23T25:00:00Z', '1e3'];
// Every zone the runtime knows, in any letter case (names are stored canonical).
const TIME_ZONES = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])];
const anyZone = fc
  .tuple(fc.constantFrom(...TIME_ZONES), fc.constantFrom('as is', 'lower', 'upper'))
  .map(([tz, spelling]) =>
    spelling === 'lower' ? tz.toLowerCase() : spelling === 'upper' ? tz.toUpperCase() : tz,
  );
const TIME_ZONE_INVALID = [
  'Europe/Nowhere',
  'Mars/Olympus_Mons',
  'Europe/London ',
  'GMT+25',
  '+99:00',
  'Local',
];
const TIME_ZONE_EDGES = [
  'Pacific/Kiritimati',
  'Africa/Monrovia',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'Asia/Gaza',
];
// Report bounds: instants or local dates anywhere in the domain, and just outside it.
const localDate = inDomain.map((ms) => new Date(ms).toISOString().slice(0, 10));
const REPORT_BOUND_EDGES = [
  '1970-01-01',
  '1970-01-02',
  '2199-12-31',
  '1970-01-01T00:00:00Z',
  '2199-12-31T23:59:59.999Z',
  '1975-06-01T00:00:00-10:40',
  '1971-06-01T00:00:00-00:44:30',
  '1969-12-31',
  '2200-01-02',
  '0070-01-01',
  '0000-01-01',
  '9999-12-31',
  '1800-01-01',
  '1847-11-30T00:00:00Z',
  '2286-11-21',
  '2026-02-30',
  '2026-11-23T24:00:00Z',
];
const NUMERIC_TEXT_INVALID = [
  '',
  '1e3',
  '0x10',
  ' 1',
  '1 ',
  '+1',
  '1.',
  '.5',
  'NaN',
  'Infinity',
  '1,5',
  '١٢',
];
// Geo query values over the whole domain (README "Limits"): every latitude, the poles and both
// sides of the polar row boundary at ±84.375°, every longitude and the antimeridian, every radius
// from 1 m to 50 km, and boxes anywhere (across ±180°, over a pole, up to and past the 50 km cap).
const decimal = (x: number, places: number) =>
  Object.is(Number(x.toFixed(places)), -0) ? '0' : x.toFixed(places);
const GEO_EDGE_LATITUDES = [
  90, -90, 84.375, -84.375, 84.4, -84.4, 84.374999, -84.374999, 0, 52.48, 80, 84, 89.99999,
];
const GEO_EDGE_LONGITUDES = [180, -180, 179.99999, -179.99999, 0, -1.9, 0.00001];
const latitudeText = fc.oneof(
  fc.constantFrom(...GEO_EDGE_LATITUDES).map(String),
  fc.double({ min: -90, max: 90, noNaN: true }).map((x) => decimal(x, 6)),
  fc
    .tuple(fc.double({ min: 84.2, max: 84.6, noNaN: true }), fc.boolean())
    .map(([x, south]) => decimal(south ? -x : x, 6)),
);
const longitudeText = fc.oneof(
  fc.constantFrom(...GEO_EDGE_LONGITUDES).map(String),
  fc.double({ min: -180, max: 180, noNaN: true }).map((x) => decimal(x, 6)),
);
const radiusText = fc.oneof(
  fc.constantFrom(1, 2, 49_999, 50_000).map(String),
  fc.integer({ min: 1, max: 50_000 }).map(String),
);
const wrapLon = (lon: number) => (lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon);
const bboxText = fc
  .record({
    lat: fc.oneof(fc.constantFrom(...GEO_EDGE_LATITUDES), fc.double({ min: -90, max: 90, noNaN: true })),
    lon: fc.oneof(fc.constantFrom(...GEO_EDGE_LONGITUDES), fc.double({ min: -180, max: 180, noNaN: true })),
    halfHeight: fc.double({ min: 0, max: 0.5, noNaN: true }),
    halfWidth: fc.double({ min: 0, max: 4, noNaN: true }),
  })
  .map(({ lat, lon, halfHeight, halfWidth }) =>
    [
      decimal(wrapLon(lon - halfWidth), 5),
      decimal(Math.max(-90, lat - halfHeight), 5),
      decimal(wrapLon(lon + halfWidth), 5),
      decimal(Math.min(90, lat + halfHeight), 5),
    ].join(','),
  );
/** Valid values of query parameters whose schema (text) cannot say their domain. */
const QUERY_VALUES: Record<string, fc.Arbitrary<string>> = {
  lat: latitudeText,
  lon: longitudeText,
  radius: radiusText,
  bbox: bboxText,
};

const HOSTILE_STRINGS = ['', ' ', 'a#b', '../x', 'a%2Fb', 'a\u0000b', 'a\nb', 'Ｂull', 'ß', '😀', '<script>'];

class Generators {
  constructor(
    private readonly doc: OpenApiDoc,
    /** Known-good values for path parameters (the fixture), by name. */
    private readonly pathValues: Record<string, fc.Arbitrary<string>>,
  ) {}

  valid(schema: JsonSchema, forQuery = false): fc.Arbitrary<unknown> {
    const s = flatten(this.doc, schema);
    const options: fc.WeightedArbitrary<unknown>[] = [];
    if (s.example !== undefined) {
      const example = s.example;
      options.push({ weight: 3, arbitrary: fc.constant(null).map(() => clone(example)) });
    }
    if (Array.isArray(s.enum)) {
      options.push({ weight: 3, arbitrary: fc.constantFrom(...(s.enum as unknown[])) });
      return fc.oneof(...options);
    }
    const types = typesOf(s);
    if (types.length === 0 && options.length === 0) return fc.jsonValue({ maxDepth: 2 });
    for (const type of types) options.push({ weight: 2, arbitrary: this.validOfType(s, type, forQuery) });
    return fc.oneof(...options);
  }

  private validOfType(s: JsonSchema, type: string, forQuery: boolean): fc.Arbitrary<unknown> {
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.integer({
          min: (s.minimum as number) ?? -1_000_000,
          max: (s.maximum as number) ?? 1_000_000,
        });
      case 'number':
        return fc.double({
          min: (s.minimum as number) ?? -1e6,
          max: (s.maximum as number) ?? 1e6,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'string':
        return this.validString(s, forQuery);
      case 'array': {
        const min = (s.minItems as number) ?? 0;
        const max = Math.min((s.maxItems as number) ?? min + 3, min + 3);
        const items = (s.items as JsonSchema | undefined) ?? {};
        return fc.array(this.valid(items), { minLength: min, maxLength: max });
      }
      case 'object': {
        const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
        const required = (s.required as string[] | undefined) ?? [];
        if (Object.keys(properties).length === 0)
          return fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }));
        const arbs = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, this.valid(v)]));
        return fc.record(arbs, { requiredKeys: required });
      }
      default:
        throw new Error(`no generator for type ${type}`);
    }
  }

  private validString(s: JsonSchema, forQuery: boolean): fc.Arbitrary<string> {
    const minLength = (s.minLength as number) ?? 0;
    const maxLength = (s.maxLength as number) ?? 40;
    const fits = (v: string) => v.length >= minLength && v.length <= maxLength;
    if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
    if (s.format === 'date-time') return fc.oneof(isoNear, isoWithOffset, isoAnywhere);
    if (s.format === 'time-zone')
      return fc.oneof({ weight: 3, arbitrary: anyZone }, fc.constantFrom(...TIME_ZONE_EDGES));
    const options: fc.Arbitrary<string>[] = [
      fc.string({ minLength, maxLength: Math.min(maxLength, 30), unit: forQuery ? 'grapheme' : 'binary' }),
    ];
    const example = s.example;
    if (typeof example === 'string' && /^-?\d+(\.\d+)?$/.test(example)) {
      // A numeric query parameter (the document types query values as text).
      const n = Number(example);
      if (Number.isInteger(n)) {
        options.push(fc.integer({ min: 0, max: Math.max(100, 2 * n) }).map(String));
        options.push(fc.integer({ min: -10, max: 2_000_000 }).map(String));
      } else {
        options.push(fc.double({ min: n - 0.03, max: n + 0.03, noNaN: true }).map((x) => x.toFixed(5)));
        options.push(fc.double({ min: -200, max: 200, noNaN: true }).map((x) => x.toFixed(3)));
      }
    }
    if (typeof example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(example)) {
      options.push(
        fc.oneof(
          isoNear,
          isoWithOffset,
          isoNear.map((x) => x.slice(0, 10)),
          isoAnywhere,
          localDate,
        ),
      );
    }
    return fc.oneof(...options);
  }

  /** One deliberate change somewhere in a value of `schema` (the rest stays valid). */
  mutate(schema: JsonSchema, path: string, forQuery = false): fc.Arbitrary<Sample> {
    const s = flatten(this.doc, schema);
    const sure = (what: string, value: unknown): Sample => ({ value, mutation: { path, sure: true, what } });
    const maybe = (what: string, value: unknown): Sample => ({
      value,
      mutation: { path, sure: false, what },
    });
    const options: fc.Arbitrary<Sample>[] = [];
    const wrong = forQuery ? [] : wrongTypeValues(s);
    if (wrong.length > 0) options.push(fc.constantFrom(...wrong).map((v) => sure('wrong type', v)));
    const types = typesOf(s);

    if (Array.isArray(s.enum)) {
      const values = s.enum as unknown[];
      options.push(
        fc
          .constantFrom('not-in-enum', '', 'TRUE', 'Hour', ' true')
          .filter((v) => !values.includes(v))
          .map((v) => sure('not in enum', v)),
      );
    }
    if (types.includes('object') && s.properties) {
      const properties = s.properties as Record<string, JsonSchema>;
      const required = (s.required as string[] | undefined) ?? [];
      const base = this.valid(s) as fc.Arbitrary<Record<string, unknown>>;
      const choices: string[] = Object.keys(properties).map((k) => `field:${k}`);
      if (s.additionalProperties === false) choices.push('extra');
      for (const k of required) choices.push(`drop:${k}`);
      // An object that takes anything (the webhook's body) has no field to break.
      if (choices.length > 0)
        options.push(
          fc.constantFrom(...choices).chain((choice) => {
            const [how, key] = choice.split(':') as [string, string];
            if (how === 'extra') {
              return fc
                .tuple(base, fc.constantFrom('extra', 'capacity2', '__proto__', 'constructor', 'Capacity'))
                .filter(([b, name]) => !Object.hasOwn(b, name))
                .map(([b, name]) => {
                  const out = { ...b };
                  Object.defineProperty(out, name, { value: 1, enumerable: true, writable: true });
                  return {
                    value: out,
                    mutation: { path: path || '(body)', sure: true, what: `unknown ${name}` },
                  };
                });
            }
            if (how === 'drop') {
              return base.map((b) => {
                const { [key]: _, ...rest } = b;
                return { value: rest, mutation: { path: join(path, key), sure: true, what: 'missing' } };
              });
            }
            return fc
              .tuple(base, this.mutate(properties[key]!, join(path, key)))
              .map(([b, inner]) => ({ value: { ...b, [key]: inner.value }, mutation: inner.mutation }));
          }),
        );
    }
    if (types.includes('array')) {
      const items = (s.items as JsonSchema | undefined) ?? {};
      const min = (s.minItems as number) ?? 0;
      const max = s.maxItems as number | undefined;
      const repeat = (n: number) =>
        this.valid(items).map((item) => Array.from({ length: n }, () => clone(item)));
      if (max !== undefined) {
        options.push(repeat(max + 1).map((v) => sure(`${max + 1} items`, v)));
        options.push(repeat(max).map((v) => maybe(`${max} items`, v)));
      }
      if (min > 0) options.push(repeat(min - 1).map((v) => sure(`${min - 1} items`, v)));
      options.push(
        fc
          .tuple(
            fc.array(this.valid(items), { minLength: 0, maxLength: 2 }),
            this.mutate(items, join(path, 0)),
          )
          .map(([rest, first]) => ({ value: [first.value, ...rest], mutation: first.mutation })),
      );
    }
    if (types.includes('integer') || types.includes('number')) {
      const min = s.minimum as number | undefined;
      const max = s.maximum as number | undefined;
      const edges: Sample[] = [maybe('zero', 0), maybe('negative zero', -0)];
      if (min !== undefined) edges.push(maybe('minimum', min), sure('below minimum', min - 1));
      if (max !== undefined) edges.push(maybe('maximum', max), sure('above maximum', max + 1));
      if (types.includes('integer') && !types.includes('number'))
        edges.push(sure('fraction', (min ?? 0) + 0.5));
      const bounded = min !== undefined && max !== undefined;
      edges.push((bounded ? sure : maybe)('huge', 1e308), (bounded ? sure : maybe)('huge negative', -1e308));
      edges.push(
        (max !== undefined && max < 2 ** 53 ? sure : maybe)('unsafe integer', 2 ** 53 + 1),
        maybe('tiny', 5e-324),
      );
      options.push(fc.constantFrom(...edges));
    }
    if (types.includes('string')) {
      const minLength = s.minLength as number | undefined;
      const maxLength = s.maxLength as number | undefined;
      const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern) : undefined;
      const edges: Sample[] = HOSTILE_STRINGS.map((v) =>
        pattern && !pattern.test(v) ? sure('breaks the pattern', v) : maybe('hostile text', v),
      );
      if (maxLength !== undefined) {
        edges.push(sure('one too long', 'x'.repeat(maxLength + 1)));
        if (!pattern || pattern.test('x'.repeat(maxLength)))
          edges.push(maybe('longest', 'x'.repeat(maxLength)));
      }
      if (minLength !== undefined && minLength > 0)
        edges.push(sure('one too short', 'x'.repeat(minLength - 1)));
      if (pattern) {
        edges.push(sure('very long', 'a'.repeat(10_000)));
        options.push(
          fc
            .string({ minLength: 1, maxLength: 20, unit: 'grapheme' })
            .filter((v) => !pattern.test(v))
            .map((v) => sure('breaks the pattern', v)),
        );
      }
      if (s.format === 'date-time') {
        for (const v of DATE_TIME_EDGES) edges.push(maybe('date-time edge', v));
        for (const v of DATE_TIME_INVALID) edges.push(sure('not a date-time', v));
        for (const v of DATE_TIME_OUTSIDE) edges.push(sure('outside the time domain', v));
      }
      if (s.format === 'time-zone') {
        for (const v of TIME_ZONE_INVALID) edges.push(sure('not a time zone', v));
        for (const v of TIME_ZONE_EDGES) edges.push(maybe('a zone with odd offsets', v.toLowerCase()));
      }
      if (typeof s.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.example)) {
        // Checked after the lots are found (a local date needs their zone), so a 404 may come first.
        for (const v of REPORT_BOUND_EDGES) edges.push(maybe('report bound edge', v));
      }
      if (typeof s.example === 'string' && /^-?\d+(\.\d+)?$/.test(s.example)) {
        for (const v of NUMERIC_TEXT_INVALID) edges.push(sure('not a plain decimal', v));
        for (const v of [
          '0',
          '-0',
          '0.0',
          '-1',
          '90',
          '-90',
          '90.000001',
          '180',
          '-180.5',
          '1000000000000000000000',
        ])
          edges.push(maybe('numeric edge', v));
      }
      options.push(fc.constantFrom(...edges));
      options.push(
        fc
          .string({ maxLength: 50, unit: forQuery ? 'grapheme' : 'binary' })
          .map((v) => maybe('random text', v)),
      );
    }
    if (options.length === 0) return this.valid(s).map((value) => ({ value }));
    return fc.oneof(...options);
  }

  /** A valid query value: the parameter's own domain where it has one (QUERY_VALUES), else from its schema. */
  queryValue(name: string, schema: JsonSchema): fc.Arbitrary<unknown> {
    const own = QUERY_VALUES[name];
    const generated = this.valid(schema, true);
    return own ? fc.oneof({ weight: 4, arbitrary: own }, { weight: 1, arbitrary: generated }) : generated;
  }

  pathValue(name: string, schema: JsonSchema): fc.Arbitrary<string> {
    const own = this.pathValues[name];
    const generated = this.valid(schema, true) as fc.Arbitrary<string>;
    return own ? fc.oneof({ weight: 4, arbitrary: own }, { weight: 1, arbitrary: generated }) : generated;
  }
}

interface Slot {
  kind: 'path' | 'query' | 'body';
  name: string;
  schema: JsonSchema;
  required: boolean;
}

interface PlannedRequest {
  path: Record<string, string>;
  query: Record<string, string>;
  body?: { contentType: string; value: unknown };
  accept?: string;
  mutation?: Mutation & { slot: Slot['kind'] };
}

function requestArb(gen: Generators, op: Operation): fc.Arbitrary<PlannedRequest> {
  const slots: Slot[] = (op.parameters ?? []).map((p) => ({
    kind: p.in as 'path' | 'query',
    name: p.name,
    schema: p.schema,
    required: p.required === true,
  }));
  const bodyTypes = Object.keys(op.requestBody?.content ?? {});
  if (op.requestBody) slots.push({ kind: 'body', name: '(body)', schema: {}, required: true });
  const accepts = Object.keys(op.responses['200']?.content ?? {});

  const slotSample = (slot: Slot, mutate: boolean, contentType: string): fc.Arbitrary<Sample> => {
    if (slot.kind === 'body') {
      const schema = op.requestBody!.content[contentType]!.schema;
      if (contentType === 'text/csv' || !mutate) return gen.valid(schema).map((value) => ({ value }));
      return gen.mutate(schema, '').map((s) => ({
        value: s.value,
        ...(s.mutation ? { mutation: { ...s.mutation, path: s.mutation.path || '(body)' } } : {}),
      }));
    }
    if (slot.kind === 'path') {
      const valid = gen.pathValue(slot.name, slot.schema).map((value) => ({ value }) as Sample);
      return mutate ? gen.mutate(slot.schema, slot.name, true) : valid;
    }
    const present = gen.queryValue(slot.name, slot.schema).map((value) => ({ value }) as Sample);
    const valid = slot.required ? present : fc.oneof(fc.constant<Sample>({ value: ABSENT }), present);
    if (!mutate) return valid;
    const absent: Sample = {
      value: ABSENT,
      mutation: { path: slot.name, sure: slot.required, what: 'absent' },
    };
    return fc.oneof(fc.constant(absent), gen.mutate(slot.schema, slot.name, true));
  };

  return fc
    .record({
      target: fc.oneof(
        { weight: 2, arbitrary: fc.constant(-1) },
        { weight: 5, arbitrary: fc.nat(slots.length) },
      ),
      contentType: bodyTypes.length ? fc.constantFrom(...bodyTypes) : fc.constant(''),
      accept: accepts.length > 1 ? fc.option(fc.constantFrom(...accepts, '*/*')) : fc.constant(null),
    })
    .chain(({ target, contentType, accept }) =>
      fc.tuple(...slots.map((slot, i) => slotSample(slot, i === target, contentType))).map((samples) => {
        const planned: PlannedRequest = { path: {}, query: {} };
        if (accept) planned.accept = accept;
        samples.forEach((sample, i) => {
          const slot = slots[i]!;
          if (sample.mutation) planned.mutation = { ...sample.mutation, slot: slot.kind };
          if (sample.value === ABSENT) return;
          if (slot.kind === 'body') planned.body = { contentType, value: sample.value };
          else planned[slot.kind][slot.name] = String(sample.value);
        });
        return planned;
      }),
    );
}

function bodySchema(op: Operation, planned: PlannedRequest): JsonSchema {
  return op.requestBody?.content[planned.body?.contentType ?? '']?.schema ?? {};
}

describe('fuzzing every route from /openapi.json', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let doc: OpenApiDoc;
  let sensorSecret: string;
  let sensorKeyId: string;
  let integrationSecret: string;
  let snapshot: string[];
  const access = new Map<string, string>();
  const stats = new Map<string, Record<string, number>>();
  /** Geo query values the fuzzed requests carried, by parameter. */
  const drawn: Record<string, number[][]> = { lat: [], radius: [], bbox: [] };

  for (const route of routeTable().filter((r) => r.documented)) {
    access.set(`${route.method} ${route.path}`, route.access);
  }

  /** The lots the document's examples name exist, and a sensor key writes the first. */
  async function ensureFixture() {
    const lotInput = resolve(doc, { $ref: '#/components/schemas/LotInput' }).example as Record<
      string,
      unknown
    >;
    const lotId = resolve(doc, doc.paths['/v1/lots/{id}']!.get!.parameters![0]!.schema).example as string;
    for (const [id, lat] of [
      [lotId, 52.477],
      ['fz-second', 52.4798],
    ] as const) {
      const res = await t.request(`/v1/lots/${id}`, {
        method: 'PUT',
        headers: t.staff,
        json: { ...lotInput, name: id, location: { lat, lon: -1.9026 } },
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    }
    // The integration the webhook is fuzzed on (deleted by its own DELETE's run: made again here).
    const integration = await t.request(`/v1/integrations/${FUZZ_INTEGRATION}`, {
      method: 'PUT',
      headers: t.staff,
      json: { network: 'tts', label: 'fuzz' },
    });
    expect(integration.status, await integration.clone().text()).toBeLessThan(300);
    integrationSecret = ((await integration.json()) as { secret: string }).secret;
    return lotId;
  }

  beforeAll(async () => {
    t = await openApp('dynalite');
    doc = (await (await t.request('/openapi.json')).json()) as OpenApiDoc;
    const lotId = await ensureFixture();
    const created = await t.request('/v1/keys', {
      method: 'POST',
      headers: t.staff,
      json: { role: 'sensor', lots: [lotId], label: 'fuzz sensor' },
    });
    ({ secret: sensorSecret, keyId: sensorKeyId } = (await created.json()) as {
      secret: string;
      keyId: string;
    });
    await t.request(`/v1/lots/${lotId}/observations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sensorSecret}` },
      json: { observations: [{ eventId: 'fz-seed-1', observedAt: '2026-11-23T09:30:00Z', occupied: 17 }] },
    });
    snapshot = await tableSnapshot(t.store);
  });

  afterAll(async () => {
    console.log(
      `fuzz seed ${SEED}, ${RUNS} runs per route; statuses per route:\n` +
        [...stats].map(([op, counts]) => `  ${op} ${JSON.stringify(counts)}`).join('\n'),
    );
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('the document lists every route of the app', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    for (const route of access.keys()) expect(documented).toContain(route);
  });

  const operations: [string, string][] = [
    ['get', '/v1/lots/nearby'],
    ['get', '/v1/lots'],
    ['get', '/v1/lots/{id}'],
    ['get', '/v1/lots/{id}/forecast'],
    ['put', '/v1/lots/{id}'],
    ['patch', '/v1/lots/{id}'],
    ['post', '/v1/lots:import'],
    ['post', '/v1/lots/{id}/observations'],
    ['get', '/v1/lots/{id}/observations'],
    ['get', '/v1/reports/utilization'],
    ['get', '/v1/reports/heatmap'],
    ['get', '/v1/reports/health'],
    ['post', '/v1/keys'],
    ['get', '/v1/keys'],
    ['delete', '/v1/keys/{keyId}'],
    ['put', '/v1/integrations/{integrationId}'],
    ['put', '/v1/integrations/{integrationId}/devices/{deviceId}'],
    ['post', '/v1/integrations/{integrationId}/uplinks'],
    ['delete', '/v1/integrations/{integrationId}'],
    ['put', '/v1/sources/{sourceId}'],
    ['get', '/v1/sources'],
    ['post', '/v1/sources/{sourceId}/fetch'],
    ['delete', '/v1/sources/{sourceId}'],
    ['get', '/v1/exports/datex2-light'],
    ['get', '/v1/exports/datex2/parking-table'],
    ['get', '/v1/exports/datex2/parking-status'],
    ['get', '/ngsi-ld/v1/entities'],
    ['get', '/ngsi-ld/v1/entities/{entityId}'],
    ['get', '/ngsi-ld/v1/temporal/entities/{entityId}'],
    ['delete', '/v1/lots/{id}'], // last: it removes the fixture
  ];

  it('draws geo query values over the whole domain, not only ordinary ones', () => {
    const lats = fc.sample(latitudeText, { numRuns: 2000, seed: SEED }).map(Number);
    const lons = fc.sample(longitudeText, { numRuns: 2000, seed: SEED }).map(Number);
    const radii = fc.sample(radiusText, { numRuns: 2000, seed: SEED }).map(Number);
    const boxes = fc.sample(bboxText, { numRuns: 2000, seed: SEED }).map((b) => b.split(',').map(Number));
    for (const pole of [90, -90]) expect(lats).toContain(pole);
    for (const side of [1, -1]) {
      expect(lats.some((x) => x * side > 84.375 && x * side < 84.6)).toBe(true); // in the polar row
      expect(lats.some((x) => x * side > 84.2 && x * side < 84.375)).toBe(true); // just below it
      expect(lats).toContain(84.375 * side);
    }
    expect(lats.some((x) => Math.abs(x) < 1)).toBe(true);
    expect(lons).toEqual(expect.arrayContaining([180, -180]));
    expect(Math.min(...radii)).toBe(1);
    expect(Math.max(...radii)).toBe(50_000);
    expect(radii.filter((r) => r > 25_000).length).toBeGreaterThan(radii.length / 4);
    expect(boxes.some(([minLon, , maxLon]) => minLon! > maxLon!)).toBe(true); // across the antimeridian
    expect(boxes.some(([, , , maxLat]) => maxLat === 90)).toBe(true);
    expect(boxes.some(([, minLat]) => minLat === -90)).toBe(true);
  });

  it('fuzzes every operation the app has', () => {
    expect(operations.map(([m, p]) => `${m} ${p}`).sort()).toEqual([...access.keys()].sort());
  });

  for (const [method, template] of operations) {
    it(`${method.toUpperCase()} ${template}`, async () => {
      const op = doc.paths[template]?.[method];
      expect(op, 'documented').toBeDefined();
      const lotId = await ensureFixture();
      snapshot = await tableSnapshot(t.store);
      const reserved = new Set(['admin', sensorKeyId]);
      const gen = new Generators(doc, {
        id: fc.constantFrom(lotId, 'fz-second', 'fz-missing'),
        integrationId: fc.constantFrom(FUZZ_INTEGRATION, 'fz-missing-integration'),
        keyId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/).filter((k) => !reserved.has(k)),
      });
      const counts: Record<string, number> = {};
      stats.set(`${method.toUpperCase()} ${template}`, counts);
      const routeAccess = access.get(`${method} ${template}`);

      await fc.assert(
        fc.asyncProperty(requestArb(gen, op!), async (planned) => {
          if (planned.path.keyId !== undefined && reserved.has(planned.path.keyId)) return;
          // The webhook checks its secret before anything else, and only the fixture's integration
          // has one here: the others' 401s are the auth matrix's (test/http/auth-matrix.test.ts).
          if (routeAccess === 'integration' && planned.path.integrationId !== FUZZ_INTEGRATION) return;
          for (const name of Object.keys(drawn)) {
            const value = planned.query[name];
            if (value !== undefined) drawn[name]!.push(value.split(',').map(Number));
          }
          const url =
            template.replace(/\{(\w+)\}/g, (_, name: string) =>
              encodeURIComponent(planned.path[name] ?? ''),
            ) +
            (Object.keys(planned.query).length
              ? `?${Object.entries(planned.query)
                  .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
                  .join('&')}`
              : '');
          const headers: Record<string, string> = {};
          // A forecast with a staff key: a past asOf is then served too.
          if (routeAccess === 'staff' || routeAccess === 'public-staff-for-past')
            Object.assign(headers, t.staff);
          if (routeAccess === 'integration') headers.authorization = `Bearer ${integrationSecret}`;
          if (routeAccess === 'lot-writer') {
            Object.assign(
              headers,
              planned.path.id === lotId ? { authorization: `Bearer ${sensorSecret}` } : t.staff,
            );
          }
          if (planned.accept) headers.accept = planned.accept;
          let body: string | undefined;
          if (planned.body) {
            headers['content-type'] = planned.body.contentType;
            body =
              planned.body.contentType === 'text/csv' && typeof planned.body.value === 'string'
                ? planned.body.value
                : JSON.stringify(planned.body.value);
          }
          const res = await t.app.request(url, {
            method: method.toUpperCase(),
            headers,
            ...(body !== undefined ? { body } : {}),
          });
          counts[res.status] = (counts[res.status] ?? 0) + 1;
          const text = await res.text();
          const where = `${method.toUpperCase()} ${url} ${body?.slice(0, 300) ?? ''} → ${res.status} ${text.slice(0, 500)}`;
          const after = await tableSnapshot(t.store);
          const before = snapshot;
          snapshot = after;

          expect(res.status, where).toBeLessThan(500);
          expect(Object.keys(op!.responses), `undocumented status: ${where}`).toContain(String(res.status));
          const bodyBytes = body === undefined ? 0 : Buffer.byteLength(body);
          if (res.status === 413) expect(bodyBytes, where).toBeGreaterThan(BODY_LIMIT_BYTES);

          if (res.status >= 400) {
            const problem = JSON.parse(text) as ProblemBody;
            expect(problemFailures(res.status, res.headers.get('content-type'), problem), where).toEqual([]);
            expect(
              schemaFailures(
                doc,
                op!.responses[res.status]!.content!['application/problem+json']!.schema,
                problem,
              ),
            ).toEqual([]);
            expect(after, `a rejected request wrote:\n${snapshotDiff(before, after)}\n${where}`).toEqual(
              before,
            );
            if (res.status === 400) {
              const allowed = new Set([
                '(body)',
                ...(planned.body?.contentType === 'text/csv' ? ['(header)'] : []),
                ...(op!.parameters ?? []).map((p) => p.name),
                ...Object.keys(
                  Object.values(op!.requestBody?.content ?? {}).reduce<Record<string, unknown>>(
                    (all, c) => Object.assign(all, flatten(doc, c.schema).properties ?? {}),
                    {},
                  ),
                ),
              ]);
              expect(problem.errors?.length, `a 400 names no field: ${where}`).toBeGreaterThan(0);
              for (const e of problem.errors ?? []) {
                expect(allowed, `error path ${e.path}: ${where}`).toContain(e.path.split(/[.[]/)[0]);
              }
            }
          } else {
            const declared = op!.responses[String(res.status)]!;
            if (res.status === 204) {
              expect(text, where).toBe('');
            } else {
              const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
              const schema = declared.content?.[type]?.schema;
              expect(schema, `undocumented content type ${type}: ${where}`).toBeDefined();
              const value = type === 'text/csv' ? text : JSON.parse(text);
              expect(schemaFailures(doc, schema!, value), where).toEqual([]);
            }
          }

          const m = planned.mutation;
          if (m?.sure) {
            if (res.status === 413) return;
            if (m.slot === 'path') {
              expect(res.status, `${m.what} at ${m.path} was accepted: ${where}`).toBeGreaterThanOrEqual(400);
              if (res.status !== 400) return; // e.g. "../" resolves to another route, which then 404s
            }
            expect(res.status, `${m.what} at ${m.path}: ${where}`).toBe(400);
            const problem = JSON.parse(text) as ProblemBody;
            const errors = problem.errors ?? [];
            // Path, query and body are validated one after another: when another part was also
            // invalid (values meant to be valid can still break rules the schema cannot state),
            // the 400 may name that part only. Within the mutated part, the field must be named.
            const rootsOfSlot = new Set(
              m.slot === 'body'
                ? ['(body)', ...Object.keys(flatten(doc, bodySchema(op!, planned)).properties ?? {})]
                : (op!.parameters ?? []).filter((p) => p.in === m.slot).map((p) => p.name),
            );
            if (!errors.some((e) => rootsOfSlot.has(e.path.split(/[.[]/)[0]!))) return;
            const named = errors.some(
              (e) => e.path === m.path || e.path.startsWith(`${m.path}.`) || e.path.startsWith(`${m.path}[`),
            );
            expect(named, `${m.what} at ${m.path} is not named: ${where}`).toBe(true);
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
  }

  it('made nearby and bbox requests over the whole geo domain', () => {
    const lats = drawn.lat!.map(([x]) => x!);
    const radii = drawn.radius!.map(([x]) => x!);
    expect(lats.some((x) => Math.abs(x) > 84.375 && Math.abs(x) <= 90)).toBe(true);
    expect(lats.some((x) => Math.abs(x) > 84 && Math.abs(x) < 84.375)).toBe(true);
    expect(radii.some((r) => r > 40_000 && r <= 50_000)).toBe(true);
    expect(drawn.bbox!.some(([minLon, , maxLon]) => minLon! > maxLon!)).toBe(true);
  });
});
