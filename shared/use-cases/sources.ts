// Feeds a city already publishes (README "Feeds a city already has"): staff name a feed, the
// service fetches it at once and then on its interval. Fetching one source:
// 1. Fetch the URL (the fetcher keeps the address, time and size rules) and read it in the
//    source's format (domain/feeds): unreachable, oversized or malformed → lastError, nothing else.
// 2. Create or update the source's lots (`<lotIdPrefix><site id>`), only where a definition changed.
// 3. Ingest each site's count through the sensors' own use case (ingest.ts), with an event id from
//    the source and the feed's own timestamp: a refetch of the same feed applies nothing twice.
// 4. Record the status (lastFetchAt, lastError, sites, applied).
import { FeedFormatError, type FeedSite, feedEventId, readFeed, sourceLotId } from '../domain/feeds';
import { DEFAULT_STALE_AFTER_SECONDS } from '../domain/lot';
import { lotNameProblem } from '../domain/lot-name';
import { mapLimit } from '../lib/concurrency';
import { EventConflictError, InvalidInputError, NotFoundError } from './errors';
import { ingestObservations, MAX_CLOCK_SKEW_MS } from './ingest';
import { putLot, storableLocation } from './manage-lots';
import type { Dependencies, Source, SourceDefinition } from './ports';

/** Sites of one feed written at once (lot writes and ingestion): a feed must not crowd out requests. */
export const SITES_IN_FLIGHT = 4;
/**
 * Sources a service holds (a city has a handful of feeds): what one scheduled run may have to
 * fetch, and what one listing answers, stay bounded.
 */
export const MAX_SOURCES = 100;
/** Sources fetched at once by one scheduled run. */
export const SOURCES_IN_FLIGHT = 2;

export type SourceDeps = Pick<
  Dependencies,
  'sources' | 'feeds' | 'lots' | 'observations' | 'now' | 'historyRetentionDays'
>;

export interface FetchReport {
  sourceId: string;
  fetchedAt: number;
  /** Why nothing was read (unreachable, too large, malformed), or null. */
  error: string | null;
  sites: number;
  lotsCreated: number;
  lotsUpdated: number;
  applied: number;
  duplicates: number;
  stale: number;
  /** Sites left out, with why (at most 20 listed). */
  skipped: { siteId: string; reason: string }[];
}

export async function putSource(
  deps: SourceDeps,
  definition: SourceDefinition,
): Promise<{ source: Source; created: boolean; fetch: FetchReport }> {
  const refused = await deps.feeds.refuse(definition.url);
  if (refused !== null) {
    throw new InvalidInputError('the feed URL may not be fetched', [{ path: 'url', message: refused }]);
  }
  const existing = await deps.sources.list();
  if (existing.length >= MAX_SOURCES && !existing.some((s) => s.sourceId === definition.sourceId)) {
    throw new InvalidInputError(`at most ${MAX_SOURCES} sources`, [
      { path: 'sourceId', message: `there are ${existing.length} sources already; delete one first` },
    ]);
  }
  const { created } = await deps.sources.put(definition);
  // A new or changed source is fetched at once, so staff see at once whether it works.
  const fetch = await fetchSource(deps, definition);
  const source = await deps.sources.get(definition.sourceId);
  if (source === null) throw new NotFoundError(`source ${definition.sourceId} was deleted meanwhile`);
  return { source, created, fetch };
}

export async function fetchSourceNow(deps: SourceDeps, sourceId: string): Promise<FetchReport> {
  const source = await deps.sources.get(sourceId);
  if (source === null) throw new NotFoundError(`no source ${sourceId}`);
  return fetchSource(deps, source);
}

/** Every source whose interval has passed since its last fetch, a few at a time. */
export async function fetchDueSources(deps: SourceDeps): Promise<{ due: number; failed: number }> {
  const now = deps.now();
  const due = (await deps.sources.list()).filter(
    (s) => s.lastFetchAt === null || s.lastFetchAt + s.intervalSeconds * 1000 <= now,
  );
  const reports = await mapLimit(due, SOURCES_IN_FLIGHT, (s) => fetchSource(deps, s));
  return { due: due.length, failed: reports.filter((r) => r.error !== null).length };
}

