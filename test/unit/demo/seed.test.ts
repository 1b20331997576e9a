// The demo cities local mode seeds (shared/demo/seed.ts, DEMO_CITY): Birmingham as before, and
// Hangzhou generated the same way, with Chinese names, in Asia/Shanghai, on land near the centre.
import { describe, expect, it } from 'vitest';
import { BIRMINGHAM, DEMO_CITIES, HANGZHOU } from '../../../shared/demo/cities';
import { demoLots, demoObservations } from '../../../shared/demo/seed';
import { lotNameProblem } from '../../../shared/domain/lot-name';
import { metresBetween } from '../../../shared/geo';

describe('demo cities', () => {
  it.each(
    Object.entries(DEMO_CITIES),
  )('%s: 120 distinct lots within 6.5 km of the centre, none on water', (_, city) => {
    const lots = demoLots(120, undefined, city);
    expect(lots).toHaveLength(120);
    expect(new Set(lots.map((l) => l.id)).size).toBe(120);
    for (const { id, input } of lots) {
      expect(id).toMatch(/^demo-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(lotNameProblem(input.name), input.name).toBeUndefined();
      expect(input.timeZone).toBe(city.timeZone);
      expect(city.zones).toContain(input.zone);
      expect(metresBetween(city.centre, input.location)).toBeLessThanOrEqual(6500 + 1);
      for (const water of city.water) {
        expect(metresBetween(water, input.location), `${input.name} is in the water`).toBeGreaterThanOrEqual(
          water.radiusMetres,
        );
      }
    }
  });

  it('Hangzhou: Chinese names in Asia/Shanghai around Wulin Square, nothing of Birmingham', () => {
    const lots = demoLots(120, undefined, HANGZHOU);
    for (const { input } of lots) {
      expect(input.name).toMatch(/^\p{Script=Han}+(P\+R\p{Script=Han}+)?$/u);
      expect(input.timeZone).toBe('Asia/Shanghai');
    }
    expect(JSON.stringify(lots)).not.toMatch(/Birmingham|Europe\/London|Street/);
    // The same generator: the same seed gives the same city, another seed another one.
    expect(demoLots(120, undefined, HANGZHOU)).toEqual(lots);
    expect(demoLots(120, 1, HANGZHOU)).not.toEqual(lots);
  });

  it('Birmingham: the default city, in Europe/London, with English names', () => {
    const lots = demoLots();
    expect(demoLots(120, undefined, BIRMINGHAM)).toEqual(lots);
    expect(lots[0]?.input.timeZone).toBe('Europe/London');
    expect(lots.every((l) => !/\p{Script=Han}/u.test(l.input.name))).toBe(true);
  });

  it('occupancy follows the lot’s own clock: a Hangzhou lot is quiet at 03:00 Shanghai time', () => {
    const lots = demoLots(120, undefined, HANGZHOU);
    // 03:00 in Shanghai is 19:00 UTC the day before; noon in Shanghai is 04:00 UTC.
    const night = demoObservations(lots, Date.parse('2026-12-08T19:00:00Z'), 3);
    const noon = demoObservations(lots, Date.parse('2026-12-09T04:00:00Z'), 3);
    const share = (obs: typeof night) => {
      let occupied = 0;
      let capacity = 0;
      for (const lot of lots) {
        const o = obs.get(lot.id)?.[0];
        if (o?.kind !== 'count') continue;
        occupied += o.occupied;
        capacity += lot.input.capacity;
      }
      return occupied / capacity;
    };
    expect(share(night)).toBeLessThan(0.35);
    expect(share(noon)).toBeGreaterThan(0.6);
  });
});
