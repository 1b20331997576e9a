// Builds the web pages (Node, at development time): for each page folder under web/, esbuild bundles
// main.ts (type-checked separately under web/tsconfig.json) and style.css into one self-contained
// HTML document with body.html, and the content security policy allows exactly that inline script
// and style by their SHA-256 hashes. The driver's page and the dashboard are built once per language
// (README "Languages"): body.html's {{key}} are the message catalogue's words (web/lib/i18n.ts), and
// {{lang}} the page's language; each language has its own script, holding only its own catalogue. The result is web/generated/pages.ts, a plain TypeScript module
// of strings that the server imports everywhere it runs (tsx locally, esbuild for Lambda), so no
// entry point needs a build step. scripts/build-web.ts writes it; a test fails when it is stale.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import type { BuiltPage, LocalisedPage } from './built-page';
import { isMessageKey, translate } from './lib/catalogues';
import { LANGS, type Lang, type MessageKey } from './lib/i18n';

const WEB = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(WEB);
export const GENERATED_MODULE = join(WEB, 'generated', 'pages.ts');

export type PageName = 'driver' | 'dashboard' | 'docs';

interface PageSource {
  /** The catalogue's keys of the title and description, or the English text of a page in English only. */
  title: MessageKey | { en: string };
  description: MessageKey | { en: string };
  /** The languages the page is built in (the first is the fallback). */
  langs: readonly Lang[];
  /** Permissions-Policy features this page may use; every other one in POLICED_FEATURES is off. */
  permissions: readonly string[];
}

/** Each page is a folder web/<name>/ holding main.ts, style.css and body.html. */
export const PAGE_SOURCES: Record<PageName, PageSource> = {
  driver: {
    title: 'driver.page.title',
    description: 'driver.page.description',
    langs: LANGS,
    permissions: ['geolocation'],
  },
  dashboard: {
    title: 'dash.page.title',
    description: 'dash.page.description',
    langs: LANGS,
    permissions: [],
  },
  // The API documentation is in English, as the OpenAPI document it renders.
  docs: {
    title: { en: 'Parking finder API' },
    description: {
      en: 'Interactive documentation of the parking finder API, generated from its OpenAPI document.',
    },
    langs: ['en'],
    permissions: [],
  },
};

/** Libraries a page may bundle besides web/ (browser code, pinned in package.json). */
const BROWSER_LIBRARIES = ['gcoord'];

const POLICED_FEATURES = ['geolocation', 'camera', 'microphone', 'payment'];

export interface PageBuild {
  page: LocalisedPage;
  /** The files bundled into the script and the style, relative to the project root. */
  inputs: string[];
}

