// Ingestion and history. The protocol (README "Ingestion guarantees"), without transactions so
// that the embedded store behaves exactly like AWS:
//  1. Read the lot item (strongly consistent); events in its `pending` map were applied already.
//  2. Look the others up in history (strongly consistent): there already → duplicate (or 409).
//     Fold the rest into the state and record them in `pending` with their bodies, writing the
//     lot item under a version condition (a lost race starts again at 1).
//  3. Write their bay items (newest report wins, conditionally) and history items (idempotent
//     puts of deterministic content), in that order: history present ⇒ bay item present.
//  4. A later write of the lot drops pending entries whose history item exists, and writes any
//     that are still missing after a grace period (a writer that died between 2 and 3).
// An event is therefore in history, or pending on the lot, or not applied at all: a retry
// after any failure finds it in one of those places and never applies it twice.
import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { BayLatest, ObservationKey } from '../domain/ingest';
import { foldIncoming } from '../domain/ingest-driver';
import { dataScope, type LotIncarnation } from '../domain/lot-incarnation';
import { type BayObservation, compareObservations, type Observation } from '../domain/observation';
import type { PendingEvent, StoredLot } from '../domain/stored-lot';
import { EventConflictError } from '../use-cases/errors';
import {
  type BayReport,
  type IngestOptions,
  type IngestOutcome,
  type ObservationsPort,
  REPLACED,
  type StoredObservation,
} from '../use-cases/ports';
import { batchGet, batchWrite } from './batch';
import { translated } from './errors';
import { bayPk, historySortKey, observationKey, observationPk, sortableTime } from './keys';
import type { DynamoLots } from './lots';
import { queryPages } from './query';
import { HISTORY_INDEX } from './table-design';

/** What the lot write decided: what to write to bays and history, where, and what to answer. */
interface Folded {
  write: StoredObservation[];
  outcomes: Map<string, IngestOutcome>;
  scope: string;
  generation: string;
}

/** Fingerprint of an observation's body: same id, different fingerprint → 409. */
export function fingerprint(o: Observation): string {
  const body =
    o.kind === 'count'
      ? [o.kind, o.observedAt, o.occupied]
      : o.kind === 'gate'
        ? [o.kind, o.observedAt, o.entries, o.exits]
        : [o.kind, o.observedAt, o.spaceId, o.state];
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 16);
}

