// npm run cost -- [--lots N] [--bays N] [--obs-per-minute N] [--queries-per-day N] … [--bench FILE]
// The cost and capacity model of README "Cost and capacity": reads the units per operation from a
// benchmark result (bench/results/latest.json by default) and prints, for the scenario, DynamoDB
// units per second and per month, the hottest partitions against DynamoDB's per-partition limits,
// Lambda invocations and GB-seconds, API Gateway requests and the monthly bill at on-demand prices.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { BenchResults } from '../bench/types';
import { MissingFigureError, unitsFromBench } from './cost/bench-units';
import {
  type CostReport,
  costModel,
  type Scenario,
  type UnitsPerOperation,
  US_EAST_1_PRICES,
} from './cost/model';

/** Flag → scenario field, with its default (a Hangzhou-scale city) and what it means. */
const FLAGS = {
  lots: ['lots', 5000, 'lots in the city'],
  bays: ['bays', 100_000, 'bay sensors (one per space)'],
  'bay-events-per-day': ['bayEventsPerDay', 20, 'changes each bay sensor reports a day'],
  'obs-per-minute': ['obsPerMinute', 5000, 'count observations a minute, city-wide (counters, gates)'],
  'obs-batch': ['obsBatch', 1, 'count observations per request (1, or a gateway batching)'],
  'queries-per-day': ['queriesPerDay', 2_000_000, 'driver nearby queries a day'],
  'forecasts-per-day': ['forecastsPerDay', 0, 'forecast requests a day'],
  'reports-per-day': ['reportsPerDay', 200, 'staff utilization reports a day'],
  'report-lot-days': ['reportLotDays', 3000, 'lot-days one report covers (100 lots × 30 days)'],
  'peak-factor': ['peakFactor', 3, "busiest hour ÷ the day's mean hour"],
  'busiest-cell-share': ['busiestCellShare', 0.2, 'share of lots in the busiest ~5 km geo cell'],
  'lambda-ms': ['lambdaMs', 40, 'billed ms per invocation (assumed; not benchmarked on AWS)'],
  'lambda-memory-mb': ['lambdaMemoryMb', 1024, "the stack's Lambda memory"],
  'api-keys': ['apiKeys', 5000, 'API keys the sensors and staff use (one per lot by default)'],
  'api-key-cache-seconds': [
    'apiKeyCacheSeconds',
    0,
    "the functions' API_KEY_CACHE_SECONDS (0, the default: no cache)",
  ],
  'history-retention-days': ['historyRetentionDays', 400, "the stack's history retention"],
  'history-item-bytes': ['historyItemBytes', 600, 'stored bytes per history item with its index copy'],
} as const satisfies Record<string, readonly [keyof Scenario, number, string]>;

type Flag = keyof typeof FLAGS;
const HELP = `usage: npm run cost -- [options]    (defaults: a Hangzhou-scale city)
${Object.entries(FLAGS)
  .map(([flag, [, fallback, what]]) => `  --${flag.padEnd(24)} ${what} (default ${fallback})`)
  .join('\n')}
  --bench FILES              comma-separated benchmark results, later sections winning (default: the
                             newest committed bench/results/<date>-full|quick.json, a full run
                             winning on its date, then latest.json)
  --json                     print the result as JSON`;

const positive = z.coerce.number().finite().positive();
const nonNegative = z.coerce.number().finite().nonnegative();

function main(): number {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        ...Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'string' as const }])),
        bench: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    return usage((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const scenario = {} as Scenario;
  for (const [flag, [field, fallback]] of Object.entries(FLAGS) as [Flag, (typeof FLAGS)[Flag]][]) {
    const raw = values[flag] ?? String(fallback);
    const schema =
      field === 'busiestCellShare'
        ? nonNegative.max(1)
        : field.endsWith('PerDay') || field === 'apiKeyCacheSeconds'
          ? nonNegative
          : positive;
    const result = schema.safeParse(raw);
    if (!result.success) return usage(`--${flag}: ${result.error.issues[0]?.message} (got ${String(raw)})`);
    scenario[field] = result.data;
  }
  const files = values.bench ? String(values.bench).split(',') : defaultBenchFiles();
  let units: UnitsPerOperation;
  try {
    const { results, from } = mergeBenchResults(files);
    units = unitsFromBench(results, from);
  } catch (error) {
    if (error instanceof MissingFigureError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error(`cost: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
  if (scenario.forecastsPerDay > 0 && units.forecastReadUnits === undefined) {
    console.error(
      `cost: ${files.join(' + ')} has no forecast figures; run \`npm run bench -- --quick --only forecast\``,
    );
    return 1;
  }
  const report = costModel(units, scenario);
  if (values.json)
    console.log(JSON.stringify({ scenario, units, prices: US_EAST_1_PRICES, report }, null, 2));
  else print(scenario, units, report);
  return 0;
}

/**
 * The newest benchmark result committed with the code (bench/results/<date>-<mode>.json), so a
 * fresh clone can plan too, then this machine's last run (bench/results/latest.json, not
 * committed), whose sections take precedence.
 */
function defaultBenchFiles(): string[] {
  const dated = readdirSync('bench/results')
    .filter((f) => /^\d{4}-\d{2}-\d{2}-(full|quick)\.json$/.test(f))
    // By date; on one date the full run, which measures more, wins over the quick one.
    .sort(
      (a, b) =>
        a.slice(0, 10).localeCompare(b.slice(0, 10)) ||
        Number(a.includes('-full')) - Number(b.includes('-full')),
    )
    .map((f) => `bench/results/${f}`);
  const latest = 'bench/results/latest.json';
  return [...dated.slice(-1), ...(existsSync(latest) ? [latest] : [])];
}

/** Each section from the last of `files` that has it (a `--only` run holds only its sections). */
function mergeBenchResults(files: string[]): { results: Partial<BenchResults>; from: string } {
  const results: Record<string, unknown> = {};
  for (const file of files) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const section of ['ingest', 'geo', 'reports', 'forecast']) {
      const value = parsed[section];
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) results[section] = value;
    }
  }
  return { results: results as Partial<BenchResults>, from: files.join(' + ') || 'bench/results' };
}

