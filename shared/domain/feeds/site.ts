// What every inbound feed format is read into (README "Feeds a city already has"): one site per
// lot, with its count at the feed's own time. The parsers (./datex2-light, ./ngsi-ld,
// ./parkapi-v3) are pure: a parsed JSON document in, sites and the reasons some were skipped out.
import { z } from 'zod';
import type { LotType } from '../lot';
import { Pacer } from '../pacer';
import { inTimeDomain } from '../time-domain';

export interface FeedSite {
  /** The feed's own id of the site (the lot id is the source's prefix + this, see sourceLotId). */
  siteId: string;
  name: string;
  location: { lat: number; lon: number };
  capacity: number;
  type: LotType;
  /** The count, when the feed has one: occupied spaces (raw) at `observedAt`. */
  count?: { occupied: number; observedAt: number };
}

export interface FeedRead {
  sites: FeedSite[];
  /** Sites left out, each with why (no position, no capacity …); the others are still read. */
  skipped: { siteId: string; reason: string }[];
}

/** The document is not the format at all (not JSON, or not its top-level shape): nothing is read. */
export class FeedFormatError extends Error {
  override name = 'FeedFormatError';
}

/** At most this many sites per feed (a city's feed holds a few hundred; an import takes 5,000). */
export const MAX_FEED_SITES = 5000;

export const latitude = z.coerce.number().min(-90).max(90);
export const longitude = z.coerce.number().min(-180).max(180);
export const capacity = z.coerce.number().int().min(1).max(1_000_000);
export const spaces = z.coerce.number().int().min(0).max(1_000_000);

/** An instant as feeds write them (RFC 3339, `Z` or an offset, any fraction), in the time domain. */
export function instantOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const parsed = z.iso.datetime({ offset: true, local: false }).safeParse(value);
  if (!parsed.success) return null;
  const ms = Date.parse(value);
  return inTimeDomain(ms) ? ms : null;
}

export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(document)'} ${issue.message}`;
}

/**
 * Reads each raw site with `read`; a site that answers a reason is skipped. Yields to the event
 * loop every slice (README "Limits": a feed of thousands of sites is ~0.1–0.3 s of zod work).
 */
export async function readSites(
  raw: readonly unknown[],
  read: (site: unknown, index: number) => FeedSite | { siteId: string; reason: string },
  pacer: Pacer = new Pacer(),
): Promise<FeedRead> {
  if (raw.length > MAX_FEED_SITES) {
    throw new FeedFormatError(`the feed has ${raw.length} sites; at most ${MAX_FEED_SITES} are read`);
  }
  const out: FeedRead = { sites: [], skipped: [] };
  const seen = new Set<string>();
  for (let index = 0; index < raw.length; index++) {
    await pacer.tick();
    const result = read(raw[index], index);
    if ('reason' in result) out.skipped.push(result);
    else if (seen.has(result.siteId))
      out.skipped.push({ siteId: result.siteId, reason: 'the same id twice' });
    else {
      seen.add(result.siteId);
      out.sites.push(result);
    }
  }
  return out;
}

const LOT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** FNV-1a, 32 bits: a short, stable tag that keeps two ids apart once both are shortened. */
function tag(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The lot a site becomes: `<prefix><site id>` when that is a valid lot id; otherwise the site id
 * made one (its characters outside [A-Za-z0-9._-] replaced, shortened) with a tag of the original,
 * so two sites never share a lot.
 */
export function sourceLotId(prefix: string, siteId: string): string {
  const plain = `${prefix}${siteId}`;
  if (LOT_ID.test(plain)) return plain;
  const cleaned = siteId.replaceAll(/[^A-Za-z0-9._-]+/g, '-').replaceAll(/^[-._]+/g, '');
  return `${prefix}${cleaned.slice(0, Math.max(0, 64 - prefix.length - 9))}-${tag(siteId)}`.replace(
    /^-/,
    'x',
  );
}

/** The event id of a site's count: one per source and feed timestamp (the lot is the site). */
export function feedEventId(sourceId: string, observedAt: number): string {
  return `feed.${sourceId}.${observedAt}`;
}
