// The README's "Table design" table is the table the code builds: the same item kinds with the
// same keys as shared/store/table-design.ts lists, and ./keys builds exactly those keys.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  apiKeyKey,
  bayPk,
  CLUSTER_STATE_KEY,
  cellDirectoryStateKey,
  cellKey,
  clusterPartKey,
  clusterPk,
  deviceKey,
  forecastModelKey,
  integrationKey,
  lotKey,
  observationKey,
  RETIRED_PARTITION,
  rollupPk,
  sourceKey,
  utcDay,
  zoneRollupPk,
} from '../../../shared/store/keys';
import { ITEM_KINDS } from '../../../shared/store/table-design';

/** The rows of the first table under the README's table-design heading: item, pk, sk. */
function readmeItems(): { item: string; pk: string; sk: string }[] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Table design'));
  const lines = section.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const table = lines.slice(
    first,
    lines.findIndex((line, i) => i > first && !line.startsWith('|')),
  );
  const items = table
    .slice(2)
    .map((line) => line.split('|').map((c) => c.trim().replaceAll('`', '')))
    .map((row) => ({ item: row[1]!, pk: row[2]!, sk: row[3]! }));
  return items;
}

describe('the table design', () => {
  it('lists in the README every kind of item the code writes, with its keys', () => {
    expect(readmeItems()).toEqual(ITEM_KINDS.map((k) => ({ ...k })));
  });

  it('builds the keys it documents', () => {
    const scope = '<scope>';
    const built: Record<string, { pk: string; sk: string }> = {
      lot: lotKey('<id>'),
      observation: observationKey(scope, '<eventId>'),
      bay: { pk: bayPk(scope), sk: '<spaceId>' },
      rollup: {
        pk: rollupPk(scope),
        sk: utcDay(Date.UTC(2026, 0, 2)).replace(/\d{4}-\d\d-\d\d/, 'YYYY-MM-DD'),
      },
      'zone rollup': {
        pk: zoneRollupPk('<zone>'),
        sk: utcDay(Date.UTC(2026, 0, 2)).replace(/\d{4}-\d\d-\d\d/, 'YYYY-MM-DD'),
      },
      'forecast model': forecastModelKey('<id>'),
      retired: { pk: RETIRED_PARTITION, sk: scope },
      key: apiKeyKey('<keyId>'),
      cell: cellKey('<geohash-5> or PN/PS'),
      'cell state': cellDirectoryStateKey,
      source: sourceKey('<sourceId>'),
      integration: integrationKey('<integrationId>'),
      device: deviceKey('<integrationId>', '<generation>', '<deviceId>'),
      cluster: { pk: clusterPk('<build>', '<precision>' as unknown as number), sk: '<geohash-precision>' },
      'cluster positions': clusterPartKey('<build>', '<geohash-5>', '<part>'),
      'cluster state': CLUSTER_STATE_KEY,
    };
    for (const kind of ITEM_KINDS) expect(built[kind.item], kind.item).toEqual({ pk: kind.pk, sk: kind.sk });
    expect(Object.keys(built).sort()).toEqual(ITEM_KINDS.map((k) => k.item).sort());
  });
});
