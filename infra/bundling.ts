// How every Lambda bundle is built: the one place that gives esbuild its options, called by the CDK
// stack (infra/constructs/service-function.ts, through scripts/bundle-function.ts) and by the
// benchmark (bench/sections/lambda.ts), so the bench measures exactly what is deployed.
//
// An own build step rather than NodejsFunction's: NodejsFunction runs esbuild's command line, which
// takes no plugins, and the two that keep the bundle small need to see files inside packages
// (README "Benchmarks", Lambda):
// - zod's error messages in English only. @hono/zod-openapi extends the whole `z` namespace, which
//   re-exports every locale (`export * as locales`), so esbuild cannot drop the 40-odd others
//   (~260 KB minified). Nothing here configures another locale; English is zod's default.
// - opening_hours without its public and school holiday tables (~550 KB of source). The service
//   never gives the evaluator a country (shared/domain/opening-hours.ts), so it looks up no
//   holidays and refuses `PH`/`SH` rules with or without the tables; every other table of the
//   library (its parser's foreign weekday and month names, its messages) stays.
// The SDK stays bundled: the version the tests ran with (package-lock.json), not whichever one the
// runtime ships.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type BuildOptions, type BuildResult, build, type Plugin } from 'esbuild';

// Bundles that include the SDK need `require` in ESM: some of its dependencies call it for node: modules.
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/** The file each function's asset holds; Lambda's handler is `index.<export>`. */
export const BUNDLE_FILE = 'index.mjs';

/** zod's locale index, re-exported as `z.locales` / `core.locales`, answered with English alone. */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /[\\/]locales[\\/]index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: resolve(args.resolveDir, args.path), namespace: 'zod-english-only' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      resolveDir: dirname(args.path), // zod's locales folder, where en.js is
      loader: 'js',
    }));
  },
};

/** The evaluator's holiday tables as one object, as opening_hours 3.15.0 builds them. */
const HOLIDAY_TABLES =
  /var holiday_definitions = \/\*#__PURE__\*\/Object\.freeze\(\{\n {2}__proto__: null,\n(?: {2}[a-z]{2}: [a-z]{2},?\n)+\}\);/;

/** opening_hours' prebuilt ESM build with an empty holiday table: the tables are left unreferenced, and dropped. */
export const openingHoursWithoutHolidays: Plugin = {
  name: 'opening-hours-without-holidays',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]node_modules[\\/]opening_hours[\\/]build[\\/]opening_hours\.esm\.mjs$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const matches = source.match(new RegExp(HOLIDAY_TABLES.source, 'g')) ?? [];
        // A new version laid out differently must fail the build, not ship the tables silently.
        if (matches.length !== 1)
          throw new Error(
            `opening_hours: expected its holiday tables once in ${args.path}, found ${matches.length}`,
          );
        return {
          contents: source.replace(
            HOLIDAY_TABLES,
            'var holiday_definitions = Object.freeze({ __proto__: null });',
          ),
          loader: 'js',
        };
      },
    );
  },
};

export const BUNDLE_PLUGINS: readonly Plugin[] = [zodEnglishOnly, openingHoursWithoutHolidays];

/** esbuild's options for one function: `entry` is a file, or source text resolved from `resolveDir`. */
export function bundleOptions(
  entry: { file: string } | { source: string; resolveDir: string },
  outDir: string,
): BuildOptions & { metafile: true } {
  return {
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : {
          stdin: {
            contents: entry.source,
            resolveDir: entry.resolveDir,
            loader: 'ts',
            sourcefile: 'entry.ts',
          },
        }),
    bundle: true,
    platform: 'node',
    target: 'node24', // the stack's runtime (Runtime.NODEJS_24_X)
    format: 'esm',
    // Code splitting: what the code imports with `import()` (the web pages, shared/http/resources/
    // pages.ts; the opening-hours evaluator, shared/domain/opening-hours.ts; the CSV reader,
    // shared/use-cases/import-lots.ts) becomes a chunk of its own that a cold start does not parse
    // until it is asked for.
    // The function ships every chunk; the entry is index.mjs.
    splitting: true,
    outdir: outDir,
    entryNames: 'index',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    minify: true,
    sourcemap: true,
    sourcesContent: false, // traces need names and lines, not our sources inside the zip
    mainFields: ['module', 'main'], // ESM builds of hono/zod/SDK tree-shake better
    banner: { js: ESM_REQUIRE_BANNER },
    metafile: true, // what went into the bundle: test/infra/bundle.test.ts proves no dev-only code did
    plugins: [...BUNDLE_PLUGINS],
    logLevel: 'warning',
  };
}

/**
 * Builds one function's bundle into `outDir`: index.mjs and its chunks, and their source maps.
 * esbuild's metafile (~550 KB) is written to `metafilePath` if one is given, never into `outDir`:
 * that folder is the function's asset, zipped and loaded as it is.
 */
export async function bundleFunction(
  entry: { file: string } | { source: string; resolveDir: string },
  outDir: string,
  metafilePath?: string,
): Promise<BuildResult<{ metafile: true }>> {
  const result = await build(bundleOptions(entry, outDir));
  if (metafilePath) {
    await mkdir(dirname(metafilePath), { recursive: true });
    await writeFile(metafilePath, JSON.stringify(result.metafile));
  }
  return result;
}
