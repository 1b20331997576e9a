// Coordinate systems of requests and answers (README "Coordinate systems"): the apps of mainland
// China (AMap, Tencent: GCJ-02; Baidu: BD-09) use offset systems, 500-1,150 m from WGS-84 there.
// Coordinates are converted at the HTTP boundary only: stored coordinates and every distance stay
// WGS-84. `gcoord` converts; its inverse is iterative (under 1 cm off around Hangzhou, where
// one-step inverses are 1-2 m off). Outside China GCJ-02 is WGS-84 (gcoord returns the point as it
// is); BD-09 is Baidu's shift of GCJ-02 and gcoord applies it everywhere, as Baidu's maps do.
import { z } from '@hono/zod-openapi';
import gcoord, { type CRSTypes } from 'gcoord';
import type { LatLon } from '../geo';

export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_VALUES)[number];

const LIBRARY_CRS = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export const CrsParam = z
  .enum(CRS_VALUES)
  .optional()
  .openapi({
    description:
      'Coordinate system of the coordinates in the request and in the answer: wgs84 (default), gcj02 ' +
      '(AMap, Tencent) or bd09 (Baidu). Stored coordinates and distances are WGS-84; outside China gcj02 ' +
      'is wgs84.',
    example: 'gcj02',
  });

export const CrsQuerySchema = z.object({ crs: CrsParam });

/** A point given in `crs`, in WGS-84. */
export function toWgs84(point: LatLon, crs: Crs | undefined): LatLon {
  if (crs === undefined || crs === 'wgs84') return point;
  return convert(point, LIBRARY_CRS[crs], gcoord.WGS84);
}

/** A WGS-84 point, written in `crs`. */
export function fromWgs84(point: LatLon, crs: Crs | undefined): LatLon {
  if (crs === undefined || crs === 'wgs84') return point;
  return convert(point, gcoord.WGS84, LIBRARY_CRS[crs]);
}

/** A box given in `crs`: the WGS-84 box that holds its converted corners. */
export function boxToWgs84<B extends { minLon: number; minLat: number; maxLon: number; maxLat: number }>(
  box: B,
  crs: Crs | undefined,
): B {
  if (crs === undefined || crs === 'wgs84') return box;
  const sw = toWgs84({ lat: box.minLat, lon: box.minLon }, crs);
  const nw = toWgs84({ lat: box.maxLat, lon: box.minLon }, crs);
  const ne = toWgs84({ lat: box.maxLat, lon: box.maxLon }, crs);
  const se = toWgs84({ lat: box.minLat, lon: box.maxLon }, crs);
  return {
    ...box,
    minLon: Math.min(sw.lon, nw.lon),
    maxLon: Math.max(ne.lon, se.lon),
    minLat: Math.min(sw.lat, se.lat),
    maxLat: Math.max(nw.lat, ne.lat),
  };
}

/** A lot (or anything with a location) with its location written in `crs`. */
export function locatedIn<T extends { location: LatLon }>(item: T, crs: Crs | undefined): T {
  if (crs === undefined || crs === 'wgs84') return item;
  return { ...item, location: fromWgs84(item.location, crs) };
}

/** A cluster with its centroid and bbox written in `crs`. */
export function clusterIn<T extends { location: LatLon; bbox: [number, number, number, number] }>(
  cluster: T,
  crs: Crs | undefined,
): T {
  if (crs === undefined || crs === 'wgs84') return cluster;
  const [minLon, minLat, maxLon, maxLat] = cluster.bbox;
  const sw = fromWgs84({ lat: minLat, lon: minLon }, crs);
  const ne = fromWgs84({ lat: maxLat, lon: maxLon }, crs);
  return { ...cluster, location: fromWgs84(cluster.location, crs), bbox: [sw.lon, sw.lat, ne.lon, ne.lat] };
}

function convert(point: LatLon, from: CRSTypes, to: CRSTypes): LatLon {
  const [lon, lat] = gcoord.transform([point.lon, point.lat], from, to) as [number, number];
  // The shifts can step past a pole or the antimeridian (BD-09 near them): keep answers in range.
  return { lat: Math.min(90, Math.max(-90, lat)), lon: wrapLongitude(lon) };
}

function wrapLongitude(lon: number): number {
  if (lon >= -180 && lon <= 180) return lon;
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}
