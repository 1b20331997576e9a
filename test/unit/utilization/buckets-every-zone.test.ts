// Report buckets in EVERY zone the runtime knows, over the whole time domain [1970, 2200): at
// instants drawn uniformly, next to each zone's offset changes (found by sampling and bisection),
// and at the domain's edges. Each window is checked against an oracle written independently of
// shared/domain/utilization/buckets.ts: offsets from Intl's formatToParts, offset changes found by
// sampling every 30 minutes (the code under test probes every 6 hours), labels read off the wall
// clock Intl prints. What must hold (README "Utilization reports"):
//   - buckets tile [from, to) exactly: first start = from, last end = to, no gaps, strictly increasing;
//   - a boundary is exactly where a new local hour (or date) begins: the clock shows another hour
//     or date, or (hours) the clock went back; and the oracle finds no other boundary;
//   - each boundary costs a bounded number of offset look-ups;
//   - every written bound is ISO-8601 with an offset ±hh:mm or ±hh:mm:ss that reads back to the
//     same instant and shows the zone's wall clock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIME_DOMAIN } from '../../../shared/domain/time-domain';
import {
  type Bucket,
  type BucketSize,
  bucketsFor,
  localDateStart,
  nextBoundary,
  type OffsetProbe,
  parseReportInstant,
} from '../../../shared/domain/utilization/buckets';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const MINUTE = 60_000;
const ZONES = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])];
const SEED = Number(process.env.ZONE_SEED ?? 20261207);
/** Offset look-ups one boundary may cost: probes every 6 h plus bisections, a few rounds. */
const MAX_LOOKUPS_PER_BOUNDARY = 120;

// --- the oracle: Intl's formatToParts and plain arithmetic, nothing from the code under test ---

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function wall(ms: number, tz: string) {
  let f = partsFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const fields = {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
  const d = new Date(0);
  d.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  d.setUTCHours(fields.hour, fields.minute, fields.second, ((ms % 1000) + 1000) % 1000);
  return { ...fields, clock: d.getTime() };
}
const offsetOf = (ms: number, tz: string) => wall(ms, tz).clock - ms;

// A second, cheaper reading of the offset for sampling: the 'GMT-00:44:30' Intl writes.
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function sampledOffset(ms: number, tz: string): number {
  let f = offsetFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
    offsetFormatters.set(tz, f);
  }
  const m = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(f.format(ms));
  if (!m) throw new Error(`no offset in ${f.format(ms)}`);
  if (m[1] === undefined) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000;
}
const label = (ms: number, tz: string, size: BucketSize) => {
  const w = wall(ms, tz);
  return size === 'day' ? `${w.year}-${w.month}-${w.day}` : `${w.year}-${w.month}-${w.day} ${w.hour}`;
};
/** A new local hour or date begins at `t`: another label, or (hours) the clock went back. */
function beginsBucket(t: number, tz: string, size: BucketSize): boolean {
  if (label(t, tz, size) !== label(t - 1, tz, size)) return true;
  return size === 'hour' && wall(t, tz).clock < wall(t - 1, tz).clock;
}

const ORACLE_SAMPLE = 30 * MINUTE;

/** Instants in (a, b] where the offset changes, by sampling every `step` and bisecting. */
function offsetChanges(a: number, b: number, tz: string, step = ORACLE_SAMPLE): number[] {
  const changes: number[] = [];
  let lo = a;
  let offset = sampledOffset(a, tz);
  while (lo < b) {
    let hi = Math.min(lo + step, b);
    const there = sampledOffset(hi, tz);
    if (there === offset) {
      lo = hi;
      continue;
    }
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (sampledOffset(mid, tz) === offset) lo = mid;
      else hi = mid;
    }
    changes.push(hi);
    lo = hi;
    offset = sampledOffset(hi, tz);
  }
  return changes;
}

/** Every boundary in (a, b): where the clock passes a whole hour or day between offset changes, and changes that begin a bucket. */
function oracleBoundaries(a: number, b: number, tz: string, size: BucketSize): number[] {
  const unit = size === 'hour' ? HOUR : DAY;
  const changes = offsetChanges(a, b, tz);
  const edges = [a, ...changes, b];
  const found = new Set<number>();
  for (let i = 0; i + 1 < edges.length; i++) {
    const [s, e] = [edges[i]!, edges[i + 1]!];
    const o = offsetOf(s, tz);
    for (let k = Math.floor((s + o) / unit) + 1; k * unit - o < e; k++) found.add(k * unit - o);
  }
  for (const c of changes) if (c < b && beginsBucket(c, tz, size)) found.add(c);
  return [...found].filter((t) => t > a && t < b).sort((x, y) => x - y);
}

