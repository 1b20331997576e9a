// The directory of non-empty cells (shared/store/cells.ts) on both stores: it lists a partition
// before any lot is written into it, a table from before it existed is searched in full until two
// fill passes complete it, and pruning removes emptied cells without ever racing a writer.
import { DeleteItemCommand, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { getDistance } from 'geolib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeSpaces, matchesNearby } from '../../shared/domain/lot';
import { loadOpeningHours } from '../../shared/domain/opening-hours';
import type { StoredLot } from '../../shared/domain/stored-lot';
import { partitionOf } from '../../shared/geo';
import { FILL_PASS_GAP_MS, PRUNE_AFTER_MS } from '../../shared/store/cells';
import { cellDirectoryStateKey, cellKey } from '../../shared/store/keys';
import { toLotItem } from '../../shared/store/lot-item';
import { DynamoLots } from '../../shared/store/lots';
import { maintainCellDirectory } from '../../shared/use-cases/cell-directory';
import { findNearby } from '../../shared/use-cases/find-nearby';
import { offset, syntheticCity, writeItems } from '../support/city';
import { countStoreCalls, type StoreCalls } from '../support/store-calls';
import { openApp, storeKinds } from '../support/stores';

/** The evaluator the domain takes for opening hours, loaded once (shared/domain/opening-hours.ts). */
const hours = await loadOpeningHours();

const NOW = Date.parse('2026-11-23T10:00:00Z');
const BIRMINGHAM = { lat: 52.48, lon: -1.9 };

const lotBody = (location: { lat: number; lon: number }) => ({
  name: 'Lot',
  location,
  capacity: 40,
  type: 'surface',
  features: [],
  timeZone: 'Europe/London',
});

describe.each(storeKinds())('directory of non-empty cells on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let calls: StoreCalls;
  beforeAll(async () => {
    t = await openApp(kind);
    t.clock.set(NOW);
    calls = countStoreCalls(t.store.client);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const cellItem = async (partition: string) =>
    (
      await t.store.client.send(
        new GetItemCommand({
          TableName: t.store.tableName,
          Key: { pk: { S: cellKey(partition).pk }, sk: { S: cellKey(partition).sk } },
          ConsistentRead: true,
        }),
      )
    ).Item;
  /** Index in the call log of the first write of `pk`/`sk` by `command`, or -1. */
  const written = (command: string, pk: string, sk?: string) =>
    calls.log.findIndex((c) => c.command === command && c.pk === pk && (sk === undefined || c.sk === sk));

  it('lists a partition before the lot that enters it, on a create and on a move, and not on an update in place', async () => {
    const here = { lat: 52.4797, lon: -1.9026 };
    const there = offset(here, 12_000, 1); // another geohash-5
    expect(partitionOf(there)).not.toBe(partitionOf(here));

    calls.reset();
    expect(
      (await t.request('/v1/lots/dir-a', { method: 'PUT', headers: t.staff, json: lotBody(here) })).status,
    ).toBe(201);
    const touch = written('UpdateItem', 'CELLS', partitionOf(here));
    expect(touch).toBeGreaterThanOrEqual(0);
    expect(touch).toBeLessThan(written('PutItem', 'LOT#dir-a'));
    expect(await cellItem(partitionOf(here))).toBeDefined();

    calls.reset();
    const moved = await t.request('/v1/lots/dir-a', {
      method: 'PATCH',
      headers: t.staff,
      json: { location: there },
    });
    expect(moved.status).toBe(200);
    const moveTouch = written('UpdateItem', 'CELLS', partitionOf(there));
    expect(moveTouch).toBeGreaterThanOrEqual(0);
    expect(moveTouch).toBeLessThan(written('PutItem', 'LOT#dir-a'));

    calls.reset();
    await t.request('/v1/lots/dir-a', { method: 'PATCH', headers: t.staff, json: { capacity: 41 } });
    await t.request('/v1/lots/dir-a/observations', {
      method: 'POST',
      headers: t.staff,
      json: { observations: [{ eventId: 'd1', observedAt: '2026-11-23T09:59:00Z', occupied: 3 }] },
    });
    expect(written('PutItem', 'LOT#dir-a')).toBeGreaterThanOrEqual(0);
    expect(written('UpdateItem', 'CELLS')).toBe(-1); // the hot path pays nothing
  });

  it('searches a table from before the directory in full until two fill passes a minute apart complete it', async () => {
    // A table an earlier version wrote: lots, no cells, no directory state.
    const o = await openApp(kind);
    try {
      o.clock.set(NOW);
      await o.store.client.send(
        new DeleteItemCommand({
          TableName: o.store.tableName,
          Key: { pk: { S: cellDirectoryStateKey.pk }, sk: { S: cellDirectoryStateKey.sk } },
        }),
      );
      const old = syntheticCity({ lots: 60, seed: 5, now: NOW, centre: BIRMINGHAM, spread: 45_000 });
      await writeItems(o.store.client, o.store.tableName, old.map(toLotItem));
      const search = () =>
        findNearby(o.deps, {
          center: BIRMINGHAM,
          radius: 50_000,
          limit: 100,
          minFree: 0,
          features: [],
          includeStale: true,
        });
      const expectAll = async (lots: readonly StoredLot[]) => {
        const { lots: got, stats } = await search();
        const want = lots
          .map((lot) => ({ lot, d: getDistance(BIRMINGHAM, lot.location) }))
          .filter(
            ({ lot, d }) =>
              d <= 50_000 && matchesNearby(lot, NOW, { minFree: 0, features: [], includeStale: true }, hours),
          )
          .sort(
            (a, b) =>
              a.d - b.d ||
              (freeSpaces(b.lot) ?? 0) - (freeSpaces(a.lot) ?? 0) ||
              (a.lot.id < b.lot.id ? -1 : 1),
          )
          .map(({ lot }) => lot.id);
        expect(got.map((l) => l.id)).toEqual(want.slice(0, 100));
        return stats;
      };
      // Until the directory is complete, every partition of the cover is read (and still capped).
      let stats = await expectAll(old);
      const fullCover = stats.requests;
      expect(stats.directoryRequests).toBe(0);
      expect(fullCover).toBeGreaterThan(500);

      expect((await maintainCellDirectory(o.deps)).directory).toBe('filling');
      stats = await expectAll(old);
      expect(stats.directoryRequests).toBe(0);

      // The earlier version, still running for a moment, writes a lot into a partition of its own.
      const late: StoredLot = {
        ...old[0]!,
        id: 'late-writer',
        location: offset(BIRMINGHAM, 38_000, 4),
        closed: false,
        occupied: 0,
        lastAt: NOW - 60_000,
      };
      expect(old.some((l) => partitionOf(l.location) === partitionOf(late.location))).toBe(false);
      await writeItems(o.store.client, o.store.tableName, [toLotItem(late)]);

      o.clock.advance(FILL_PASS_GAP_MS - 1000);
      expect((await maintainCellDirectory(o.deps)).directory).toBe('filling'); // too soon for the second pass
      o.clock.advance(2000);
      expect((await maintainCellDirectory(o.deps)).directory).toBe('complete');

      stats = await expectAll([...old, late]);
      expect(stats.directoryRequests).toBeGreaterThan(0);
      expect(stats.requests).toBeLessThan(fullCover / 3);
      const { lots: got } = await findNearby(o.deps, {
        center: late.location,
        radius: 50_000,
        limit: 1,
        minFree: 0,
        features: [],
        includeStale: true,
      });
      expect(got.map((l) => l.id)).toEqual(['late-writer']);
      expect((await maintainCellDirectory(o.deps)).directory).toBe('complete');
    } finally {
      await o.close();
    }
  });

  it('prunes a cell whose lots are gone once untouched for an hour, and keeps cells in use', async () => {
    const lots = new DynamoLots(t.store.client, t.store.tableName);
    const gone = offset(BIRMINGHAM, 25_000, 2);
    const kept = offset(BIRMINGHAM, 25_000, 4);
    t.clock.set(NOW);
    await t.request('/v1/lots/prune-gone', { method: 'PUT', headers: t.staff, json: lotBody(gone) });
    await t.request('/v1/lots/prune-kept', { method: 'PUT', headers: t.staff, json: lotBody(kept) });
    expect((await t.request('/v1/lots/prune-gone', { method: 'DELETE', headers: t.staff })).status).toBe(204);

    await lots.pruneCellDirectory(NOW + PRUNE_AFTER_MS - 60_000, { slots: 1 });
    expect(await cellItem(partitionOf(gone))).toBeDefined(); // touched within the hour: left alone

    const result = await lots.pruneCellDirectory(NOW + PRUNE_AFTER_MS + 60_000, { slots: 1 });
    expect(result.pruned).toBeGreaterThanOrEqual(1);
    expect(await cellItem(partitionOf(gone))).toBeUndefined();
    expect(await cellItem(partitionOf(kept))).toBeDefined();
    // A wide box listing (it reads the directory) still finds what is there.
    const { candidates, stats } = await lots.inCircleWithStats(kept, 40_000);
    expect(stats.directoryRequests).toBeGreaterThan(0);
    expect(candidates.map((l) => l.id)).toContain('prune-kept');
  });

  it('keeps a cell that a writer touches between the check and the delete', async () => {
    const lots = new DynamoLots(t.store.client, t.store.tableName);
    const place = offset(BIRMINGHAM, 33_000, 5.5);
    const partition = partitionOf(place);
    t.clock.set(NOW);
    await t.request('/v1/lots/race', { method: 'PUT', headers: t.staff, json: lotBody(place) });
    await t.request('/v1/lots/race', { method: 'DELETE', headers: t.staff });
    // Just before the prune's delete goes out, a writer touches the cell (to create a lot there).
    let raced = 0;
    t.store.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: { pk?: { S?: string }; sk?: { S?: string } } };
        if (context.commandName === 'DeleteItemCommand' && input.Key?.pk?.S === 'CELLS' && raced === 0) {
          raced++;
          await t.store.client.send(
            new UpdateItemCommand({
              TableName: t.store.tableName,
              Key: { pk: { S: 'CELLS' }, sk: { S: input.Key.sk?.S ?? '' } },
              UpdateExpression: 'SET #t = :t ADD #n :one',
              ExpressionAttributeNames: { '#t': 'touchedAt', '#n': 'touches' },
              ExpressionAttributeValues: {
                ':t': { N: String(NOW + 2 * PRUNE_AFTER_MS) },
                ':one': { N: '1' },
              },
            }),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'racingWriter' },
    );
    try {
      const result = await lots.pruneCellDirectory(NOW + 2 * PRUNE_AFTER_MS, { slots: 1 });
      expect(raced).toBe(1);
      expect(result.pruned).toBe(0);
      expect(await cellItem(partition)).toBeDefined();
    } finally {
      t.store.client.middlewareStack.remove('racingWriter');
    }
  });

  it('checks each old cell once in the twelve 5-minute prune slots of an hour', async () => {
    const lots = new DynamoLots(t.store.client, t.store.tableName);
    const partitions = [
      ...new Set(Array.from({ length: 30 }, (_, i) => partitionOf(offset(BIRMINGHAM, 2000 + i * 1500, i)))),
    ];
    for (const p of partitions) {
      await t.store.client.send(
        new UpdateItemCommand({
          TableName: t.store.tableName,
          Key: { pk: { S: 'CELLS' }, sk: { S: p } },
          UpdateExpression: 'SET #t = :t ADD #n :one',
          ExpressionAttributeNames: { '#t': 'touchedAt', '#n': 'touches' },
          ExpressionAttributeValues: { ':t': { N: String(NOW) }, ':one': { N: '1' } },
        }),
      );
    }
    const later = NOW + 10 * PRUNE_AFTER_MS;
    const perSlot: number[] = [];
    for (let slot = 0; slot < 12; slot++) {
      perSlot.push((await lots.pruneCellDirectory(later + slot * 5 * 60_000)).checked);
    }
    // Spread over the slots, not all at once, and every one of them checked (and gone) in the hour.
    expect(Math.max(...perSlot)).toBeLessThan(partitions.length);
    for (const p of partitions) {
      if (p === partitionOf(offset(BIRMINGHAM, 25_000, 4))) continue; // prune-kept still lives there
      expect(await cellItem(p), p).toBeUndefined();
    }
  });
});
