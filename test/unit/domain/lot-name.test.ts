// Lot-name rules over whole character classes, not a few samples: every control character and
// every bidi control is refused wherever it sits in an otherwise good name; text of only invisible
// characters is refused; a name with one visible character of any script is accepted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lotNameProblem } from '../../../shared/domain/lot-name';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

const CONTROLS = [...range(0x00, 0x1f), ...range(0x7f, 0x9f), '\u2028', '\u2029'];
const BIDI_CONTROLS = [...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];
/** Whitespace, zero-width and other default-ignorable characters, fillers and the blank Braille cell. */
const INVISIBLE = [
  ' ',
  '\u00a0',
  '\u1680',
  ...range(0x2000, 0x200a),
  '\u202f',
  '\u205f',
  '\u3000',
  '\u00ad',
  '\u034f',
  '\u061c',
  '\u115f',
  '\u1160',
  '\u180e',
  ...range(0x200b, 0x200f),
  ...range(0x2060, 0x2064),
  '\u3164',
  '\ufeff',
  '\uffa0',
  ...range(0xfe00, 0xfe0f),
  '\u{e0020}',
  '\u{e0041}',
  '\u2800',
];
/** Visible characters of many scripts and kinds (base characters: no combining vowel signs). */
const VISIBLE = [
  ...'AzÄßøŁΩЖЯאבعربفا中文字日本語한글देवनगरथไทย0٣९',
  ...['€', '&', '#', '"', '🚗', '😀', '🅿', '–', '·'],
].filter((c) => /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(c));
/** What may sit around them in a real name: spaces, joiners, marks, combining accents and vowel signs. */
const FILLER = [
  ' ',
  '\u200d',
  '\u200c',
  '\u200e',
  '\u200f',
  '\u0301',
  '\u0308',
  '\ufe0f',
  '\u093e',
  '\u0e31',
  '-',
];

const goodName = fc
  .tuple(
    fc.array(fc.constantFrom(...VISIBLE, ...FILLER), { maxLength: 30 }),
    fc.constantFrom(...VISIBLE),
    fc.array(fc.constantFrom(...VISIBLE, ...FILLER), { maxLength: 30 }),
  )
  .map(([before, visible, after]) => [...before, visible, ...after].join('').trim())
  .filter((name) => name.length > 0);

describe('lotNameProblem', () => {
  it('accepts any name with a visible character of any script among joiners, marks and spaces', () => {
    fc.assert(
      fc.property(goodName, (name) => {
        expect(lotNameProblem(name)).toBeUndefined();
      }),
    );
  });

  it('refuses every C0 and C1 control and both separators, anywhere in a good name', () => {
    for (const control of CONTROLS) {
      fc.assert(
        fc.property(goodName, fc.nat(), (name, at) => {
          const chars = [...name]; // by code point: a surrogate pair is not split
          const i = at % (chars.length + 1);
          const text = [...chars.slice(0, i), control, ...chars.slice(i)].join('');
          expect(lotNameProblem(text)).toMatch(/control characters/);
        }),
        { numRuns: 20 },
      );
    }
  });

  it('refuses every bidi embedding, override and isolate control, anywhere in a good name', () => {
    for (const bidi of BIDI_CONTROLS) {
      fc.assert(
        fc.property(goodName, fc.nat(), (name, at) => {
          const chars = [...name];
          const i = at % (chars.length + 1);
          const text = [...chars.slice(0, i), bidi, ...chars.slice(i)].join('');
          expect(lotNameProblem(text)).toMatch(/bidirectional/);
        }),
        { numRuns: 20 },
      );
    }
  });

  it('refuses names made only of invisible characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...INVISIBLE, '\u0301'), { minLength: 1, maxLength: 20 }),
        (chars) => {
          const name = chars.join('').trim();
          expect(lotNameProblem(name)).toMatch(/visible character|must not be empty/);
        },
      ),
    );
    for (const c of INVISIBLE) expect(lotNameProblem(c.trim()), c.codePointAt(0)!.toString(16)).toBeDefined();
  });

  it('refuses unpaired surrogates and noncharacters, and names over 200 characters', () => {
    expect(lotNameProblem('Lot \ud800')).toMatch(/unpaired surrogate/);
    expect(lotNameProblem('\udc00 Lot')).toMatch(/unpaired surrogate/);
    expect(lotNameProblem('Lot 😀')).toBeUndefined(); // a surrogate pair is one character
    for (const c of ['\ufffe', '\uffff', '\ufdd0', '\u{1fffe}', '\u{10ffff}'])
      expect(lotNameProblem(`Lot ${c}`)).toMatch(/noncharacters/);
    expect(lotNameProblem('x'.repeat(200))).toBeUndefined();
    expect(lotNameProblem('x'.repeat(201))).toMatch(/at most 200/);
  });
});
