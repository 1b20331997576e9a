// Real data: the Birmingham car-park readings (UCI, Oct–Dec 2016), delivered shuffled and with
// duplicates, must leave every car park at its latest reading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/demo/seed';
import { slug } from '../../shared/domain/slug';
import { parseNaiveLocal } from '../../shared/domain/zoned-time';
import { type BirminghamReading, readBirmingham, sharedFile } from '../support/shared-data';
import { openApp, storeKinds } from '../support/stores';

const file = sharedFile('birmingham/birmingham-parking-shared.csv');

describe.skipIf(file === null).each(storeKinds())('Birmingham replay on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let readings: BirminghamReading[];
  beforeAll(async () => {
    t = await openApp(kind);
    readings = readBirmingham(file!);
  });
  afterAll(() => t.close());

  it('ends in each car park’s latest reading after a shuffled replay with duplicates', async () => {
    const random = seededRandom(2016);
    const codes = [...new Set(readings.map((r) => r.code))];
    for (const code of codes) {
      const capacity = readings.find((r) => r.code === code)!.capacity;
      const res = await t.request(`/v1/lots/${slug(code)}`, {
        method: 'PUT',
        headers: t.staff,
        json: {
          name: code,
          location: { lat: 52.48 + random() / 50, lon: -1.9 + random() / 50 },
          capacity,
          type: 'garage',
          timeZone: 'Europe/London',
        },
      });
      expect(res.status).toBe(201);
    }
    // Every reading once, a tenth of them twice, in random order.
    const deliveries = [...readings, ...readings.filter(() => random() < 0.1)]
      .map((r) => ({ r, key: random() }))
      .sort((a, b) => a.key - b.key)
      .map(({ r }) => r);
    const batches = new Map<string, BirminghamReading[][]>();
    for (const r of deliveries) {
      const list = batches.get(r.code) ?? [[]];
      if (list.at(-1)!.length === 100) list.push([]);
      list.at(-1)!.push(r);
      batches.set(r.code, list);
    }
    const queue = [...batches.entries()].flatMap(([code, list]) => list.map((b) => ({ code, b })));
    queue.sort(() => random() - 0.5);
    let applied = 0;
    let duplicates = 0;
    const worker = async () => {
      for (let job = queue.pop(); job; job = queue.pop()) {
        const res = await t.request(`/v1/lots/${slug(job.code)}/observations`, {
          method: 'POST',
          headers: t.staff,
          json: {
            observations: job.b.map((r) => ({
              // The file's rows have no ids: car park + local timestamp identifies a reading.
              eventId: `${slug(r.code)}-${r.lastUpdated.replace(/[^0-9]/g, '')}`,
              observedAt: new Date(parseNaiveLocal(r.lastUpdated, 'Europe/London')).toISOString(),
              occupied: r.occupancy,
            })),
          },
        });
        expect(res.status).toBe(200);
        const body = await res.json();
        applied += body.applied + body.stale;
        duplicates += body.duplicates;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const distinct = new Set(readings.map((r) => `${r.code}|${r.lastUpdated}`)).size;
    expect(applied).toBe(distinct);
    expect(duplicates).toBe(deliveries.length - distinct);
    for (const code of codes) {
      const mine = readings.filter((r) => r.code === code);
      const latest = mine.reduce((a, b) => (b.lastUpdated > a.lastUpdated ? b : a));
      const lot = await t.deps.lots.get(slug(code), true);
      expect(lot?.occupied, code).toBe(latest.occupancy);
      expect(lot?.lastAt, code).toBe(parseNaiveLocal(latest.lastUpdated, 'Europe/London'));
    }
    // The report reproduces each car park's peak and first peak time, computed from the file.
    for (const code of codes) {
      const mine = readings.filter((r) => r.code === code);
      const peak = Math.max(...mine.map((r) => r.occupancy));
      const firstPeak = mine
        .filter((r) => r.occupancy === peak)
        .map((r) => parseNaiveLocal(r.lastUpdated, 'Europe/London'))
        .sort((a, b) => a - b)[0]!;
      const res = await t.request(
        `/v1/reports/utilization?bucket=day&from=2016-10-01&to=2016-12-31&lotId=${slug(code)}`,
        { headers: t.staff },
      );
      expect(res.status).toBe(200);
      const rows = (await res.json()).rows as { peakOccupied: number | null; peakAt: string | null }[];
      const reportPeak = Math.max(...rows.map((r) => r.peakOccupied ?? Number.NEGATIVE_INFINITY));
      const reportFirst = rows
        .filter((r) => r.peakOccupied === reportPeak)
        .map((r) => Date.parse(r.peakAt!))
        .sort((a, b) => a - b)[0];
      expect(reportPeak, code).toBe(peak);
      expect(new Date(reportFirst!).toISOString(), code).toBe(new Date(firstPeak).toISOString());
    }
    console.log(
      `[birmingham ${kind}] ${deliveries.length} deliveries (${distinct} distinct readings, ` +
        `${codes.length} car parks) replayed shuffled; every car park ends at its latest reading, and daily reports reproduce each one's peak and first peak time`,
    );
  }, 300_000);
});
