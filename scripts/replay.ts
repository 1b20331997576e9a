// npm run replay -- <file> [--speed N | --as-fast-as-possible] [--lots <lot file>] [--url URL] [--key KEY]
//                         [--batch 100] [--concurrency 8] [--limit N]
// Posts a real occupancy data set through the observations API of a running service (local or
// deployed), in observation-time order, as sensors would. Understands the Birmingham CSV and the
// Aarhus CSV (naive local times, converted with the data set's IANA zone). With --lots, creates
// the lots it lacks first (Birmingham car-park metadata CSV, or a lot CSV as for /v1/lots:import).
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mapLimit } from '../shared/lib/concurrency';
import { type LotRecord, type Reading, readBirminghamLots, readDataset } from '../shared/replay/datasets';

const HELP = `usage: npm run replay -- <data file> [options]
  --speed N               replay N× faster than real time (e.g. 3600: an hour per second)
  --as-fast-as-possible   no waiting between observations (the default)
  --lots FILE             create missing lots from this file (Birmingham car-park metadata CSV)
  --url URL               service base URL (default http://127.0.0.1:3000, or PARKING_URL)
  --key KEY               staff key (default PARKING_API_KEY, or .data/admin-key)
  --batch N               observations per request, 1–100 (default 100)
  --concurrency N         requests in flight (default 8)
  --limit N               only the first N readings (in time order)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    speed: { type: 'string' },
    'as-fast-as-possible': { type: 'boolean' },
    lots: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
    batch: { type: 'string' },
    concurrency: { type: 'string' },
    limit: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function fail(message: string): never {
  console.error(`replay: ${message}\n\n${HELP}`);
  process.exit(2);
}

if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const file = positionals[0] ?? fail('give the data file to replay');
if (!existsSync(file)) fail(`no such file: ${file}`);
const base = (values.url ?? process.env.PARKING_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const key =
  values.key ??
  process.env.PARKING_API_KEY ??
  (existsSync('.data/admin-key')
    ? readFileSync('.data/admin-key', 'utf8').trim()
    : fail('give --key (a staff key)'));
const speed = values.speed === undefined ? null : Number(values.speed);
if (speed !== null && !(speed > 0)) fail('--speed must be a positive number');
if (speed !== null && values['as-fast-as-possible'])
  fail('--speed and --as-fast-as-possible exclude each other');
const batchSize = Number(values.batch ?? 100);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100) fail('--batch must be 1–100');
const concurrency = Number(values.concurrency ?? 8);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) fail('--concurrency must be 1–64');

const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

/** fetch with retries for what is worth retrying (network, 429, 503): the same event ids, so safe. */
async function call(method: string, path: string, body?: unknown): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(base + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      if ((res.status === 503 || res.status === 429) && attempt < 6) {
        const wait = Number(res.headers.get('retry-after') ?? 1) * 1000;
        await new Promise((r) => setTimeout(r, wait * (1 + Math.random())));
        continue;
      }
      return res;
    } catch (error) {
      if (attempt >= 6) throw error;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

const { format, readings: all } = readDataset(readFileSync(file, 'utf8'));
all.sort((a, b) => a.observedAt - b.observedAt || (a.eventId < b.eventId ? -1 : 1));
const readings = values.limit ? all.slice(0, Number(values.limit)) : all;
const lotIds = [...new Set(readings.map((r) => r.lotId))];
console.error(
  `${file}: ${readings.length} readings of ${lotIds.length} lots (${format.name}, times in ${format.timeZone}), ` +
    `${new Date(readings[0]?.observedAt ?? 0).toISOString()} … ${new Date(readings.at(-1)?.observedAt ?? 0).toISOString()}`,
);

// Lots: which exist; create the missing ones from --lots when given.
const lotFile: LotRecord[] = values.lots ? readBirminghamLots(readFileSync(values.lots, 'utf8')) : [];
const missing = new Set<string>();
let created = 0;
for (const id of lotIds) {
  const res = await call('GET', `/v1/lots/${encodeURIComponent(id)}`);
  if (res.status === 200) continue;
  if (res.status !== 404) fail(`GET /v1/lots/${id} answered ${res.status}: ${await res.text()}`);
  const record = lotFile.find((l) => l.lotId === id);
  if (!record) {
    missing.add(id);
    continue;
  }
  const sample = readings.find((r) => r.lotId === id)!;
  const put = await call('PUT', `/v1/lots/${encodeURIComponent(id)}`, {
    name: record.name,
    location: { lat: record.lat, lon: record.lon },
    capacity: sample.capacity || record.capacity,
    type: 'garage',
    features: [],
    timeZone: format.timeZone,
  });
  if (put.status !== 201 && put.status !== 200)
    fail(`could not create lot ${id}: ${put.status} ${await put.text()}`);
  created++;
}
if (created) console.error(`created ${created} lots from ${values.lots}`);
if (missing.size) {
  console.error(
    `skipping ${missing.size} lots that do not exist and are not in a --lots file: ${[...missing].join(', ')}`,
  );
}

// Batches of one lot's consecutive readings, in time order.
const batches: Reading[][] = [];
const open = new Map<string, Reading[]>();
for (const r of readings) {
  if (missing.has(r.lotId)) continue;
  let batch = open.get(r.lotId);
  if (
    !batch ||
    batch.length >= batchSize ||
    (speed !== null && r.observedAt - batch[0]!.observedAt > 60_000)
  ) {
    batch = [];
    open.set(r.lotId, batch);
    batches.push(batch);
  }
  batch.push(r);
}

const totals = { sent: 0, applied: 0, duplicates: 0, stale: 0, rejected: 0, failed: 0 };
const problems = new Map<string, number>();
const total = batches.reduce((s, b) => s + b.length, 0);
const started = Date.now();
const firstAt = readings[0]?.observedAt ?? 0;
let lastDraw = 0;

function progress(final = false) {
  const now = Date.now();
  if (!final && now - lastDraw < (process.stderr.isTTY ? 100 : 5000)) return;
  lastDraw = now;
  const done = totals.sent;
  const rate = done / Math.max(0.001, (now - started) / 1000);
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  const line =
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ` +
    `${rate.toFixed(0)} obs/s applied ${totals.applied} dup ${totals.duplicates} stale ${totals.stale}` +
    (totals.rejected + totals.failed ? ` rejected ${totals.rejected} failed ${totals.failed}` : '');
  process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
}