export async function buildPage(name: PageName): Promise<PageBuild> {
  const source = PAGE_SOURCES[name];
  const [first, ...others] = source.langs;
  if (first !== 'en') throw new Error(`web/${name}: English comes first (the fallback)`);
  const [style, body, ...scripts] = await Promise.all([
    bundle(`web/${name}/style.css`),
    readFile(join(WEB, name, 'body.html'), 'utf8'),
    ...source.langs.map((lang) => bundle(`web/${name}/main.ts`, lang)),
  ]);
  // Only browser code: a value import from shared/ (zod, the app) would ship server code to the page.
  const inputs = [...new Set([...scripts.flatMap((script) => script.inputs), ...style.inputs])];
  const foreign = inputs.filter((file) => !file.startsWith('web/') && !isBrowserLibrary(file));
  if (foreign.length) {
    throw new Error(`web/${name}: the bundle may hold only files under web/, not ${foreign.join(', ')}`);
  }
  // An inline element ends at the first closing tag, whatever the JavaScript or CSS around it means.
  if (scripts.some((script) => /<\/script/i.test(script.text))) {
    throw new Error(`web/${name}/main.ts bundles to text holding </script`);
  }
  if (/<\/style/i.test(style.text)) throw new Error(`web/${name}/style.css bundles to text holding </style`);
  const permissionsPolicy = POLICED_FEATURES.map(
    (f) => `${f}=${source.permissions.includes(f) ? '(self)' : '()'}`,
  ).join(', ');
  const variant = (lang: Lang, script: string): BuiltPage => {
    const words = (text: MessageKey | { en: string }) =>
      typeof text === 'string' ? translate(lang, text) : text.en;
    const html = document(
      lang,
      { title: words(source.title), description: words(source.description) },
      fill(normalise(body).trim(), lang, name),
      style.text,
      script,
    );
    const contentSecurityPolicy = [
      "default-src 'none'",
      `script-src 'sha256-${sha256(script)}'`,
      `style-src 'sha256-${sha256(style.text)}'`,
      "connect-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
    return { html, contentSecurityPolicy, permissionsPolicy, etag: `"${sha256(html).slice(0, 27)}"` };
  };
  const page: LocalisedPage = { en: variant(first, scripts[0]!.text) };
  others.forEach((lang, i) => {
    page[lang] = variant(lang, scripts[i + 1]!.text);
  });
  return { page, inputs };
}

/** body.html with each {{key}} replaced by the catalogue's words in `lang`, escaped for HTML. */
function fill(body: string, lang: Lang, name: PageName): string {
  return body.replace(/\{\{([\w.-]+)\}\}/g, (_, key: string) => {
    if (key === 'lang') return lang;
    if (!isMessageKey(key)) throw new Error(`web/${name}/body.html: {{${key}}} is not in web/lib/i18n/en.ts`);
    return escapeHtml(translate(lang, key));
  });
}

function isBrowserLibrary(file: string): boolean {
  return BROWSER_LIBRARIES.some((lib) => file.startsWith(`node_modules/${lib}/`));
}

export async function buildPages(): Promise<Record<PageName, PageBuild>> {
  const [driver, dashboard, docs] = await Promise.all([
    buildPage('driver'),
    buildPage('dashboard'),
    buildPage('docs'),
  ]);
  return { driver, dashboard, docs };
}

/** The text of web/generated/pages.ts for these pages. */
export function generatedModule(pages: Record<PageName, PageBuild>): string {
  const entries = Object.entries(pages).map(
    ([name, { page }]) => `export const ${name}: LocalisedPage = ${JSON.stringify(page, null, 2)};\n`,
  );
  return [
    '// Generated by scripts/build-web.ts from web/driver, web/dashboard and web/docs (see web/build.ts).',
    '// Do not edit: `npm run build:web` rewrites it, and test/web/pages.test.ts fails when it is stale.',
    "import type { LocalisedPage } from '../built-page';",
    '',
    entries.join('\n'),
  ].join('\n');
}

/** Whether web/generated/pages.ts is what the sources build to now. */
export async function generatedModuleIsFresh(): Promise<boolean> {
  const [expected, actual] = await Promise.all([
    buildPages().then(generatedModule),
    readFile(GENERATED_MODULE, 'utf8').catch(() => ''),
  ]);
  return expected === actual;
}

/** The module that says which catalogue a page's script carries (web/lib/i18n/page.ts). */
const PAGE_CATALOGUE_MODULE = join(WEB, 'lib', 'i18n', 'page.ts');

/**
 * Bundles a script for one language (web/lib/i18n/page.ts then exports that language's catalogue,
 * so the other languages' words are not in it) or a style sheet.
 */
async function bundle(entry: string, lang?: Lang): Promise<{ text: string; inputs: string[] }> {
  const pageLanguage: Plugin = {
    name: 'page-language',
    setup(b) {
      b.onLoad({ filter: /[\\/]web[\\/]lib[\\/]i18n[\\/]page\.ts$/ }, (args) => {
        if (args.path !== PAGE_CATALOGUE_MODULE || lang === undefined || lang === 'en') return undefined;
        const file = `./${lang}`;
        const exported = lang === 'zh-CN' ? 'zhCN' : lang;
        return {
          loader: 'ts',
          resolveDir: dirname(PAGE_CATALOGUE_MODULE),
          contents: `export { ${exported} as PAGE_CATALOGUE } from '${file}';\nexport const PAGE_LANG = '${lang}';\n`,
        };
      });
    },
  };
  const result = await build({
    plugins: [pageLanguage],
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    tsconfig: 'web/tsconfig.json',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output || result.outputFiles.length !== 1) throw new Error(`${entry}: expected one output file`);
  return { text: normalise(output.text).trim(), inputs: inputFiles(result.metafile) };
}

function inputFiles(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).map((file) => relative(ROOT, join(ROOT, file)).split(sep).join('/'));
}

/** Line ends as LF whatever the checkout did, so that hashes match on every machine. */
function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function document(
  lang: Lang,
  words: { title: string; description: string },
  body: string,
  style: string,
  script: string,
): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${escapeHtml(words.description)}">
<meta name="theme-color" content="#0b3d5c">
<title>${escapeHtml(words.title)}</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body>
${body}
<script type="module">${script}</script>
</body>
</html>
`;
}
