// The opening-hours evaluator is imported on first use (shared/domain/opening-hours.ts): a request
// that evaluated hours before the import finished would see every lot as always open. So each case
// here starts from a fresh module graph, as a fresh Lambda container does, and its very first
// evaluating request is on a lot that is closed by its hours now. The lots are written straight into
// the table, so nothing evaluates hours before that request.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoredLot } from '../../shared/domain/stored-lot';
import { syntheticCity, writeLots } from '../support/city';
import type { StoreKind } from '../support/stores';
import { storeKinds } from '../support/stores';

const NOW = Date.parse('2026-11-23T10:00:00Z'); // a Monday, 10:00 in London
const HOURS = 'Mo-Su 12:00-20:00'; // closed at NOW, opens at noon

/** A fresh copy of every module of ours (the evaluator not loaded), an app over a new table, two lots beside each other. */
async function freshApp(kind: StoreKind) {
  vi.resetModules();
  const stores = await import('../support/stores');
  const hoursModule = await import('../../shared/domain/opening-hours');
  const t = await stores.openApp(kind, stores.testClock(NOW));
  const [a, b] = syntheticCity({ lots: 2, seed: 19, now: NOW });
  const base = { closed: false, occupied: 10, capacity: 100, lastAt: NOW - 60_000, location: a!.location };
  const withHours: StoredLot = { ...a!, ...base, id: 'with-hours', openingHours: HOURS };
  const without: StoredLot = { ...b!, ...base, id: 'no-hours', openingHours: undefined };
  await writeLots(t.store.client, t.store.tableName, [withHours, without]);
  return { t, loaded: hoursModule.openingHoursLoaded, location: base.location };
}

describe.each(storeKinds())('the first request of a fresh app on a lot with hours, on %s', (kind) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('GET /health leaves the evaluator unloaded; GET /v1/lots/{id} then answers closed, with opensAt', async () => {
    const { t, loaded } = await freshApp(kind);
    close = t.close;
    expect((await t.request('/health')).status).toBe(200);
    expect(loaded()).toBe(false);
    const res = await t.request('/v1/lots/with-hours');
    expect(res.status).toBe(200);
    const lot = await res.json();
    expect(lot).toMatchObject({ status: 'closed', opensAt: '2026-11-23T12:00:00.000Z', closesAt: null });
    expect(loaded()).toBe(true);
    expect(t.errors).toEqual([]);
  });

  it('nearby, as the first request, leaves out the lot its hours close and lists its neighbour', async () => {
    const { t, loaded, location } = await freshApp(kind);
    close = t.close;
    expect(loaded()).toBe(false);
    const res = await t.request(
      `/v1/lots/nearby?lat=${location.lat}&lon=${location.lon}&radius=1000&minFree=0`,
    );
    expect(res.status).toBe(200);
    const ids = ((await res.json()).lots as { id: string }[]).map((l) => l.id);
    expect(ids).toEqual(['no-hours']);
    expect(t.errors).toEqual([]);
  });

  it('the bbox listing, as the first request, shows the lot closed', async () => {
    const { t, loaded, location } = await freshApp(kind);
    close = t.close;
    expect(loaded()).toBe(false);
    const { lat, lon } = location;
    const bbox = [lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01].join(',');
    const res = await t.request(`/v1/lots?bbox=${bbox}`);
    expect(res.status).toBe(200);
    const lots = (await res.json()).lots as { id: string; status: string }[];
    expect(Object.fromEntries(lots.map((l) => [l.id, l.status]))).toEqual({
      'with-hours': 'closed',
      'no-hours': 'available',
    });
  });
});
