// Every route of the app, for the HTTP API: the app's own route table (shared/http/route-table.ts,
// where each resource declares its routes with their access rule), so a new route cannot be left
// out of the API. This is infra's one import beyond aws-cdk-lib and the table design.
import type { Access } from '../shared/http/route';
import { routeTable } from '../shared/http/route-table';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute {
  method: Method;
  /** API Gateway syntax, as in the OpenAPI document: `/v1/lots/{id}`. */
  path: string;
  /** `public` and `public-staff-for-past` routes go to the read-only function; the others to the read-write one. */
  access: Access;
}

export function apiRoutes(): ApiRoute[] {
  return routeTable().map(({ method, path, access }) => ({
    method: method.toUpperCase() as Method,
    path,
    access,
  }));
}
