// Demo lots for local mode: generated (seeded, reproducible) around Birmingham's city centre
// with plausible names, capacities, types, features, zones and a time-of-day occupancy. Nothing
// here comes from third-party data sets.
import type { LotFeature, LotType } from '../domain/lot';
import type { Observation } from '../domain/observation';
import { seededRandom } from '../domain/random';
import { slug } from '../domain/slug';
import { offsetBy } from '../geo';
import type { LotInput } from '../use-cases/manage-lots';

export const DEMO_CENTRE = { lat: 52.4797, lon: -1.9026 }; // Victoria Square, Birmingham
export const DEMO_TIME_ZONE = 'Europe/London';

const STREETS = [
  'Moor Street',
  'Snow Hill',
  'Colmore Row',
  'Bull Street',
  'Corporation Street',
  'Broad Street',
  'Navigation Street',
  'Suffolk Street',
  'Digbeth High Street',
  'Bradford Street',
  'Newhall Street',
  'Great Charles Street',
  'Livery Street',
  'Edmund Street',
  'Waterloo Street',
  'Steelhouse Lane',
  'Jennens Road',
  'Curzon Street',
  'Fazeley Street',
  'Vyse Street',
  'Frederick Street',
  'Legge Lane',
  'Granville Street',
  'Holloway Head',
  'Bristol Street',
  'Hurst Street',
  'Smallbrook Queensway',
  'Masshouse Lane',
  'Dale End',
  'Albert Street',
  'Edgbaston Street',
  'Pershore Street',
  'Sherlock Street',
  'Islington Row',
  'Hagley Road',
  'Ladywood Middleway',
  'Sheepcote Street',
  'Summer Hill Road',
  'Lionel Street',
  'Ludgate Hill',
];

const KINDS: { type: LotType; weight: number; capacity: [number, number]; suffix: string }[] = [
  { type: 'garage', weight: 30, capacity: [180, 1200], suffix: 'Multi-Storey' },
  { type: 'surface', weight: 30, capacity: [25, 260], suffix: 'Car Park' },
  { type: 'underground', weight: 10, capacity: [90, 650], suffix: 'Underground' },
  { type: 'on_street', weight: 25, capacity: [6, 40], suffix: 'Bays' },
  { type: 'park_and_ride', weight: 5, capacity: [300, 1400], suffix: 'Park & Ride' },
];

const ZONES = ['city-centre', 'jewellery-quarter', 'digbeth', 'southside', 'westside', 'eastside'];

export { seededRandom };

export interface DemoLot {
  id: string;
  input: LotInput;
}

export function demoLots(count = 120, seed = 20261123): DemoLot[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const lots: DemoLot[] = [];
  const used = new Set<string>();
  for (let i = 0; lots.length < count && i < count * 10; i++) {
    const kind = weighted(KINDS, random);
    // Park & ride sits at the edge of town; everything else clusters towards the centre.
    // Denser towards the centre, as in a real city, but not all on one square.
    const distance = kind.type === 'park_and_ride' ? 3500 + random() * 3000 : 120 + 2800 * random() ** 0.8;
    const bearing = random() * 2 * Math.PI;
    const { lat, lon } = offsetBy(DEMO_CENTRE, distance, bearing);
    const street = pick(STREETS);
    const name = `${street} ${kind.suffix}`;
    const id = `demo-${slug(name)}`;
    if (used.has(id)) continue;
    used.add(id);
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
        type: kind.type,
        features,
        // The centre is one zone; the rest of town splits into sectors by bearing.
        zone:
          distance < 700 ? ZONES[0] : ZONES[1 + Math.floor((bearing / (2 * Math.PI)) * (ZONES.length - 1))],
        timeZone: DEMO_TIME_ZONE,
        staleAfterSeconds: kind.type === 'on_street' ? 900 : 3600,
        ...(features.includes('24h')
          ? { openingHours: '24/7' }
          : { openingHours: 'Mo-Sa 06:00-24:00; Su 08:00-22:00' }),
      },
    });
  }
  return lots;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: DEMO_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

/**
 * A plausible occupancy for a lot at `at`: busy weekday working hours and Saturday afternoons,
 * quiet nights, with per-lot variation; sometimes over capacity, as real counters are.
 */
export function demoOccupancy(lot: DemoLot, at: number, random: () => number): number {
  const parts = Object.fromEntries(LONDON.formatToParts(at).map((p) => [p.type, p.value]));
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
