// The cities the service knows by name (DEMO_CITY, README "Configuration"): each one's name in the
// pages' languages, centre and time zone. The configuration takes the demo city's name and centre as
// its defaults, and shared/demo/cities.ts builds the demo lots around them; this module stays out
// of shared/demo so that a Lambda bundle (which reads the configuration) carries no demo code.

export interface KnownCity {
  /** The city's name in each page language (README "Languages"). */
  name: { en: string; 'zh-CN': string };
  /** WGS-84, as every stored coordinate. */
  centre: { lat: number; lon: number };
  timeZone: string;
}

export const KNOWN_CITIES = {
  birmingham: {
    name: { en: 'Birmingham', 'zh-CN': '伯明翰' },
    centre: { lat: 52.4797, lon: -1.9026 }, // Victoria Square
    timeZone: 'Europe/London',
  },
  hangzhou: {
    name: { en: 'Hangzhou', 'zh-CN': '杭州' },
    centre: { lat: 30.2722, lon: 120.1653 }, // Wulin Square
    timeZone: 'Asia/Shanghai',
  },
} as const satisfies Record<string, KnownCity>;

export type KnownCityName = keyof typeof KNOWN_CITIES;
