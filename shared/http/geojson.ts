// GeoJSON views of lot lists (RFC 7946: coordinates as [lon, lat]).
import type { LotView } from '../domain/lot';

export function toFeatureCollection(lots: readonly (LotView & { distance?: number })[]) {
  return {
    type: 'FeatureCollection' as const,
    features: lots.map(({ location, ...properties }) => ({
      type: 'Feature' as const,
      id: properties.id,
      geometry: { type: 'Point' as const, coordinates: [location.lon, location.lat] },
      properties,
    })),
  };
}
