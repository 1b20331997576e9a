// `npm run bench` (full) and `npm run bench -- --quick` (CI): runs the sections of README "Benchmarks" side
// by side on one DynamoDB Local (and dynalite), prints a table per section on stdout, progress on
// stderr, and writes bench/results/latest.json. A section that throws makes the exit code 1, but
// what the others measured is still printed and written.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type DdbLocal, javaAvailable, startDdbLocal } from '../test/support/ddb-local';
import type { BenchResults, SectionOptions, Spread } from './types';

const SECTIONS = ['geo', 'ingest', 'http', 'lambda', 'reports', 'forecast', 'clusters'] as const;
type SectionName = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench -- [--quick] [--only geo,ingest,http,lambda,reports,forecast,clusters] [--repetitions N]

  --quick          small sizes (CI; 2-4 minutes on 2 cores)
  --only LIST      run only these sections (comma-separated)
  --repetitions N  repetitions per figure (default 3, at least 3)
  --help           this text`;

interface Args {
  quick: boolean;
  only: SectionName[];
  repetitions: number;
}

export function parseBenchArgs(argv: string[]): Args | 'help' {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        repetitions: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const only = (values.only ?? SECTIONS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0 || only.length === 0) {
    throw new UsageError(
      `--only: unknown section(s) ${unknown.join(', ') || '(none given)'}; use ${SECTIONS.join(', ')}`,
    );
  }
  const repetitions = values.repetitions === undefined ? 3 : Number(values.repetitions);
  if (!Number.isInteger(repetitions) || repetitions < 3) {
    throw new UsageError(
      `--repetitions must be an integer >= 3 (each figure is a median), got ${values.repetitions}`,
    );
  }
  return { quick: values.quick, only: only as SectionName[], repetitions };
}

export class UsageError extends Error {}

const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Node 20 is what CI runs; the SDK's notice about future releases says nothing about the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = Date.now();
  const mode = args.quick ? 'quick' : 'full';
  log(`mode ${mode}, sections ${args.only.join(', ')}, ${args.repetitions} repetitions`);

  const sharedDataDir = resolve(process.env.SHARED_DATA_DIR ?? '../shared/data');
  const hasSharedData = existsSync(sharedDataDir);
  if (!hasSharedData) log(`shared data not found at ${sharedDataDir}: the sections skip what needs it`);

  let ddbLocal: DdbLocal | null = null;
  if (javaAvailable()) {
    const t0 = Date.now();
    // Full mode holds two 100k-lot tables (ours and dynamodb-geo's) in memory at once.
    ddbLocal = await startDdbLocal(undefined, { heapMb: args.quick ? 512 : 2048 });
    log(`DynamoDB Local up at ${ddbLocal.endpoint} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    log('java not found: DynamoDB Local is skipped, every section runs on dynalite only');
  }

  const options: SectionOptions = {
    quick: args.quick,
    repetitions: args.repetitions,
    ...(ddbLocal ? { ddbLocalEndpoint: ddbLocal.endpoint } : {}),
    log,
    ...(hasSharedData ? { sharedDataDir } : {}),
  };

  const results: Partial<BenchResults> & { sections: Record<string, unknown> } = {
    startedAt: new Date(started).toISOString(),
    mode,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    },
    sections: {},
  };
  const failures: string[] = [];
  try {
    for (const name of args.only) {
      const t0 = Date.now();
      log(`section ${name}: start`);
      try {
        const value = await runSection(name, options);
        Object.assign(results, { [name]: value });
        results.sections[name] = { ok: true, seconds: round1((Date.now() - t0) / 1000) };
        process.stdout.write(`${formatSection(name, value)}\n`);
        log(`section ${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (error) {
        // Keep what a section measured before it failed (e.g. geo rows when answers differed).
        const partial = (error as { partial?: unknown }).partial;
        if (partial !== undefined) {
          Object.assign(results, { [name]: partial });
          process.stdout.write(`${formatSection(name, partial)}\n`);
        }
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        results.sections[name] = { ok: false, seconds: round1((Date.now() - t0) / 1000), error: message };
        failures.push(name);
        log(`section ${name}: FAILED\n${message}`);
      }
    }
  } finally {
    await ddbLocal?.stop();
  }
  results.durationSeconds = round1((Date.now() - started) / 1000);
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${out} (${results.durationSeconds} s in all)`);
  if (failures.length > 0) {
    log(`failed sections: ${failures.join(', ')}`);
    return 1;
  }
  return 0;
}

async function runSection(name: SectionName, o: SectionOptions): Promise<unknown> {
  switch (name) {
    case 'geo':
      return (await import('./sections/geo')).benchGeo(o);
    case 'ingest':
      return (await import('./sections/ingest')).benchIngest(o);
    case 'http':
      return (await import('./sections/http')).benchHttp(o);
    case 'lambda':
      return (await import('./sections/lambda')).benchLambda(o);
    case 'reports':
      return (await import('./sections/reports')).benchReports(o);
    case 'forecast':
      return (await import('./sections/forecast')).benchForecast(o);
    case 'clusters':
      return (await import('./sections/clusters')).benchClusters(o);
  }
}

// ---------------------------------------------------------------------------------------------
// Tables

type Cell = string | number | boolean | null | undefined;

/** A plain-text table: numbers right-aligned, everything else left-aligned. */
export function formatTable(
  title: string,
  rows: ReadonlyArray<Record<string, Cell>>,
  columns?: string[],
): string {
  if (rows.length === 0) return `${title}\n  (no rows)\n`;
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const text = (v: Cell) => (v === undefined || v === null ? '' : typeof v === 'number' ? fmt(v) : String(v));
  const cells = rows.map((r) => cols.map((c) => text(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const numeric = cols.map((c) => rows.every((r) => r[c] === undefined || typeof r[c] === 'number'));
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [title, line(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), ''].join('\n');
}

/** A spread prints as its range (the median is its own column); other objects as JSON. */
function cell(v: unknown): Cell {
  if (typeof v !== 'object' || v === null) return v as Cell;
  const spread = v as Partial<Spread>;
  if (typeof spread.min === 'number' && typeof spread.max === 'number')
    return `${fmt(spread.min)}–${fmt(spread.max)}`;
  return JSON.stringify(v);
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function formatSection(name: SectionName, value: unknown): string {
  if (name === 'geo' && Array.isArray(value)) {
    const rows = (value as import('./types').GeoRow[]).map((r) => ({
      store: r.store,
      dataset: r.dataset,
      radius: r.radius,
      approach: r.approach,
      queries: r.queries,
      'items/q': r.itemsReadPerQuery,
      'inRadius/q': r.lotsInRadiusPerQuery,
      'needed/q': r.lotsNeededPerQuery,
      ampl: r.readAmplification,
      'req/q': r.requestsPerQuery,
      'RU/q': r.readUnitsPerQuery,
      'rounds/q': r.roundsPerQuery,
      'rounds p95': r.roundsP95,
      'p50 ms': r.p50Ms,
      'p50 min–max': r.p50Spread ? `${fmt(r.p50Spread.min)}–${fmt(r.p50Spread.max)}` : '',
      'p95 ms': r.p95Ms,
      'p50 ÷ ours': r.p50RatioToOurs,
    }));
    return formatTable('Geo query (limit 10, free lots; per query; median of repetitions)', rows);
  }
  if (Array.isArray(value)) {
    const rows = (value as Array<Record<string, unknown>>).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cell(v)])),
    );
    return formatTable(titleOf(name), rows);
  }
  if (value && typeof value === 'object') {
    // One result: a figure per line reads better than one very wide row.
    const rows = Object.entries(value as Record<string, unknown>).map(([figure, v]) => ({
      figure,
      value: cell(v),
    }));
    return formatTable(titleOf(name), rows);
  }
  return `${titleOf(name)}\n  ${String(value)}\n`;
}

function titleOf(name: SectionName): string {
  return {
    geo: 'Geo query',
    ingest: 'Ingestion (observations/s through the API vs raw conditional updates)',
    http: 'HTTP (GET /v1/lots/nearby vs GET /health)',
    lambda: 'Lambda bundle and cold init (vs bare Hono)',
    reports: 'Reports (30-day daily utilization)',
    forecast: 'Forecasts (read units of one forecast; nearby without and with arriveAt)',
    clusters: 'Boxes too large to list (clusters; per box query)',
  }[name];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    // Exit explicitly: a stray keep-alive socket of some client must not keep CI waiting.
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(
        `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
