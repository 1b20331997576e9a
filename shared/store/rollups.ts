// Utilization rollups: per lot and UTC day, the summaries of its 96 quarter hours (README
// "Utilization reports"), plus the fold state at the day's end so the next day can be built
// without reading older history. Reports combine quarters into local hours and days (every
// offset since 1979 is a whole number of quarter hours; older edges are summarized from the exact
// steps), so a 30-day report reads about 31 items per lot, however much history there is.
//
// Rollups are derived data, rebuilt idempotently from history: ingestion marks the lot's
// `rollupFrom` (the earliest observation time not yet rolled up) in the same conditional write
// that changes its state; `rebuild` folds history from that day on and clears the mark unless
// new observations came in meanwhile (rollupSeq). Late and out-of-order data just move the mark back.
// A rebuild's cost follows the data: it visits only the days that hold an observation or some
// covered time, so one observation from 1970 does not make it walk every day since.
import { randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dataScope, type LotIncarnation } from '../domain/lot-incarnation';
import {
  type BayState,
  compareObservations,
  emptyReplayState,
  type Observation,
  type OccupancyStep,
  step,
} from '../domain/observation';
import { Pacer } from '../domain/pacer';
import type { StoredLot } from '../domain/stored-lot';
import { TIME_DOMAIN } from '../domain/time-domain';
import {
  type PackedSummary,
  packSummary,
  QUARTER_MS,
  stepsUpTo,
  summarize,
} from '../domain/utilization/summary';
import type { PackedPeak } from '../domain/utilization/zone-quarters';
import { HistoryBudgetError } from '../use-cases/errors';
import type { DayRollup, ReadStats, RollupsPort, ZoneDayRollup } from '../use-cases/ports';
import { batchWrite } from './batch';
import { translated } from './errors';
import { lotKey, observationPk, rollupPk, sortableTime, utcDay, zoneRollupPk } from './keys';
import { fromHistoryItem } from './observations';
import { queryPages } from './query';
import { HISTORY_INDEX } from './table-design';

export { QUARTER_MS };

const DAY_MS = 86_400_000;
const HISTORY_PAGE_ITEMS = 1000;
const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const QUARTERS = 96;

/** What the next day starts from. */
interface CarryState {
  occupied: number;
  bays: [string, BayState][];
  step: OccupancyStep;
}

export class DynamoRollups implements RollupsPort {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Brings the lot's rollups up to date if observations arrived since the last build; returns the
   * UTC days (day-start instants) it rewrote, whose zone rollups are then out of date.
   */
  async ensureFresh(lot: StoredLot, stats: ReadStats): Promise<number[]> {
    if (lot.rollupFrom === null) return [];
    const days = await this.rebuild(lot, lot.rollupFrom, stats);
    await this.clearMark(lot);
    return days;
  }

  /**
   * Rebuilds the days from the one holding `fromMs` on that hold an observation or covered time
   * (a mark of 0, after a capacity change, means the lot's whole history).
   */
  async rebuild(lot: StoredLot, fromMs: number, stats: ReadStats): Promise<number[]> {
    const staleMs = lot.staleAfterSeconds * 1000;
    const firstDay = dayStart(Math.max(TIME_DOMAIN.start, fromMs));
    const carry = await this.carryBefore(dataScope(lot), utcDay(firstDay), stats);
    const history = await this.historyFrom(dataScope(lot), firstDay, stats);
    if (history.length === 0 && carry === null) return [];
    // Every item this rebuild writes carries its stamp: a zone rollup records the stamps of the
    // lot rollups it was built beside, and is valid only while they are still those.
    const build = randomBytes(9).toString('base64url');
    const written: number[] = [];
    const pacer = new Pacer();
    const { steps, endStates } = await fold(carry, history, pacer);
    const params = { capacity: lot.capacity, staleAfterMs: staleMs };

    const writes: WriteRequest[] = [];
    let end: CarryState | null = carry;
    let nextEnd = 0; // endStates are in day order: the next one not yet passed
    for (const day of daysWithData(steps, staleMs, firstDay)) {
      if (pacer.due()) await pacer.pause();
      stats.daysRebuilt = (stats.daysRebuilt ?? 0) + 1;
      // The fold state at the end of this day: that of the last day with observations up to it.
      while (nextEnd < endStates.length && endStates[nextEnd]!.day <= day) end = endStates[nextEnd++]!.state;
      const quarters: PackedSummary[] = [];
      let any = false;
      for (let q = 0; q < QUARTERS; q++) {
        const qs = day + q * QUARTER_MS;
        const summary = summarize(steps, params, qs, qs + QUARTER_MS);
        if (summary.coveredMs > 0 || summary.observations > 0) any = true;
        quarters.push(packSummary(summary));
      }
      // Days with nothing covered and nothing observed need no item: reports read them as empty.
      if (!any) continue;
      written.push(day);
      writes.push({
        PutRequest: {
          Item: marshall({
            pk: rollupPk(dataScope(lot)),
            sk: utcDay(day),
            q: JSON.stringify(quarters),
            end: JSON.stringify(end),
            capacity: lot.capacity,
            staleAfterSeconds: lot.staleAfterSeconds,
            b: build,
          }),
        },
      });
    }
    await this.batchWrite(writes);
    return written;
  }

