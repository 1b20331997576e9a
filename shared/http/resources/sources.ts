// Feed sources: staff name the feeds a city already publishes; the service fetches them at once
// and on their interval (README "Feeds a city already has").
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../use-cases/errors';
import type { Dependencies, Source } from '../../use-cases/ports';
import { type FetchReport, fetchSourceNow, MAX_SOURCES, putSource } from '../../use-cases/sources';
import type { AuthEnv } from '../auth';
import { json, noContent, problem, route } from '../route';
import {
  FetchReportSchema,
  PutSourceResponseSchema,
  SourceInputSchema,
  SourceParams,
  SourceSchema,
} from '../schemas';

const FETCH_DESCRIPTION =
  'A fetch reads the feed (at most 5 MB, within 10 s, at most 3 redirects, each to a public address), ' +
  "creates or updates a lot `<lotIdPrefix><site id>` per site, and ingests each site's count as one " +
  "observation at the feed's own time, with an event id from the source and that time: fetching the same " +
  'feed again applies nothing (`duplicates`). An unreachable, oversized or malformed feed is recorded in ' +
  '`lastError` and changes nothing.';

export const sourceRoutes = {
  putSource: route({
    method: 'put',
    path: '/v1/sources/{sourceId}',
    operationId: 'putSource',
    tags: ['staff'],
    access: 'staff',
    summary: 'Name a feed (DATEX II light, NGSI-LD or ParkAPI v3) to fetch on an interval; fetched at once',
    description:
      'Creates (201) or replaces (200) the source, then fetches it at once and answers what that did. `url` ' +
      'must be https on a public address (no loopback, private, link-local or metadata address, also after ' +
      'DNS resolution); otherwise a 400 naming `url`, and nothing is stored. ' +
      FETCH_DESCRIPTION,
    request: {
      params: SourceParams,
      body: { content: { 'application/json': { schema: SourceInputSchema } }, required: true },
    },
    responses: {
      200: json(PutSourceResponseSchema, 'replaced, and fetched'),
      201: json(PutSourceResponseSchema, 'created, and fetched'),
      400: problem(
        `invalid body, a URL that may not be fetched, or a source past the ${MAX_SOURCES} allowed`,
      ),
      415: problem('not JSON'),
    },
  }),
  listSources: route({
    method: 'get',
    path: '/v1/sources',
    operationId: 'listSources',
    tags: ['staff'],
    access: 'staff',
    summary: 'Every source with the status of its last fetch',
    description:
      '`lastFetchAt`, `lastError` (null after a good fetch), and the `sites` and `applied` of the last good fetch.',
    responses: {
      200: json(
        z.object({ sources: z.array(SourceSchema).max(MAX_SOURCES) }).openapi('SourceList'),
        'sources',
      ),
    },
  }),
  deleteSource: route({
    method: 'delete',
    path: '/v1/sources/{sourceId}',
    operationId: 'deleteSource',
    tags: ['staff'],
    access: 'staff',
    summary: 'Stop fetching a source (its lots and their history stay)',
    description:
      'The scheduled job stops fetching it at once; the lots it created stay, with their history, as ' +
      'staff-defined lots do (delete them with `DELETE /v1/lots/{id}`).',
    request: { params: SourceParams },
    responses: {
      204: noContent('deleted'),
      400: problem('invalid id'),
      404: problem('no such source'),
    },
  }),
  fetchSource: route({
    method: 'post',
    path: '/v1/sources/{sourceId}/fetch',
    operationId: 'fetchSource',
    tags: ['staff'],
    access: 'staff',
    summary: 'Fetch a source now, and say what it did',
    description: FETCH_DESCRIPTION,
    request: { params: SourceParams },
    responses: {
      200: json(FetchReportSchema, 'what the fetch did (`error` set when it read nothing)'),
      400: problem('invalid id'),
      404: problem('no such source'),
    },
  }),
} as const;

export function sourcesResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(sourceRoutes.putSource, async (c) => {
    const { sourceId } = c.req.valid('param');
    const { headers, ...rest } = c.req.valid('json');
    const result = await putSource(deps, {
      sourceId,
      ...rest,
      ...(headers !== undefined ? { headers } : {}),
    });
    const body = { source: sourceOut(result.source), fetch: reportOut(result.fetch) };
    return result.created ? c.json(body, 201) : c.json(body, 200);
  });

  app.openapi(sourceRoutes.listSources, async (c) => {
    const sources = await deps.sources.list();
    return c.json({ sources: sources.map(sourceOut) }, 200);
  });

  app.openapi(sourceRoutes.deleteSource, async (c) => {
    const { sourceId } = c.req.valid('param');
    if (!(await deps.sources.delete(sourceId))) throw new NotFoundError(`no source ${sourceId}`);
    return c.body(null, 204);
  });

  app.openapi(sourceRoutes.fetchSource, async (c) => {
    return c.json(reportOut(await fetchSourceNow(deps, c.req.valid('param').sourceId)), 200);
  });

  return app;
}

function sourceOut(s: Source) {
  return {
    sourceId: s.sourceId,
    format: s.format,
    url: s.url,
    intervalSeconds: s.intervalSeconds,
    lotIdPrefix: s.lotIdPrefix,
    zone: s.zone,
    timeZone: s.timeZone,
    // Header values may be credentials: shown never, like secrets.
    headerNames: Object.keys(s.headers ?? {}),
    lastFetchAt: s.lastFetchAt === null ? null : new Date(s.lastFetchAt).toISOString(),
    lastError: s.lastError === null ? null : s.lastError.slice(0, 1000),
    sites: s.sites,
    applied: s.applied,
  };
}

function reportOut(r: FetchReport) {
  return {
    ...r,
    fetchedAt: new Date(r.fetchedAt).toISOString(),
    error: r.error === null ? null : r.error.slice(0, 1000),
    skipped: r.skipped.map((s) => ({ siteId: s.siteId.slice(0, 256), reason: s.reason.slice(0, 1000) })),
  };
}