export class DynamoObservations implements ObservationsPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly lots: DynamoLots,
  ) {}

  /**
   * Applies a batch to one lot. Returns null when the lot does not exist, REPLACED when it is not
   * the incarnation `options.generation` names. Throws EventConflictError (nothing applied) when
   * any event id was seen with another body.
   */
  async ingest(
    lotId: string,
    batch: readonly Observation[],
    options: IngestOptions,
  ): Promise<Map<string, IngestOutcome> | null | typeof REPLACED> {
    const { now } = options;
    const repairAfterMs = options.repairAfterMs ?? 10_000;
    const incoming = distinctInBatch(batch);

    // Fold into the lot under its version. The history lookup comes after the lot read on
    // purpose: an event dropped from `pending` has its history item written first, so an event
    // in neither place, seen in this order, has never been applied.
    const done = await this.lots.update<Folded | null | typeof REPLACED>(lotId, async (lot) => {
      if (lot === null) return { lot: null, result: null };
      if (options.generation !== undefined && lot.generation !== options.generation) {
        return { lot: null, result: REPLACED };
      }
      const scope = dataScope(lot);
      const outcomes = new Map<string, IngestOutcome>();
      const pending = { ...lot.pending };
      const write: StoredObservation[] = [];
      const unseen: Observation[] = [];
      for (const o of incoming.values()) {
        const entry = pending[o.eventId];
        if (entry === undefined) unseen.push(o);
        else if (entry.h !== fingerprint(o)) throw new EventConflictError(o.eventId);
        else {
          outcomes.set(o.eventId, 'duplicate');
          write.push(pendingToStored(entry)); // applied before; its history may not be written yet
        }
      }
      // One strongly consistent lookup answers both questions: which new events were applied
      // before (duplicates), and which pending events of earlier requests are in history by now.
      const earlier = Object.keys(pending).filter((id) => !incoming.has(id));
      const inHistory = await this.fetchHistory(scope, [...unseen.map((o) => o.eventId), ...earlier]);
      const fresh: Observation[] = [];
      for (const o of unseen) {
        const stored = inHistory.get(o.eventId);
        if (stored === undefined) fresh.push(o);
        else if (fingerprint(stored.observation) !== fingerprint(o)) throw new EventConflictError(o.eventId);
        else outcomes.set(o.eventId, 'duplicate');
      }

      // Pending events of earlier requests: forget those now in history, repair the stragglers.
      for (const id of earlier) {
        if (inHistory.has(id)) delete pending[id];
        else if (now - pending[id]!.r > repairAfterMs) write.push(pendingToStored(pending[id]!));
      }

      const bays = await this.latestBays(lot, fresh);
      const { state, outcomes: folded } = await foldIncoming(lot, fresh, bays, {
        after: (key) => this.appliedAfter(lot, key),
        all: () => this.appliedAfter(lot, null),
      });
      for (const o of fresh) {
        const outcome = folded.get(o.eventId)!;
        outcomes.set(o.eventId, outcome);
        pending[o.eventId] = { o: JSON.stringify(o), h: fingerprint(o), x: outcome, r: now };
        write.push({ observation: o, receivedAt: now });
      }

      const changed = fresh.length > 0 || Object.keys(pending).length !== Object.keys(lot.pending).length;
      const next: StoredLot = { ...lot, ...state, pending, updatedAt: now };
      if (fresh.length > 0) {
        // The rollups from the earliest new observation on are out of date (shared/store/rollups.ts).
        const earliest = Math.min(...fresh.map((o) => o.observedAt));
        next.rollupFrom = Math.min(lot.rollupFrom ?? earliest, earliest);
        next.rollupSeq = lot.rollupSeq + 1;
      }
      return { lot: changed ? next : null, result: { write, outcomes, scope, generation: lot.generation } };
    });
    if (done === null || done === REPLACED) return done;
    const { write: toWrite, outcomes, scope, generation } = done;

    // 3. Bays, then history, after the state: a crash here leaves the events pending, never lost.
    // Under the scope of the incarnation written: if the lot was deleted meanwhile, they land
    // where no later lot with this id looks.
    await this.writeBays(scope, toWrite);
    await this.writeHistory({ id: lotId, generation }, toWrite, options.retentionDays);
    return outcomes;
  }

  /**
   * The lot's history in observation-time order, `to` exclusive, one page at a time: `after` is
   * where the previous page ended (it must lie in [from, to)), `next` where this one did, if
   * more may follow.
   */
  async list(
    lot: LotIncarnation,
    from: number,
    to: number,
    page: { limit: number; after?: ObservationKey },
  ): Promise<{ observations: StoredObservation[]; next?: ObservationKey }> {
    const pk = observationPk(dataScope(lot));
    const { after } = page;
    const result: QueryCommandOutput = await translated('list history', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: HISTORY_INDEX.indexName,
          KeyConditionExpression: '#pk = :pk AND #hsk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': 'pk', '#hsk': HISTORY_INDEX.sortKey.name },
          ExpressionAttributeValues: {
            ':pk': { S: pk },
            ':from': { S: sortableTime(from) },
            // `to` is exclusive: the last instant before it, followed by any event id.
            ':to': { S: `${sortableTime(to - 1)}~` },
          },
          Limit: page.limit,
          ExclusiveStartKey: after
            ? marshall({
                ...observationKey(dataScope(lot), after.eventId),
                hsk: historySortKey(after.observedAt, after.eventId),
              })
            : undefined,
        }),
      ),
    );
    const last = result.LastEvaluatedKey ? unmarshall(result.LastEvaluatedKey) : undefined;
    return {
      observations: (result.Items ?? []).map(fromHistoryItem),
      ...(last ? { next: positionOf(last.hsk as string) } : {}),
    };
  }

  /**
   * The latest report of each bay the incoming observations mention: its bay item, unless an
   * event still pending on the lot is newer (its bay item may not be written yet).
   */
  private async latestBays(
    lot: StoredLot,
    incoming: readonly Observation[],
  ): Promise<Map<string, BayLatest>> {
    const spaceIds = [
      ...new Set(incoming.filter((o) => o.kind === 'bay').map((o) => (o as BayObservation).spaceId)),
    ];
    const latest = new Map<string, BayLatest>();
    if (spaceIds.length === 0) return latest;
    const items = await this.batchGet(
      spaceIds.map((spaceId) => marshall({ pk: bayPk(dataScope(lot)), sk: spaceId })),
    );
    for (const item of items) {
      const bay = unmarshall(item) as {
        sk: string;
        state: BayLatest['state'];
        observedAt: number;
        eventId: string;
      };
      latest.set(bay.sk, { state: bay.state, key: { observedAt: bay.observedAt, eventId: bay.eventId } });
    }
    for (const entry of Object.values(lot.pending)) {
      const o = JSON.parse(entry.o) as Observation;
      if (o.kind !== 'bay' || !spaceIds.includes(o.spaceId)) continue;
      const known = latest.get(o.spaceId);
      if (known === undefined || compareObservations(known.key, o) < 0) {
        latest.set(o.spaceId, { state: o.state, key: { observedAt: o.observedAt, eventId: o.eventId } });
      }
    }
    return latest;
  }

  async bays(lot: LotIncarnation, query: { limit: number; spaceId?: string }): Promise<BayReport[]> {
    const one = query.spaceId !== undefined;
    const page = await translated('read bays', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: one ? '#pk = :pk AND #sk = :sk' : '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk', ...(one ? { '#sk': 'sk' } : {}) },
          ExpressionAttributeValues: {
            ':pk': { S: bayPk(dataScope(lot)) },
            ...(one ? { ':sk': { S: query.spaceId! } } : {}),
          },
          Limit: query.limit,
          ConsistentRead: true,
        }),
      ),
    );
    return (page.Items ?? []).map((item) => {
      const bay = unmarshall(item) as { sk: string; state: BayReport['state']; observedAt: number };
      return { spaceId: bay.sk, state: bay.state, observedAt: bay.observedAt };
    });
  }

  /** Newest report wins: a bay item is only replaced by a report later in observation time. */
  private async writeBays(scope: string, items: readonly StoredObservation[]) {
    const bays = items.map((s) => s.observation).filter((o): o is BayObservation => o.kind === 'bay');
    await Promise.all(
      bays.map(async (o) => {
        try {
          await translated('bay write', () =>
            this.client.send(
              new PutItemCommand({
                TableName: this.tableName,
                Item: marshall({
                  pk: bayPk(scope),
                  sk: o.spaceId,
                  state: o.state,
                  observedAt: o.observedAt,
                  eventId: o.eventId,
                  order: historySortKey(o.observedAt, o.eventId),
                }),
                ConditionExpression: 'attribute_not_exists(#pk) OR #order <= :order',
                ExpressionAttributeNames: { '#pk': 'pk', '#order': 'order' },
                ExpressionAttributeValues: { ':order': { S: historySortKey(o.observedAt, o.eventId) } },
              }),
            ),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error; // a newer report is there
        }
      }),
    );
  }

  /** Everything already applied to the lot after `key` (or all of it): history plus pending events. */
  private async appliedAfter(lot: StoredLot, key: ObservationKey | null): Promise<Observation[]> {
    const found = new Map<string, Observation>();
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        IndexName: HISTORY_INDEX.indexName,
        KeyConditionExpression: key ? '#pk = :pk AND #hsk > :after' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk', ...(key ? { '#hsk': HISTORY_INDEX.sortKey.name } : {}) },
        ExpressionAttributeValues: {
          ':pk': { S: observationPk(dataScope(lot)) },
          ...(key ? { ':after': { S: historySortKey(key.observedAt, key.eventId) } } : {}),
        },
        ConsistentRead: true,
      },
      'history after',
    )) {
      for (const item of page.Items ?? []) {
        const { observation } = fromHistoryItem(item);
        found.set(observation.eventId, observation);
      }
    }
    for (const entry of Object.values(lot.pending)) {
      const { observation } = pendingToStored(entry);
      if (key === null || compareObservations(observation, key) > 0)
        found.set(observation.eventId, observation);
    }
    return [...found.values()];
  }

  private async fetchHistory(
    scope: string,
    eventIds: readonly string[],
  ): Promise<Map<string, StoredObservation>> {
    const items = await this.batchGet(eventIds.map((id) => marshall(observationKey(scope, id))));
    return new Map(items.map(fromHistoryItem).map((s) => [s.observation.eventId, s]));
  }

  /** Strongly consistent BatchGetItem; unprocessed keys are retried with backoff, never dropped. */
  private batchGet(keys: Record<string, AttributeValue>[]): Promise<Record<string, AttributeValue>[]> {
    return batchGet(this.client, this.tableName, keys, 'history read');
  }

  private async writeHistory(
    lot: LotIncarnation,
    items: readonly StoredObservation[],
    retentionDays: number,
  ) {
    const unique = new Map(items.map((s) => [s.observation.eventId, s]));
    const requests: WriteRequest[] = [...unique.values()].map((s) => ({
      PutRequest: { Item: toHistoryItem(lot, s, retentionDays) },
    }));
    // Unprocessed items are retried, never dropped; if they keep failing the events stay pending
    // on the lot and the next write there (or the sensor's retry) completes them.
    await batchWrite(this.client, this.tableName, requests, 'history write');
  }
}

