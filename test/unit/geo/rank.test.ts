// Ranking: exact geolib distance, radius and filter, then nearest, more free spaces, id.
import { getDistance } from 'geolib';
import { describe, expect, it } from 'vitest';
import { metresBetween, rankNearby } from '../../../shared/geo';
import { mulberry32 } from './support';

const origin = { lat: 52.48, lon: -1.89 };
/** Degrees of latitude per metre on geolib's sphere (R = 6378137 m). */
const DEG_PER_METRE = 180 / (Math.PI * 6_378_137);
const north = (metres: number) => ({ lat: origin.lat + metres * DEG_PER_METRE, lon: origin.lon });
const ids = (lots: Array<{ id: string }>) => lots.map((l) => l.id);

describe('metresBetween', () => {
  it('matches hand-computed great-circle distances on a sphere of radius 6378137 m', () => {
    // 1° of arc = 6378137 × π / 180 = 111319.49 m; half the circumference = 20037508.34 m.
    expect(metresBetween({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBe(111_319);
    expect(metresBetween({ lat: 0, lon: 0 }, { lat: 0.01, lon: 0 })).toBe(1_113);
    expect(metresBetween({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBe(20_037_508);
    expect(metresBetween({ lat: 90, lon: 0 }, { lat: 89.99, lon: 137 })).toBe(1_113);
    // Across the antimeridian: 0.002° of longitude at 17.8° S = 111319.49 × 0.002 × cos(17.8°) = 212 m.
    expect(metresBetween({ lat: -17.8, lon: 179.999 }, { lat: -17.8, lon: -179.999 })).toBe(212);
    expect(metresBetween({ lat: 10, lon: 180 }, { lat: 10, lon: -180 })).toBe(0);
  });

  it('is geolib getDistance, in integer metres', () => {
    const rnd = mulberry32(3);
    for (let i = 0; i < 200; i++) {
      const a = { lat: -90 + rnd() * 180, lon: -180 + rnd() * 360 };
      const b = { lat: -90 + rnd() * 180, lon: -180 + rnd() * 360 };
      expect(metresBetween(a, b)).toBe(getDistance(a, b));
      expect(Number.isInteger(metresBetween(a, b))).toBe(true);
    }
  });

  it('rejects bad points with a RangeError', () => {
    expect(() => metresBetween({ lat: 0, lon: 0 }, { lat: -90.5, lon: 0 })).toThrow(/^metresBetween: b\.lat/);
    expect(() => metresBetween({ lat: 0, lon: '1' as never }, { lat: 0, lon: 0 })).toThrow(
      /^metresBetween: a\.lon/,
    );
  });
});

describe('rankNearby', () => {
  it('ranks nearer lots first and adds each distance', () => {
    const lots = [
      { id: 'far', location: north(900), free: 5 },
      { id: 'near', location: north(100), free: 1 },
      { id: 'mid', location: north(400), free: 9 },
    ];
    const ranked = rankNearby(origin, lots, { radius: 1000, limit: 10 });
    expect(ids(ranked)).toEqual(['near', 'mid', 'far']);
    expect(ranked.map((l) => l.distance)).toEqual([100, 400, 900]);
    expect(ranked[0]).toMatchObject({ id: 'near', free: 1, location: north(100) });
  });

  it('breaks ties on distance by more free spaces, then by id in code-unit order', () => {
    const at = north(250);
    const lots = [
      { id: 'b', location: at, free: 3 },
      { id: 'a', location: at, free: 3 },
      { id: 'B', location: at, free: 3 },
      { id: 'z', location: at, free: 10 },
      { id: 'c', location: north(249.9), free: 0 },
    ];
    // 249.9 m and 250 m both round to 250: the distance ties, so free spaces decide.
    expect(ids(rankNearby(origin, lots, { radius: 1000, limit: 10 }))).toEqual(['z', 'B', 'a', 'b', 'c']);
  });

  it('ranks lots at identical coordinates (and the centre itself) at distance 0', () => {
    const lots = [
      { id: 'x2', location: { ...origin }, free: 1 },
      { id: 'x1', location: { ...origin }, free: 1 },
    ];
    const ranked = rankNearby(origin, lots, { radius: 1, limit: 10 });
    expect(ids(ranked)).toEqual(['x1', 'x2']);
    expect(ranked.map((l) => l.distance)).toEqual([0, 0]);
  });

  it('keeps lots whose rounded distance equals the radius and drops the ones beyond it', () => {
    const lots = [
      { id: 'edge', location: north(500.4), free: 1 },
      { id: 'out', location: north(500.6), free: 1 },
    ];
    expect(ids(rankNearby(origin, lots, { radius: 500, limit: 10 }))).toEqual(['edge']);
  });

  it('applies the filter and the limit after ranking', () => {
    const lots = Array.from({ length: 20 }, (_, i) => ({
      id: `l${i}`,
      location: north(10 * (20 - i)),
      free: i % 3,
    }));
    const ranked = rankNearby(origin, lots, { radius: 1000, limit: 3, filter: (l) => l.free > 0 });
    expect(ids(ranked)).toEqual(['l19', 'l17', 'l16']);
    expect(rankNearby(origin, lots, { radius: 1000, limit: 0 })).toEqual([]);
  });

  it('accepts any iterable, such as a generator', () => {
    function* lots() {
      yield { id: 'gen-far', location: north(20), free: 1 };
      yield { id: 'gen-near', location: north(10), free: 1 };
    }
    expect(ids(rankNearby(origin, lots(), { radius: 100, limit: 5 }))).toEqual(['gen-near', 'gen-far']);
  });

  it('rejects misuse with a precise RangeError', () => {
    const lots = [{ id: 'a', location: origin, free: 1 }];
    expect(() => rankNearby(origin, lots, { radius: 0, limit: 1 })).toThrow(
      /radius must be a finite number > 0/,
    );
    expect(() => rankNearby(origin, lots, { radius: Number.NaN, limit: 1 })).toThrow(RangeError);
    expect(() => rankNearby(origin, lots, { radius: 10, limit: -1 })).toThrow(
      /limit must be an integer >= 0, got -1/,
    );
    expect(() => rankNearby(origin, lots, { radius: 10, limit: 1.5 })).toThrow(RangeError);
    expect(() => rankNearby({ lat: 100, lon: 0 }, lots, { radius: 10, limit: 1 })).toThrow(
      /^rankNearby: center\.lat/,
    );
    expect(() =>
      rankNearby(origin, [{ id: 'bad', location: { lat: 0, lon: 200 }, free: 1 }], { radius: 10, limit: 1 }),
    ).toThrow(/rankNearby: lot bad location\.lon/);
    expect(() =>
      rankNearby(origin, [{ id: 'nan', location: origin, free: Number.NaN }], { radius: 10, limit: 1 }),
    ).toThrow(/lot nan free must be a number/);
  });
});
