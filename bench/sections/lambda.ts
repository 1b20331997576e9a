// Benchmark section 4 (README "Benchmarks"): Lambda. The deployable API bundle's size (minified, and zipped) and its cold
// init (a fresh Node process imports the bundle and answers one API Gateway HTTP API v2 event)
// against a bare Hono hello-world bundle built and timed the same way in the same run.
//
// Both bundles are built by the build the CDK stack runs (infra/bundling.ts: ESM, minified, external
// source map without sources, module-first main fields, the createRequire banner, the SDK bundled,
// target Node 24, zod's English messages only, opening_hours without holiday tables), so what is
// measured is what is deployed. Cold init is measured from
// spawning the process to reading the handler's answer on its stdout, with the environment the
// stack sets (NODE_OPTIONS=--enable-source-maps, TABLE_NAME, ...) pointed at a real store, so our
// handler really asks the store (GET /health calls DescribeTable). Ours and bare alternate. The
// host also reports when the import finished (ms since its process started), to split init into
// loading the bundle and answering the first event.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { BUNDLE_FILE, bundleFunction } from '../../infra/bundling';
import { DEFAULT_HISTORY_RETENTION_DAYS } from '../../shared/config';
import { syntheticCity, writeLots } from '../../test/support/city';
import { httpApiEvent } from '../../test/support/lambda-events';
import type { LambdaResult, SectionOptions, StoreName } from '../types';
import { openBenchStore, round, spread } from './lib/common';
import { PROJECT_ROOT } from './lib/procs';

const BARE_HONO = `
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
const app = new Hono().get('/health', (c) => c.json({ ok: true }));
export const handler = handle(app);
`;

const HOST = `
const [bundle, event] = process.argv.slice(2);
const { handler } = await import(bundle);
const importedMs = performance.now();
const result = await handler(JSON.parse(event), { functionName: 'bench', awsRequestId: 'cold' });
const answer = { statusCode: result.statusCode, body: String(result.body).slice(0, 200), importedMs };
process.stdout.write('bench-answer ' + JSON.stringify(answer) + '\\n');
process.exit(0);
`;

export interface LambdaSettings {
  /** Fresh processes per bundle (at least 5). */
  processes: number;
  store: StoreName;
  /** Also time our bundle answering GET /v1/lots/nearby. */
  nearby: boolean;
}

export function lambdaSettings(o: SectionOptions): LambdaSettings {
  return {
    processes: Math.max(5, o.repetitions, o.quick ? 7 : 11),
    store: o.ddbLocalEndpoint ? 'dynamodb-local' : 'dynalite',
    nearby: true,
  };
}

export interface BuiltBundle {
  /** The entry, which Lambda imports. */
  file: string;
  /** Every JavaScript file the function ships (the entry first when there is one file). */
  files: string[];
  /** All of `files` together. */
  bytes: number;
  entryBytes: number;
  /** The entry and the chunks it imports statically: what a cold start parses before any `import()`. */
  initialBytes: number;
  zippedBytes: number;
}

/**
 * Built by infra/bundling.ts, the very build the CDK stack runs for each function; `entry` is a
 * project file or source text. Every file of JavaScript the build writes counts (with code
 * splitting, the entry and its chunks), the entry on its own too.
 */
export async function buildBundle(
  outDir: string,
  entry: { file: string } | { source: string },
): Promise<BuiltBundle> {
  const result = await bundleFunction(
    'file' in entry
      ? { file: join(PROJECT_ROOT, entry.file) }
      : { source: entry.source, resolveDir: PROJECT_ROOT },
    outDir,
  );
  const outputs = result.metafile.outputs;
  const code = Object.keys(outputs).filter((f) => !f.endsWith('.map'));
  const entryOutput = code.find((f) => resolve(f) === join(outDir, BUNDLE_FILE))!;
  const files = [entryOutput, ...code.filter((f) => f !== entryOutput)].map((f) => resolve(f));
  const size = (f: string) => statSync(resolve(f)).size;
  return {
    file: join(outDir, BUNDLE_FILE),
    files,
    bytes: files.reduce((sum, f) => sum + statSync(f).size, 0),
    entryBytes: size(entryOutput),
    initialBytes: [...staticallyImported(outputs, entryOutput)].reduce((sum, f) => sum + size(f), 0),
    zippedBytes: zipSize(files),
  };
}

/** The entry and every chunk it imports statically, however deep: what a cold start loads. */
function staticallyImported(
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>,
  entry: string,
): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const i of outputs[file]!.imports) {
      if (i.kind !== 'import-statement' || i.external || seen.has(i.path)) continue;
      seen.add(i.path);
      queue.push(i.path);
    }
  }
  return seen;
}

/**
 * The size of a real .zip archive (deflate, as Lambda accepts) holding these files under their
 * base names: local headers, data, central directory, end record.
 */
export function zipSize(files: readonly string[]): number {
  return zip(files.map((f) => ({ name: basename(f), data: readFileSync(f) }))).length;
}

