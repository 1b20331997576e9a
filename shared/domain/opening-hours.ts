// Opening hours: a lot's OpenStreetMap `opening_hours` value, evaluated by the OSM community's own
// evaluator (opening_hours.js) in the lot's IANA time zone (README "Opening hours").
//
// The evaluator reads dates through the JavaScript Date's local-time methods, so it evaluates in the
// process's time zone, and on a day whose clocks change it gets rules that span midnight wrong
// (`Fr 18:00-02:00` on a Friday that lost an hour reopens at 01:00). So it never sees a real zone:
// it evaluates the lot's *wall clock* in UTC, a zone whose days are all 24 hours (`inUtc` sets the
// process's zone for the length of one synchronous call and puts it back; with no await inside,
// nothing else runs meanwhile, so no other code sees the switch). Wall-clock answers are turned back
// into instants in the lot's zone (./zoned-time): a time the clocks skip is moved forward by the gap,
// a repeated one is its first occurrence unless that is already past.
//
// Bounded work: values are at most 255 characters, parsed values are cached (parsing costs ~0.5 ms,
// an evaluation ~0.02 ms), the look-ahead stops at 7 days (opensAt) or 24 hours (closesAt), and at
// most MAX_CHANGES_SCANNED state changes are walked whatever the value.
//
// Loaded on demand: the evaluator is about a third of the bytes a Lambda cold start would otherwise
// load (README "Benchmarks", Lambda), and most requests (/health, ingestion, reports) never
// evaluate hours. So nothing here imports it statically: `loadOpeningHours()` imports it (the bundle
// makes it a chunk of its own) and answers an `HoursEvaluator`, the only way to reach the functions
// that evaluate. Whoever evaluates hours takes that evaluator as a parameter, so code that forgot
// to await the load does not type-check, rather than treating every lot as always open.
import type OpeningHours from 'opening_hours';
import { wallClockToEpoch, zoneOffsetMs } from './zoned-time';

/** Longest value accepted (README "Limits"). */
export const MAX_OPENING_HOURS_LENGTH = 255;
export const OPENS_AT_HORIZON_MS = 7 * 86_400_000;
export const CLOSES_AT_HORIZON_MS = 86_400_000;
/** State changes walked at most per look-ahead (a value of 255 characters has < 100 a day). */
export const MAX_CHANGES_SCANNED = 2000;

export interface OpeningState {
  /** False only when the hours say closed at that instant ('unknown' counts as open). */
  open: boolean;
  /** When closed: the next instant it opens, within 7 days; else null. */
  opensAt: number | null;
  /** When open: the instant it closes, if within 24 hours; else null. */
  closesAt: number | null;
}

export const ALWAYS_OPEN: OpeningState = { open: true, opensAt: null, closesAt: null };

/** The evaluator, once loaded: what every caller that evaluates hours is given. */
export interface HoursEvaluator {
  /** Open or closed at `now` by the place's hours, and when that changes (README "Opening hours"). */
  state(place: HoursPlace, now: number): OpeningState;
  /** Whether the place's hours say open at `at` (no hours, or hours that cannot be evaluated: open). */
  isOpenAt(place: HoursPlace, at: number): boolean;
  /** Why `value` cannot be evaluated (null: it can). */
  problem(value: string): string | null;
}

const EVALUATOR: HoursEvaluator = { state: openingState, isOpenAt, problem: openingHoursProblem };

let loaded: typeof OpeningHours | undefined;
let loading: Promise<HoursEvaluator> | undefined;

/**
 * Imports the evaluator on first use (later calls answer the same promise). A failed import is not
 * remembered: the request that saw it fails, and the next one tries again.
 */
