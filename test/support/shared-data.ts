// The handbook's third-party data sets, read in place from ../shared/data (never copied here).
// Suites that use them run when the folder is present (it is in CI) and say so when they skip.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_DATA = resolve(process.env.SHARED_DATA_DIR ?? '../shared/data');

export function sharedFile(relative: string): string | null {
  const path = resolve(SHARED_DATA, relative);
  if (existsSync(path)) return path;
  console.warn(`[tests] ${path} not found: the suites that replay it are skipped`);
  return null;
}

export interface BirminghamReading {
  code: string;
  capacity: number;
  occupancy: number;
  /** Naive UK local time, as in the file. */
  lastUpdated: string;
}

export function readBirmingham(path: string): BirminghamReading[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return lines.slice(1).map((line) => {
    const [code, capacity, occupancy, lastUpdated] = line.split(',');
    return {
      code: code!,
      capacity: Number(capacity),
      occupancy: Number(occupancy),
      lastUpdated: lastUpdated!.trim(),
    };
  });
}
