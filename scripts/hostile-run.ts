// Replays the hostile requests of README "Limits" against a real `npm start` (fresh DATA_DIR,
// demo data, a free port), as a user would start it: each case's statuses, time and the worst
// /health time a pinger measured every 100 ms meanwhile, then SIGTERM and the time to exit.
// Verdict per case: only 2xx/4xx (4xx as problem+json), within a few seconds, /health < 1 s.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CASE_SECONDS = 5;
const HEALTH_MS = 1000;
const dataDir = mkdtempSync(join(tmpdir(), 'hostile-'));
const adminKey = `hostile-${randomBytes(16).toString('hex')}`;
const child = spawn('npm', ['start'], {
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    ADMIN_API_KEY: adminKey,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stderr.on('data', (d) => {
  output += d;
});
const base: string = await new Promise((resolve, reject) => {
  child.stdout.on('data', (d) => {
    output += d;
    const m = /running at (http:\/\/\S+)/.exec(output);
    if (m?.[1]) resolve(m[1]);
  });
  child.on('exit', (code) => reject(new Error(`npm start exited ${code}\n${output}`)));
});
const staff = { authorization: `Bearer ${adminKey}` };

interface Answer {
  status: number;
  problem: boolean;
  ms: number;
}
async function call(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Answer> {
  const start = performance.now();
  const headers = new Headers(init.headers);
  // Staff by default (reports and history are staff routes); the throttle cases send their own.
  if (!headers.has('authorization')) headers.set('authorization', staff.authorization);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(base + path, { ...init, headers, body, signal: AbortSignal.timeout(60_000) });
  await res.arrayBuffer();
  const problem = (res.headers.get('content-type') ?? '').startsWith('application/problem+json');
  return { status: res.status, problem, ms: performance.now() - start };
}

/** Worst /health time while `work` runs, pinged every 100 ms. */
async function withPinger<T>(work: () => Promise<T>): Promise<{ value: T; worstHealth: number }> {
  let worst = 0;
  let done = false;
  const pinger = (async () => {
    while (!done) {
      const t0 = performance.now();
      try {
        await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.arrayBuffer());
      } catch {
        worst = Math.max(worst, 10_000);
      }
      worst = Math.max(worst, performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    return { value: await work(), worstHealth: worst };
  } finally {
    done = true;
    await pinger;
    // the pinger's last ping may end after work: it is included above via `worst` at return time
  }
}

interface Row {
  finding: string;
  what: string;
  statuses: string;
  ms: number;
  health: number;
  ok: boolean;
  note: string;
}
const rows: Row[] = [];
async function hostileCase(
  finding: string,
  what: string,
  work: () => Promise<Answer[]>,
  expect: (a: Answer[]) => string = () => '',
  limitSeconds = CASE_SECONDS,
): Promise<void> {
  const t0 = performance.now();
  let answers: Answer[] = [];
  let failure = '';
  let worstHealth = 0;
  try {
    const r = await withPinger(work);
    answers = r.value;
    worstHealth = r.worstHealth;
  } catch (error) {
    failure = String(error);
  }
  const ms = performance.now() - t0;
  const counts = new Map<number, number>();
  for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  const statuses = [...counts].map(([s, n]) => (n > 1 ? `${s}×${n}` : `${s}`)).join(' ');
  const bad = answers.filter((a) => a.status >= 500 || (a.status >= 400 && !a.problem));
  const note = failure || (bad.length > 0 ? `${bad.length} 5xx or non-problem 4xx` : expect(answers));
  const ok = note === '' && ms < limitSeconds * 1000 && worstHealth < HEALTH_MS;
  rows.push({ finding, what, statuses, ms, health: worstHealth, ok, note });
}
const all = (paths: string[], init?: RequestInit & { json?: unknown }) =>
  Promise.all(paths.map((p) => call(p, init)));
const want =
  (...codes: number[]) =>
  (a: Answer[]) =>
    a.every((x) => codes.includes(x.status)) ? '' : `wanted ${codes.join('/')}`;

// 9: connections that send nothing / half a request, in parallel with the rest.
function silentSocket(half: boolean): Promise<{ ms: number; reply: string }> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const t0 = performance.now();
    let reply = '';
    const s = connect(Number(url.port), url.hostname, () => {
      if (half) s.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    });
    s.on('data', (d) => {
      reply += d;
    });
    const end = () => resolve({ ms: performance.now() - t0, reply: reply.split('\r\n')[0] ?? '' });
    s.on('close', end);
    s.on('error', () => {});
    setTimeout(() => s.destroy(), 60_000);
  });
}
const sockets = Promise.all([silentSocket(false), silentSocket(true)]);

const lot = (timeZone: string, capacity = 50, zone = 'hostile') => ({
  name: 'Hostile lot',
  location: { lat: 52.4791, lon: -1.8925 },
  capacity,
  type: 'surface',
  zone,
  timeZone,
  staleAfterSeconds: 3600,
});
const put = (id: string, body: unknown) =>
  call(`/v1/lots/${id}`, { method: 'PUT', headers: staff, json: body });
for (const [id, tz] of [
  ['h-london', 'Europe/London'],
  ['h-kiri', 'Pacific/Kiritimati'],
  ['h-ny', 'America/New_York'],
] as const)
  await put(id, lot(tz));

const R = '/v1/reports/utilization';
await hostileCase('1', 'London 1847 hour report', () =>
  all([`${R}?lotId=h-london&bucket=hour&from=1847-11-30T00:00:00Z&to=1847-11-30T02:00:00Z`]),
);
await hostileCase('1', 'Kiritimati 1975 / 1995 hour', () =>
  all([
    `${R}?lotId=h-kiri&bucket=hour&from=1975-01-01T00:00:00Z&to=1975-01-02T00:00:00Z`,
    `${R}?lotId=h-kiri&bucket=hour&from=1994-12-30T00:00:00Z&to=1995-01-02T00:00:00Z`,
  ]),
);
await hostileCase('1', 'New York 1883 hour report', () =>
  all([`${R}?lotId=h-ny&bucket=hour&from=1883-11-18T00:00:00Z&to=1883-11-19T00:00:00Z`]),
);
await hostileCase('1', 'heatmap from 1800', () =>
  all([
    '/v1/reports/heatmap?lotId=h-london&from=1800-01-01T00:00:00Z&to=1800-12-31T00:00:00Z',
    '/v1/reports/heatmap?lotId=h-london&from=1970-01-01T00:00:00Z&to=1970-12-31T00:00:00Z',
  ]),
);

const N = '/v1/lots/nearby';
await hostileCase('2', '50 km at Birmingham', () => all([`${N}?lat=52.4797&lon=-1.9026&radius=50000`]));
await hostileCase('2', '50 km at 80° N and 84° N', () =>
  all([
    `${N}?lat=80&lon=10&radius=50000`,
    `${N}?lat=84&lon=10&radius=50000`,
    `${N}?lat=84.4&lon=179.9&radius=50000`,
  ]),
);
await hostileCase(
  '2',
  '20 × 50 km at once + a 1 km query',
  async () => {
    const wide = all(Array.from({ length: 20 }, (_, i) => `${N}?lat=${60 + i}&lon=${i * 9}&radius=50000`));
    await new Promise((r) => setTimeout(r, 50));
    const ordinary = await call(`${N}?lat=52.4797&lon=-1.9026&radius=1000`);
    return [...(await wide), ordinary];
  },
  (a) => (a.at(-1)?.status === 200 ? '' : 'ordinary query not 200'),
  15,
);

await hostileCase(
  '3',
  '25 bad keys, fresh X-Forwarded-For, then valid',
  async () => {
    const bad = [];
    for (let i = 0; i < 25; i++)
      bad.push(
        await call('/v1/keys', {
          headers: { authorization: `Bearer wrong-${i}-xxxxxxxxxxxxxxxx`, 'x-forwarded-for': `10.0.${i}.1` },
        }),
      );
    return [...bad, await call('/v1/keys', { headers: staff })];
  },
  (a) => (a.slice(0, -1).some((x) => x.status === 429) ? '' : 'never throttled'),
  15,
);
await hostileCase(
  '3',
  "20 bad naming someone else's address",
  async () => {
    const bad = [];
    for (let i = 0; i < 20; i++)
      bad.push(
        await call('/v1/keys', {
          headers: { authorization: `Bearer wrong-${i}-xxxxxxxxxxxxxxxx`, 'x-forwarded-for': '203.0.113.9' },
        }),
      );
    return bad;
  },
  want(401, 429),
  15,
);
// The throttle locks out this (local) client for a while: the rest goes on once it lets go.
async function untilUnthrottled(): Promise<number> {
  const t0 = performance.now();
  while ((await call('/v1/keys', { headers: staff })).status === 429)
    await new Promise((r) => setTimeout(r, 1000));
  return performance.now() - t0;
}
const throttledFor = await untilUnthrottled();

// 4: delete and re-create.
const obs = (id: string, observations: unknown[], headers = staff) =>
  call(`/v1/lots/${id}/observations`, { method: 'POST', headers, json: { observations } });
const now = `${new Date(Date.now() - 3600_000).toISOString().slice(0, 19)}Z`;
await put('h-reuse', lot('Europe/London', 50, 'reuse'));
const keyRes = await fetch(`${base}/v1/keys`, {
  method: 'POST',
  headers: { ...staff, 'content-type': 'application/json' },
  body: JSON.stringify({ role: 'sensor', lots: ['h-reuse'], label: 'gate' }),
});
const oldSensor = { authorization: `Bearer ${((await keyRes.json()) as { secret: string }).secret}` };
const batch = [{ eventId: 'e1', observedAt: now, occupied: 17 }];
await obs('h-reuse', batch, oldSensor);
await hostileCase('4', 'delete, re-create (cap 5), resend old batch', async () => {
  const out = [await call('/v1/lots/h-reuse', { method: 'DELETE', headers: staff })];
  out.push(await put('h-reuse', lot('Europe/London', 5, 'reuse')));
  const resent = await fetch(`${base}/v1/lots/h-reuse/observations`, {
    method: 'POST',
    headers: { ...staff, 'content-type': 'application/json' },
    body: JSON.stringify({ observations: [{ eventId: 'e1', observedAt: now, occupied: 4 }] }),
  });
  const body = (await resent.json()) as { applied?: number };
  out.push({ status: resent.status, problem: false, ms: 0 });
  if (body.applied !== 1) throw new Error(`resend applied ${body.applied}`);
  return out;
});
await hostileCase('4', 'capacity-5 report peak, old key, key for no lot', async () => {
  const from = `${new Date(Date.now() - 3 * 3600_000).toISOString().slice(0, 13)}:00:00Z`;
  const to = `${new Date(Date.now() + 3600_000).toISOString().slice(0, 13)}:00:00Z`;
  const rep = await fetch(`${base}${R}?lotId=h-reuse&bucket=day&from=${from}&to=${to}`, { headers: staff });
  const text = await rep.text();
  const peaks = [...text.matchAll(/"peakOccupied":(\d+)/g)].map((m) => Number(m[1]));
  if (peaks.some((p) => p > 5)) throw new Error(`peak ${Math.max(...peaks)} > 5`);
  const stale = await obs('h-reuse', [{ eventId: 'e2', observedAt: now, occupied: 3 }], oldSensor);
  const ghost = await call('/v1/keys', {
    method: 'POST',
    headers: staff,
    json: { role: 'sensor', lots: ['no-such-lot'], label: 'x' },
  });
  if (stale.status < 400 || ghost.status < 400)
    throw new Error(`old key ${stale.status}, ghost key ${ghost.status}`);
  return [{ status: rep.status, problem: false, ms: 0 }, stale, ghost];
});

// 5: cursors and the time domain.
const H = '/v1/lots/h-reuse/observations';
await hostileCase(
  '5',
  'tampered cursors / reused with another to',
  async () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const hourAgo = (h: number) => `${new Date(Date.now() - h * 3600_000).toISOString().slice(0, 19)}Z`;
    const range = `from=${hourAgo(24)}&to=${hourAgo(0)}`;
    const cursors = [
      '',
      'x'.repeat(5000),
      enc({}),
      enc({ l: '', f: 0, t: 0, a: 0, e: '' }),
      enc({ l: 'h-reuse', f: 0, t: 1, a: 9e15, e: 'x'.repeat(3000) }),
      enc({ l: 'h-reuse', f: -1e20, t: 1e20, a: -5, e: 'gen' }),
    ];
    const out = await all(cursors.map((c) => `${H}?${range}&cursor=${encodeURIComponent(c)}`));
    // History pages hold 1000: 1200 observations give a genuine second-page cursor.
    for (let b = 0; b < 12; b++)
      await obs(
        'h-reuse',
        Array.from({ length: 100 }, (_, i) => ({
          eventId: `p${b}-${i}`,
          observedAt: `${new Date(Date.now() - 20 * 3600_000 + (b * 100 + i) * 60_000).toISOString().slice(0, 19)}Z`,
          occupied: i % 5,
        })),
      );
    const first = await fetch(`${base}${H}?${range}`, { headers: staff });
    const next = ((await first.json()) as { nextCursor?: string }).nextCursor;
    if (next === undefined) throw new Error(`no nextCursor (${first.status})`);
    out.push(await call(`${H}?from=${hourAgo(24)}&to=${hourAgo(1)}&cursor=${encodeURIComponent(next)}`));
    return out;
  },
  want(200, 400),
);
await hostileCase(
  '5',
  'ranges before 1970 / after 2286, observation 1969',
  async () => [
    ...(await all([
      `${H}?from=1960-01-01T00:00:00Z&to=1961-01-01T00:00:00Z`,
      `${H}?from=2287-01-01T00:00:00Z&to=2287-02-01T00:00:00Z`,
      `${R}?zone=reuse&bucket=day&from=1960-01-01T00:00:00Z&to=1960-02-01T00:00:00Z`,
      `${R}?zone=reuse&bucket=day&from=2290-01-01T00:00:00Z&to=2290-02-01T00:00:00Z`,
    ])),
    await obs('h-reuse', [{ eventId: 'old', observedAt: '1969-12-31T23:00:00Z', occupied: 1 }]),
  ],
  want(400),
);
await hostileCase('6', 'observation 1970-01-01, then zone report', async () => [
  await obs('h-reuse', [{ eventId: 'epoch', observedAt: '1970-01-01T00:00:00Z', occupied: 1 }]),
  await call(`${R}?zone=reuse&bucket=day&from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z`),
]);
await hostileCase('7', 'all lots: a year of days, 745 hours', () =>
  all([
    `${R}?bucket=day&from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z`,
    `${R}?bucket=hour&from=2026-01-01T00:00:00Z&to=2026-02-01T01:00:00Z`,
    '/v1/reports/heatmap?from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z',
  ]),
);
await hostileCase('8', 'years 0000–0099, offsets with seconds', async () => {
  const out = await all([
    `${R}?lotId=h-london&bucket=day&from=0000-01-01T00:00:00Z&to=0000-01-02T00:00:00Z`,
    `${R}?lotId=h-london&bucket=day&from=0099-01-01T00:00:00Z&to=0099-01-02T00:00:00Z`,
    `${H}?from=0050-01-01T00:00:00Z&to=0051-01-01T00:00:00Z`,
  ]);
  await put('h-monrovia', lot('Africa/Monrovia'));
  const r = await fetch(
    `${base}${R}?lotId=h-monrovia&bucket=hour&from=1971-01-01T00:00:00Z&to=1971-01-01T03:00:00Z`,
    { headers: staff },
  );
  const text = await r.text();
  if (r.status === 200 && /[+-]\d\d:\d\d\.\d|[+-]\d{3,}:/.test(text)) throw new Error('bad offset');
  return [...out, { status: r.status, problem: r.status >= 400, ms: 0 }];
});

const imp = (body: string, type: string) =>
  call('/v1/lots:import', { method: 'POST', headers: { ...staff, 'content-type': type }, body });
const feature = (props: Record<string, unknown>, coordinates: unknown = [-1.894, 52.477]) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates },
  properties: { name: 'Imp', capacity: 10, ...props },
});
await hostileCase('10', 'import "12", [true,[52]], "0x10", true, bad id, TEXT/CSV', async () => {
  const fc = {
    type: 'FeatureCollection',
    features: [
      feature({ capacity: '12' }),
      feature({}, [true, [52]]),
      feature({ capacity: '0x10' }),
      feature({ capacity: true }),
      feature({ id: 'NOT AN ID!' }),
    ],
  };
  const r = await fetch(`${base}/v1/lots:import?dryRun=true`, {
    method: 'POST',
    headers: { ...staff, 'content-type': 'application/json' },
    body: JSON.stringify(fc),
  });
  const body = (await r.json()) as { rejected?: unknown[] };
  if ((body.rejected?.length ?? 0) !== 5) throw new Error(`rejected ${body.rejected?.length} of 5`);
  const csv = await imp('name,lat,lon,capacity\nCsv Lot,52.47,-1.89,10\n', 'TEXT/CSV');
  return [{ status: r.status, problem: false, ms: 0 }, csv];
});
await hostileCase('11', 'tz=europe/london, /docs headers, odd names', async () => {
  const lower = await put('h-lower', lot('europe/london'));
  const stored = (await (await fetch(`${base}/v1/lots/h-lower`, { headers: staff })).json()) as {
    timeZone?: string;
  };
  if (lower.status < 300 && stored.timeZone !== 'Europe/London') throw new Error(`stored ${stored.timeZone}`);
  const docs = await fetch(`${base}/docs`);
  await docs.arrayBuffer();
  const h = docs.headers;
  const csp = h.get('content-security-policy') ?? '';
  if (
    !csp ||
    !(h.get('x-frame-options') || csp.includes('frame-ancestors')) ||
    h.get('x-content-type-options') !== 'nosniff'
  )
    throw new Error('/docs security headers missing');
  const names = await Promise.all(
    ['Bad\u0000name', '\u200b\u200b', 'Lot \u202egnp.exe'].map((name, i) =>
      put(`h-name${i}`, { ...lot('Europe/London'), name }),
    ),
  );
  if (names.some((n) => n.status !== 400)) throw new Error(`names ${names.map((n) => n.status)}`);
  return [lower, { status: docs.status, problem: false, ms: 0 }, ...names];
});

