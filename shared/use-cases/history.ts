// Staff: a lot's history, in observation-time order (README "API summary").
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
  const now = deps.now();
  const to = query.to ? Date.parse(query.to) : now;
  // The default start never reaches before the time domain (a `to` in January 1970).
  const from = query.from ? Date.parse(query.from) : Math.max(TIME_DOMAIN.start, to - DAY_MS);
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
  if ((await deps.lots.get(lotId)) === null) throw new NotFoundError(`lot ${lotId} does not exist`);
  const page = await deps.observations.list(lotId, from, to, {
    limit: HISTORY_PAGE,
    ...(query.cursor ? { cursor: query.cursor } : {}),
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
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
