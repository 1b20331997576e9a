// node --import tsx scripts/box-clusters.ts [--lots 100000]
// What a box too large to list lot by lot costs (README "Boxes of any size"): the benchmark's
// "clusters" section (bench/sections/clusters.ts) at the size given, on dynalite.
import { parseArgs } from 'node:util';
import { benchClusters } from '../bench/sections/clusters';

const { values } = parseArgs({ options: { lots: { type: 'string', default: '100000' } } });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const rows = await benchClusters(
  { quick: false, repetitions: 3, log: (line) => console.error(line) },
  { lots: Number(values.lots), store: 'dynalite' },
);
for (const r of rows) {
  console.log(
    `${r.box}: ${r.clusters} clusters, ${r.lotsInBox} lots, ${r.requests} store requests, ` +
      `${r.itemsRead} items read, ${r.ms} ms (rebuild ${r.rebuildSeconds} s)`,
  );
}
