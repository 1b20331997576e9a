// kthNearestMetres sizes a search's first circle: it must agree with the service's own distance
// closely enough for the caller's margin (3%), everywhere a search uses it (any latitude up to
// the polar rows, across the antimeridian), and say Infinity when there are too few points.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/domain/random';
import { kthNearestMetres, metresBetween, offsetBy } from '../../../shared/geo';

describe('kthNearestMetres', () => {
  it('is within 1% of the k-th great-circle distance, from the equator to lat 85 and across the antimeridian', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 300; trial++) {
      const center = { lat: -85 + 170 * random(), lon: trial % 3 === 0 ? 179.99 : -180 + 360 * random() };
      const points: number[] = [];
      const distances: number[] = [];
      const n = 1 + Math.floor(random() * 60);
      for (let i = 0; i < n; i++) {
        const at = offsetBy(center, 5000 * random(), random() * 2 * Math.PI);
        const lon = ((at.lon + 540) % 360) - 180;
        points.push(at.lat, lon);
        distances.push(metresBetween(center, { lat: at.lat, lon }));
      }
      distances.sort((a, b) => a - b);
      const k = 1 + Math.floor(random() * n);
      const got = kthNearestMetres(center, [Float64Array.from(points)], k);
      expect(Math.abs(got - distances[k - 1]!), `trial ${trial}`).toBeLessThanOrEqual(
        distances[k - 1]! * 0.01 + 1,
      );
    }
  });

  it('says Infinity for fewer points than k, and 0 for k < 1', () => {
    const center = { lat: 10, lon: 10 };
    expect(kthNearestMetres(center, [Float64Array.from([10, 10.01])], 2)).toBe(Number.POSITIVE_INFINITY);
    expect(kthNearestMetres(center, [], 1)).toBe(Number.POSITIVE_INFINITY);
    expect(kthNearestMetres(center, [Float64Array.from([10, 10.01])], 0)).toBe(0);
  });

  it('reads points from several cells together', () => {
    const center = { lat: 0, lon: 0 };
    const near = Float64Array.from([0, 0.001]); // ~111 m
    const far = Float64Array.from([0, 0.002, 0, 0.003]);
    expect(kthNearestMetres(center, [far, near], 2)).toBeCloseTo(kthNearestMetres(center, [far], 1), 6);
  });
});
