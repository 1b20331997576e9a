// A seeded synthetic city for store and benchmark tests: clustered lots with occupancy, written
// straight into the table as lot items (the same items the API writes).
import type { AttributeValue, DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { seededRandom } from '../../shared/demo/seed';
import type { LotFeature, LotType } from '../../shared/domain/lot';
import type { StoredLot } from '../../shared/domain/stored-lot';
import { type LatLon, offsetBy, partitionOf } from '../../shared/geo';
import { mapLimit } from '../../shared/lib/concurrency';
import { BATCH_WRITE_ITEMS, batchWrite } from '../../shared/store/batch';
import { cellKey } from '../../shared/store/keys';
import { toLotItem } from '../../shared/store/lot-item';

export interface CityOptions {
  lots: number;
  seed: number;
  centre?: { lat: number; lon: number };
  /** Spread of the whole metro in metres. */
  spread?: number;
  now: number;
}

const TYPES: LotType[] = ['garage', 'surface', 'underground', 'on_street', 'park_and_ride'];
const FEATURES: LotFeature[] = ['ev', 'accessible', 'covered', '24h', 'bicycle'];

/** Lots around a few dense clusters (downtowns) and a sparse background. */
export function syntheticCity(options: CityOptions): StoredLot[] {
  const random = seededRandom(options.seed);
  const centre = options.centre ?? { lat: 52.4797, lon: -1.9026 };
  const spread = options.spread ?? 15_000;
  const clusters = Array.from({ length: 6 }, () =>
    offset(centre, spread * random() * 0.7, random() * 2 * Math.PI),
  );
  const lots: StoredLot[] = [];
  for (let i = 0; i < options.lots; i++) {
    const inCluster = random() < 0.7;
    const origin = inCluster ? clusters[Math.floor(random() * clusters.length)]! : centre;
    const distance = inCluster ? 2500 * gaussian(random) : spread * Math.sqrt(random());
    const location = offset(origin, Math.abs(distance), random() * 2 * Math.PI);
    const capacity = 5 + Math.floor(random() * 600);
    const observed = random() < 0.95;
    const lastAt = observed
      ? options.now - Math.floor(random() * (random() < 0.1 ? 7_200_000 : 1_800_000))
      : null;
    lots.push({
      id: `lot-${String(i).padStart(6, '0')}`,
      name: `Lot ${i}`,
      location,
      capacity,
      type: TYPES[i % TYPES.length]!,
      features: FEATURES.filter(() => random() < 0.3),
      zone: `zone-${i % 7}`,
      timeZone: 'Europe/London',
      staleAfterSeconds: 3600,
      openingHours: undefined,
      closed: random() < 0.02,
      occupied: observed ? Math.floor(capacity * Math.min(1.05, random() * 1.2)) : null,
      lastAt,
      lastEventId: observed ? `e-${i}` : null,
      baseAt: lastAt,
      baseEventId: observed ? `e-${i}` : null,
      baysOccupied: 0,
      baysOccupiedAtBase: 0,
      hasBays: false,
      rollupFrom: null,
      rollupSeq: 0,
      generation: `g${i}`,
      version: 1,
      pending: {},
      createdAt: options.now,
      updatedAt: options.now,
    });
  }
  return lots;
}

/**
 * The lot items, after the directory cells that list their partitions: what putLot writes, in the
 * order it writes them (the directory lists a partition before any lot is in it).
 */
export async function writeLots(client: DynamoDBClient, tableName: string, lots: readonly StoredLot[]) {
  await writeItems(client, tableName, cellItemsFor(lots));
  await writeItems(client, tableName, lots.map(toLotItem));
}

/** The directory items (shared/store/cells.ts) listing the partitions of `lots`. */
export function cellItemsFor(lots: readonly StoredLot[]): Array<Record<string, AttributeValue>> {
  const partitions = new Set(lots.map((lot) => partitionOf(lot.location)));
  const touchedAt = lots.reduce((latest, lot) => Math.max(latest, lot.updatedAt), 0);
  return [...partitions].map((partition) => ({
    pk: { S: cellKey(partition).pk },
    sk: { S: cellKey(partition).sk },
    touchedAt: { N: String(touchedAt) },
    touches: { N: '1' },
  }));
}

/** BatchWriteItem, 25 items a request, 8 in flight; unprocessed items go round again (shared/store/batch.ts). */
export async function writeItems(
  client: DynamoDBClient,
  tableName: string,
  items: ReadonlyArray<Record<string, AttributeValue>>,
): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += BATCH_WRITE_ITEMS) {
    chunks.push(items.slice(i, i + BATCH_WRITE_ITEMS).map((Item) => ({ PutRequest: { Item } })));
  }
  await mapLimit(chunks, 8, (chunk) => batchWrite(client, tableName, chunk, 'write test items'));
}

/** shared/geo's offsetBy, to the centimetre (seven decimals, as lot locations are written). */
export const offset = (from: LatLon, metres: number, bearing: number) => offsetBy(from, metres, bearing, 7);

function gaussian(random: () => number) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
