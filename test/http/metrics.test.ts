// What the app reports to operators: observation outcomes, rejected batches, nearby latency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependencies } from '../../shared/dependencies';
import { createApp } from '../../shared/http/app';
import { DynamoApiKeys } from '../../shared/store/api-keys';
import type { MetricName } from '../../shared/use-cases/ports';
import { refreshRollups } from '../../shared/use-cases/reports';
import { openStore, STAFF_SECRET, type TestStore, testClock } from '../support/stores';

describe('operational metrics', () => {
  let store: TestStore;
  const recorded: [MetricName, number][] = [];
  const clock = testClock();
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof createDependencies>;
  beforeAll(async () => {
    store = await openStore('dynalite');
    deps = createDependencies({
      client: store.client,
      tableName: store.tableName,
      now: clock.now,
      metrics: { count: (n, v) => recorded.push([n, v]), milliseconds: (n, v) => recorded.push([n, v]) },
    });
    await new DynamoApiKeys(store.client, store.tableName).ensureAdmin(STAFF_SECRET, clock.now(), true);
    app = createApp(deps);
  });
  afterAll(() => store.close());

  const headers = { authorization: `Bearer ${STAFF_SECRET}`, 'content-type': 'application/json' };
  const sum = (name: MetricName) => recorded.filter(([n]) => n === name).reduce((s, [, v]) => s + v, 0);

  it('counts applied, duplicate and stale observations, rejected batches and stale lots', async () => {
    const lot = {
      name: 'M',
      location: { lat: 52.48, lon: -1.9 },
      capacity: 10,
      type: 'surface',
      timeZone: 'UTC',
    };
    await app.request('/v1/lots/m', { method: 'PUT', headers, body: JSON.stringify(lot) });
    const post = (observations: unknown[]) =>
      app.request('/v1/lots/m/observations', {
        method: 'POST',
        headers,
        body: JSON.stringify({ observations }),
      });
    const t = (min: number) => new Date(clock.now() - min * 60_000).toISOString();
    await post([{ eventId: 'a', observedAt: t(1), occupied: 3 }]);
    await post([{ eventId: 'b', observedAt: t(5), occupied: 4 }]); // older than the count applied
    await post([{ eventId: 'a', observedAt: t(1), occupied: 3 }]);
    await post([{ eventId: 'c', observedAt: 'not a time', occupied: 3 }]);
    expect([sum('ObservationsApplied'), sum('ObservationsStale'), sum('ObservationsDuplicate')]).toEqual([
      1, 1, 1,
    ]);
    expect(sum('BatchesRejected')).toBe(1);

    await app.request('/v1/lots/nearby?lat=52.48&lon=-1.9');
    expect(recorded.some(([n, v]) => n === 'NearbyLatency' && v >= 0)).toBe(true);

    clock.advance(2 * 3_600_000);
    const result = await refreshRollups(deps);
    expect(result.staleLots).toBe(1);
    expect(sum('StaleLots')).toBe(1);
  });
});
