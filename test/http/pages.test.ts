// Every page route (the driver's finder, the staff dashboard, the API docs) through the real app:
// the same security headers on each, a content security policy whose hashes are those of the
// page's own inline script and style (and nothing else inline that the policy would block), and
// ETag revalidation.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_PATHS } from '../../shared/http/resources/pages';
import { openApp } from '../support/stores';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The policy's directives by name: `script-src` → its sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name = '', ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('page routes', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  beforeAll(async () => {
    t = await openApp('dynalite');
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('serves the three pages', () => {
    expect([...PAGE_PATHS].sort()).toEqual(['/', '/dashboard', '/docs']);
  });

  it.each(PAGE_PATHS)('%s sends the security headers: no framing, no sniffing, no referrer', async (path) => {
    const res = await t.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(res.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
    expect(res.headers.get('permissions-policy')).toContain(
      path === '/' ? 'geolocation=(self)' : 'geolocation=()',
    );
  });

  it.each(
    PAGE_PATHS,
  )('%s allows exactly its own inline script and style, and runs nothing else inline', async (path) => {
    const res = await t.request(path);
    const html = await res.text();
    const csp = directives(res.headers.get('content-security-policy') ?? '');
    const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(csp.get('script-src')).toEqual(scripts.map(sha256));
    expect(csp.get('style-src')).toEqual(styles.map(sha256));
    // What the policy would block in the markup: other scripts, handlers, style attributes, javascript: URLs.
    const markup = html
      .replace(/<script type="module">[\s\S]*?<\/script>/, '')
      .replace(/<style>[\s\S]*?<\/style>/, '');
    expect(markup).not.toMatch(/<script|<link rel="stylesheet"|\son[a-z]+=|\sstyle=|javascript:/i);
    // Nothing from elsewhere: every link and source stays on this origin (or is data:/geo:).
    const targets = [...markup.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(targets.filter((u) => !/^(\/|#|data:)/.test(u))).toEqual([]);
  });

  it.each(PAGE_PATHS)('%s answers a matching If-None-Match with 304 and the same headers', async (path) => {
    const first = await t.request(path);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9+/]{27}"$/);
    const again = await t.request(path, { headers: { 'if-none-match': `W/${etag}, "other"` } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
    expect(again.headers.get('x-content-type-options')).toBe('nosniff');
    const changed = await t.request(path, { headers: { 'if-none-match': '"something-else"' } });
    expect(changed.status).toBe(200);
  });
});
