// GET /openapi.json: the OpenAPI 3.1 document, generated from the route contracts and their zod
// schemas. `npm run lint:api` holds it to Redocly's and Spectral's rules (README "Tests").
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthEnv } from '../auth';
import { BODY_LIMIT_BYTES } from '../request-checks';
import type { PlainRoute } from './plain-route';

export const openApiRoutes = {
  document: { method: 'get', path: '/openapi.json', access: 'public' },
} as const satisfies Record<string, PlainRoute>;

const TAGS = [
  { name: 'drivers', description: 'Finding a lot: public, no key' },
  {
    name: 'sensors',
    description: "Lot sensors reporting occupancy, with a sensor key for the lot (or staff's)",
  },
  { name: 'staff', description: 'Managing lots and keys, history and reports, with a staff key' },
  {
    name: 'open data',
    description: 'The lots in open formats (DATEX II, FIWARE NGSI-LD) for city platforms and access points',
  },
];

/** Serves the document of every route registered on `app` so far and later (it is built per request). */
export function serveOpenApiDocument(app: OpenAPIHono<AuthEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `Authorization: Bearer <secret>` (README "API summary")',
  });
  app.doc31(openApiRoutes.document.path, {
    openapi: '3.1.0',
    info: {
      title: 'Parking finder',
      version: '1.0.0',
      description:
        'Nearest free parking for drivers, occupancy ingestion for lot sensors, utilization reports for city ' +
        'staff. Errors are application/problem+json (RFC 9457). Query numbers are plain decimals; a repeated ' +
        `query parameter is a 400. Bodies are UTF-8 JSON (CSV for imports) of at most ${BODY_LIMIT_BYTES / 1024} ` +
        'KiB (else 413); another content type is a 415; a duplicate JSON key counts once, with its last value. ' +
        'A method a path does not have is a 404, as API Gateway answers it.',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      contact: { name: 'Parking finder maintainers', url: 'https://parking-finder.dev/' },
    },
    servers: [
      {
        url: '/',
        description: 'production and local: the origin that serves this document',
        'x-internal': false,
      },
    ],
    tags: TAGS,
  });
}
