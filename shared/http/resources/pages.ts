// The web pages, served by the same Hono app locally and on Lambda: GET / (the driver's finder),
// GET /dashboard (city staff) and GET /docs (interactive API docs). Each is one self-contained HTML
// document built from web/ (see web/build.ts) into web/generated/pages.ts; every page route sends
// the same security headers, with the content security policy the build computed for that page.
import { type Context, Hono } from 'hono';
import type { BuiltPage } from '../../../web/built-page';
import { dashboard, docs, driver } from '../../../web/generated/pages';
import type { PlainRoute } from './plain-route';

const PAGES: Record<string, BuiltPage> = { '/': driver, '/dashboard': dashboard, '/docs': docs };

/** The page paths (all GET, all public). */
export const PAGE_PATHS = Object.keys(PAGES);

export const pageRoutes: PlainRoute[] = PAGE_PATHS.map((path) => ({ method: 'get', path, access: 'public' }));

export function pagesResource() {
  const app = new Hono();
  for (const [path, page] of Object.entries(PAGES)) app.get(path, (c) => servePage(c, page));
  return app;
}

function servePage(c: Context, page: BuiltPage): Response {
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': page.contentSecurityPolicy,
    'permissions-policy': page.permissionsPolicy,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    // Small pages: revalidate every time (the ETag makes that a 304), so a deploy shows at once.
    'cache-control': 'no-cache',
    etag: page.etag,
  };
  const known = c.req.header('if-none-match');
  if (known?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === page.etag)) {
    return c.body(null, 304, headers);
  }
  return c.body(page.html, 200, headers);
}
