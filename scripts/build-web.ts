// npm run build:web [-- --check]
// Rebuilds web/generated/pages.ts from the page sources under web/ (see web/build.ts) and prints
// each page's size. With --check, writes nothing and exits 1 if the committed module is stale.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildPages, GENERATED_MODULE, generatedModule } from '../web/build';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

const pages = await buildPages();
const text = generatedModule(pages);
for (const [name, { page }] of Object.entries(pages)) {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  for (const [lang, { html }] of Object.entries(page)) {
    console.log(`${name} (${lang}): ${kib(Buffer.byteLength(html))} (${kib(gzipSync(html).length)} gzipped)`);
  }
}
const current = await readFile(GENERATED_MODULE, 'utf8').catch(() => '');
if (values.check) {
  if (current !== text) {
    console.error('web/generated/pages.ts is stale: run npm run build:web and commit it');
    process.exit(1);
  }
  console.log('web/generated/pages.ts is up to date');
} else if (current === text) {
  console.log('web/generated/pages.ts is up to date');
} else {
  await mkdir(dirname(GENERATED_MODULE), { recursive: true });
  await writeFile(GENERATED_MODULE, text);
  console.log('wrote web/generated/pages.ts');
}
