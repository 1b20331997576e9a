// An independent, slow forecast from a history, written from the definitions in README
// "Forecasts" rather than from the module: minute by minute instead of segment by segment, local
// time from Intl.formatToParts instead of zone offsets, plain loops instead of sums kept per slot.
import type { OccupancyStep } from '../../../shared/domain/observation';

const MIN = 60_000;
const Q = 15 * MIN;
const DAY = 86_400_000;
const HORIZONS = [15, 30, 60, 120, 240, 480, 720, 1080, 1440];

function local(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  const dayKey = `${get('year')}-${get('month')}-${get('day')}`;
  return { weekday, dayKey, quarter: Number(get('hour')) * 4 + Math.floor(Number(get('minute')) / 15) };
}

function slotOf(ms: number, timeZone: string, dayTypes: 3 | 7) {
  const l = local(ms, timeZone);
  const type = dayTypes === 7 ? l.weekday : l.weekday === 6 ? 1 : l.weekday === 0 ? 2 : 0;
  return { slot: type * 96 + l.quarter, dayKey: l.dayKey };
}

/** Mean occupancy over the covered minutes of [q, q + 15 min), from steps before q + 15 min only. */
export function quarterMean(steps: readonly OccupancyStep[], q: number, staleMs: number) {
  const seen = steps.filter((s) => s.at < q + Q);
  let covered = 0;
  let integral = 0;
  for (let m = q; m < q + Q; m += MIN) {
    let a: OccupancyStep | undefined;
    let b: OccupancyStep | undefined;
    for (const [k, s] of seen.entries())
      if (s.at <= m) {
        a = s;
        b = seen[k + 1];
      }
    if (!a) continue;
    if (b && b.at - a.at <= staleMs) {
      const mid = m + MIN / 2;
      integral += (a.occupied + ((b.occupied - a.occupied) * (mid - a.at)) / (b.at - a.at)) * MIN;
      covered += MIN;
    } else if (m < a.at + staleMs && (!b || m < b.at)) {
      integral += a.occupied * MIN;
      covered += MIN;
    }
  }
  return covered > 0 ? { covered, integral } : null;
}

const rank = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : 0;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const clamp = (x: number, c: number) => Math.min(c, Math.max(0, x));

export function bruteForecast(
  allSteps: readonly OccupancyStep[],
  o: {
    capacity: number;
    staleMs: number;
    asOf: number;
    horizons: number[];
    timeZone: string;
    halfLife: number;
  },
) {
  const steps = allSteps.filter((s) => s.at <= o.asOf);
  const last = steps[steps.length - 1];
  const nulls = o.horizons.map(() => null);
  if (!last) return { occupied: nulls, low: nulls, high: nulls };
  const qs: {
    start: number;
    slot: number;
    dayKey: string;
    mean: number;
    /** Covered ms, unweighted. */
    c: number;
    w: number;
    wi: number;
    wc: number;
  }[] = [];
  for (let q = Math.floor(steps[0]!.at / Q) * Q; q + Q <= o.asOf; q += Q) {
    const f = quarterMean(steps, q, o.staleMs);
    if (!f) continue;
    const w = 2 ** (-((o.asOf - q) / DAY) / o.halfLife);
    qs.push({
      start: q,
      ...slotOf(q, o.timeZone, 3),
      mean: f.integral / f.covered,
      c: f.covered,
      w,
      wi: f.integral * w,
      wc: f.covered * w,
    });
  }
  const profile = (slot: number, except: typeof qs = []) => {
    const mine = qs.filter((x) => x.slot === slot);
    if (mine.reduce((a, x) => a + x.c, 0) < 2 * Q) return null;
    const rest = mine.filter((x) => !except.includes(x));
    if (rest.length === 0) return null;
    return rest.reduce((a, x) => a + x.wi, 0) / rest.reduce((a, x) => a + x.wc, 0);
  };
  const days = new Set(qs.map((x) => x.dayKey)).size;
  const phi: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const plo: number[] = [];
  const phi_: number[] = [];
  for (const h of HORIZONS) {
    const pairs: [number, number, number][] = [];
    const pers: number[] = [];
    for (const x of qs) {
      const y = qs.find((z) => z.start === x.start + h * MIN);
      if (!y) continue;
      pers.push(y.mean - x.mean);
      const p0 = profile(x.slot, [x, y]);
      const p1 = profile(y.slot, [x, y]);
      if (p0 === null || p1 === null) continue;
      pairs.push([x.mean - p0, y.mean - p1, x.w]);
    }
    const num = pairs.reduce((a, [a0, a1, w]) => a + a0 * a1 * w, 0);
    const den = pairs.reduce((a, [a0, , w]) => a + a0 * a0 * w, 0);
    const f = den > 0 ? Math.round(Math.min(1, Math.max(0, num / den)) * 1000) / 1000 : 0;
    const errs = pairs.map(([a0, a1]) => a1 - f * a0);
    phi.push(f);
    lo.push(r1(rank(errs, 0.1)));
    hi.push(r1(rank(errs, 0.9)));
    plo.push(r1(rank(pers, 0.1)));
    phi_.push(r1(rank(pers, 0.9)));
  }
  const line = (vals: number[], zero: number, m: number) => {
    const xs = [0, ...HORIZONS];
    const ys = [zero, ...vals];
    if (m >= 1440) return ys[ys.length - 1]!;
    for (let i = 1; i < xs.length; i++)
      if (m <= xs[i]!) return ys[i - 1]! + ((ys[i]! - ys[i - 1]!) * (m - xs[i - 1]!)) / (xs[i]! - xs[i - 1]!);
    return zero;
  };
  const storedProfile = (t: number) => {
    const p = profile(slotOf(t, o.timeZone, 3).slot);
    return p === null ? null : r1(p);
  };
  const profileAt = (t: number) => {
    const own = storedProfile(t);
    if (own === null) return null;
    const into = (t % Q) / Q - 0.5;
    const n = storedProfile(into < 0 ? t - Q : t + Q);
    return n === null ? own : own + (n - own) * Math.abs(into);
  };
  const out = { occupied: [] as number[], low: [] as number[], high: [] as number[] };
  for (const h of o.horizons) {
    const at = o.asOf + h * MIN;
    const age = (at - last.at) / MIN;
    const pNow = days >= 7 ? profileAt(last.at) : null;
    const pAt = days >= 7 ? profileAt(at) : null;
    let c: number;
    let l: number;
    let u: number;
    if (pNow !== null && pAt !== null) {
      c = pAt + line(phi, 1, age) * (last.occupied - pNow);
      l = line(lo, 0, age);
      u = line(hi, 0, age);
    } else {
      c = last.occupied;
      l = line(plo, 0, age);
      u = line(phi_, 0, age);
    }
    const occ = clamp(Math.round(c), o.capacity);
    out.occupied.push(occ);
    out.low.push(Math.min(occ, clamp(Math.floor(c + l), o.capacity)));
    out.high.push(Math.max(occ, clamp(Math.ceil(c + u), o.capacity)));
  }
  return out;
}
