// Utilization rollups: per lot and UTC day, the §4.1 summaries of its 96 quarter hours, plus the
// fold state at the day's end so the next day can be built without reading older history.
// Reports combine quarters into local hours and days in any zone (every real offset is a multiple
// of 15 minutes), so a 30-day report reads about 31 items per lot, however much history there is.
//
// Rollups are derived data, rebuilt idempotently from history: ingestion marks the lot's
// `rollupFrom` (the earliest observation time not yet rolled up) in the same conditional write
// that changes its state; `rebuild` folds history from that day on and clears the mark unless
// new observations came in meanwhile (rollupSeq). Late and out-of-order data just move the mark back.
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type BayState,
  compareObservations,
  emptyReplayState,
  type Observation,
  type OccupancyStep,
  step,
} from '../domain/observation';
import { EMPTY_SUMMARY, type Summary, stepsUpTo, summarize } from '../domain/utilization/summary';
import { StoreUnavailableError, translated } from './errors';
import {
  dataScope,
  type LotIncarnation,
  lotKey,
  observationPk,
  rollupPk,
  sortableTime,
  utcDay,
} from './keys';
import type { StoredLot } from './lot-item';
import { fromHistoryItem } from './observations';
import { queryPages } from './query';
import { HISTORY_INDEX } from './table-design';

export const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const QUARTERS = 96;

export interface Quarter {
  summary: Summary;
}

export interface DayRollup {
  day: string;
  quarters: Quarter[];
}

/** What the next day starts from. */
interface CarryState {
  occupied: number;
  bays: [string, BayState][];
  step: OccupancyStep;
}

type Packed = [number, number, number, number | null, number | null, number | null, number | null, number];

/** A quarter's summary as a compact array; 0 for an empty quarter. */
function pack(s: Summary): Packed | 0 {
  if (s.coveredMs === 0 && s.observations === 0) return 0;
  return [s.coveredMs, s.integral, s.fullMs, s.peak, s.peakAt, s.min, s.minAt, s.observations];
}

function unpack(p: Packed | 0): Quarter {
  if (p === 0) return { summary: { ...EMPTY_SUMMARY } };
  const [coveredMs, integral, fullMs, peak, peakAt, min, minAt, observations] = p;
  return { summary: { coveredMs, integral, fullMs, peak, peakAt, min, minAt, observations } };
}

export interface ReadStats {
  itemsRead: number;
  rawObservationsRead: number;
}

export class DynamoRollups {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Brings the lot's rollups up to date if observations arrived since the last build. */
  async ensureFresh(lot: StoredLot, stats: ReadStats): Promise<void> {
    if (lot.rollupFrom === null) return;
    await this.rebuild(lot, lot.rollupFrom, stats);
    await this.clearMark(lot);
  }

  /** Rebuilds every day from the one holding `fromMs` to the last day with coverage. */
  async rebuild(lot: StoredLot, fromMs: number, stats: ReadStats): Promise<void> {
    const staleMs = lot.staleAfterSeconds * 1000;
    const firstDay = Date.parse(`${utcDay(Math.max(0, fromMs))}T00:00:00Z`);
    const carry = await this.carryBefore(dataScope(lot), utcDay(firstDay), stats);
    const history = await this.historyFrom(dataScope(lot), firstDay, stats);
    if (history.length === 0 && carry === null) return;
    const { steps, endStates } = fold(carry, history);
    const lastStep = steps.at(-1)!;
    const lastDay = Date.parse(`${utcDay(lastStep.at + staleMs)}T00:00:00Z`);
    const params = { capacity: lot.capacity, staleAfterMs: staleMs };

    const writes: WriteRequest[] = [];
    let end: CarryState | null = carry;
    // Start at the first day with anything to say (a mark of 0 means "from the beginning").
    const start = Math.max(firstDay, Date.parse(`${utcDay(steps[0]!.at)}T00:00:00Z`));
    for (let day = start; day <= lastDay; day += DAY_MS) {
      const key = utcDay(day);
      end = endStates.get(key) ?? end;
      const quarters: (Packed | 0)[] = [];
      let any = false;
      for (let q = 0; q < QUARTERS; q++) {
        const qs = day + q * QUARTER_MS;
        const summary = summarize(steps, params, qs, qs + QUARTER_MS);
        if (summary.coveredMs > 0 || summary.observations > 0) any = true;
        quarters.push(pack(summary));
      }
      // Days with nothing covered and nothing observed need no item: reports read them as empty.
      if (!any) continue;
      writes.push({
        PutRequest: {
          Item: marshall({
            pk: rollupPk(dataScope(lot)),
            sk: key,
            q: JSON.stringify(quarters),
            end: JSON.stringify(end),
            capacity: lot.capacity,
            staleAfterSeconds: lot.staleAfterSeconds,
          }),
        },
      });
    }
    await this.batchWrite(writes);
  }

  /** Rollups of the UTC days from `fromDay` to `toDay` (inclusive) that have any. */
  async read(
    lot: LotIncarnation,
    fromDay: string,
    toDay: string,
    stats: ReadStats,
  ): Promise<Map<string, DayRollup>> {
    const days = new Map<string, DayRollup>();
    for await (const page of queryPages(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: {
          ':pk': { S: rollupPk(dataScope(lot)) },
          ':from': { S: fromDay },
          ':to': { S: toDay },
        },
      },
      'read rollups',
    )) {
      stats.itemsRead += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) {
        const raw = unmarshall(item) as { sk: string; q: string };
        days.set(raw.sk, { day: raw.sk, quarters: (JSON.parse(raw.q) as (Packed | 0)[]).map(unpack) });
      }
    }
    return days;
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
  ): Promise<OccupancyStep[]> {
    const dayStart = Date.parse(`${utcDay(from)}T00:00:00Z`);
    const carry = await this.carryBefore(dataScope(lot), utcDay(from), stats);
    const history = await this.historyFrom(dataScope(lot), dayStart, stats, to);
    const { steps } = fold(carry, history);
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
      },
      'read history',
    )) {
      stats.rawObservationsRead += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) found.push(fromHistoryItem(item).observation);
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

  private async batchWrite(requests: WriteRequest[]) {
    for (let i = 0; i < requests.length; i += 25) {
      let chunk: WriteRequest[] = requests.slice(i, i + 25);
      for (let attempt = 0; chunk.length > 0; attempt++) {
        if (attempt > 8) throw new StoreUnavailableError('rollup writes kept being throttled');
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        const result = await translated('write rollups', () =>
          this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: chunk } })),
        );
        chunk = (result.UnprocessedItems?.[this.tableName] ?? []) as WriteRequest[];
      }
    }
  }
}

/** Folds history (any order) on top of a carried state: one step per observation, as replay() does. */
function fold(carry: CarryState | null, history: Observation[]) {
  const state = emptyReplayState();
  const steps: OccupancyStep[] = [];
  if (carry) {
    state.occupied = carry.occupied;
    for (const [id, s] of carry.bays) state.bays.set(id, s);
    steps.push(carry.step);
  }
  const endStates = new Map<string, CarryState>();
  for (const o of [...history].sort(compareObservations)) {
    steps.push({ at: o.observedAt, occupied: step(state, o), eventId: o.eventId });
    endStates.set(utcDay(o.observedAt), {
      occupied: state.occupied,
      bays: [...state.bays],
      step: steps.at(-1)!,
    });
  }
  return { steps, endStates };
}

function stepAtOrBefore(steps: readonly OccupancyStep[], t: number): OccupancyStep | null {
  const count = stepsUpTo(steps, t);
  return count === 0 ? null : steps[count - 1]!;
}
