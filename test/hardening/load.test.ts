// The short version of `npm run load` (scripts/load.ts): a few seconds of concurrent drivers and
// sensors against the local service on loopback, with resends and late observations; then nothing
// may be lost or doubled, and every lot's state must be the replay of its history.
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../scripts/load/run-load';

describe('load (short)', () => {
  it('accepts every observation exactly once under concurrent sensors and drivers, with no 5xx', async () => {
    const lines: string[] = [];
    const report = await runLoad({
      durationSeconds: 4,
      sensors: 12,
      lotsPerSensor: 2,
      drivers: 4,
      maxBatch: 25,
      seed: 11,
      resendProbability: 0.25,
      log: (line) => lines.push(line),
    });
    console.log(`[load] ${JSON.stringify({ nearby: report.nearby, ingest: report.ingest })}`);
    console.log(lines.map((line) => `[load] ${line}`).join('\n'));
    // It did exercise what it checks: answered queries, accepted batches, resent batches.
    expect(report.nearby.status2xx).toBeGreaterThan(0);
    expect(report.ingest.observationsAccepted).toBeGreaterThan(50);
    expect(report.invariants.resentBatches).toBeGreaterThan(0);
    expect({
      nearby5xx: report.nearby.status5xx,
      ingest5xx: report.ingest.status5xx,
      ingest4xx: report.ingest.status4xx,
      errors: report.nearby.errors + report.ingest.errors,
    }).toEqual({ nearby5xx: 0, ingest5xx: 0, ingest4xx: 0, errors: 0 });
    expect(report.invariants).toMatchObject({ lost: 0, doubled: 0, unexpected: 0, lotsDiverging: 0 });
    expect(report.invariants.lotsChecked).toBe(24);
  });
});
