// GET /health: whether the store answers, for load balancers and the operator. Outside the OpenAPI
// document (it is not part of the API clients program against), but declared like every route.
import { Hono } from 'hono';
import type { Dependencies } from '../../use-cases/ports';
import { problemResponse } from '../problem';
import type { PlainRoute } from './plain-route';

export const healthRoutes = {
  health: { method: 'get', path: '/health', access: 'public' },
} as const satisfies Record<string, PlainRoute>;

export function healthResource(deps: Dependencies) {
  const app = new Hono();
  app.get(healthRoutes.health.path, async (c) => {
    if (await deps.storeHealthy()) return c.json({ status: 'ok' }, 200);
    return problemResponse(c, 503, 'the store does not answer', undefined, { 'retry-after': '5' });
  });
  return app;
}