const [silent, half] = await sockets;
for (const [what, s] of [
  ['connection sending nothing', silent],
  ['half a request', half],
] as const)
  rows.push({
    finding: '9',
    what,
    statuses: s.reply || 'closed',
    ms: s.ms,
    health: 0,
    ok: s.ms < 35_000,
    note: s.reply ? '' : '',
  });

const t0 = performance.now();
const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
child.kill('SIGTERM');
const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 10_000))]);
const exitMs = performance.now() - t0;
rows.push({
  finding: '—',
  what: 'SIGTERM to npm start',
  statuses: `exit ${code}`,
  ms: exitMs,
  health: 0,
  ok: code !== 'timeout' && exitMs < 5000,
  note: '',
});
if (code === 'timeout') child.kill('SIGKILL');
rmSync(dataDir, { recursive: true, force: true });

const pad = (s: string, n: number) => s.padEnd(n).slice(0, n);
console.log(`\nthrottle lockout of this client after finding 3: ${(throttledFor / 1000).toFixed(1)} s`);
console.log(
  `${pad('#', 3)} ${pad('case', 50)} ${pad('statuses', 26)} ${'ms'.padStart(7)} ${'health ms'.padStart(9)}  verdict`,
);
for (const r of rows)
  console.log(
    `${pad(r.finding, 3)} ${pad(r.what, 50)} ${pad(r.statuses, 26)} ${r.ms.toFixed(0).padStart(7)} ${r.health.toFixed(0).padStart(9)}  ${r.ok ? 'ok' : `FAIL ${r.note}`}`,
  );
const failed = rows.filter((r) => !r.ok).length;
console.log(failed === 0 ? '\nall cases held' : `\n${failed} case(s) failed`);
process.exit(failed === 0 ? 0 : 1);