  /** Rollups of the UTC days from `fromDay` to `toDay` (inclusive) that have any. */
  async read(
    lot: LotIncarnation,
    fromDay: string,
    toDay: string,
    stats: ReadStats,
  ): Promise<Map<string, DayRollup>> {
    const days = new Map<string, DayRollup>();
    const items = this.dayItems(rollupPk(dataScope(lot)), fromDay, toDay, stats, 'read rollups', false);
    for await (const item of items) {
      const raw = item as { sk: string; q: string; b?: string };
      days.set(raw.sk, { day: raw.sk, quarters: JSON.parse(raw.q) as PackedSummary[], build: raw.b ?? '' });
    }
    return days;
  }

  /** The items of one partition keyed by UTC day, from `fromDay` to `toDay` inclusive, counted as read. */
  private async *dayItems(
    pk: string,
    fromDay: string,
    toDay: string,
    stats: ReadStats,
    what: string,
    consistent: boolean,
  ): AsyncGenerator<Record<string, unknown>> {
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': { S: pk }, ':from': { S: fromDay }, ':to': { S: toDay } },
        ...(consistent ? { ConsistentRead: true } : {}),
      },
      what,
    )) {
      stats.itemsRead += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) yield unmarshall(item);
    }
  }

  /** A zone's rollups of the UTC days from `fromDay` to `toDay` (inclusive) that have any. */
  async readZone(
    zone: string,
    fromDay: string,
    toDay: string,
    stats: ReadStats,
  ): Promise<Map<string, ZoneDayRollup>> {
    const days = new Map<string, ZoneDayRollup>();
    const items = this.dayItems(zoneRollupPk(zone), fromDay, toDay, stats, 'read zone rollups', true);
    for await (const item of items) {
      const raw = item as { sk: string; m: string; q: string };
      days.set(raw.sk, {
        day: raw.sk,
        members: JSON.parse(raw.m) as [string, string | null][],
        quarters: JSON.parse(raw.q) as PackedPeak[],
      });
    }
    return days;
  }

  /** Writes zone rollups (idempotent puts: a later build of the same day replaces it). */
  async writeZone(zone: string, days: readonly ZoneDayRollup[]): Promise<void> {
    await this.batchWrite(
      days.map((d) => ({
        PutRequest: {
          Item: marshall({
            pk: zoneRollupPk(zone),
            sk: d.day,
            m: JSON.stringify(d.members),
            q: JSON.stringify(d.quarters),
          }),
        },
      })),
    );
  }

  /**
   * The exact step function of a lot from `from` to `to` (with the step carried in at `from`):
   * the fold state at the start of from's UTC day, from the rollups, plus raw history since.
   * Reports use it for range bounds inside a quarter hour and for zones' summed peaks.
   */
  async stepsBetween(
    lot: LotIncarnation,
    from: number,
    to: number,
    stats: ReadStats,
    maxObservations?: number,
  ): Promise<OccupancyStep[]> {
    const carry = await this.carryBefore(dataScope(lot), utcDay(from), stats);
    const history = await this.historyFrom(dataScope(lot), dayStart(from), stats, to, maxObservations);
    const { steps } = await fold(carry, history, new Pacer());
    const first = stepAtOrBefore(steps, from);
    return steps.filter((s) => s.at >= from || s === first);
  }

  private async carryBefore(scope: string, day: string, stats: ReadStats): Promise<CarryState | null> {
    const page = await translated('read rollup', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND #sk < :day',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': { S: rollupPk(scope) }, ':day': { S: day } },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    stats.itemsRead += page.ScannedCount ?? 0;
    const item = page.Items?.[0];
    if (!item) return null;
    const end = JSON.parse((unmarshall(item) as { end: string }).end) as CarryState | null;
    return end;
  }

  private async historyFrom(
    scope: string,
    from: number,
    stats: ReadStats,
    to?: number,
    maxObservations = Number.POSITIVE_INFINITY,
  ): Promise<Observation[]> {
    const found: Observation[] = [];
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        IndexName: HISTORY_INDEX.indexName,
        KeyConditionExpression:
          to === undefined ? '#pk = :pk AND #hsk >= :from' : '#pk = :pk AND #hsk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': 'pk', '#hsk': HISTORY_INDEX.sortKey.name },
        ExpressionAttributeValues: {
          ':pk': { S: observationPk(scope) },
          ':from': { S: sortableTime(Math.max(0, from)) },
          ...(to === undefined ? {} : { ':to': { S: `${sortableTime(to - 1)}~` } }),
        },
        ConsistentRead: true,
        // A full 1 MB page is ~4,000 observations parsed in one go: smaller pages keep each
        // stretch of parsing short, so other requests are served in between (README "Limits").
        Limit: HISTORY_PAGE_ITEMS,
      },
      'read history',
    )) {
      stats.rawObservationsRead += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) found.push(fromHistoryItem(item).observation);
      // Pages of 1,000: a budgeted read stops within one page of its budget.
      if (found.length > maxObservations) throw new HistoryBudgetError(maxObservations);
    }
    return found;
  }

  private async clearMark(lot: StoredLot) {
    try {
      await translated('clear rollup mark', () =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: marshall(lotKey(lot.id)),
            UpdateExpression: 'REMOVE #from',
            // Only if no observation came in since this lot was read, and it is the same
            // incarnation (a re-created lot's sequence restarts): otherwise keep the mark.
            ConditionExpression: `#seq = :seq AND ${
              lot.generation === '' ? 'attribute_not_exists(#generation)' : '#generation = :generation'
            }`,
            ExpressionAttributeNames: {
              '#from': 'rollupFrom',
              '#seq': 'rollupSeq',
              '#generation': 'generation',
            },
            ExpressionAttributeValues: {
              ':seq': { N: String(lot.rollupSeq) },
              ...(lot.generation === '' ? {} : { ':generation': { S: lot.generation } }),
            },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private batchWrite(requests: WriteRequest[]) {
    return batchWrite(this.client, this.tableName, requests, 'write rollups');
  }
}

/**
 * Folds history (any order) on top of a carried state: one step per observation, as replay()
 * does, and the state at the end of each UTC day that has observations (copied once per day, not
 * once per observation: a lot with thousands of bays would otherwise cost bays × observations).
 */
async function fold(carry: CarryState | null, history: Observation[], pacer: Pacer) {
  const state = emptyReplayState();
  const steps: OccupancyStep[] = [];
  if (carry) {
    state.occupied = carry.occupied;
    for (const [id, s] of carry.bays) state.bays.set(id, s);
    steps.push(carry.step);
  }
  const endStates: { day: number; state: CarryState }[] = [];
  const ordered = [...history].sort(compareObservations); // already in order from the index: linear
  for (let i = 0; i < ordered.length; i++) {
    if ((i & 1023) === 0 && pacer.due()) await pacer.pause();
    const o = ordered[i]!;
    steps.push({ at: o.observedAt, occupied: step(state, o), eventId: o.eventId });
    const day = dayStart(o.observedAt);
    const next = ordered[i + 1];
    if (next === undefined || dayStart(next.observedAt) !== day) {
      endStates.push({
        day,
        state: { occupied: state.occupied, bays: [...state.bays], step: steps.at(-1)! },
      });
    }
  }
  return { steps, endStates };
}

/**
 * The UTC days (as day-start instants, ascending, from `firstDay` on) that hold an observation or
 * some covered time: each step covers [at, min(next step, at + staleAfter)). Days between two
 * steps further apart than that have nothing to summarize, so they are jumped over.
 */
export function* daysWithData(
  steps: readonly OccupancyStep[],
  staleAfterMs: number,
  firstDay: number,
): Generator<number> {
  let next = firstDay; // the first day not yet given
  for (let i = 0; i < steps.length; i++) {
    const at = steps[i]!.at;
    const until = Math.min(steps[i + 1]?.at ?? Number.POSITIVE_INFINITY, at + staleAfterMs);
    const last = until > at ? dayStart(until - 1) : dayStart(at);
    for (let day = Math.max(next, dayStart(at)); day <= last; day += DAY_MS) yield day;
    next = Math.max(next, last + DAY_MS);
  }
}

function stepAtOrBefore(steps: readonly OccupancyStep[], t: number): OccupancyStep | null {
  const count = stepsUpTo(steps, t);
  return count === 0 ? null : steps[count - 1]!;
}