function distinctInBatch(batch: readonly Observation[]): Map<string, Observation> {
  const distinct = new Map<string, Observation>();
  for (const o of batch) {
    const seen = distinct.get(o.eventId);
    if (seen === undefined) distinct.set(o.eventId, o);
    else if (fingerprint(seen) !== fingerprint(o)) throw new EventConflictError(o.eventId);
  }
  return distinct;
}

function pendingToStored(entry: PendingEvent): StoredObservation {
  return { observation: JSON.parse(entry.o) as Observation, receivedAt: entry.r };
}

function toHistoryItem(
  lot: LotIncarnation,
  s: StoredObservation,
  retentionDays: number,
): Record<string, AttributeValue> {
  const o = s.observation;
  return marshall(
    {
      ...observationKey(dataScope(lot), o.eventId),
      hsk: historySortKey(o.observedAt, o.eventId),
      lotId: lot.id,
      ...o,
      receivedAt: s.receivedAt,
      // TTL in epoch seconds, counted from arrival: a backfill of old data is kept as long as
      // live data, and its duplicates are recognised for as long as it is kept. `receivedAt` is
      // the first arrival's (a repair rewrites the pending entry's), so the item stays the same.
      expiresAt: Math.floor(s.receivedAt / 1000) + retentionDays * 86_400,
    },
    { removeUndefinedValues: true },
  );
}

export function fromHistoryItem(item: Record<string, AttributeValue>): StoredObservation {
  const raw = unmarshall(item);
  const base = { eventId: raw.eventId as string, observedAt: raw.observedAt as number };
  const observation: Observation =
    raw.kind === 'count'
      ? { ...base, kind: 'count', occupied: raw.occupied }
      : raw.kind === 'gate'
        ? { ...base, kind: 'gate', entries: raw.entries, exits: raw.exits }
        : { ...base, kind: 'bay', spaceId: raw.spaceId, state: raw.state };
  return { observation, receivedAt: raw.receivedAt as number };
}

/** The position a history sort key names (`<13-digit observedAt>#<eventId>`). */
function positionOf(hsk: string): ObservationKey {
  const hash = hsk.indexOf('#');
  return { observedAt: Number(hsk.slice(0, hash)), eventId: hsk.slice(hash + 1) };
}
