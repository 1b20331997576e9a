// The lot a feed's site becomes is a valid lot id for every prefix staff may give and every site
// id a feed may hold, and the feed readers keep their bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedFormatError, MAX_FEED_SITES, readFeed, sourceLotId } from '../../../shared/domain/feeds';

const LOT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const prefix = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/);

describe('sourceLotId', () => {
  it('is a valid lot id for any prefix and any site id', () => {
    fc.assert(
      fc.property(prefix, fc.string({ maxLength: 300, unit: 'binary' }), (p, siteId) => {
        expect(sourceLotId(p, siteId)).toMatch(LOT_ID);
      }),
      { numRuns: 2000, seed: 20261207 },
    );
  });

  it('keeps a valid id as it is, and keeps apart ids that clean to the same text', () => {
    expect(sourceLotId('be-', 'E58319FB-7FB5-4625-B1D2-F942093C382F')).toBe(
      'be-E58319FB-7FB5-4625-B1D2-F942093C382F',
    );
    const a = sourceLotId('fr-', 'P+R Paduaallee');
    const b = sourceLotId('fr-', 'P R Paduaallee');
    expect(a).toMatch(/^fr-P-R-Paduaallee-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(sourceLotId('x', `${'a'.repeat(100)}`)).toHaveLength(64);
  });
});

describe('feed readers', () => {
  it('refuse a feed with more sites than they read', async () => {
    const items = Array.from({ length: MAX_FEED_SITES + 1 }, (_, i) => ({
      id: i,
      name: 'x',
      lat: 1,
      lon: 1,
      capacity: 1,
    }));
    await expect(readFeed('parkapi-v3', { items })).rejects.toThrow(FeedFormatError);
  });

  it('refuse documents that are not their format, and skip sites they cannot place', async () => {
    await expect(readFeed('datex2-light', { parkingSites: [] })).rejects.toThrow(FeedFormatError);
    await expect(readFeed('ngsi-ld', [{ name: 'no id' }])).rejects.toThrow(FeedFormatError);
    await expect(readFeed('parkapi-v3', 'text')).rejects.toThrow(FeedFormatError);
    const read = await readFeed('parkapi-v3', {
      items: [
        { id: 1, name: 'no position', capacity: 10 },
        {
          id: 2,
          name: 'fine',
          lat: '48.1',
          lon: '7.8',
          capacity: 10,
          realtime_free_capacity: 4,
          realtime_data_updated_at: '2026-11-23T09:00:00Z',
        },
        { id: 2, name: 'again', lat: 48.1, lon: 7.8, capacity: 10 },
        {
          id: 3,
          name: 'bad time',
          lat: 48.1,
          lon: 7.8,
          capacity: 10,
          realtime_free_capacity: 4,
          realtime_data_updated_at: '2300-01-01T00:00:00Z',
        },
      ],
    });
    expect(read.sites.map((s) => [s.siteId, s.count?.occupied ?? null])).toEqual([
      ['2', 6],
      ['3', null],
    ]);
    expect(read.skipped.map((s) => s.siteId)).toEqual(['1', '2']);
  });
});

describe('reading a large feed', () => {
  it('yields to the event loop while it reads thousands of sites', async () => {
    const items = Array.from({ length: MAX_FEED_SITES }, (_, i) => ({
      id: i,
      name: `site ${i}`,
      lat: 48,
      lon: 7.8,
      capacity: 100,
      realtime_free_capacity: i % 100,
      realtime_data_updated_at: '2026-11-23T09:00:00Z',
    }));
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const read = await readFeed('parkapi-v3', { items });
    clearInterval(timer);
    expect(read.sites).toHaveLength(MAX_FEED_SITES);
    // Other work ran while the feed was read (a loop that never yields lets no timer fire).
    expect(turns).toBeGreaterThan(0);
  });
});
