// `npm run load [-- --seconds 30 --sensors 64 --drivers 16 --max-batch 25 --seed 7 --endpoint URL --json]`
// Drives the local service with concurrent drivers and sensors on loopback for a bounded time,
// then checks that nothing was lost or doubled (scripts/load/run-load.ts). Exits 1 on any 5xx,
// connection error, lost or doubled observation, or lot whose state is not its history's replay.
import { parseArgs } from 'node:util';
import { DEFAULT_LOAD, type LoadReport, runLoad } from './load/run-load';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    sensors: { type: 'string' },
    'lots-per-sensor': { type: 'string' },
    drivers: { type: 'string' },
    'max-batch': { type: 'string' },
    seed: { type: 'string' },
    endpoint: { type: 'string' },
    json: { type: 'boolean' },
  },
});

function positive(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`--${name} must be a whole number from 1 to ${max} (got ${value})`);
    process.exit(2);
  }
  return n;
}

const report = await runLoad({
  durationSeconds: positive('seconds', values.seconds, DEFAULT_LOAD.durationSeconds, 3600),
  sensors: positive('sensors', values.sensors, DEFAULT_LOAD.sensors, 1000),
  lotsPerSensor: positive('lots-per-sensor', values['lots-per-sensor'], DEFAULT_LOAD.lotsPerSensor, 50),
  drivers: positive('drivers', values.drivers, DEFAULT_LOAD.drivers, 1000),
  maxBatch: positive('max-batch', values['max-batch'], DEFAULT_LOAD.maxBatch, 100),
  seed: positive('seed', values.seed, DEFAULT_LOAD.seed, 2 ** 31),
  resendProbability: DEFAULT_LOAD.resendProbability,
  ...(values.endpoint ? { dynamodbEndpoint: values.endpoint } : {}),
  log: (line) => console.error(line),
});

if (values.json) console.log(JSON.stringify(report, null, 2));
else print(report);
const failed =
  report.nearby.status5xx + report.ingest.status5xx + report.nearby.errors + report.ingest.errors > 0 ||
  report.invariants.lost +
    report.invariants.doubled +
    report.invariants.unexpected +
    report.invariants.lotsDiverging >
    0;
if (failed) console.error('LOAD RUN FAILED: see the figures above');
process.exit(failed ? 1 : 0);

function print(r: LoadReport) {
  const i = r.invariants;
  const row = (name: string, t: LoadReport['nearby']) =>
    `${name.padEnd(22)} ${String(t.requests).padStart(8)} ${String(t.rps).padStart(7)} ${String(t.p50Ms).padStart(7)} ${String(t.p99Ms).padStart(7)} ${String(t.status4xx).padStart(5)} ${String(t.status5xx).padStart(5)} ${String(t.errors + t.timeouts).padStart(6)}`;
  console.log(`\nload: ${r.durationSeconds} s on ${r.store}, ${r.lots} lots, ${r.sensors} sensors`);
  console.log(`${'traffic'.padEnd(22)} requests   req/s  p50 ms  p99 ms   4xx   5xx errors`);
  console.log(row('GET /v1/lots/nearby', r.nearby));
  console.log(row('POST observations', r.ingest));
  console.log(
    `observations: ${r.ingest.observationsSent} sent, ${r.ingest.observationsAccepted} accepted (${r.ingest.observationsPerSecond}/s), ${i.resentBatches} batches resent`,
  );
  console.log(
    `invariants: ${i.lost} lost, ${i.doubled} doubled, ${i.unexpected} unexpected in history, ${i.lotsDiverging} of ${i.lotsChecked} lots differ from their history's replay`,
  );
}
