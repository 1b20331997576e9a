// A route outside the OpenAPI document (health, the document itself, the web pages), declared with
// the same method, path and access rule as the API's routes, for the same readers (infra/routes.ts,
// the auth matrix test).
import type { Access } from '../route';

export interface PlainRoute {
  method: 'get';
  path: string;
  access: Access;
}
