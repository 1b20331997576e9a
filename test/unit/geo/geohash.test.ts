// Cell keys of the geo index: standard geohashes, geohash-5 partitions, one partition per polar row.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  geohashEncode,
  PARTITION_PRECISION,
  partitionOf,
  SORT_PRECISION,
  sortCellOf,
} from '../../../shared/geo';

const point = fc.record({
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
});

describe('geohashEncode', () => {
  it('matches known geohashes', () => {
    expect(geohashEncode(57.64911, 10.40744, 11)).toBe('u4pruydqqvj');
    expect(geohashEncode(42.6, -5.6, 5)).toBe('ezs42');
    expect(geohashEncode(52.48, -1.89, 12)).toBe('gcqdscxwpv1f');
  });

  it('puts points on a boundary in the upper cell, and the extreme corners in the first and last cells', () => {
    expect(geohashEncode(0, 0, 10)).toBe('s000000000');
    expect(geohashEncode(-90, -180, 10)).toBe('0000000000');
    expect(geohashEncode(90, 180, 10)).toBe('zzzzzzzzzz');
    // 45° N is a boundary of the second latitude bit: it belongs to the northern cell.
    expect(geohashEncode(45, 0, 2)).toBe(geohashEncode(45.000001, 0, 2));
    expect(geohashEncode(44.999999, 0, 2)).not.toBe(geohashEncode(45, 0, 2));
  });

  it('makes each precision a prefix of the next', () => {
    fc.assert(
      fc.property(point, fc.integer({ min: 1, max: 11 }), ({ lat, lon }, precision) => {
        expect(geohashEncode(lat, lon, precision + 1).startsWith(geohashEncode(lat, lon, precision))).toBe(
          true,
        );
      }),
    );
  });

  it('rejects bad coordinates and precisions with a RangeError', () => {
    expect(() => geohashEncode(Number.NaN, 0, 5)).toThrow(
      /lat must be a finite number in \[-90, 90\], got NaN/,
    );
    expect(() => geohashEncode(90.0001, 0, 5)).toThrow(RangeError);
    expect(() => geohashEncode(0, -180.5, 5)).toThrow(/lon must be a finite number in \[-180, 180\]/);
    expect(() => geohashEncode(0, Number.POSITIVE_INFINITY, 5)).toThrow(RangeError);
    expect(() => geohashEncode(0, 0, 0)).toThrow(/precision must be an integer in \[1, 12\], got 0/);
    expect(() => geohashEncode(0, 0, 13)).toThrow(RangeError);
    expect(() => geohashEncode(0, 0, 2.5)).toThrow(RangeError);
  });
});

describe('sortCellOf and partitionOf', () => {
  it('gives the geohash-10 as sort cell and its geohash-5 prefix as partition', () => {
    const aalborg = { lat: 57.64911, lon: 10.40744 };
    expect(SORT_PRECISION).toBe(10);
    expect(PARTITION_PRECISION).toBe(5);
    expect(sortCellOf(aalborg)).toBe('u4pruydqqv');
    expect(partitionOf(aalborg)).toBe('u4pru');
  });

  it('agrees with geohashEncode everywhere outside the polar rows', () => {
    fc.assert(
      fc.property(point, (p) => {
        const cell = sortCellOf(p);
        expect(cell).toBe(geohashEncode(p.lat, p.lon, SORT_PRECISION));
        const partition = partitionOf(p);
        if (p.lat >= 84.375) expect(partition).toBe('PN');
        else if (p.lat < -84.375) expect(partition).toBe('PS');
        else expect(partition).toBe(cell.slice(0, PARTITION_PRECISION));
      }),
    );
  });

  it('puts the top geohash-2 row (lat >= 84.375) in PN and the bottom one (lat < -84.375) in PS', () => {
    expect(partitionOf({ lat: 84.375, lon: 0 })).toBe('PN');
    expect(partitionOf({ lat: 90, lon: -180 })).toBe('PN');
    expect(partitionOf({ lat: 90, lon: 180 })).toBe('PN');
    expect(partitionOf({ lat: 84.37499, lon: 0 })).toBe('unbpb');
    expect(partitionOf({ lat: -84.375, lon: 0 })).toBe('h1000');
    expect(partitionOf({ lat: -84.37501, lon: 0 })).toBe('PS');
    expect(partitionOf({ lat: -90, lon: 0 })).toBe('PS');
  });

  it('rejects bad points with a RangeError naming the function', () => {
    expect(() => partitionOf({ lat: 91, lon: 0 })).toThrow(/^partitionOf: point\.lat/);
    expect(() => sortCellOf({ lat: 0, lon: Number.NaN })).toThrow(/^sortCellOf: point\.lon/);
    expect(() => sortCellOf(null as never)).toThrow(RangeError);
  });
});
