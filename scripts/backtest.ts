// npm run backtest -- <data file> [--out results.json] [--svg chart.svg] [--days 28] [--every 120]
//                                 [--day-types 3|7] [--half-life DAYS] [--lots id,id]
// Rolling-origin backtest of the lot forecast on a real data set (README "Forecasts"): prints MAE by
// horizon for the model and its anchors, per-lot skill and 80% interval coverage; writes JSON and an
// SVG chart of MAE by horizon. Progress goes to stderr.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { readDataset } from '../shared/replay/datasets';
import { maeChartSvg } from './backtest/chart';
import { type BacktestResult, PREDICTORS, runBacktest } from './backtest/evaluate';

const HELP = `usage: npm run backtest -- <data file> [options]
  --out FILE        JSON results (default bench/results/backtest-<dataset>.json)
  --svg FILE        SVG chart of MAE by horizon (default: the JSON path with .svg)
  --days N          origins over the last N days of the data (default 28)
  --every MINUTES   minutes between origins (default 120)
  --day-types 3|7   weekday/Saturday/Sunday profile, or one per weekday (default 3)
  --half-life DAYS  weight of older weeks halves every DAYS days (default: equal weights)
  --lots IDS        only these lot ids, comma-separated`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    svg: { type: 'string' },
    days: { type: 'string' },
    every: { type: 'string' },
    'day-types': { type: 'string' },
    'half-life': { type: 'string' },
    lots: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
function fail(message: string): never {
  console.error(`backtest: ${message}\n\n${HELP}`);
  process.exit(2);
}
const file = positionals[0] ?? fail('give the data file');
const positive = (text: string | undefined, name: string, fallback: number) => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!(n > 0)) fail(`${name} must be a positive number`);
  return n;
};
const dayTypes = positive(values['day-types'], '--day-types', 3);
if (dayTypes !== 3 && dayTypes !== 7) fail('--day-types must be 3 or 7');

const { format, readings } = readDataset(readFileSync(file, 'utf8'));
const started = Date.now();
const result: BacktestResult = runBacktest(readings, {
  timeZone: format.timeZone,
  evaluationDays: positive(values.days, '--days', 28),
  originEveryMinutes: positive(values.every, '--every', 120),
  dayTypes,
  ...(values['half-life'] ? { halfLifeDays: positive(values['half-life'], '--half-life', 1) } : {}),
  ...(values.lots ? { lots: values.lots.split(',') } : {}),
  progress: (m) => process.stderr.write(`backtest: ${m}\n`),
});

const label = (h: number) => (h < 60 ? `${h} min` : `${h / 60} h`);
const pad = (s: string, n: number) => s.padStart(n);
console.log(
  `${format.name}: ${result.lots} lots, ${result.origins} lot-origins from ${result.firstOrigin} to ${result.lastOrigin}`,
);
console.log(`MAE (spaces) by horizon:`);
console.log(
  `${'predictor'.padEnd(16)}${result.horizons.map((h) => pad(label(h.horizonMinutes), 9)).join('')}`,
);
for (const p of PREDICTORS)
  console.log(`${p.padEnd(16)}${result.horizons.map((h) => pad(h.mae[p].toFixed(1), 9)).join('')}`);
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
console.log(
  `${'skill vs pers.'.padEnd(16)}${result.horizons.map((h) => pad(pct(h.skillVsPersistence), 9)).join('')}`,
);
console.log(
  `${'vs HSL'.padEnd(16)}${result.horizons.map((h) => pad(pct(h.mae.hsl > 0 ? 1 - h.mae.model / h.mae.hsl : 0), 9)).join('')}`,
);
console.log(`${'80% coverage'.padEnd(16)}${result.horizons.map((h) => pad(pct(h.coverage80), 9)).join('')}`);
console.log(`${'outcomes'.padEnd(16)}${result.horizons.map((h) => pad(String(h.n), 9)).join('')}`);
console.log('skill vs persistence per lot:');
for (const lot of result.perLot)
  console.log(
    `  ${lot.lotId.padEnd(22)}${lot.horizons.map((h) => pad(h.n ? pct(h.skillVsPersistence) : '-', 7)).join('')}`,
  );
console.log(
  `model item: ${result.modelBytes.mean} bytes of JSON on average, ${result.modelBytes.max} at most`,
);

const out =
  values.out ??
  `bench/results/backtest-${basename(file, extname(file)).replace(/[^A-Za-z0-9_-]/g, '-')}.json`;
const svg = values.svg ?? `${out.replace(/\.json$/, '')}.svg`;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ dataset: format.name, file: basename(file), ranAt: new Date().toISOString(), ...result }, null, 2)}\n`,
);
mkdirSync(dirname(svg), { recursive: true });
writeFileSync(svg, maeChartSvg(result, `${format.name}: MAE by horizon`));
process.stderr.write(`backtest: ${((Date.now() - started) / 1000).toFixed(1)} s; wrote ${out} and ${svg}\n`);