/** Reads an ISO-8601 text with offset ±hh:mm[:ss] back to epoch ms (without the code under test). */
function readIso(text: string): number {
  const m = /^(.{19}(?:\.\d{3})?)([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text)!;
  const offset =
    (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 3600 + Number(m[4]) * 60 + Number(m[5] ?? 0)) * 1000;
  return Date.parse(`${m[1]}Z`) - offset;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}(:\d{2})?$/;

interface Tally {
  windows: number;
  boundaries: number;
  maxLookups: number;
  /** What failed, with where (asserted empty once per test: expect() in the loops is too slow). */
  problems: string[];
}
const newTally = (): Tally => ({ windows: 0, boundaries: 0, maxLookups: 0, problems: [] });
const iso = (t: number) => new Date(t).toISOString();

function checkIso(text: string, instant: number, tz: string, where: string, problems: string[]) {
  if (!ISO_WITH_OFFSET.test(text)) problems.push(`${where}: ${text} is not ISO-8601 with ±hh:mm[:ss]`);
  else if (readIso(text) !== instant) problems.push(`${where}: ${text} reads back as ${iso(readIso(text))}`);
  const w = wall(instant, tz);
  const two = (n: number) => String(n).padStart(2, '0');
  const shown = `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
  if (text.slice(0, 19) !== shown) problems.push(`${where}: ${text} but the zone's clock shows ${shown}`);
}

function checkWindow(a: number, b: number, tz: string, size: BucketSize, tally: Tally) {
  const where = `${tz} ${size} [${iso(a)}, ${iso(b)})`;
  const problems = tally.problems;
  const buckets: Bucket[] = bucketsFor(a, b, size, tz);
  tally.windows++;
  if (buckets.length === 0 || buckets[0]!.start !== a || buckets.at(-1)!.end !== b) {
    problems.push(
      `${where}: buckets do not span the range: ${JSON.stringify(buckets.map((x) => x.startIso))}`,
    );
    return;
  }
  buckets.forEach((bucket, i) => {
    const at = `${where} #${i} ${bucket.startIso}`;
    if (!(bucket.start < bucket.end)) problems.push(`${at}: empty or reversed`);
    if (i > 0 && bucket.start !== buckets[i - 1]!.end) problems.push(`${at}: does not follow on`);
    if (label(bucket.end - 1, tz, size) !== label(bucket.start, tz, size)) problems.push(`${at}: two labels`);
    checkIso(bucket.startIso, bucket.start, tz, `${at} start`, problems);
    checkIso(bucket.endIso, bucket.end, tz, `${at} end`, problems);
    if (bucket.startOffsetMs !== offsetOf(bucket.start, tz)) problems.push(`${at}: startOffsetMs`);
  });
  const interior = buckets.slice(1).map((x) => x.start);
  for (const t of interior) {
    if (!beginsBucket(t, tz, size)) problems.push(`${where}: ${iso(t)} does not begin a local ${size}`);
  }
  const expected = oracleBoundaries(a, b, tz, size);
  if (expected.join() !== interior.join()) {
    problems.push(`${where}: boundaries ${interior.map(iso)} but the oracle says ${expected.map(iso)}`);
  }
  // Each boundary, found on its own, within a bounded number of look-ups.
  for (const t of [a, ...interior]) {
    const probe: OffsetProbe = { lookups: 0 };
    nextBoundary(t, size, tz, probe);
    if (probe.lookups > MAX_LOOKUPS_PER_BOUNDARY)
      problems.push(`${where}: ${probe.lookups} look-ups after ${iso(t)}`);
    tally.maxLookups = Math.max(tally.maxLookups, probe.lookups);
  }
  tally.boundaries += interior.length;
}

const report = (name: string, tally: Tally) => {
  const { problems, ...figures } = tally;
  console.log(`[buckets] ${name}: ${JSON.stringify(figures)}`);
  expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
};

/** Hourly and daily windows around an instant. */
function checkAround(t: number, tz: string, tally: Tally) {
  const clamp = (x: number) => Math.min(Math.max(x, TIME_DOMAIN.start), TIME_DOMAIN.end);
  checkWindow(clamp(t - 3 * HOUR), clamp(t + 3 * HOUR), tz, 'hour', tally);
  checkWindow(clamp(t - 2 * DAY), clamp(t + 2 * DAY), tz, 'day', tally);
}

/**
 * Spans (as [start, end)) in which the zone's offset changed: monthly probes over 1970–2039, where
 * the rules changed most, and weekly probes over three years drawn from 2040–2199 (tzdata's
 * rules for them repeat; weekly catches Gaza's one-week summer times).
 */
function spansWithChanges(tz: string, laterYears: number[]): [number, number][] {
  const out: [number, number][] = [];
  const probe = (points: number[]) => {
    for (let i = 0; i + 1 < points.length; i++) {
      if (sampledOffset(points[i]!, tz) !== sampledOffset(points[i + 1]!, tz))
        out.push([points[i]!, points[i + 1]!]);
    }
  };
  const months: number[] = [];
  for (let y = 1970; y < 2040; y++) for (let m = 0; m < 12; m++) months.push(Date.UTC(y, m, 1));
  months.push(Date.UTC(2040, 0, 1));
  probe(months);
  for (const y of laterYears) {
    const weeks: number[] = [];
    for (let t = Date.UTC(y, 0, 1); t < Date.UTC(y + 1, 0, 1); t += 7 * DAY) weeks.push(t);
    weeks.push(Date.UTC(y + 1, 0, 1));
    probe(weeks);
  }
  return out;
}

const oddOffset = (ms: number, tz: string) => sampledOffset(ms, tz) % (15 * MINUTE) !== 0;

describe('report buckets in every zone over [1970, 2200)', () => {
  it(`tile hourly and daily windows at uniformly drawn instants in all ${ZONES.length} zones`, () => {
    const tally = newTally();
    const instants = fc.sample(fc.integer({ min: TIME_DOMAIN.start, max: TIME_DOMAIN.end - 1 }), {
      seed: SEED,
      numRuns: ZONES.length * 2,
    });
    ZONES.forEach((tz, i) => {
      for (const t of instants.slice(2 * i, 2 * i + 2)) checkAround(t, tz, tally);
    });
    report('uniform', tally);
    expect(tally.windows).toBe(ZONES.length * 4);
  }, 60_000);

  it('tile the windows around offset changes, every odd offset included', () => {
    const tally = newTally();
    let changesSeen = 0;
    let oddSeen = 0;
    const pick = fc.sample(fc.nat(), { seed: SEED + 1, numRuns: ZONES.length * 3 });
    const years = fc.sample(fc.integer({ min: 2040, max: 2199 }), {
      seed: SEED + 3,
      numRuns: ZONES.length * 3,
    });
    ZONES.forEach((tz, i) => {
      const months = spansWithChanges(tz, years.slice(3 * i, 3 * i + 3));
      changesSeen += months.length;
      // The first and the last change, two drawn at random, and every change to or from an offset
      // that is not a whole quarter hour (Monrovia, Kiritimati, …).
      const chosen = new Set<number>();
      if (months.length > 0) {
        chosen.add(0);
        chosen.add(months.length - 1);
        chosen.add(pick[3 * i]! % months.length);
        chosen.add(pick[3 * i + 1]! % months.length);
      }
      months.forEach(([s, e], k) => {
        if (oddOffset(s, tz) || oddOffset(e, tz)) chosen.add(k);
      });
      for (const k of chosen) {
        const [s, e] = months[k]!;
        for (const change of offsetChanges(s, e, tz, 3 * DAY)) {
          if (oddOffset(change - 1, tz) || oddOffset(change, tz)) oddSeen++;
          checkAround(change, tz, tally);
          // A range bound a few milliseconds off the change, as a client could send one.
          checkWindow(change - 7, Math.min(change + 5 * HOUR + 3, TIME_DOMAIN.end), tz, 'hour', tally);
        }
      }
    });
    report(
      `near changes (${changesSeen} spans with changes, ${oddSeen} changes to or from an odd offset)`,
      tally,
    );
    expect(oddSeen).toBeGreaterThan(0); // Africa/Monrovia 1972, Pacific/Kiritimati 1979, …
  }, 120_000);

  it('tile the first and last days of the domain in every zone', () => {
    const tally = newTally();
    for (const tz of ZONES) {
      checkWindow(TIME_DOMAIN.start, TIME_DOMAIN.start + 3 * DAY, tz, 'day', tally);
      checkWindow(TIME_DOMAIN.start, TIME_DOMAIN.start + 6 * HOUR, tz, 'hour', tally);
      checkWindow(TIME_DOMAIN.end - 3 * DAY, TIME_DOMAIN.end, tz, 'day', tally);
      checkWindow(TIME_DOMAIN.end - 6 * HOUR, TIME_DOMAIN.end, tz, 'hour', tally);
    }
    report('domain edges', tally);
    expect(tally.windows).toBe(ZONES.length * 4);
  }, 60_000);

  it('starts a local date at the first instant that shows it, in every zone', () => {
    const days = fc.sample(fc.integer({ min: 1, max: Math.floor(TIME_DOMAIN.end / DAY) - 2 }), {
      seed: SEED + 2,
      numRuns: ZONES.length,
    });
    ZONES.forEach((tz, i) => {
      const d = new Date(days[i]! * DAY);
      const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
      const start = localDateStart(y, m, dd, tz);
      const shown = wall(start, tz);
      expect([shown.year, shown.month, shown.day], `${tz} ${y}-${m}-${dd}`).toEqual([y, m, dd]);
      expect(label(start - 1, tz, 'day'), `${tz} ${y}-${m}-${dd}`).not.toBe(label(start, tz, 'day'));
    });
  });
});

describe('report buckets where offsets are not whole quarter hours', () => {
  it('gives Kiritimati at −10:40 whole local hours on the zone’s own clock', () => {
    const tz = 'Pacific/Kiritimati';
    const from = parseReportInstant('1975-01-01', tz)!;
    const hours = bucketsFor(from, from + 24 * HOUR, 'hour', tz);
    expect(hours).toHaveLength(24);
    expect(hours[0]!.startIso).toBe('1975-01-01T00:00:00-10:40');
    expect(hours[1]!.startIso).toBe('1975-01-01T01:00:00-10:40');
    expect(new Date(hours[0]!.start).toISOString()).toBe('1975-01-01T10:40:00.000Z');
  });

  it('writes Monrovia’s −0:44:30 with seconds and starts the hour it jumped into at 00:44:30', () => {
    const tz = 'Africa/Monrovia';
    const hours = bucketsFor(
      Date.parse('1972-01-06T23:00:00Z'),
      Date.parse('1972-01-07T02:00:00Z'),
      'hour',
      tz,
    );
    expect(hours.map((h) => `${h.startIso} ${h.endIso}`)).toEqual([
      '1972-01-06T22:15:30-00:44:30 1972-01-06T23:00:00-00:44:30',
      '1972-01-06T23:00:00-00:44:30 1972-01-07T00:44:30+00:00',
      '1972-01-07T00:44:30+00:00 1972-01-07T01:00:00+00:00',
      '1972-01-07T01:00:00+00:00 1972-01-07T02:00:00+00:00',
    ]);
  });

  it('gives Lord Howe’s 30-minute fall-back a 30-minute bucket for the repeated half hour', () => {
    const tz = 'Australia/Lord_Howe';
    const from = parseReportInstant('2026-04-05', tz)!;
    const to = parseReportInstant('2026-04-06', tz)!;
    const hours = bucketsFor(from, to, 'hour', tz);
    expect(hours).toHaveLength(25);
    expect(hours.slice(1, 4).map((h) => [h.startIso, (h.end - h.start) / MINUTE])).toEqual([
      ['2026-04-05T01:00:00+11:00', 60],
      ['2026-04-05T01:30:00+10:30', 30],
      ['2026-04-05T02:00:00+10:30', 60],
    ]);
    expect(bucketsFor(from, to, 'day', tz).map((d) => (d.end - d.start) / MINUTE)).toEqual([24.5 * 60]);
  });

  it('skips the day Samoa dropped and starts São Paulo’s day where midnight was skipped', () => {
    const apia = 'Pacific/Apia';
    const days = bucketsFor(
      parseReportInstant('2011-12-29', apia)!,
      parseReportInstant('2012-01-01', apia)!,
      'day',
      apia,
    );
    expect(days.map((d) => d.startIso)).toEqual(['2011-12-29T00:00:00-10:00', '2011-12-31T00:00:00+14:00']);
    const sp = 'America/Sao_Paulo';
    expect(new Date(parseReportInstant('2018-11-04', sp)!).toISOString()).toBe('2018-11-04T03:00:00.000Z');
    const spDays = bucketsFor(
      parseReportInstant('2018-11-04', sp)!,
      parseReportInstant('2018-11-05', sp)!,
      'day',
      sp,
    );
    expect(spDays.map((d) => [d.startIso, (d.end - d.start) / HOUR])).toEqual([
      ['2018-11-04T01:00:00-02:00', 23],
    ]);
  });

  it('reads the years 0000–0099 as themselves, not as 1900–1999', () => {
    expect(parseReportInstant('0070-01-01', 'UTC')).toBe(Date.parse('0070-01-01T00:00:00Z'));
    expect(parseReportInstant('0099-12-31T00:00:00+01:00', 'UTC')).toBe(Date.parse('0099-12-30T23:00:00Z'));
    expect(parseReportInstant('1975-06-01T00:00:00-10:40', 'UTC')).toBe(Date.parse('1975-06-01T10:40:00Z'));
    expect(parseReportInstant('1971-06-01T00:00:00-00:44:30', 'UTC')).toBe(
      Date.parse('1971-06-01T00:44:30Z'),
    );
    expect(parseReportInstant('2026-02-30', 'UTC')).toBeNull();
    expect(parseReportInstant('2026-01-01T24:00:00Z', 'UTC')).toBeNull();
  });
});