export function loadOpeningHours(): Promise<HoursEvaluator> {
  loading ??= import('opening_hours').then(
    (module) => {
      loaded = module.default;
      return EVALUATOR;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Whether the evaluator has been imported yet (tests: a fresh process has not, /health does not). */
export function openingHoursLoaded(): boolean {
  return loaded !== undefined;
}

/** The library's class; only reachable through an evaluator, which exists only once it is loaded. */
function evaluatorClass(): typeof OpeningHours {
  if (!loaded) throw new Error('opening hours evaluated before loadOpeningHours() resolved');
  return loaded;
}

/** Where and in which zone a value is evaluated (sunrise and sunset depend on the place). */
export interface HoursPlace {
  openingHours?: string | undefined;
  timeZone: string;
  location: { lat: number; lon: number };
}

/**
 * Why `value` cannot be evaluated (null: it can). Parsed and evaluated once at a fixed instant, since
 * some values parse but fail when evaluated (e.g. `PH off`: public holidays need a country, which the
 * service does not know).
 */
function openingHoursProblem(value: string): string | null {
  // First: the evaluator's parser is superlinear (a 256 KiB value ran for minutes).
  if (value.length > MAX_OPENING_HOURS_LENGTH) return `is longer than ${MAX_OPENING_HOURS_LENGTH} characters`;
  try {
    const parsed = parse(value, { lat: 0, lon: 0 });
    inUtc(() => {
      parsed.getState(VALIDATION_INSTANT);
      parsed.getNextChange(VALIDATION_INSTANT, new Date(VALIDATION_INSTANT.getTime() + OPENS_AT_HORIZON_MS));
    });
    return null;
  } catch (error) {
    if (HOLIDAYS.test(value))
      return 'uses public or school holidays (PH, SH), which the service does not know';
    return `is not an OpenStreetMap opening_hours value the service can evaluate: ${firstLine(error)}`;
  }
}

/** Whether the lot's hours say open at `at` (no hours, or hours that cannot be evaluated: open). */
function isOpenAt(place: HoursPlace, at: number): boolean {
  return openingState(place, at).open;
}

/** Open or closed at `now` by the lot's hours, and when that changes (README "Opening hours"). */
function openingState(place: HoursPlace, now: number): OpeningState {
  const value = place.openingHours;
  if (value === undefined || value.trim() === '' || value.length > MAX_OPENING_HOURS_LENGTH)
    return ALWAYS_OPEN;
  const { timeZone } = place;
  // Only sun events depend on the place: other values share one cache entry across all lots.
  const location = SUN_EVENTS.test(value) ? place.location : NOWHERE;
  const key = `${value}\u0000${timeZone}\u0000${location.lat},${location.lon}\u0000${now}`;
  const cached = states.get(key);
  if (cached) return cached;
  // Outside the try below, which reads a failure as "no hours": an unloaded evaluator must fail loudly.
  evaluatorClass();
  let state: OpeningState;
  try {
    const offset = zoneOffsetMs(now, timeZone);
    const parsed = parse(value, sunPlace(value, location, offset));
    const wall = inUtc(() => evaluate(parsed, now + offset));
    state = {
      open: wall.open,
      opensAt: withinHorizon(toInstant(wall.opensAt, timeZone, now), now, OPENS_AT_HORIZON_MS),
      closesAt: withinHorizon(toInstant(wall.closesAt, timeZone, now), now, CLOSES_AT_HORIZON_MS),
    };
  } catch {
    // A stored value this version cannot evaluate (written before hours were checked): the lot is
    // treated as having no hours rather than failing every request that shows it.
    state = ALWAYS_OPEN;
  }
  remember(states, key, state, MAX_CACHED_STATES);
  return state;
}

/** Slack on the wall-clock look-ahead: a clock change within it moves instants by at most this. */
const WALL_SLACK_MS = 3 * 3_600_000;

/** State at wall-clock instant `wall` (a UTC Date showing the lot's local time) and the next change. */
function evaluate(parsed: OpeningHours, wall: number): OpeningState {
  const at = new Date(wall);
  const open = parsed.getStateString(at, false) !== 'close';
  if (open) {
    return {
      open,
      opensAt: null,
      closesAt: nextChangeTo(parsed, at, CLOSES_AT_HORIZON_MS + WALL_SLACK_MS, true),
    };
  }
  return {
    open,
    opensAt: nextChangeTo(parsed, at, OPENS_AT_HORIZON_MS + WALL_SLACK_MS, false),
    closesAt: null,
  };
}

/** The first change after `at`, within `horizonMs`, to closed (`toClosed`) or to not closed. */
function nextChangeTo(parsed: OpeningHours, at: Date, horizonMs: number, toClosed: boolean): number | null {
  const limit = new Date(at.getTime() + horizonMs);
  const iterator = parsed.getIterator(at);
  for (let i = 0; i < MAX_CHANGES_SCANNED && iterator.advance(limit); i++) {
    const when = iterator.getDate();
    if (when.getTime() > limit.getTime()) return null;
    if ((iterator.getStateString(undefined, false) === 'close') === toClosed) return when.getTime();
  }
  return null;
}

/** The instant a wall-clock answer names in `timeZone`, after `now`. */
function toInstant(wall: number | null, timeZone: string, now: number): number | null {
  if (wall === null) return null;
  const d = new Date(wall);
  const first = wallClockToEpoch(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    },
    timeZone,
  );
  if (first > now) return first;
  // A repeated hour (clocks went back) whose first occurrence is already past: the second one.
  const second = wall - zoneOffsetMs(wall + 86_400_000, timeZone);
  return second > now ? second : null;
}

function withinHorizon(at: number | null, now: number, horizonMs: number): number | null {
  return at !== null && at - now <= horizonMs ? at : null;
}

/**
 * Where the evaluator should compute sunrise and sunset: it reports them as UTC times, and the
 * wall clock here is the lot's, so the place is moved west by the zone's offset (15° an hour),
 * where the sun rises that much later. Accurate to a few minutes (the sun's declination changes a
 * little in those hours); a clock change within the look-ahead shifts later sun times by it.
 */
function sunPlace(value: string, location: { lat: number; lon: number }, offsetMs: number) {
  if (!SUN_EVENTS.test(value)) return NOWHERE;
  let lon = location.lon - (offsetMs / 3_600_000) * 15;
  if (lon < -180) lon += 360;
  if (lon > 180) lon -= 360;
  return { lat: location.lat, lon };
}

const SUN_EVENTS = /sunrise|sunset|dawn|dusk/i;
const NOWHERE = { lat: 0, lon: 0 };
const HOLIDAYS = /\b(PH|SH)\b/;

/** Runs `fn` with the process's time zone set to UTC; synchronous, so nothing else sees it. */
function inUtc<T>(fn: () => T): T {
  const env = processEnv();
  const saved = env.TZ;
  if (saved === 'UTC') return fn();
  env.TZ = 'UTC';
  try {
    return fn();
  } finally {
    if (saved === undefined) delete env.TZ;
    else env.TZ = saved;
  }
}

/** Node's environment (Node re-reads the zone when TZ is assigned); typed here so the pages' DOM-only type check can read this file. */
function processEnv(): Record<string, string | undefined> {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  if (!env) throw new Error('opening hours are evaluated on Node only');
  return env;
}

const VALIDATION_INSTANT = new Date(Date.UTC(2026, 0, 5, 12));
const MAX_CACHED_VALUES = 500;
const MAX_CACHED_STATES = 5000;
const parsedValues = new Map<string, OpeningHours>();
const states = new Map<string, OpeningState>();

function parse(value: string, location: { lat: number; lon: number }): OpeningHours {
  const key = `${value}\u0000${location.lat},${location.lon}`;
  const cached = parsedValues.get(key);
  if (cached) return cached;
  // The place feeds sunrise and sunset; no country, so public and school holidays are unknown.
  const parsed = new (evaluatorClass())(
    value,
    { lat: location.lat, lon: location.lon, address: NO_ADDRESS },
    0,
  );
  remember(parsedValues, key, parsed, MAX_CACHED_VALUES);
  return parsed;
}

const NO_ADDRESS = { country_code: '', state: '' };

/** Insertion-ordered map as a bounded cache: the oldest entry goes first. */
function remember<V>(cache: Map<string, V>, key: string, value: V, max: number): void {
  if (cache.size >= max) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 200);
}
