// The pages' number formatting (web/lib/format.ts, browser code with no DOM use; in English here, as
// outside a page), over every value the API can send: distances are whole metres up to the 50 km
// search radius, ages whole seconds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmtAge, fmtDistance, fmtInt, fmtPct } from '../../web/lib/format';

/** Metres back from "412 m" or "2.5 km". */
function metres(text: string): number {
  const m = /^(\d+(?:\.\d)?) (m|km)$/.exec(text);
  if (!m) throw new Error(`not a distance: ${text}`);
  return Number(m[1]) * (m[2] === 'km' ? 1000 : 1);
}

describe('page formatting', () => {
  it('writes every distance up to 50 km in metres below 1 km, else in km, to within half a step', () => {
    for (let d = 0; d <= 50_000; d++) {
      const text = fmtDistance(d);
      expect(text.endsWith(d < 1000 ? ' m' : ' km'), text).toBe(true);
      expect(Math.abs(metres(text) - d), text).toBeLessThanOrEqual(d < 10_000 ? 50 : 500);
    }
    // Fractions of a metre (the plot's ring labels) never read "1000 m".
    expect(fmtDistance(999.6)).toBe('1 km');
  });

  it('writes ages in the largest unit that keeps them readable, never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -60, max: 10 * 365 * 86_400 }), (s) => {
        const text = fmtAge(s);
        // Intl.RelativeTimeFormat's short English: "30 sec ago", "5 min ago", "3 hr ago", "1 day ago".
        const m = /^([\d,]+) (sec|min|hr|days?) ago$/.exec(text);
        expect(m, text).not.toBeNull();
        const unit = { sec: 1, min: 60, hr: 3600, day: 86_400, days: 86_400 }[
          m![2] as 'sec' | 'min' | 'hr' | 'day' | 'days'
        ];
        expect(
          Math.abs(Number(m![1]!.replaceAll(',', '')) * unit - Math.max(0, s)),
          text,
        ).toBeLessThanOrEqual(unit / 2);
      }),
    );
    expect(fmtAge(null)).toBe('never');
  });

  it('shows a dash, not 0 or NaN, where a figure is missing', () => {
    expect(fmtPct(null)).toBe('–');
    expect(fmtInt(null)).toBe('–');
    expect(fmtPct(0.2567, 1)).toBe('25.7%');
    expect(fmtInt(3053.4)).toBe('3,053');
  });
});
