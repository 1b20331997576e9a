// Every route of the app with its access rule, read from the resource modules that declare them
// (shared/http/resources/): the table infra/routes.ts turns into API Gateway routes and the auth
// matrix test walks. A route's access rule is written once, where the route is.

import { exportRoutes } from './resources/exports';
import { forecastRoutes } from './resources/forecasts';
import { healthRoutes } from './resources/health';
import { importRoutes } from './resources/imports';
import { integrationRoutes } from './resources/integrations';
import { keyRoutes } from './resources/keys';
import { lotRoutes } from './resources/lots';
import { ngsiLdRoutes } from './resources/ngsi-ld';
import { ngsiLdTemporalRoutes } from './resources/ngsi-ld-temporal';
import { observationRoutes } from './resources/observations';
import { openApiRoutes } from './resources/openapi';
import { pageRoutes } from './resources/pages';
import type { PlainRoute } from './resources/plain-route';
import { reportRoutes } from './resources/reports';
import { sourceRoutes } from './resources/sources';
import { type Access, accessOf } from './route';

/** The routes in the OpenAPI document, by name. */
export const API_ROUTES = {
  ...lotRoutes,
  ...forecastRoutes,
  ...importRoutes,
  ...observationRoutes,
  ...reportRoutes,
  ...keyRoutes,
  ...integrationRoutes,
  ...sourceRoutes,
  ...exportRoutes,
  ...ngsiLdRoutes,
  ...ngsiLdTemporalRoutes,
};

/** The routes outside it: health, the document itself, the web pages. */
export const PLAIN_ROUTES: readonly PlainRoute[] = [
  ...Object.values(healthRoutes),
  ...Object.values(openApiRoutes),
  ...pageRoutes,
];

export interface RouteEntry {
  method: string;
  /** OpenAPI syntax: `/v1/lots/{id}`. */
  path: string;
  access: Access;
  /** Whether the route is in the OpenAPI document. */
  documented: boolean;
}

/** Every route the app serves, with its access rule. */
export function routeTable(): RouteEntry[] {
  return [
    ...Object.values(API_ROUTES).map((r) => ({
      method: r.method,
      path: r.path,
      access: accessOf(r),
      documented: true,
    })),
    ...PLAIN_ROUTES.map((r) => ({ ...r, documented: false })),
  ];
}
