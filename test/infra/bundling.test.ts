// The bundle's own build of opening_hours (infra/bundling.ts drops its holiday tables) evaluates
// every value as the published build does: the library is built through the plugin alone, then both
// builds are asked the same questions — valid values, foreign day names the parser accepts, values
// with PH/SH, malformed ones — at instants over several years.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import OpeningHours from 'opening_hours';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openingHoursWithoutHolidays, zodEnglishOnly } from '../../infra/bundling';

type Evaluator = typeof OpeningHours;

const VALUES = [
  'Mo-Fr 08:00-18:00; Sa 09:00-12:00',
  '24/7',
  'Fr 18:00-02:00',
  'sunrise-sunset',
  'Mo-Su 09:00-17:00; Dec 25 off',
  'Mo-Fr 07:30-19:00, Sa 10:00-14:00 "by appointment"',
  'Montag-Freitag 08:00-18:00', // foreign day names: the parser's cross-locale tables stay
  'lundi 08:00-18:00',
  'Lu-Ve 08:00-18:00',
  'PH off',
  'Mo-Fr 08:00-18:00; PH off',
  'Mo-Fr 08:00-18:00; SH 10:00-12:00',
  'open when the attendant is in',
  '',
];
const PLACES = [
  { lat: 0, lon: 0, address: { country_code: '', state: '' } }, // as shared/domain/opening-hours.ts asks
  { lat: 52.48, lon: -1.9, address: { country_code: '', state: '' } },
];

/** What a build answers for one value at a few instants: states, next changes, warnings, or the error. */
function answers(Evaluator: Evaluator, value: string, place: (typeof PLACES)[number]) {
  try {
    const parsed = new Evaluator(value, place, 0);
    const at = [];
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 37 * 3_600_000 + 61_000) {
      const d = new Date(t);
      at.push([
        parsed.getStateString(d, false),
        parsed.getNextChange(d, new Date(t + 7 * 86_400_000))?.getTime(),
      ]);
    }
    return { warnings: parsed.getWarnings(), at };
  } catch (error) {
    return { error: String(error) };
  }
}

describe("the bundle's opening_hours build", () => {
  let dir: string;
  let slim: Evaluator;
  let slimSource: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oh-slim-'));
    const result = await build({
      stdin: {
        contents: "export { default } from 'opening_hours';",
        resolveDir: process.cwd(),
        loader: 'js',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      mainFields: ['module', 'main'],
      outfile: join(dir, 'oh.mjs'),
      plugins: [openingHoursWithoutHolidays, zodEnglishOnly],
      write: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    slim = ((await import(pathToFileURL(join(dir, 'oh.mjs')).href)) as { default: Evaluator }).default;
    slimSource = readFileSync(join(dir, 'oh.mjs'), 'utf8');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds no holiday tables', () => {
    expect(slimSource.includes('Vacances'), 'a school holiday name').toBe(false);
    expect(slimSource.includes('Weihnachtsferien'), 'a school holiday name').toBe(false);
  });

  it.each(VALUES)('answers %j as the published build does', (value) => {
    for (const place of PLACES)
      expect(answers(slim, value, place)).toEqual(answers(OpeningHours, value, place));
  });

  it('still refuses public holidays, with the published message', () => {
    const refused = answers(slim, 'PH off', PLACES[0]!);
    expect(refused).toHaveProperty('error');
    expect((refused as { error: string }).error).toMatch(/PH/);
  });
});
