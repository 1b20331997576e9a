// GeoJSON views of lot lists (RFC 7946: coordinates as [lon, lat]).
import type { LotView } from '../domain/lot';
import type { Cluster } from '../use-cases/ports';

/** Lots as Points; clusters (large boxes) as Points too, with `cluster: true` and their figures. */
export function toFeatureCollection(
  lots: readonly (LotView & { distance?: number })[],
  clusters: readonly Cluster[] = [],
) {
  return {
    type: 'FeatureCollection' as const,
    features: [
      ...lots.map(({ location, ...properties }) => ({
        type: 'Feature' as const,
        id: properties.id,
        geometry: { type: 'Point' as const, coordinates: [location.lon, location.lat] },
        properties: properties as Record<string, unknown>,
      })),
      ...clusters.map(({ location, ...figures }, i) => ({
        type: 'Feature' as const,
        id: `cluster-${i}`,
        geometry: { type: 'Point' as const, coordinates: [location.lon, location.lat] },
        properties: { cluster: true, ...figures } as Record<string, unknown>,
      })),
    ],
  };
}
