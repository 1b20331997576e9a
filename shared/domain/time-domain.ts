// The one span of time the service accepts and answers for (README "Limits"). Every instant a
// request carries (observation times, history and report ranges, arrival times, cursors) must lie
// in [start, end): the 13-digit sortable time keys of the table hold up to 2286-11-20, rollup
// days are UTC calendar days after 1970, and every IANA zone is handled over this whole span.
// Nothing else in the code picks its own bounds: the zod schemas and the use cases read these.

export const TIME_DOMAIN_START_ISO = '1970-01-01T00:00:00Z';
export const TIME_DOMAIN_END_ISO = '2200-01-01T00:00:00Z';

export const TIME_DOMAIN = {
  /** 1970-01-01T00:00:00Z, included. */
  start: Date.parse(TIME_DOMAIN_START_ISO),
  /** 2200-01-01T00:00:00Z, excluded. */
  end: Date.parse(TIME_DOMAIN_END_ISO),
} as const;

export const TIME_DOMAIN_MESSAGE = `must lie in [${TIME_DOMAIN_START_ISO}, ${TIME_DOMAIN_END_ISO})`;

/** Whether `ms` (epoch milliseconds; NaN is not) lies in the service's time domain. */
export function inTimeDomain(ms: number): boolean {
  return ms >= TIME_DOMAIN.start && ms < TIME_DOMAIN.end;
}
