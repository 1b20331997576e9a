// Polygons on the globe: a rectangle ring holds exactly the points its box holds (away from the
// edges), wherever it is, the antimeridian included; its box is the box it was drawn from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inRing, ringBox } from '../../../shared/geo';

const rectangle = (minLon: number, minLat: number, maxLon: number, maxLat: number) => [
  { lon: minLon, lat: minLat },
  { lon: maxLon, lat: minLat },
  { lon: maxLon, lat: maxLat },
  { lon: minLon, lat: maxLat },
  { lon: minLon, lat: minLat },
];
const wrap = (lon: number) => (lon > 180 ? lon - 360 : lon);

describe('polygon rings', () => {
  it('a rectangle holds the points of its box, also across the antimeridian', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -180, max: 179, noNaN: true }),
        fc.double({ min: -89, max: 88, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        // Fractions of the box, never on its edges (where either answer is allowed): -0.45 … 1.45.
        fc.integer({ min: -5, max: 14 }).map((k) => (k + 0.5) / 10),
        fc.integer({ min: -5, max: 14 }).map((k) => (k + 0.5) / 10),
        (minLon, minLat, width, height, u, w) => {
          const [maxLon, maxLat] = [wrap(minLon + width), minLat + height];
          const ring = rectangle(minLon, minLat, maxLon, maxLat);
          expect(ringBox(ring)).toEqual({ minLon, minLat, maxLon, maxLat });
          const point = { lon: wrap(minLon + u * width), lat: minLat + w * height };
          expect(inRing(point, ring)).toBe(u > 0 && u < 1 && w > 0 && w < 1);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
