// The lot item: definition + current state + ingestion bookkeeping, in one item so that one
// conditional write changes state atomically (no transactions needed, so dynalite works too).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { DEFAULT_STALE_AFTER_SECONDS, type LotFeature, type LotType } from '../domain/lot';
import type { PendingEvent, StoredLot } from '../domain/stored-lot';
import { partitionOf, sortCellOf } from '../geo';
import { CATALOG_PARTITION, lotKey } from './keys';

interface LotItem {
  pk: string;
  sk: string;
  gpk: string;
  gsk: string;
  cpk: string;
  csk: string;
  id: string;
  name: string;
  lat: number;
  lon: number;
  capacity: number;
  lotType: LotType;
  features: LotFeature[];
  zone?: string;
  timeZone: string;
  staleAfterSeconds: number;
  openingHours?: string;
  closed: boolean;
  occupied?: number;
  lastAt?: number;
  lastEventId?: string;
  baseAt?: number;
  baseEventId?: string;
  baysOccupied?: number;
  baysOccupiedAtBase?: number;
  hasBays?: boolean;
  rollupFrom?: number;
  rollupSeq?: number;
  generation?: string;
  version: number;
  pending: Record<string, PendingEvent>;
  createdAt: number;
  updatedAt: number;
}

/** Catalog sort key: zone first, so one Query lists a zone's lots. */
export const catalogSortKey = (zone: string | undefined, id: string) => `${zone ?? ''}#${id}`;

export function toLotItem(lot: StoredLot): Record<string, AttributeValue> {
  const item: LotItem = {
    ...lotKey(lot.id),
    gpk: partitionOf(lot.location),
    gsk: `${sortCellOf(lot.location)}#${lot.id}`,
    cpk: CATALOG_PARTITION,
    csk: catalogSortKey(lot.zone, lot.id),
    id: lot.id,
    name: lot.name,
    lat: lot.location.lat,
    lon: lot.location.lon,
    capacity: lot.capacity,
    lotType: lot.type,
    features: lot.features,
    ...(lot.zone !== undefined ? { zone: lot.zone } : {}),
    timeZone: lot.timeZone,
    staleAfterSeconds: lot.staleAfterSeconds,
    ...(lot.openingHours !== undefined ? { openingHours: lot.openingHours } : {}),
    closed: lot.closed,
    ...(lot.occupied !== null ? { occupied: lot.occupied } : {}),
    ...(lot.lastAt !== null ? { lastAt: lot.lastAt } : {}),
    ...(lot.lastEventId !== null ? { lastEventId: lot.lastEventId } : {}),
    ...(lot.baseAt !== null ? { baseAt: lot.baseAt } : {}),
    ...(lot.baseEventId !== null ? { baseEventId: lot.baseEventId } : {}),
    ...(lot.hasBays
      ? { hasBays: true, baysOccupied: lot.baysOccupied, baysOccupiedAtBase: lot.baysOccupiedAtBase }
      : {}),
    ...(lot.rollupFrom !== null ? { rollupFrom: lot.rollupFrom } : {}),
    rollupSeq: lot.rollupSeq,
    ...(lot.generation !== '' ? { generation: lot.generation } : {}),
    version: lot.version,
    pending: lot.pending,
    createdAt: lot.createdAt,
    updatedAt: lot.updatedAt,
  };
  return marshall(item, { removeUndefinedValues: true });
}

/** Reads a lot item, or the projection of it in the geo index (which lacks bookkeeping). */
export function fromLotItem(raw: Record<string, AttributeValue>): StoredLot {
  const item = unmarshall(raw) as Partial<LotItem> &
    Pick<LotItem, 'id' | 'name' | 'lat' | 'lon' | 'capacity'>;
  return {
    id: item.id,
    name: item.name,
    location: { lat: item.lat, lon: item.lon },
    capacity: item.capacity,
    type: item.lotType ?? 'surface',
    features: item.features ?? [],
    zone: item.zone,
    timeZone: item.timeZone ?? 'UTC',
    staleAfterSeconds: item.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS,
    openingHours: item.openingHours,
    closed: item.closed ?? false,
    occupied: item.occupied ?? null,
    lastAt: item.lastAt ?? null,
    lastEventId: item.lastEventId ?? null,
    baseAt: item.baseAt ?? null,
    baseEventId: item.baseEventId ?? null,
    baysOccupied: item.baysOccupied ?? 0,
    baysOccupiedAtBase: item.baysOccupiedAtBase ?? 0,
    hasBays: item.hasBays ?? false,
    rollupFrom: item.rollupFrom ?? null,
    rollupSeq: item.rollupSeq ?? 0,
    // The geo index does not project it: lots read from there are never used to reach data.
    generation: item.generation ?? '',
    version: item.version ?? 0,
    pending: item.pending ?? {},
    createdAt: item.createdAt ?? 0,
    updatedAt: item.updatedAt ?? 0,
  };
}
