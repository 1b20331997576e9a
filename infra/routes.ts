// Every route of the app, for the HTTP API. Derived from the app's own route table (shared/http/routes.ts,
// which imports zod and hono only: no SDK, no I/O), so a new route cannot be left out of the API.
// This is infra's one import beyond aws-cdk-lib and the table design.

import { PAGE_PATHS } from '../shared/http/pages';
import { type Access, defineRoutes, ROUTE_ACCESS } from '../shared/http/routes';
import type { KeysPort } from '../shared/use-cases/ports';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute {
  method: Method;
  /** API Gateway syntax, as in the OpenAPI document: `/v1/lots/{id}`. */
  path: string;
  /** `public` routes go to the read-only function; the others to the read-write one. */
  access: Access;
}

/** Served by the app outside the OpenAPI route table (shared/http/app.ts). */
const PLAIN_ROUTES: ApiRoute[] = [
  { method: 'GET', path: '/health', access: 'public' },
  { method: 'GET', path: '/openapi.json', access: 'public' },
  // The web pages (finder, dashboard, API docs): public HTML that calls the API like any client.
  ...PAGE_PATHS.map((path) => ({ method: 'GET' as const, path, access: 'public' as const })),
];

// defineRoutes only captures the keys port in auth middleware; nothing is called while building routes.
const noKeys = new Proxy({} as KeysPort, {
  get: () => () => {
    throw new Error('infra reads the route table only');
  },
});

export function apiRoutes(): ApiRoute[] {
  const routes = defineRoutes(noKeys);
  const fromTable = (Object.keys(routes) as (keyof typeof routes)[]).map((name) => ({
    method: routes[name].method.toUpperCase() as Method,
    path: routes[name].path,
    access: ROUTE_ACCESS[name],
  }));
  return [...fromTable, ...PLAIN_ROUTES];
}
