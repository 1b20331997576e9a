// The web pages, served by the same Hono app locally and on Lambda: GET / (the driver's finder),
// GET /dashboard (city staff) and GET /docs (interactive API docs). Each is one self-contained HTML
// document built from web/ (see web/build.ts) into web/generated/pages.ts, once per language; every
// page route sends the same security headers, with the content security policy the build computed
// for that page. The language (README "Languages") is `?lang=` if it names one the page has, else
// the first of Accept-Language's that it has (any Chinese reads the Simplified Chinese page), else
// English. The configured city (name in that language, centre) travels in a <meta> element, which
// the content security policy has nothing to say about.
//
// The built documents (~230 KB) are imported on the first page request, not with the app: a Lambda
// container that serves only the API never loads them (the bundle keeps them in a chunk of their
// own, README "Benchmarks"), so its cold start does not parse them.
import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { type LanguageVariables, languageDetector } from 'hono/language';
import type { BuiltPage, LocalisedPage } from '../../../web/built-page';
import type * as GeneratedPages from '../../../web/generated/pages';
import type { PlainRoute } from './plain-route';

/** Which built page each path serves. */
const PAGE_EXPORTS = { '/': 'driver', '/dashboard': 'dashboard', '/docs': 'docs' } as const satisfies Record<
  string,
  keyof typeof GeneratedPages
>;

/** The page paths (all GET, all public). */
export const PAGE_PATHS = Object.keys(PAGE_EXPORTS) as (keyof typeof PAGE_EXPORTS)[];

export const pageRoutes: PlainRoute[] = PAGE_PATHS.map((path) => ({ method: 'get', path, access: 'public' }));

/** The city the pages name and centre on (shared/config.ts cityConfig, from CITY_NAME and CITY_CENTER). */
export interface PageCity {
  name: { en: string; 'zh-CN': string };
  centre: { lat: number; lon: number };
}

/** Where the page reads the city from (web/lib/city.ts). */
const CITY_META = 'parking-city';

export function pagesResource(city?: PageCity) {
  const app = new Hono<{ Variables: LanguageVariables }>();
  let prepared: Promise<PreparedPages> | undefined;
  const ready = () => {
    prepared ??= import('../../../web/generated/pages').then(
      (pages) => preparePages(pages, city),
      (error: unknown) => {
        prepared = undefined; // a failed import is tried again by the next request, not cached
        throw error;
      },
    );
    return prepared;
  };
  for (const path of PAGE_PATHS) {
    app.get(path, async (c) => {
      const { detectLanguage, served } = await ready();
      // The detector here rather than app.use(): that would run it before every API request too.
      await detectLanguage(c, async () => {});
      const localised = served.get(path)!;
      const lang = localised.has(c.get('language')) ? c.get('language') : 'en';
      return servePage(c, localised.get(lang) ?? localised.get('en')!, lang);
    });
  }
  return app;
}

interface PreparedPages {
  detectLanguage: ReturnType<typeof languageDetector>;
  /** Path → language → the page with the city in it. */
  served: Map<string, Map<string, BuiltPage>>;
}

function preparePages(pages: typeof GeneratedPages, city: PageCity | undefined): PreparedPages {
  const byPath = PAGE_PATHS.map((path) => [path, pages[PAGE_EXPORTS[path]] as LocalisedPage] as const);
  const languages = [...new Set(byPath.flatMap(([, page]) => Object.keys(page)))];
  const detectLanguage = languageDetector({
    supportedLanguages: languages,
    fallbackLanguage: 'en',
    order: ['querystring', 'header'],
    lookupQueryString: 'lang',
    // Stateless: the language switch is a link with ?lang=, and the pages carry it on.
    caches: false,
    // zh, zh-Hans, zh-TW…: the Simplified Chinese page reads better than the English one.
    convertDetectedLanguage: (lang) => (/^zh(-|$)/i.test(lang) ? 'zh-CN' : lang),
  });
  const served = new Map<string, Map<string, BuiltPage>>();
  for (const [path, localised] of byPath) {
    const withCityByLang = new Map<string, BuiltPage>();
    for (const [lang, page] of Object.entries(localised))
      withCityByLang.set(lang, withCity(page, lang, city));
    served.set(path, withCityByLang);
  }
  return { detectLanguage, served };
}

/** The page with the city in it, and a validator of exactly that document. */
function withCity(page: BuiltPage, lang: string, city: PageCity | undefined): BuiltPage {
  if (!city) return page;
  const name = lang === 'zh-CN' ? city.name['zh-CN'] : city.name.en;
  const content = JSON.stringify({ name, centre: city.centre }).replace(
    /[&<>"]/g,
    (ch) => `&#${ch.charCodeAt(0)};`,
  );
  const charset = '<meta charset="utf-8">\n';
  if (!page.html.includes(charset)) throw new Error('a built page without <meta charset>: rebuild web/');
  const html = page.html.replace(charset, `${charset}<meta name="${CITY_META}" content="${content}">\n`);
  const etag = `"${createHash('sha256').update(html, 'utf8').digest('base64').slice(0, 27)}"`;
  return { ...page, html, etag };
}

function servePage(c: Context, page: BuiltPage, lang: string): Response {
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-language': lang,
    // The same URL answers in another language for another Accept-Language.
    vary: 'Accept-Language',
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
