// Geohash as integers: a geohash of n characters is a 5n-bit Z-order (Morton) code that
// interleaves longitude (first) and latitude bits. The base32 alphabet is in ASCII order, so
// string order equals Z-order — which is what lets a DynamoDB sort key range select a run of cells.

export const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
/** Bits of a precision-10 geohash: 25 for longitude, 25 for latitude; < 2^53, so exact in a number. */
export const Z_BITS = 50;
const LON_BITS = 25;
const LAT_BITS = 25;

function checkPoint(lat: number, lon: number) {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90)
    throw new RangeError(`latitude ${lat} is not in [-90, 90]`);
  if (!Number.isFinite(lon) || lon < -180 || lon > 180)
    throw new RangeError(`longitude ${lon} is not in [-180, 180]`);
}

/** Cell index of `value` in [min, max] split into 2^bits cells; the max edge belongs to the last cell. */
function cellIndex(value: number, min: number, max: number, bits: number): number {
  const cells = 2 ** bits;
  return Math.min(cells - 1, Math.floor(((value - min) / (max - min)) * cells));
}

/** Interleaves a lon index (lonBits) and a lat index (latBits) into a Z-order code, lon first. */
export function interleave(lonIndex: number, latIndex: number, lonBits: number, latBits: number): number {
  let z = 0;
  let lonBit = lonBits - 1;
  let latBit = latBits - 1;
  for (let i = 0; i < lonBits + latBits; i++) {
    const fromLon = i % 2 === 0;
    const bit = fromLon ? Math.floor(lonIndex / 2 ** lonBit--) % 2 : Math.floor(latIndex / 2 ** latBit--) % 2;
    z = z * 2 + bit;
  }
  return z;
}

/** The 50-bit Z-order code (precision-10 geohash) of a point. */
export function zOf(lat: number, lon: number): number {
  checkPoint(lat, lon);
  return interleave(
    cellIndex(lon, -180, 180, LON_BITS),
    cellIndex(lat, -90, 90, LAT_BITS),
    LON_BITS,
    LAT_BITS,
  );
}

/** Geohash text of the top `chars` characters of a 50-bit code. */
export function zToGeohash(z: number, chars = 10): string {
  let out = '';
  for (let c = 0; c < chars; c++) out += BASE32[Math.floor(z / 2 ** (Z_BITS - 5 * (c + 1))) % 32];
  return out;
}

/** The 50-bit code of a precision-10 geohash. */
export function geohashToZ(hash: string): number {
  let z = 0;
  for (const ch of hash.slice(0, 10)) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new RangeError(`'${ch}' is not a geohash character`);
    z = z * 32 + v;
  }
  return z * 32 ** (10 - Math.min(10, hash.length));
}

export function geohashEncode(lat: number, lon: number, precision: number): string {
  if (!Number.isInteger(precision) || precision < 1 || precision > 12) {
    throw new RangeError(`geohash precision ${precision} is not a whole number in [1, 12]`);
  }
  checkPoint(lat, lon);
  const bits = precision * 5;
  const lonBits = Math.ceil(bits / 2);
  const latBits = Math.floor(bits / 2);
  // Interleave in two halves: 60 bits would not fit a double exactly.
  let out = '';
  let lonLo = -180;
  let lonHi = 180;
  let latLo = -90;
  let latHi = 90;
  let value = 0;
  for (let i = 0; i < lonBits + latBits; i++) {
    if (i % 2 === 0) {
      const mid = (lonLo + lonHi) / 2;
      value = value * 2 + (lon >= mid ? 1 : 0);
      if (lon >= mid) lonLo = mid;
      else lonHi = mid;
    } else {
      const mid = (latLo + latHi) / 2;
      value = value * 2 + (lat >= mid ? 1 : 0);
      if (lat >= mid) latLo = mid;
      else latHi = mid;
    }
    if (i % 5 === 4) {
      out += BASE32[value];
      value = 0;
    }
  }
  return out;
}

/** The lon/lat box of a cell given by its Z-order prefix of `bits` bits. */
export function cellBounds(prefix: number, bits: number) {
  const lonBits = Math.ceil(bits / 2);
  const latBits = Math.floor(bits / 2);
  let lonIndex = 0;
  let latIndex = 0;
  for (let i = 0; i < bits; i++) {
    const bit = Math.floor(prefix / 2 ** (bits - 1 - i)) % 2;
    if (i % 2 === 0) lonIndex = lonIndex * 2 + bit;
    else latIndex = latIndex * 2 + bit;
  }
  const lonSize = 360 / 2 ** lonBits;
  const latSize = 180 / 2 ** latBits;
  return {
    minLon: -180 + lonIndex * lonSize,
    maxLon: -180 + (lonIndex + 1) * lonSize,
    minLat: -90 + latIndex * latSize,
    maxLat: -90 + (latIndex + 1) * latSize,
  };
}
