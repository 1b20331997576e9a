// offsetBy, the one "a point so many metres that way" of the code base (demo seed, test cities,
// benchmarks): checked against geolib's great-circle distance over the latitudes and distances
// it is used for, and its rounding.
import fc from 'fast-check';
import { getDistance, getGreatCircleBearing } from 'geolib';
import { describe, expect, it } from 'vitest';
import { offsetBy } from '../../../shared/geo';

describe('offsetBy', () => {
  it('lands within 0.5 % (+1 m) of the asked distance, on the asked bearing, up to 10 km and latitude 80', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.double({ min: 10, max: 10_000, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, maxExcluded: true, noNaN: true }),
        (lat, lon, metres, bearing) => {
          const from = { lat, lon };
          const to = offsetBy(from, metres, bearing);
          expect(Math.abs(getDistance(from, to, 0.01) - metres)).toBeLessThanOrEqual(metres * 0.005 + 1);
          const seen = getGreatCircleBearing(from, to);
          const asked = (bearing * 180) / Math.PI;
          const apart = Math.abs(((seen - asked + 540) % 360) - 180);
          expect(apart).toBeLessThan(metres < 100 ? 5 : 1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('goes north at bearing 0 and east at π/2', () => {
    const from = { lat: 52.4797, lon: -1.9026 };
    expect(offsetBy(from, 1000, 0).lat).toBeGreaterThan(from.lat);
    expect(offsetBy(from, 1000, 0).lon).toBeCloseTo(from.lon, 12);
    expect(offsetBy(from, 1000, Math.PI / 2).lon).toBeGreaterThan(from.lon);
    expect(offsetBy(from, 1000, Math.PI / 2).lat).toBeCloseTo(from.lat, 12);
  });

  it('rounds to the decimals asked for, and not at all by default', () => {
    const from = { lat: 52.4797, lon: -1.9026 };
    const exact = offsetBy(from, 1234.5678, 1);
    const rounded = offsetBy(from, 1234.5678, 1, 7);
    expect(rounded.lat).toBe(Math.round(exact.lat * 1e7) / 1e7);
    expect(rounded.lon).toBe(Math.round(exact.lon * 1e7) / 1e7);
    expect(Number.isInteger(exact.lat * 1e7) && Number.isInteger(exact.lon * 1e7)).toBe(false);
  });
});
