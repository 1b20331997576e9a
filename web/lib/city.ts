// The city this deployment serves, as the server wrote it into the page (README "Languages":
// CITY_NAME, CITY_NAME_ZH, CITY_CENTER): `<meta name="parking-city" content="{json}">`, its name
// already in the page's language. A page served without one (an app built without a city) names
// no city and offers no city centre.
import type { LatLon } from './api-types';

export interface PageCity {
  name: string;
  centre: LatLon;
}

export const CITY_META = 'parking-city';

let read: PageCity | null | undefined;

export function pageCity(): PageCity | null {
  if (read !== undefined) return read;
  const meta = document.querySelector(`meta[name="${CITY_META}"]`);
  read = meta instanceof HTMLMetaElement ? parseCity(meta.content) : null;
  return read;
}

function parseCity(text: string): PageCity | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { name, centre } = value as { name?: unknown; centre?: { lat?: unknown; lon?: unknown } };
  const lat = centre?.lat;
  const lon = centre?.lon;
  if (typeof name !== 'string' || typeof lat !== 'number' || typeof lon !== 'number') return null;
  return { name, centre: { lat, lon } };
}