export async function fetchSource(deps: SourceDeps, source: SourceDefinition): Promise<FetchReport> {
  const fetchedAt = deps.now();
  const report: FetchReport = {
    sourceId: source.sourceId,
    fetchedAt,
    error: null,
    sites: 0,
    lotsCreated: 0,
    lotsUpdated: 0,
    applied: 0,
    duplicates: 0,
    stale: 0,
    skipped: [],
  };
  const fetched = await deps.feeds.fetch(source.url, source.headers ?? {});
  let sites: FeedSite[];
  if ('error' in fetched) {
    report.error = fetched.error;
  } else {
    try {
      const read = await readFeed(source.format, JSON.parse(fetched.body));
      sites = read.sites;
      report.skipped.push(...read.skipped);
    } catch (error) {
      report.error =
        error instanceof FeedFormatError
          ? error.message
          : error instanceof SyntaxError
            ? `the feed is not JSON: ${error.message}`
            : String(error);
    }
  }
  if (report.error === null) {
    report.sites = sites!.length;
    try {
      await mapLimit(sites!, SITES_IN_FLIGHT, (site) => applySite(deps, source, site, report));
    } catch (error) {
      // The store failed part-way: what was written stays, and the next fetch applies the rest
      // (what is already in is a duplicate). Said in lastError rather than lost with the run.
      report.error = `stopped part-way, the store failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  report.skipped = report.skipped.slice(0, 20);
  await deps.sources.recordFetch(source.sourceId, {
    lastFetchAt: fetchedAt,
    lastError: report.error,
    // A failed fetch says nothing new about the feed: the last good figures stay meaningful.
    ...(report.error === null
      ? { sites: report.sites, applied: report.applied }
      : await lastFigures(deps, source)),
  });
  return report;
}

async function lastFigures(deps: SourceDeps, source: SourceDefinition) {
  const current = await deps.sources.get(source.sourceId);
  return { sites: current?.sites ?? 0, applied: current?.applied ?? 0 };
}

async function applySite(deps: SourceDeps, source: SourceDefinition, site: FeedSite, report: FetchReport) {
  const lotId = sourceLotId(source.lotIdPrefix, site.siteId);
  const name = lotNameProblem(site.name) === undefined ? site.name.trim() : site.siteId.slice(0, 200);
  const wanted = {
    name,
    location: storableLocation(site.location),
    capacity: site.capacity,
    type: site.type,
    zone: source.zone,
    timeZone: source.timeZone,
  };
  const existing = await deps.lots.get(lotId, true);
  const unchanged =
    existing !== null &&
    existing.name === wanted.name &&
    existing.location.lat === wanted.location.lat &&
    existing.location.lon === wanted.location.lon &&
    existing.capacity === wanted.capacity &&
    existing.type === wanted.type &&
    existing.zone === wanted.zone &&
    existing.timeZone === wanted.timeZone;
  if (!unchanged) {
    // Staff's own settings of a lot (features, opening hours, staleness) are kept on an update.
    await putLot(deps, lotId, {
      ...wanted,
      features: existing?.features ?? [],
      staleAfterSeconds: existing?.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS,
      openingHours: existing?.openingHours,
    });
    if (existing === null) report.lotsCreated++;
    else report.lotsUpdated++;
  }
  if (site.count === undefined) return;
  if (site.count.observedAt > deps.now() + MAX_CLOCK_SKEW_MS) {
    report.skipped.push({ siteId: site.siteId, reason: 'its time is more than 5 minutes in the future' });
    return;
  }
  try {
    const result = await ingestObservations(deps, lotId, [
      {
        kind: 'count',
        eventId: feedEventId(source.sourceId, site.count.observedAt),
        observedAt: site.count.observedAt,
        occupied: site.count.occupied,
      },
    ]);
    report.applied += result.applied;
    report.duplicates += result.duplicates;
    report.stale += result.stale;
  } catch (error) {
    // The same feed time with another count (a feed that corrects itself without a new timestamp):
    // the first count stays, as a resent sensor report would.
    if (error instanceof EventConflictError) report.duplicates++;
    else throw error;
  }
}
