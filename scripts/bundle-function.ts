// Builds one Lambda function's bundle: `node --import tsx scripts/bundle-function.ts <entry> <outDir>`.
// The CDK stack runs this from its local bundling step (infra/constructs/service-function.ts): CDK's
// bundling hook is synchronous, and esbuild runs plugins (infra/bundling.ts) only in its async API.
import { resolve } from 'node:path';
import { bundleFunction } from '../infra/bundling';

const [entry, outDir] = process.argv.slice(2);
if (!entry || !outDir) {
  process.stderr.write('usage: node --import tsx scripts/bundle-function.ts <entry file> <output folder>\n');
  process.exit(2);
}
await bundleFunction({ file: resolve(entry) }, resolve(outDir));
