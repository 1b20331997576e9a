// Zone rollups store a zone's summed peak per quarter hour; a bucket's summed peak is those
// quarters combined. That is exact only if combining pieces gives what one sweep over the whole
// bucket gives (first maximum, first minimum), whatever the steps: checked here on arbitrary ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summedPeaks } from '../../../shared/domain/utilization/rows';
import { EMPTY_SUMMARY, QUARTER_MS, type Summary } from '../../../shared/domain/utilization/summary';
import { combinePeak, zoneDayQuarters } from '../../../shared/domain/utilization/zone-quarters';

const DAY = 86_400_000;
const day = Date.UTC(2026, 9, 25);

const member = fc.record({
  staleAfterMs: fc.integer({ min: 1, max: 6 * 3_600_000 }),
  steps: fc
    .array(
      fc.record({
        at: fc.integer({ min: day - 8 * 3_600_000, max: day + DAY + 3_600_000 }),
        occupied: fc.integer({ min: -3, max: 60 }),
      }),
      { maxLength: 40 },
    )
    .map((steps) => steps.sort((a, b) => a.at - b.at).map((s, i) => ({ ...s, eventId: `e${i}` }))),
});

const figures = (s: Summary) => ({ peak: s.peak, peakAt: s.peakAt, min: s.min, minAt: s.minAt });

describe('zone quarters', () => {
  it('combine into the summed peak of any run of whole quarters of the day', () => {
    fc.assert(
      fc.property(
        fc.array(member, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 95 }),
        fc.integer({ min: 1, max: 96 }),
        (members, q0, n) => {
          const quarters = zoneDayQuarters(members, day);
          const q1 = Math.min(96, q0 + n);
          const combined: Summary = { ...EMPTY_SUMMARY };
          for (let q = q0; q < q1; q++) combinePeak(combined, quarters[q]!);
          const whole = summedPeaks(members, day + q0 * QUARTER_MS, day + q1 * QUARTER_MS);
          expect(figures(combined)).toEqual(figures(whole));
        },
      ),
      { numRuns: 300 },
    );
  });
});
