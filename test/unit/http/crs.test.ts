// The coordinate systems over the whole globe: answers stay in range everywhere, and a point
// converted out and back in returns within 1 m wherever the offset systems are in use.
import fc from 'fast-check';
import { getDistance } from 'geolib';
import { describe, expect, it } from 'vitest';
import { boxToWgs84, fromWgs84, toWgs84 } from '../../../shared/http/crs';

const point = (latMin: number, latMax: number, lonMin: number, lonMax: number) =>
  fc.record({
    lat: fc.double({ min: latMin, max: latMax, noNaN: true }),
    lon: fc.double({ min: lonMin, max: lonMax, noNaN: true }),
  });

describe('coordinate systems', () => {
  it.each([
    'gcj02',
    'bd09',
  ] as const)('keeps every %s answer in range, poles and antimeridian included', (crs) => {
    fc.assert(
      fc.property(point(-90, 90, -180, 180), (p) => {
        for (const q of [fromWgs84(p, crs), toWgs84(p, crs)]) {
          expect(q.lat).toBeGreaterThanOrEqual(-90);
          expect(q.lat).toBeLessThanOrEqual(90);
          expect(q.lon).toBeGreaterThanOrEqual(-180);
          expect(q.lon).toBeLessThanOrEqual(180);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
    for (const p of [
      { lat: 90, lon: 180 },
      { lat: -90, lon: -180 },
    ])
      expect(Number.isFinite(toWgs84(p, crs).lat)).toBe(true);
  });

  it.each([
    'gcj02',
    'bd09',
  ] as const)('returns a point within 1 m through %s and back, across China', (crs) => {
    fc.assert(
      fc.property(point(18, 54, 73, 135), (p) => {
        const shown = fromWgs84(p, crs);
        expect(getDistance(p, toWgs84(shown, crs), 0.01)).toBeLessThan(1);
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('is the identity for wgs84, and for gcj02 outside China', () => {
    const brum = { lat: 52.48, lon: -1.9 };
    expect(fromWgs84(brum, 'wgs84')).toBe(brum);
    expect(fromWgs84(brum, 'gcj02')).toEqual(brum);
    expect(toWgs84(brum, 'gcj02')).toEqual(brum);
    expect(boxToWgs84({ minLon: -2, minLat: 52, maxLon: -1, maxLat: 53 }, 'gcj02')).toEqual({
      minLon: -2,
      minLat: 52,
      maxLon: -1,
      maxLat: 53,
    });
  });
});
