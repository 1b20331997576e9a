// Demo lots for local mode: generated (seeded, reproducible) around a demo city's centre
// (shared/demo/cities.ts: Birmingham by default, or Hangzhou) with plausible names, capacities,
// types, features, zones and a time-of-day occupancy. Nothing here comes from third-party data sets.
import type { LotFeature, LotType } from '../domain/lot';
import type { Observation } from '../domain/observation';
import { seededRandom } from '../domain/random';
import { slug } from '../domain/slug';
import { metresBetween, offsetBy } from '../geo';
import type { LotInput } from '../use-cases/manage-lots';
import { BIRMINGHAM, type DemoCity } from './cities';

/** The default demo city's centre and zone (the benchmarks and load scripts build around it). */
export const DEMO_CENTRE = BIRMINGHAM.centre;
export const DEMO_TIME_ZONE = BIRMINGHAM.timeZone;

export { seededRandom };

export interface DemoLot {
  id: string;
  input: LotInput;
}

export function demoLots(count = 120, seed = 20261123, city: DemoCity = BIRMINGHAM): DemoLot[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const lots: DemoLot[] = [];
  const used = new Set<string>();
  for (let i = 0; lots.length < count && i < count * 10; i++) {
    const kind = weighted(city.kinds, random);
    // Park & ride sits at the edge of town; everything else clusters towards the centre.
    // Denser towards the centre, as in a real city, but not all on one square.
    const distance = kind.type === 'park_and_ride' ? 3500 + random() * 3000 : 120 + 2800 * random() ** 0.8;
    const bearing = random() * 2 * Math.PI;
    const { lat, lon } = offsetBy(city.centre, distance, bearing);
    const street = pick(city.streets);
    if (city.water.some((w) => metresBetween({ lat, lon }, w) < w.radiusMetres)) continue;
    const name = `${street.name}${city.separator}${kind.suffix}`;
    const id = `demo-${slug(`${street.latin} ${kind.latinSuffix}`)}`;
    if (used.has(id)) continue;
    used.add(id);
    const type: LotType = kind.type;
    const features: LotFeature[] = [];
    if (kind.type !== 'on_street' && random() < 0.45) features.push('ev');
    if (random() < 0.6) features.push('accessible');
    if (kind.type === 'garage' || kind.type === 'underground') features.push('covered');
    if (kind.type !== 'on_street' && random() < 0.3) features.push('24h');
    if (random() < 0.15) features.push('bicycle');
    const [low, high] = kind.capacity;
    lots.push({
      id,
      input: {
        name,
        location: { lat: round6(lat), lon: round6(lon) },
        capacity: Math.round(low + (high - low) * random()),
        type,
        features,
        // The centre is one zone; the rest of town splits into sectors by bearing.
        zone:
          distance < 700
            ? city.zones[0]
            : city.zones[1 + Math.floor((bearing / (2 * Math.PI)) * (city.zones.length - 1))],
        timeZone: city.timeZone,
        staleAfterSeconds: kind.type === 'on_street' ? 900 : 3600,
        // Surface car parks and park & ride close at night unless they are 24 h; garages and bays
        // have no hours (always open), so the demo has lots to show at any hour of the night.
        ...(features.includes('24h')
          ? { openingHours: '24/7' }
          : type === 'surface' || type === 'park_and_ride'
            ? { openingHours: 'Mo-Sa 06:00-24:00; Su 08:00-22:00' }
            : {}),
      },
    });
  }
  return lots;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of a zone (English weekday names, 24-hour), made once per zone. */
function clock(timeZone: string): Intl.DateTimeFormat {
  let format = clocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, format);
  }
  return format;
}

/**
 * A plausible occupancy for a lot at `at`: busy weekday working hours and Saturday afternoons,
 * quiet nights (in the lot's own time zone), with per-lot variation; sometimes over capacity, as
 * real counters are.
 */
export function demoOccupancy(lot: DemoLot, at: number, random: () => number): number {
  const parts = Object.fromEntries(
    clock(lot.input.timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const hour = (Number(parts.hour) % 24) + Number(parts.minute) / 60;
  const weekend = parts.weekday === 'Sat' || parts.weekday === 'Sun';
  const day = Math.exp(-((hour - (weekend ? 14 : 12.5)) ** 2) / (weekend ? 18 : 14));
  const base = 0.08 + (weekend ? 0.75 : 0.85) * day;
  const rate = Math.min(1.04, Math.max(0, base + (random() - 0.5) * 0.35));
  return Math.round(lot.input.capacity * rate);
}

/** Demo lots that never report (nodata) and that stopped reporting (stale), so both states show. */
export const isSilentDemoLot = (index: number) => index % 29 === 28;
export const isBrokenDemoLot = (index: number) => index % 17 === 16;

/** One fresh absolute count per lot (a few lots stay silent, a few stale) for the first start. */
export function demoObservations(lots: DemoLot[], now: number, seed = 7): Map<string, Observation[]> {
  const random = seededRandom(seed);
  const out = new Map<string, Observation[]>();
  lots.forEach((lot, i) => {
    if (isSilentDemoLot(i)) return;
    const ageMs = isBrokenDemoLot(i) ? (lot.input.staleAfterSeconds + 1800) * 1000 : random() * 10 * 60_000;
    const observedAt = Math.floor(now - ageMs);
    out.set(lot.id, [
      {
        kind: 'count',
        eventId: `demo-${observedAt}`,
        observedAt,
        occupied: demoOccupancy(lot, observedAt, random),
      },
    ]);
  });
  return out;
}

function weighted<T extends { weight: number }>(list: readonly T[], random: () => number): T {
  let r = random() * list.reduce((s, x) => s + x.weight, 0);
  for (const x of list) {
    r -= x.weight;
    if (r <= 0) return x;
  }
  return list[list.length - 1]!;
}

function round6(x: number) {
  return Math.round(x * 1e6) / 1e6;
}
