// Cells of a box over the whole globe: the count without listing equals the list, a cell the box
// holds whole is met, and the precision chosen for clusters never lists more than asked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boxHoldsCell,
  boxHoldsPoint,
  cellCountMeeting,
  cellsMeeting,
  clusterPrecision,
  geohashBounds,
} from '../../../shared/geo/box-cells';
import { geohashEncode } from '../../../shared/geo/geohash';

const box = fc
  .record({
    minLon: fc.double({ min: -180, max: 180, noNaN: true }),
    maxLon: fc.double({ min: -180, max: 180, noNaN: true }),
    a: fc.double({ min: -90, max: 90, noNaN: true }),
    b: fc.double({ min: -90, max: 90, noNaN: true }),
  })
  .map(({ minLon, maxLon, a, b }) => ({ minLon, maxLon, minLat: Math.min(a, b), maxLat: Math.max(a, b) }));

describe('cells of a box', () => {
  it('picks the finest precision with at most 256 cells, and lists exactly the cells it counts', () => {
    fc.assert(
      fc.property(box, (b) => {
        const p = clusterPrecision(b, 256, 5);
        const cells = cellsMeeting(b, p);
        expect(cells.length).toBe(cellCountMeeting(b, p));
        expect(cells.length).toBeLessThanOrEqual(p === 1 ? 64 : 256);
        if (p < 5) expect(cellCountMeeting(b, p + 1)).toBeGreaterThan(256);
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('lists the cell of every point the box holds', () => {
    fc.assert(
      fc.property(
        box,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (b, u, v) => {
          const lat = b.minLat + (b.maxLat - b.minLat) * u;
          const width = b.minLon <= b.maxLon ? b.maxLon - b.minLon : b.maxLon + 360 - b.minLon;
          let lon = b.minLon + width * v;
          if (lon > 180) lon -= 360;
          expect(boxHoldsPoint(b, lat, lon)).toBe(true);
          const p = clusterPrecision(b, 256, 5);
          expect(cellsMeeting(b, p)).toContain(geohashEncode(lat, lon, p));
        },
      ),
      { numRuns: 500, seed: 4 },
    );
  });

  it('holds a cell whole only if it holds its corners', () => {
    const world = { minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 };
    expect(boxHoldsCell(world, geohashBounds('u'))).toBe(true);
    expect(geohashBounds('u')).toEqual({ minLat: 45, maxLat: 90, minLon: 0, maxLon: 45 });
    expect(boxHoldsCell({ minLon: 0, minLat: 45, maxLon: 44, maxLat: 90 }, geohashBounds('u'))).toBe(false);
    const acrossTheAntimeridian = { minLon: 170, minLat: -90, maxLon: -170, maxLat: 90 };
    expect(boxHoldsCell(acrossTheAntimeridian, geohashBounds('zzz'))).toBe(true);
    expect(boxHoldsCell(acrossTheAntimeridian, geohashBounds('zz'))).toBe(false); // from 168.75°
  });
});
