// The pages' build (web/build.ts): the committed web/generated/pages.ts is what the sources under
// web/ build to now, and each page's bundle holds browser code from web/ only (the API types are
// type-only imports of the zod schemas: no zod, nothing of the server, reaches a page).
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildPages,
  GENERATED_MODULE,
  generatedModule,
  type PageBuild,
  type PageName,
} from '../../web/build';

describe('the web pages build', () => {
  let built: Record<PageName, PageBuild>;
  beforeAll(async () => {
    built = await buildPages();
  });

  it('matches the committed web/generated/pages.ts (else: npm run build:web, and commit it)', async () => {
    const committed = await readFile(GENERATED_MODULE, 'utf8');
    expect(
      committed === generatedModule(built),
      'web/generated/pages.ts is stale: run npm run build:web',
    ).toBe(true);
  });

  it('bundles only browser code from web/ (and gcoord, for the AMap links) into each page', () => {
    for (const [name, { inputs }] of Object.entries(built)) {
      expect(inputs, name).toContain(`web/${name}/main.ts`);
      expect(inputs, name).toContain(`web/${name}/style.css`);
      expect(
        inputs.filter((file) => !file.startsWith('web/') && !file.startsWith('node_modules/gcoord/')),
        name,
      ).toEqual([]);
    }
    expect(built.driver.inputs.some((file) => file.startsWith('node_modules/gcoord/'))).toBe(true);
  });

  it('builds the driver page and the dashboard in English and Chinese, with every {{key}} filled', () => {
    for (const name of ['driver', 'dashboard'] as const) {
      const { en, 'zh-CN': zh } = built[name].page;
      expect(zh, name).toBeDefined();
      expect(en.html).toContain('<html lang="en">');
      expect(zh?.html).toContain('<html lang="zh-CN">');
      for (const page of [en, zh!]) {
        const markup = page.html.slice(page.html.indexOf('</style>'), page.html.indexOf('<script'));
        expect(markup, name).not.toMatch(/\{\{|\}\}/);
        expect(page.html, name).not.toMatch(/Birmingham|伯明翰/);
      }
      // Each language's script carries its own catalogue only (and so has its own hash).
      expect(zh?.contentSecurityPolicy).not.toBe(en.contentSecurityPolicy);
      const script = (html: string) => html.slice(html.indexOf('<script'));
      expect(script(en.html)).toContain(name === 'driver' ? 'Use my location' : 'Sign in');
      expect(script(en.html)).not.toMatch(/\p{Script=Han}{4}/u);
      expect(script(zh!.html)).toContain(name === 'driver' ? '使用我的位置' : '登录');
      expect(script(zh!.html)).not.toContain('Use my location');
      expect(zh?.html).toMatch(/<title>停车查找/);
      expect(en.html).toMatch(/<title>Parking finder/);
    }
  });

  it('gives each page a policy that allows only its own inline script and style', () => {
    for (const [name, { page: localised }] of Object.entries(built)) {
      for (const [lang, page] of Object.entries(localised)) {
        const csp = page.contentSecurityPolicy;
        expect(csp, `${name} ${lang}`).not.toContain('unsafe');
        expect(csp.match(/script-src 'sha256-[A-Za-z0-9+/]{43}='(;|$)/), name).not.toBeNull();
        expect(csp.match(/style-src 'sha256-[A-Za-z0-9+/]{43}='(;|$)/), name).not.toBeNull();
        expect(page.html.match(/<script\b/g), name).toHaveLength(1);
        expect(page.html.match(/<style\b/g), name).toHaveLength(1);
      }
    }
  });
});
