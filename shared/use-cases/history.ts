// Staff: a lot's history, in observation-time order (README "API summary"; paging in "Limits").
// 1. Read the cursor, if any: it carries the lot incarnation, the range and the position.
// 2. The range: `from`/`to` as given (they must match a cursor's), else the cursor's, else the
//    last 24 hours.
// 3. One page from the store, and a cursor for the next one.
import { z } from 'zod';
import type { ObservationKey } from '../domain/ingest';
import { dataScope } from '../domain/lot-incarnation';
import { EVENT_ID_PATTERN } from '../domain/observation';
import { inTimeDomain, TIME_DOMAIN, TIME_DOMAIN_MESSAGE } from '../domain/time-domain';
import { InvalidInputError, NotFoundError } from './errors';
import type { Dependencies } from './ports';

export const HISTORY_PAGE = 1000;
const DAY_MS = 86_400_000;

export async function listHistory(
  deps: Pick<Dependencies, 'lots' | 'observations' | 'now'>,
  lotId: string,
  query: { from?: string | undefined; to?: string | undefined; cursor?: string | undefined },
) {
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const to = query.to ? Date.parse(query.to) : (cursor?.t ?? deps.now());
  // The default start never reaches before the time domain (a `to` in January 1970).
  const from = query.from ? Date.parse(query.from) : (cursor?.f ?? Math.max(TIME_DOMAIN.start, to - DAY_MS));
  // The schema holds given bounds to the time domain; this also covers the defaults.
  const outside = (['from', 'to'] as const).filter((path) => !inTimeDomain(path === 'from' ? from : to));
  if (outside.length > 0) {
    throw new InvalidInputError(
      'invalid range',
      outside.map((path) => ({ path, message: TIME_DOMAIN_MESSAGE })),
    );
  }
  if (!(from < to))
    throw new InvalidInputError('invalid range', [{ path: 'from', message: 'must be before to' }]);
  if (to - from > 31 * DAY_MS) {
    throw new InvalidInputError('range too long', [{ path: 'to', message: 'at most 31 days after from' }]);
  }
  if (cursor && (cursor.f !== from || cursor.t !== to)) throw cursorError('was issued for another from/to');

  // Consistent: the cursor must be checked against the lot as it is now, not a replica's.
  const lot = await deps.lots.get(lotId, true);
  if (lot === null) throw new NotFoundError(`lot ${lotId} does not exist`);
  const scope = dataScope(lot);
  if (cursor && cursor.l !== scope) throw cursorError('was issued for another lot');

  const page = await deps.observations.list(lot, from, to, {
    limit: HISTORY_PAGE,
    ...(cursor ? { after: { observedAt: cursor.a, eventId: cursor.e } } : {}),
  });
  return {
    lotId,
    observations: page.observations.map(({ observation: o, receivedAt }) => {
      const { kind: _kind, observedAt, ...fields } = o;
      return {
        ...fields,
        observedAt: new Date(observedAt).toISOString(),
        receivedAt: new Date(receivedAt).toISOString(),
      };
    }),
    ...(page.next ? { nextCursor: encodeCursor({ l: scope, f: from, t: to, ...position(page.next) }) } : {}),
  };
}

/**
 * A cursor: base64url of this JSON, in this key order. Not signed, and need not be: it is
 * validated in full instead (its lot incarnation, its range, and a position inside that range),
 * so a forged one can only name a starting point inside a range the caller may read anyway —
 * the same as asking with a later `from`. No secret to keep or rotate on Lambda or locally.
 */
const CursorSchema = z
  .strictObject({
    /** Data scope of the lot: id and generation. */
    l: z.string().min(1).max(200),
    /** The range it was issued for, epoch ms. */
    f: z.number().int().min(TIME_DOMAIN.start),
    t: z.number().int().max(TIME_DOMAIN.end),
    /** The position: the last observation of the previous page. */
    a: z.number().int(),
    e: z.string().regex(EVENT_ID_PATTERN),
  })
  // The range obeys the rules of a given one, and the position lies inside it.
  .refine((c) => c.f < c.t && c.t - c.f <= 31 * DAY_MS, 'not a valid range')
  .refine((c) => c.f <= c.a && c.a < c.t, 'position outside the range');
type Cursor = z.infer<typeof CursorSchema>;

function position(key: ObservationKey) {
  return { a: key.observedAt, e: key.eventId };
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ l: c.l, f: c.f, t: c.t, a: c.a, e: c.e })).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeCursor(text: string): Cursor {
  if (!BASE64URL.test(text)) throw cursorError('is not a cursor this service issued');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'base64url')));
  } catch {
    throw cursorError('is not a cursor this service issued');
  }
  const result = CursorSchema.safeParse(parsed);
  // Only the exact text this service writes: no other spelling of the same cursor.
  if (!result.success || encodeCursor(result.data) !== text) {
    throw cursorError('is not a cursor this service issued');
  }
  return result.data;
}

function cursorError(message: string) {
  return new InvalidInputError(`invalid cursor: it ${message}`, [{ path: 'cursor', message }]);
}
