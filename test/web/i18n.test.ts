// The pages' message catalogues (web/lib/i18n.ts): every key in every language, with the same
// {placeholders}, plural forms where the language has them, and every {{key}} a page's body.html
// names; and the AMap links of the Chinese pages (web/lib/maps.ts), in GCJ-02.
import { readFile } from 'node:fs/promises';
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { metresBetween } from '../../shared/geo';
import { CATALOGUES, isMessageKey, placeholders, translate, translatePlural } from '../../web/lib/catalogues';
import { INTL_LOCALE, LANGS, type MessageKey } from '../../web/lib/i18n';
import { en } from '../../web/lib/i18n/en';
import { amapDirections, directionsLink, toGcj02 } from '../../web/lib/maps';

const KEYS = Object.keys(en) as MessageKey[];

describe('message catalogues', () => {
  it('have every key in every language, and nothing else', () => {
    for (const lang of LANGS) {
      expect(Object.keys(CATALOGUES[lang]).sort(), lang).toEqual([...KEYS].sort());
      for (const key of KEYS) expect(CATALOGUES[lang][key].trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('name the same placeholders in every language', () => {
    for (const lang of LANGS) {
      for (const key of KEYS) {
        expect(placeholders(CATALOGUES[lang][key]), `${lang} ${key}`).toEqual(placeholders(en[key]));
      }
    }
  });

  it('have an .other form for every .one, and translate differently where they should', () => {
    for (const key of KEYS.filter((k) => k.endsWith('.one'))) {
      expect(isMessageKey(key.replace(/\.one$/, '.other')), key).toBe(true);
    }
    // Texts that say the same in both (numbers, codes, "API") are few; the rest is translated.
    const same = KEYS.filter((key) => CATALOGUES['zh-CN'][key] === en[key]);
    expect(same.length).toBeLessThan(10);
    expect(CATALOGUES['zh-CN']['driver.locate']).toMatch(/\p{Script=Han}/u);
  });

  it('fill placeholders by name and choose plural forms by the locale’s rules', () => {
    expect(translate('en', 'driver.centre', { city: 'Hangzhou' })).toBe('Hangzhou city centre');
    expect(translate('zh-CN', 'driver.centre', { city: '杭州' })).toBe('杭州市中心');
    // A placeholder whose value contains braces is not read again.
    expect(translate('en', 'driver.centre', { city: '{city}' })).toBe('{city} city centre');
    expect(translatePlural('en', 'driver.count', 1)).toBe('1 car park');
    expect(translatePlural('en', 'driver.count', 2)).toBe('2 car parks');
    expect(translatePlural('en', 'driver.count', 1000, { n: '1,000' })).toBe('1,000 car parks');
    expect(translatePlural('zh-CN', 'driver.count', 1)).toBe('1 个停车场');
    expect(new Intl.PluralRules(INTL_LOCALE['zh-CN']).select(1)).toBe('other');
  });

  it('hold every {{key}} that the driver page and the dashboard name', async () => {
    for (const page of ['driver', 'dashboard']) {
      const body = await readFile(`web/${page}/body.html`, 'utf8');
      const named = [...body.matchAll(/\{\{([\w.-]+)\}\}/g)].map((m) => m[1]!);
      expect(named.length, page).toBeGreaterThan(10);
      for (const key of named) expect(key === 'lang' || isMessageKey(key), `${page}: {{${key}}}`).toBe(true);
      // No words left outside the catalogue: text between tags is a {{key}}, a number or a symbol.
      const loose = body
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/<[^>]+>/g, '\n')
        .split('\n')
        .map((line) => line.replace(/\{\{[\w.-]+\}\}/g, '').trim())
        .filter((line) => /[A-Za-z]{3,}/.test(line));
      expect(loose, page).toEqual([]);
    }
  });
});

describe('directions links', () => {
  const wulin = { lat: 30.2722, lon: 120.1653 };

  it('open AMap in GCJ-02 on Chinese pages, and a geo: URI in WGS-84 on English ones', () => {
    const url = new URL(amapDirections(wulin, '武林广场, 地下停车场'));
    expect(url.origin + url.pathname).toBe('https://uri.amap.com/navigation');
    expect(url.searchParams.get('coordinate')).toBe('gaode');
    const [lon, lat, name, extra] = url.searchParams.get('to')!.split(',');
    expect(extra).toBeUndefined();
    expect(name).toBe('武林广场， 地下停车场');
    const gcj = { lat: Number(lat), lon: Number(lon) };
    // GCJ-02 is offset by hundreds of metres in Hangzhou: the link must carry the converted point.
    expect(metresBetween(gcj, wulin)).toBeGreaterThan(300);
    expect(metresBetween(gcj, wulin)).toBeLessThan(700);
    const [backLon, backLat] = gcoord.transform([gcj.lon, gcj.lat], gcoord.GCJ02, gcoord.WGS84);
    expect(metresBetween({ lat: backLat, lon: backLon }, wulin)).toBeLessThan(1);
    expect(directionsLink('zh-CN', wulin, 'x').amap).toBe(true);
    expect(directionsLink('en', wulin, 'x')).toEqual({
      href: 'geo:30.2722,120.1653?q=30.2722,120.1653',
      amap: false,
    });
  });

  it('leave points outside China where they are (GCJ-02 is WGS-84 there)', () => {
    const birmingham = { lat: 52.4797, lon: -1.9026 };
    expect(toGcj02(birmingham)).toEqual(birmingham);
  });
});
