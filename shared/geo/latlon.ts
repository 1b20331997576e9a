// Points and the checks every geo entry point makes before trusting its numbers.

/** WGS-84 decimal degrees: lat in [-90, 90], lon in [-180, 180] (both ends allowed). */
export interface LatLon {
  lat: number;
  lon: number;
}

/** Throws a RangeError naming `what` unless `p` is a point with finite, in-range coordinates. */
export function assertLatLon(p: LatLon, what: string): void {
  if (typeof p !== 'object' || p === null) {
    throw new RangeError(`${what} must be an object {lat, lon}, got ${String(p)}`);
  }
  const { lat, lon } = p;
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new RangeError(`${what}.lat must be a finite number in [-90, 90], got ${String(lat)}`);
  }
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new RangeError(`${what}.lon must be a finite number in [-180, 180], got ${String(lon)}`);
  }
}
