// Lots: the driver's nearby search and map box, one lot, and staff's create, replace, patch and
// delete. Route contracts and their handlers side by side (README "API summary").
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { findNearby } from '../../use-cases/find-nearby';
import { deleteLot, getLot, lotsInBox, patchLot, putLot } from '../../use-cases/manage-lots';
import type { Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import { boxToWgs84, CrsQuerySchema, clusterIn, locatedIn, toWgs84 } from '../crs';
import { toFeatureCollection } from '../geojson';
import { json, noContent, problem, route } from '../route';
import {
  BboxQuerySchema,
  FeatureCollectionSchema,
  LotIdParams,
  LotInputSchema,
  LotListResponseSchema,
  LotPatchSchema,
  LotSchema,
  NearbyQuerySchema,
  NearbyResponseSchema,
} from '../schemas';

export const lotRoutes = {
  nearby: route({
    method: 'get',
    path: '/v1/lots/nearby',
    operationId: 'findNearbyLots',
    tags: ['drivers'],
    access: 'public',
    summary: 'Nearest open lots with free spaces',
    description:
      'Lots within `radius` metres (great-circle), open (not closed by staff, and open by their `openingHours` ' +
      "in the lot's time zone), with fresh data and at least `minFree` free spaces, " +
      'ordered by distance, then more free spaces, then id. `Accept: application/geo+json` returns a ' +
      'FeatureCollection. Defaults: radius 1000, limit 10, minFree 1, includeStale false. With `arriveAt` ' +
      '(README "Forecasts"): each lot carries `prediction` for that instant, and minFree applies to the ' +
      'predicted free spaces where there is a prediction.',
    request: { query: NearbyQuerySchema },
    responses: {
      200: {
        content: {
          'application/json': { schema: NearbyResponseSchema },
          'application/geo+json': { schema: FeatureCollectionSchema },
        },
        description: 'ranked lots',
      },
      400: problem('invalid query'),
    },
  }),
  listLots: route({
    method: 'get',
    path: '/v1/lots',
    operationId: 'listLotsInBox',
    tags: ['drivers'],
    access: 'public',
    summary: 'Lots in a bounding box, any status (for maps)',
    description:
      'Any box, the whole world included; it may cross the antimeridian (minLon > maxLon). A box whose corners ' +
      'are within 50 km of its centre is listed lot by lot, nearest the centre first (default limit 500, max 1000), ' +
      'with `clusters` beside `lots` when it holds more than `limit`; a larger box answers `clusters` only ' +
      '(`lots` empty), from coarse-cell aggregates the scheduled job rebuilds every 5 minutes (`clustersAsOf`). ' +
      "Either way the clusters' `lots` add up to every lot in the box, and a large box costs a few reads per " +
      'cluster and per non-empty cell along its edge, never per lot inside it.',
    request: { query: BboxQuerySchema },
    responses: {
      200: {
        content: {
          'application/json': { schema: LotListResponseSchema },
          'application/geo+json': { schema: FeatureCollectionSchema },
        },
        description: 'lots in the box',
      },
      400: problem('invalid query, or a box too large'),
    },
  }),
  getLot: route({
    method: 'get',
    path: '/v1/lots/{id}',
    operationId: 'getLot',
    tags: ['drivers'],
    access: 'public',
    summary: 'One lot',
    description: 'The lot with its live occupancy and status, as the nearby search shows it.',
    request: { params: LotIdParams, query: CrsQuerySchema },
    responses: { 200: json(LotSchema, 'the lot'), 400: problem('invalid id'), 404: problem('no such lot') },
  }),
  putLot: route({
    method: 'put',
    path: '/v1/lots/{id}',
    operationId: 'putLot',
    tags: ['staff'],
    access: 'staff',
    summary: 'Create or replace a lot (keeps its occupancy and history)',
    description:
      'The body is the whole lot; a lot that exists keeps its occupancy and history. ' +
      '201 when the id was new, 200 when it replaced a lot.',
    request: {
      params: LotIdParams,
      query: CrsQuerySchema,
      body: { content: { 'application/json': { schema: LotInputSchema } }, required: true },
    },
    responses: {
      200: json(LotSchema, 'replaced'),
      201: json(LotSchema, 'created'),
      400: problem('invalid body'),
      415: problem('not JSON'),
    },
  }),
  patchLot: route({
    method: 'patch',
    path: '/v1/lots/{id}',
    operationId: 'patchLot',
    tags: ['staff'],
    access: 'staff',
    summary: 'Change some fields; {"closed": true} closes the lot, false reopens it',
    description:
      'Only the fields given change; `zone` and `openingHours` are removed with null. A closed lot is ' +
      'never in the nearby search and shows status `closed` on the map, whatever its opening hours. ' +
      'An `openingHours` value that does not evaluate is a 400 naming it, and nothing changes.',
    request: {
      params: LotIdParams,
      query: CrsQuerySchema,
      body: { content: { 'application/json': { schema: LotPatchSchema } }, required: true },
    },
    responses: {
      200: json(LotSchema, 'the lot'),
      400: problem('invalid body'),
      404: problem('no such lot'),
      415: problem('not JSON'),
    },
  }),
  deleteLot: route({
    method: 'delete',
    path: '/v1/lots/{id}',
    operationId: 'deleteLot',
    tags: ['staff'],
    access: 'staff',
    summary: 'Delete a lot, and fence off everything keyed by it',
    description:
      'The lot goes at once, and with it (fenced off by its generation) its history, bays, rollups and ' +
      'duplicate records: a lot created later under the same id starts empty, its reports and history show ' +
      'nothing of this one, and a resent old batch applies to it as new. Sensor keys made for this lot stop ' +
      'writing it: 404 while no lot has the id, 403 once a new lot has it (make a new key for that one); ' +
      'their other lots are unaffected. The old history expires by retention, its bays and rollups are ' +
      'purged by the scheduled job.',
    request: { params: LotIdParams },
    responses: { 204: noContent('deleted'), 400: problem('invalid id'), 404: problem('no such lot') },
  }),
} as const;

export function lotsResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(lotRoutes.nearby, async (c) => {
    const q = c.req.valid('query');
    const started = performance.now();
    const result = await findNearby(deps, {
      center: toWgs84({ lat: q.lat, lon: q.lon }, q.crs),
      radius: q.radius ?? 1000,
      limit: q.limit ?? 10,
      minFree: q.minFree ?? 1,
      features: q.features ?? [],
      includeStale: q.includeStale ?? false,
      arriveAt: q.arriveAt === undefined ? undefined : Date.parse(q.arriveAt),
    });
    deps.metrics.milliseconds('NearbyLatency', performance.now() - started);
    c.header('cache-control', 'no-store');
    // Distances are WGS-84 metres; only the locations are written in the request's system.
    const lots = result.lots.map((lot) => locatedIn(lot, q.crs));
    if (wantsGeoJson(c)) {
      return c.json(toFeatureCollection(lots.map(withIsoPrediction)), 200, GEOJSON);
    }
    return c.json(
      {
        origin: { lat: q.lat, lon: q.lon },
        radius: q.radius ?? 1000,
        asOf: new Date(result.asOf).toISOString(),
        lots: lots.map(withIsoPrediction),
      },
      200,
    );
  });

  app.openapi(lotRoutes.listLots, async (c) => {
    const q = c.req.valid('query');
    const answer = await lotsInBox(deps, boxToWgs84(q.bbox, q.crs), q.limit ?? 500);
    const lots = answer.lots.map((lot) => locatedIn(lot, q.crs));
    const clusters = answer.clusters?.map((cluster) => clusterIn(cluster, q.crs));
    if (wantsGeoJson(c)) {
      return c.json(toFeatureCollection(lots, clusters), 200, GEOJSON);
    }
    const asOf = answer.clustersAsOf;
    return c.json(
      {
        lots,
        ...(clusters ? { clusters } : {}),
        ...(asOf !== undefined ? { clustersAsOf: asOf === null ? null : new Date(asOf).toISOString() } : {}),
      },
      200,
    );
  });

  app.openapi(lotRoutes.getLot, async (c) => {
    const { crs } = c.req.valid('query');
    return c.json(locatedIn(await getLot(deps, c.req.valid('param').id), crs), 200);
  });

  app.openapi(lotRoutes.putLot, async (c) => {
    const { crs } = c.req.valid('query');
    const body = c.req.valid('json');
    const input = { ...body, location: toWgs84(body.location, crs) };
    const { created, lot } = await putLot(deps, c.req.valid('param').id, input);
    return c.json(locatedIn(lot, crs), created ? 201 : 200);
  });

  app.openapi(lotRoutes.patchLot, async (c) => {
    const { crs } = c.req.valid('query');
    const body = c.req.valid('json');
    const patch = body.location ? { ...body, location: toWgs84(body.location, crs) } : body;
    return c.json(locatedIn(await patchLot(deps, c.req.valid('param').id, patch), crs), 200);
  });

  app.openapi(lotRoutes.deleteLot, async (c) => {
    await deleteLot(deps, c.req.valid('param').id);
    return c.body(null, 204);
  });

  return app;
}

const GEOJSON = { 'content-type': 'application/geo+json' };

function withIsoPrediction<L extends { prediction?: { at: number } | null }>(lot: L) {
  return lot.prediction
    ? { ...lot, prediction: { ...lot.prediction, at: new Date(lot.prediction.at).toISOString() } }
    : lot;
}

function wantsGeoJson(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('application/geo+json');
}
