// What a lot's name may hold (README "API summary", the OpenAPI LotInput.name). Names are shown to
// drivers in any script, so every letter, mark, digit, symbol and emoji is welcome; what is refused
// is text that changes how the name, or what follows it on a page or in a CSV, is displayed:
// control characters, bidirectional overrides and isolates (the "Trojan Source" trick that shows
// text in another order than it is stored), and names that show nothing at all.

export const MAX_LOT_NAME_LENGTH = 200;

/** The rules in words, for the API document. */
export const LOT_NAME_RULES =
  `Trimmed, 1–${MAX_LOT_NAME_LENGTH} characters, in any script (letters, marks, digits, punctuation, ` +
  'symbols, emoji; joiners and left-to-right/right-to-left marks inside a name are fine). Refused, as a 400 ' +
  'naming `name`: control characters (U+0000–U+001F, U+007F–U+009F, U+2028, U+2029), bidirectional ' +
  'embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), unpaired surrogates, ' +
  'noncharacters, and names with no visible character (only spaces or zero-width and other invisible ' +
  'characters).';

/** C0 and C1 controls (NUL, tab, newline, ESC, DEL, CSI, ...), line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069); LRM/RLM marks stay allowed. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
const NONCHARACTER = /\p{Noncharacter_Code_Point}/u;
/** With the u flag a surrogate matches only when unpaired: text that is not Unicode at all. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Characters that show nothing: whitespace, the default-ignorable ones (zero-width space and
 * joiners, word joiner, soft hyphen, Hangul fillers, variation selectors, tags, ...) and the blank
 * Braille pattern, which fonts draw as empty.
 */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu;
/** A base character that shows: a letter, digit, punctuation or symbol (emoji included). */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/** Why `name` (already trimmed) cannot be a lot's name, or undefined when it can. */
export function lotNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_LOT_NAME_LENGTH) return `must be at most ${MAX_LOT_NAME_LENGTH} characters`;
  if (LONE_SURROGATE.test(name)) return 'must be well-formed Unicode (no unpaired surrogate)';
  if (CONTROL.test(name))
    return 'must not contain control characters (U+0000–U+001F, U+007F–U+009F, U+2028, U+2029)';
  if (BIDI_CONTROL.test(name))
    return 'must not contain bidirectional embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069)';
  if (NONCHARACTER.test(name)) return 'must not contain Unicode noncharacters (such as U+FFFF)';
  if (!VISIBLE.test(name.replaceAll(INVISIBLE, '')))
    return 'must contain a visible character, not only spaces or invisible characters';
  return undefined;
}
