// The pages' languages and city through the real app (README "Languages"): ?lang= first, then
// Accept-Language, then English; the city from configuration in a <meta> element, in the page's
// language; a validator per variant, and Vary so that caches keep them apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityConfig, loadConfig } from '../../shared/config';
import { openApp } from '../support/stores';

/** The city the page carries (what web/lib/city.ts reads), decoded. */
function cityIn(html: string): unknown {
  const content = /<meta name="parking-city" content="([^"]*)">/.exec(html)?.[1];
  if (content === undefined) return undefined;
  return JSON.parse(content.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))));
}

describe('page languages and city', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let bare: Awaited<ReturnType<typeof openApp>>;
  const hangzhou = cityConfig(loadConfig({ DEMO_CITY: 'hangzhou' }));
  beforeAll(async () => {
    t = await openApp('dynalite', undefined, { city: hangzhou });
    bare = await openApp('dynalite');
  });
  afterAll(async () => {
    await t.close();
    await bare.close();
  });

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const res = await t.request(path, { headers });
    expect(res.status).toBe(200);
    const html = await res.text();
    return { res, html, lang: /<html lang="([^"]+)">/.exec(html)?.[1] };
  };

  it.each([
    ['/', {}, 'en'],
    ['/?lang=zh-CN', {}, 'zh-CN'],
    ['/?lang=zh-cn', {}, 'zh-CN'],
    ['/?lang=zh', { 'accept-language': 'en' }, 'zh-CN'],
    ['/?lang=en', { 'accept-language': 'zh-CN,zh;q=0.9' }, 'en'],
    ['/', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }, 'zh-CN'],
    ['/', { 'accept-language': 'zh-TW' }, 'zh-CN'],
    ['/', { 'accept-language': 'zh-Hans-CN' }, 'zh-CN'],
    ['/', { 'accept-language': 'fr-FR, zh;q=0.5' }, 'zh-CN'],
    ['/', { 'accept-language': 'fr-FR, de;q=0.5' }, 'en'],
    ['/', { 'accept-language': 'zh;q=0, en' }, 'en'],
    ['/?lang=fr', { 'accept-language': 'zh-CN' }, 'zh-CN'],
    ['/?lang=%3Cscript%3E', {}, 'en'],
    ['/dashboard', { 'accept-language': 'zh-CN' }, 'zh-CN'],
    ['/dashboard?lang=en', { 'accept-language': 'zh-CN' }, 'en'],
    // The API documentation is in English only, whatever is asked.
    ['/docs', { 'accept-language': 'zh-CN' }, 'en'],
  ])('%s with %j is in %s', async (path, headers, expected) => {
    const { res, html, lang } = await page(path, headers);
    expect(lang).toBe(expected);
    expect(res.headers.get('content-language')).toBe(expected);
    expect(res.headers.get('vary')).toMatch(/accept-language/i);
    if (path.startsWith('/docs')) return;
    if (expected === 'zh-CN') expect(html).toMatch(/<title>停车查找/);
    else expect(html).toMatch(/<title>Parking finder/);
  });

  it('names the configured city in the page’s language, never Birmingham', async () => {
    const en = await page('/');
    const zh = await page('/?lang=zh-CN');
    expect(cityIn(en.html)).toEqual({ name: 'Hangzhou', centre: { lat: 30.2722, lon: 120.1653 } });
    expect(cityIn(zh.html)).toEqual({ name: '杭州', centre: { lat: 30.2722, lon: 120.1653 } });
    for (const { html } of [en, zh, await page('/dashboard'), await page('/dashboard?lang=zh-CN')]) {
      expect(html).not.toMatch(/Birmingham|伯明翰|52\.4797/);
    }
  });

  it('escapes the city’s name in the page (a name is text, never markup)', async () => {
    const odd = await openApp('dynalite', undefined, {
      city: { name: { en: '"><script>x</script>', 'zh-CN': '&amp;' }, centre: { lat: 1, lon: 2 } },
    });
    try {
      const html = await (await odd.request('/')).text();
      expect(html.match(/<script\b/g)).toHaveLength(1);
      expect(cityIn(html)).toEqual({ name: '"><script>x</script>', centre: { lat: 1, lon: 2 } });
      const zh = await (await odd.request('/?lang=zh-CN')).text();
      expect(cityIn(zh)).toEqual({ name: '&amp;', centre: { lat: 1, lon: 2 } });
    } finally {
      await odd.close();
    }
  });

  it('gives each language its own validator, and a page without a city names none', async () => {
    const en = (await page('/')).res.headers.get('etag');
    const zh = (await page('/?lang=zh-CN')).res.headers.get('etag');
    expect(en).not.toBe(zh);
    const revalidated = await t.request('/?lang=zh-CN', { headers: { 'if-none-match': zh ?? '' } });
    expect(revalidated.status).toBe(304);
    const other = await t.request('/', { headers: { 'if-none-match': zh ?? '' } });
    expect(other.status).toBe(200);
    const none = await (await bare.request('/')).text();
    expect(cityIn(none)).toBeUndefined();
    expect((await bare.request('/')).headers.get('etag')).not.toBe(en);
  });
});