export function zip(entries: readonly { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: Unix, 3.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, 644
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Spawns a fresh Node process that imports the bundle and answers one event: ms from spawn to answer. */
export async function coldInit(
  host: string,
  bundle: string,
  event: unknown,
  env: Record<string, string>,
): Promise<{ ms: number; statusCode: number; body: string; importedMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [host, bundle, JSON.stringify(event)], {
    // Only what Lambda would set, plus the local endpoint: nothing leaks in from this process.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000); // a hung init fails, never blocks the run
  let line: string;
  try {
    line = await new Promise<string>((resolve, reject) => {
      // The handler's own stdout (logs, metrics in EMF) comes first; the host's answer line is marked.
      child.stdout.on('data', (d) => {
        out += d;
        const at = out.indexOf('bench-answer ');
        const nl = at >= 0 ? out.indexOf('\n', at) : -1;
        if (nl >= 0) resolve(out.slice(at + 'bench-answer '.length, nl));
      });
      // 'close', not 'exit': the answer line may still be in the pipe when the process exits.
      child.once('close', (code, signal) =>
        reject(new Error(`the bundle did not answer (exit ${code ?? signal}):\n${err}`)),
      );
    });
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - started;
  await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
  const answer = JSON.parse(line) as { statusCode: number; body: string; importedMs: number };
  return { ms, ...answer };
}

export async function benchLambda(o: SectionOptions, settings = lambdaSettings(o)): Promise<LambdaResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-lambda-'));
  const store = await openBenchStore(settings.store, o, 'lambda');
  try {
    const oursDir = mkdtempSync(join(dir, 'api-'));
    const bareDir = mkdtempSync(join(dir, 'bare-'));
    const ours = await buildBundle(oursDir, { file: 'functions/api.ts' });
    const bare = await buildBundle(bareDir, { source: BARE_HONO });
    const assetZip = zipSize(ours.files.flatMap((f) => [f, `${f}.map`]));
    o.log(
      `lambda: api bundle ${ours.bytes} B in ${ours.files.length} file(s), entry ${ours.entryBytes} B ` +
        `(${ours.initialBytes} B with the chunks it imports statically) ` +
        `(${ours.zippedBytes} B zipped; with source maps ${assetZip} B), ` +
        `bare Hono ${bare.bytes} B (${bare.zippedBytes} B zipped)`,
    );

    await writeLots(store.client, store.tableName, syntheticCity({ lots: 200, seed: 8_04, now: Date.now() }));
    const host = join(dir, 'host.mjs');
    writeFileSync(host, HOST);
    const env = {
      // What the stack sets (infra/stack.ts, service-function.ts) and Lambda adds; the same for both.
      NODE_OPTIONS: '--enable-source-maps',
      TABLE_NAME: store.tableName,
      HISTORY_RETENTION_DAYS: String(DEFAULT_HISTORY_RETENTION_DAYS),
      LOG_LEVEL: 'INFO',
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: store.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const health = httpApiEvent('GET', '/health');
    const nearby = httpApiEvent('GET', '/v1/lots/nearby?lat=52.4797&lon=-1.9026&radius=1000&limit=10');

    // One untimed start of each first: the OS file cache, as on a warm Lambda host.
    await coldInit(host, ours.file, health, env);
    await coldInit(host, bare.file, health, env);
    const oursMs: number[] = [];
    const bareMs: number[] = [];
    const nearbyMs: number[] = [];
    const oursImport: number[] = [];
    const bareImport: number[] = [];
    for (let i = 0; i < settings.processes; i++) {
      const a = await coldInit(host, ours.file, health, env);
      const b = await coldInit(host, bare.file, health, env);
      if (a.statusCode !== 200)
        throw new Error(`our bundle answered /health with ${a.statusCode}: ${a.body}`);
      if (b.statusCode !== 200) throw new Error(`the bare bundle answered ${b.statusCode}: ${b.body}`);
      oursMs.push(a.ms);
      bareMs.push(b.ms);
      oursImport.push(a.importedMs);
      bareImport.push(b.importedMs);
      let line = `  process ${i + 1}: ours ${round(a.ms, 0)} ms, bare Hono ${round(b.ms, 0)} ms`;
      if (settings.nearby) {
        const c = await coldInit(host, ours.file, nearby, env);
        if (c.statusCode !== 200)
          throw new Error(`our bundle answered nearby with ${c.statusCode}: ${c.body}`);
        nearbyMs.push(c.ms);
        line += `, ours on nearby ${round(c.ms, 0)} ms`;
      }
      o.log(line);
    }
    const oursSpread = spread(oursMs);
    const bareSpread = spread(bareMs);
    return {
      bundleBytes: ours.bytes,
      entryBytes: ours.entryBytes,
      initialBytes: ours.initialBytes,
      bundleFiles: ours.files.length,
      zippedBytes: ours.zippedBytes,
      coldInitMs: round(oursSpread.median, 1),
      bareHonoInitMs: round(bareSpread.median, 1),
      initRatio: round(oursSpread.median / bareSpread.median, 3),
      bareHonoBundleBytes: bare.bytes,
      bareHonoZippedBytes: bare.zippedBytes,
      zippedWithSourceMapBytes: assetZip,
      zipMethod:
        'a real .zip of the JavaScript files alone (deflate level 9, node:zlib); source maps are not counted',
      store: settings.store,
      event: 'GET /health (HTTP API v2)',
      coldInitSpread: roundSpread(oursSpread),
      bareHonoInitSpread: roundSpread(bareSpread),
      coldImportMs: round(spread(oursImport).median, 1),
      bareHonoImportMs: round(spread(bareImport).median, 1),
      ...(nearbyMs.length ? { coldInitNearbyMs: round(spread(nearbyMs).median, 1) } : {}),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const roundSpread = (s: { median: number; min: number; max: number }) => ({
  median: round(s.median, 1),
  min: round(s.min, 1),
  max: round(s.max, 1),
});