async function replayBatch(batch: Reading[]): Promise<void> {
  if (speed !== null) {
    // Real-time pacing: wait until this batch's first observation is due at the chosen speed.
    const due = started + (batch[0]!.observedAt - firstAt) / speed;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  }
  const res = await call('POST', `/v1/lots/${encodeURIComponent(batch[0]!.lotId)}/observations`, {
    observations: batch.map((r) => ({
      eventId: r.eventId,
      observedAt: new Date(r.observedAt).toISOString(),
      occupied: r.occupied,
    })),
  }).catch((error: Error) => error);
  totals.sent += batch.length;
  if (res instanceof Error) {
    totals.failed += batch.length;
    problems.set(res.message, (problems.get(res.message) ?? 0) + 1);
  } else if (res.status === 200) {
    const body = (await res.json()) as { applied: number; duplicates: number; stale: number };
    totals.applied += body.applied;
    totals.duplicates += body.duplicates;
    totals.stale += body.stale;
  } else {
    const detail = ((await res.json().catch(() => ({}))) as { detail?: string }).detail ?? res.statusText;
    if (res.status < 500) totals.rejected += batch.length;
    else totals.failed += batch.length;
    const label = `${res.status} ${detail}`;
    problems.set(label, (problems.get(label) ?? 0) + 1);
  }
  progress();
}
await mapLimit(batches, concurrency, replayBatch);
progress(true);
const seconds = (Date.now() - started) / 1000;
console.error(
  `\n\nreplayed ${totals.sent} observations in ${seconds.toFixed(1)} s (${(totals.sent / seconds).toFixed(0)} obs/s): ` +
    `${totals.applied} applied, ${totals.duplicates} duplicates, ${totals.stale} stale, ` +
    `${totals.rejected} rejected, ${totals.failed} failed`,
);
for (const [problem, count] of problems) console.error(`  ${count}× ${problem}`);
process.exit(totals.failed + totals.rejected > 0 ? 1 : 0);
