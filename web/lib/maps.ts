// Links that open a lot in a maps app: a geo: URI (the phone's own maps app) on English pages, and
// AMap (高德地图), the usual maps app in mainland China, on Chinese pages. AMap reads GCJ-02, the
// coordinate system of Chinese maps, and our lots are WGS-84: a WGS-84 point given to AMap as is
// lands 300–600 m off in China, so it is converted with gcoord (bundled into the page).
import gcoord from 'gcoord';
import type { LatLon } from './api-types';
import type { Lang } from './i18n';

/** The GCJ-02 position of a WGS-84 point ([lon, lat]; unchanged outside China, as GCJ-02 is). */
export function toGcj02(point: LatLon): LatLon {
  const [lon, lat] = gcoord.transform([point.lon, point.lat], gcoord.WGS84, gcoord.GCJ02);
  return { lat, lon };
}

/** AMap's directions to a point (by car), from wherever the driver is, in its app when it is installed. */
export function amapDirections(point: LatLon, name: string): string {
  const { lat, lon } = toGcj02(point);
  // `to` is "lon,lat,name": a comma in the name would start a fourth field.
  const to = `${lon.toFixed(6)},${lat.toFixed(6)},${name.replaceAll(',', '，')}`;
  const query = new URLSearchParams({
    to,
    mode: 'car',
    coordinate: 'gaode',
    callnative: '1',
    src: 'parking-finder',
  });
  return `https://uri.amap.com/navigation?${query}`;
}

/** A geo: URI (RFC 5870) of a WGS-84 point, which the phone's maps app opens. */
export function geoUri(point: LatLon): string {
  const where = `${point.lat},${point.lon}`;
  return `geo:${where}?q=${where}`;
}

/** The directions link a page in `lang` offers. */
export function directionsLink(lang: Lang, point: LatLon, name: string): { href: string; amap: boolean } {
  return lang === 'zh-CN'
    ? { href: amapDirections(point, name), amap: true }
    : { href: geoUri(point), amap: false };
}
