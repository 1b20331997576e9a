// Opaque cursors of the listings that walk a store in key order (lot health, keys): base64url of
// a tag naming the listing and the position the next page starts after. Anything else, or a
// cursor of another listing, is a 400 naming `cursor`.
import { InvalidInputError } from './errors';

/** The positions' parts are ids (or '' for "no zone"): nothing a key could be confused by. */
export const CURSOR_PART = /^$|^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function encodePageCursor(listing: string, position: readonly string[]): string {
  return Buffer.from(JSON.stringify([listing, ...position])).toString('base64url');
}

/**
 * The JSON inside a base64url cursor (written in its one canonical spelling), or undefined for
 * anything else: the caller answers that with its own 400.
 */
export function cursorJson(cursor: string): unknown {
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The position a cursor of `listing` names: `parts` strings, only the first ones may be ''. */
export function decodePageCursor(listing: string, cursor: string, parts: number): string[] {
  const invalid = () =>
    new InvalidInputError('invalid cursor', [
      { path: 'cursor', message: 'is not a cursor this listing issued' },
    ]);
  const value = cursorJson(cursor);
  if (!Array.isArray(value) || value.length !== parts + 1 || value[0] !== listing) throw invalid();
  const position = value.slice(1) as unknown[];
  if (!position.every((p): p is string => typeof p === 'string' && CURSOR_PART.test(p))) throw invalid();
  if (position.at(-1) === '') throw invalid();
  return position;
}