function usage(message: string): number {
  console.error(`cost: ${message}\n\n${HELP}`);
  return 2;
}

const n = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const usd = (x: number) => `$${n(x, 2)}`;
const millions = (x: number) => `${n(x / 1e6, 1)} M`;

function print(s: Scenario, u: UnitsPerOperation, r: CostReport): void {
  console.log(
    `Scenario: ${n(s.lots)} lots, ${n(s.bays)} bay sensors × ${s.bayEventsPerDay} events/day, ` +
      `${n(s.obsPerMinute)} count observations/min (batches of ${s.obsBatch}), ${n(s.queriesPerDay)} nearby ` +
      `queries/day, ${n(s.forecastsPerDay)} forecasts/day, ${n(s.reportsPerDay)} reports/day; peak ${s.peakFactor}× the mean`,
  );
  console.log(
    `Units per operation (${Object.entries(u.sources)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ')}): observation ${u.writeUnitsPerObservation} W + ${u.readUnitsPerObservation} R alone, ` +
      `${u.writeUnitsPerBatchedObservation} W + ${u.readUnitsPerBatchedObservation} R in batches of ${u.batchSize}; ` +
      `nearby ${u.nearbyReadUnits} R; report ${n(u.reportReadUnits, 1)} R per ${n(u.reportLotDays)} lot-days` +
      (u.forecastReadUnits !== undefined ? `; forecast ${u.forecastReadUnits} R` : ''),
  );
  console.log('');
  console.log('| DynamoDB | per second (mean) | per second (peak) | per month |');
  console.log('|---|--:|--:|--:|');
  console.log(
    `| write units | ${n(r.writeUnits.perSecond, 1)} | ${n(r.writeUnits.peakPerSecond, 1)} | ${millions(r.writeUnits.perMonth)} |`,
  );
  console.log(
    `| read units | ${n(r.readUnits.perSecond, 1)} | ${n(r.readUnits.peakPerSecond, 1)} | ${millions(r.readUnits.perMonth)} |`,
  );
  console.log('');
  console.log('| hottest partitions at peak | units/s | limit | share |');
  console.log('|---|--:|--:|--:|');
  for (const p of r.hottest)
    console.log(`| ${p.name} | ${n(p.unitsPerSecond, 1)} | ${n(p.limit)} | ${n(p.share * 100, 1)}% |`);
  console.log('');
  console.log(
    `Lambda: ${millions(r.lambda.invocationsPerMonth)} invocations, ${n(r.lambda.gbSecondsPerMonth)} GB-s a month ` +
      `(${s.lambdaMs} ms at ${s.lambdaMemoryMb} MB assumed). API Gateway: ${millions(r.httpApiRequestsPerMonth)} requests a month. ` +
      `History stored: ${n(r.storageGb, 1)} GB (${s.historyRetentionDays} days).`,
  );
  console.log('');
  console.log(`| monthly bill, on-demand, prices of ${US_EAST_1_PRICES.date} | USD |`);
  console.log('|---|--:|');
  console.log(`| DynamoDB writes | ${usd(r.bill.dynamoWrites)} |`);
  console.log(`| DynamoDB reads | ${usd(r.bill.dynamoReads)} |`);
  console.log(`| DynamoDB storage | ${usd(r.bill.storage)} |`);
  console.log(`| Lambda | ${usd(r.bill.lambda)} |`);
  console.log(`| API Gateway (HTTP API) | ${usd(r.bill.httpApi)} |`);
  console.log(`| **total** | **${usd(r.bill.total)}** |`);
  console.log('');
  console.log(`Breaks first: ${r.breaksFirst}.`);
}

process.exitCode = main();
