// The backtest on a slice of the real Birmingham data: the model must beat persistence at 1 h.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../scripts/backtest/evaluate';
import { readDataset } from '../../../shared/replay/datasets';

const FILE = '../shared/data/birmingham/birmingham-parking-shared.csv';
const present = existsSync(FILE);
if (!present) console.warn(`skipping the Birmingham backtest: ${FILE} is absent`);

describe.skipIf(!present)('backtest on Birmingham', () => {
  it('beats persistence at 1 h on three car parks over their last week', { timeout: 120_000 }, () => {
    const { format, readings } = readDataset(readFileSync(FILE, 'utf8'));
    const result = runBacktest(readings, {
      timeZone: format.timeZone,
      evaluationDays: 7,
      lots: ['bull-ring', 'bhmbccmkt01', 'others-cccps133'],
    });
    const hour = result.horizons.find((h) => h.horizonMinutes === 60)!;
    expect(result.lots).toBe(3);
    expect(hour.n).toBeGreaterThan(50);
    expect(hour.mae.model).toBeLessThan(hour.mae.persistence);
  });
});
