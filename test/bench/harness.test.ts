// The benchmark harness stays honest and runnable: the geo section on a tiny metro over dynalite
// (all three approaches must give the true answers; the figures must be consistent), and the
// command line rejects what it does not understand.
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, UsageError } from '../../bench/run';
import { benchGeo, geoConfig, syntheticMetro } from '../../bench/sections/geo';
import type { GeoRow } from '../../bench/types';
import { freeSpaces, lotStatus } from '../../shared/domain/lot';
import { loadOpeningHours } from '../../shared/domain/opening-hours';
import { geohashEncode, partitionOf } from '../../shared/geo';

/** The evaluator the domain takes for opening hours, loaded once (shared/domain/opening-hours.ts). */
const hours = await loadOpeningHours();

const NOW = Date.parse('2026-11-23T10:00:00Z');

describe('bench geo section (tiny metro, dynalite)', () => {
  const lots = 400;
  const queries = 5;
  let rows: GeoRow[] = [];

  it('measures every approach at every radius with the same answers', async () => {
    const lines: string[] = [];
    rows = await benchGeo(
      { quick: true, repetitions: 3, log: (line) => lines.push(line) },
      {
        sizes: [lots],
        singapore: false,
        stores: ['dynalite'],
        radii: [1000, 5000],
        queries,
        queriesPer: (approach) => (approach === 'ours' ? queries : 2),
        warmup: 1,
      },
    );
    // benchGeo throws (GeoMismatchError) when any answer differs from the in-memory truth.
    expect(rows.map((r) => `${r.radius} ${r.approach}`).sort()).toEqual([
      '1000 dynamodb-geo',
      '1000 ours',
      '1000 scan',
      '5000 dynamodb-geo',
      '5000 ours',
      '5000 scan',
    ]);
    expect(lines.some((l) => l.includes('dynamodb-geo'))).toBe(true);
  }, 30_000);

  it('reports figures that are consistent with each other', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.store).toBe('dynalite');
      expect(row.lots).toBe(lots);
      expect(row.queries).toBe(row.approach === 'ours' ? queries : 2);
      // Amplification is items read over lots needed (both per query, rounded).
      const ratio = row.itemsReadPerQuery / row.lotsNeededPerQuery;
      expect(Math.abs(row.readAmplification - ratio) / ratio).toBeLessThan(0.01);
      expect(row.lotsNeededPerQuery).toBeGreaterThan(0);
      expect(row.lotsNeededPerQuery).toBeLessThanOrEqual(row.lotsInRadiusPerQuery);
      expect(row.requestsPerQuery).toBeGreaterThanOrEqual(1);
      expect(row.p50Ms).toBeGreaterThan(0);
      expect(row.p95Ms).toBeGreaterThanOrEqual(row.p50Ms);
      expect(row.p50Spread!.min).toBeLessThanOrEqual(row.p50Spread!.median);
      expect(row.p50Spread!.median).toBeLessThanOrEqual(row.p50Spread!.max);
      // An index never reads fewer lots than the answer needs.
      expect(row.itemsReadPerQuery).toBeGreaterThanOrEqual(row.lotsNeededPerQuery);
      // Rounds: at least one a query, never more than the requests sent; p95 a whole count.
      expect(row.roundsPerQuery).toBeGreaterThanOrEqual(1);
      expect(row.roundsPerQuery).toBeLessThanOrEqual(row.requestsPerQuery);
      expect(Number.isInteger(row.roundsP95)).toBe(true);
      expect(row.roundsP95).toBeGreaterThanOrEqual(1);
      expect(row.roundsP95).toBeGreaterThanOrEqual(Math.floor(row.roundsPerQuery));
    }
    // The tiny metro's aggregates fit: ours ran sized from them.
    for (const row of rows.filter((r) => r.approach === 'ours')) expect(row.aggregatesRebuilt).toBe(true);
    for (const row of rows.filter((r) => r.approach === 'scan')) {
      // A Scan reads every item of the table, whatever the radius: the lots, the directory's
      // item for each partition that holds one, the directory's state item, and the coarse-cell
      // aggregates (one item per geohash cell of precision 1-5 holding a lot, and their state).
      const metro = syntheticMetro(lots, geoConfig({ quick: true }).seed, NOW);
      const partitions = new Set(metro.map((l) => partitionOf(l.location)));
      let aggregates = 1;
      for (let p = 1; p <= 5; p++)
        aggregates += new Set(metro.map((l) => geohashEncode(l.location.lat, l.location.lon, p))).size;
      expect(row.itemsReadPerQuery).toBe(lots + partitions.size + 1 + aggregates);
      // One page after another.
      expect(row.roundsPerQuery).toBe(row.requestsPerQuery);
      expect(row.p50RatioToOurs).toBeGreaterThan(0);
    }
    for (const row of rows.filter((r) => r.approach === 'dynamodb-geo')) {
      // dynamodb-geo returns every lot in the radius, so it reads at least those.
      expect(row.itemsReadPerQuery).toBeGreaterThanOrEqual(row.lotsInRadiusPerQuery);
      expect(row.hashKeyLength).toBe(6);
    }
    // Ours reads far less than a Scan of the same table.
    for (const radius of [1000, 5000]) {
      const ours = rows.find((r) => r.approach === 'ours' && r.radius === radius)!;
      expect(ours.itemsReadPerQuery).toBeLessThan(lots / 2);
    }
  });

  it('generates a seeded metro in which some lots are full, closed or stale', () => {
    const a = syntheticMetro(2000, 7, NOW);
    const b = syntheticMetro(2000, 7, NOW);
    expect(a).toEqual(b);
    const statuses = a.map((lot) => lotStatus(lot, NOW, hours));
    const share = (s: string) => statuses.filter((x) => x === s).length / a.length;
    expect(share('full')).toBeGreaterThan(0.08);
    expect(share('closed')).toBeGreaterThan(0.005);
    expect(share('stale')).toBeGreaterThan(0.01);
    expect(share('nodata')).toBeGreaterThan(0.01);
    expect(a.filter((lot) => (freeSpaces(lot) ?? 0) > 0).length).toBeGreaterThan(a.length / 2);
  });
});

describe('bench command line', () => {
  it('takes --quick, --only and --repetitions', () => {
    expect(parseBenchArgs(['--quick', '--only', 'geo,ingest'])).toEqual({
      quick: true,
      only: ['geo', 'ingest'],
      repetitions: 3,
    });
    expect(parseBenchArgs(['--repetitions', '5'])).toMatchObject({ quick: false, repetitions: 5 });
    expect(parseBenchArgs(['--help'])).toBe('help');
  });

  it('rejects unknown flags, unknown sections and fewer than 3 repetitions', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/--fast/);
    expect(() => parseBenchArgs(['--only', 'geo,maps'])).toThrow(/maps/);
    expect(() => parseBenchArgs(['--repetitions', '2'])).toThrow(/at least|>= 3/);
    expect(() => parseBenchArgs(['extra'])).toThrow(UsageError);
  });
});
