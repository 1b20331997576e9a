// The web pages, served by the same Hono app locally and on Lambda: GET / (the driver's finder)
// and GET /dashboard (city staff). Each is one self-contained HTML document built once from
// web/*.ts (no build step, no assets, no CDN); see web/page.ts for what they may load.
import type { Context, Env, Hono } from 'hono';
import { dashboardPage } from '../../web/dashboard';
import { driverPage } from '../../web/driver';
import type { BuiltPage } from '../../web/page';

const PAGES: Record<string, () => BuiltPage> = { '/': driverPage, '/dashboard': dashboardPage };

/** The page routes (all GET, all public): for infra's route list. */
export const PAGE_PATHS = Object.keys(PAGES);

export function registerPages<E extends Env>(app: Hono<E>): void {
  for (const [path, page] of Object.entries(PAGES)) app.get(path, (c) => servePage(c, page()));
}

function servePage(c: Context, page: BuiltPage): Response {
  const headers = { ...page.headers, etag: page.etag };
  const known = c.req.header('if-none-match');
  if (known?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === page.etag)) {
    return c.body(null, 304, headers);
  }
  return c.body(page.html, 200, headers);
}
