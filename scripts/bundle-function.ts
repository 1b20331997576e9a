// Builds one Lambda function's bundle: `node --import tsx scripts/bundle-function.ts <entry> <outDir>`.
// The CDK stack runs this from its local bundling step (infra/constructs/service-function.ts): CDK's
// bundling hook is synchronous, and esbuild runs plugins (infra/bundling.ts) only in its async API.
// With BUNDLE_METAFILE_DIR set (the tests that inspect the bundle), esbuild's metafile goes there as
// `<entry name>.meta.json`; never into <outDir>, which is the function's asset as it is uploaded.
import { basename, extname, join, resolve } from 'node:path';
import { bundleFunction } from '../infra/bundling';

const [entry, outDir] = process.argv.slice(2);
if (!entry || !outDir) {
  process.stderr.write('usage: node --import tsx scripts/bundle-function.ts <entry file> <output folder>\n');
  process.exit(2);
}
const metafileDir = process.env.BUNDLE_METAFILE_DIR;
await bundleFunction(
  { file: resolve(entry) },
  resolve(outDir),
  metafileDir ? join(resolve(metafileDir), `${basename(entry, extname(entry))}.meta.json`) : undefined,
);
