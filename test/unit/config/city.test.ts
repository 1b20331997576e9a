// The city the pages show comes from the configuration (shared/config.ts): CITY_NAME, CITY_NAME_ZH
// and CITY_CENTER, each defaulting to the demo city's, and a bad value stops the start with a
// message naming the variable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, cityConfig, loadConfig } from '../../../shared/config';
import { HANGZHOU } from '../../../shared/demo/cities';

const city = (env: Record<string, string>) => cityConfig(loadConfig(env));

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('the city from configuration', () => {
  it('defaults to the demo city: Birmingham, or Hangzhou with DEMO_CITY=hangzhou', () => {
    const unknownPublisher = { country: 'ZZ', nationalIdentifier: 'parking-finder' };
    expect(city({})).toEqual({
      name: { en: 'Birmingham', 'zh-CN': '伯明翰' },
      centre: { lat: 52.4797, lon: -1.9026 },
      publisher: unknownPublisher,
    });
    const hangzhou = city({ DEMO_CITY: 'hangzhou' });
    expect(hangzhou).toEqual({ name: HANGZHOU.name, centre: HANGZHOU.centre, publisher: unknownPublisher });
    expect(JSON.stringify(hangzhou)).not.toMatch(/Birmingham|伯明翰/);
  });

  it('takes CITY_NAME for every language unless CITY_NAME_ZH names the Chinese one', () => {
    expect(city({ CITY_NAME: 'Hangzhou', CITY_CENTER: '30.2722,120.1653' })).toMatchObject({
      name: { en: 'Hangzhou', 'zh-CN': 'Hangzhou' },
      centre: { lat: 30.2722, lon: 120.1653 },
    });
    expect(city({ CITY_NAME: ' Hangzhou ', CITY_NAME_ZH: '杭州' }).name).toEqual({
      en: 'Hangzhou',
      'zh-CN': '杭州',
    });
  });

  it('names the open data publisher from PUBLISHER_COUNTRY and PUBLISHER_ID', () => {
    expect(city({ PUBLISHER_COUNTRY: 'CN', PUBLISHER_ID: 'Hangzhou City Brain' }).publisher).toEqual({
      country: 'CN',
      nationalIdentifier: 'Hangzhou City Brain',
    });
    // Every region Intl knows is accepted; a two-letter code it does not know stops the start.
    for (const code of ['GB', 'CN', 'DE', 'SG', 'AU', 'DK', 'ZZ']) {
      expect(city({ PUBLISHER_COUNTRY: code }).publisher.country).toBe(code);
    }
    for (const bad of ['gb', 'GBR', 'QQ', 'G1', ' ']) {
      expect(configError({ PUBLISHER_COUNTRY: bad })).toMatch(/PUBLISHER_COUNTRY: /);
    }
    for (const bad of ['x'.repeat(101), 'caf\u00e9', 'tab\there']) {
      expect(configError({ PUBLISHER_ID: bad })).toMatch(/PUBLISHER_ID: /);
    }
  });

  it('reads every centre on the globe written as "lat,lon", with spaces around the comma', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -90_000_000, max: 90_000_000 }),
        fc.integer({ min: -180_000_000, max: 180_000_000 }),
        fc.constantFrom(',', ', ', ' , '),
        (latE6, lonE6, comma) => {
          const lat = latE6 / 1e6;
          const lon = lonE6 / 1e6;
          expect(city({ CITY_CENTER: `${lat}${comma}${lon}` }).centre).toEqual({ lat, lon });
        },
      ),
    );
  });

  it('stops the start with a message naming CITY_CENTER for anything else', () => {
    for (const bad of [
      '30.27',
      '30.27;120.16',
      '120.16,30.27,1',
      '91,0',
      '0,180.5',
      '-90.0001,0',
      '1e1,2',
      '0x10,2',
      'NaN,1',
      'Infinity,1',
      'Hangzhou',
      ',',
    ]) {
      const message = configError({ CITY_CENTER: bad });
      expect(message, bad).toMatch(/CITY_CENTER: must be "latitude,longitude" in decimal degrees/);
      expect(message, bad).toContain(JSON.stringify(bad));
    }
  });

  it('refuses a city name with control or bidi characters, nothing visible, or too long', () => {
    for (const [variable, bad] of [
      ['CITY_NAME', 'Hang\u0007zhou'],
      ['CITY_NAME', '\u202euohzgnaH'],
      ['CITY_NAME_ZH', '\u200b'],
      ['CITY_NAME', 'x'.repeat(101)],
    ] as const) {
      expect(configError({ [variable]: bad }), bad).toMatch(
        new RegExp(`^invalid configuration:\\n  ${variable}: `),
      );
    }
  });

  it('refuses a demo city it cannot generate', () => {
    expect(configError({ DEMO_CITY: 'atlantis' })).toMatch(/DEMO_CITY: /);
  });
});
