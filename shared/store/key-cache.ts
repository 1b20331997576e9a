// A short-lived, bounded, in-process cache in front of key authentication (README "Keys and
// authentication", "Limits"): without it every authenticated request pays a strongly consistent
// GetItem on the `KEY` partition, the one partition every caller shares. The price is stated in
// the README: a key revoked by another process (another Lambda container) may still work for up to
// the cache's TTL; one revoked through this process stops at once. Only successful lookups are
// kept, so a guessed secret never fills the cache and a new key needs no waiting.
//
// Written here rather than taken from lru-cache: the TTL must follow the injected clock
// (deps.now) so that tests can step over it, which the lru-cache version in the tree cannot do,
// and the job is twenty lines of Map.
import { createHash } from 'node:crypto';
import type { ApiKey, AuthenticatedKey, KeysPort, NewKey } from '../use-cases/ports';

/** Keys remembered at most per process; the least recently used go first (README "Limits"). */
export const API_KEY_CACHE_MAX_ENTRIES = 10_000;

export interface KeyCacheOptions {
  /** How long a successful lookup is trusted; 0 turns the cache off. */
  ttlMs: number;
  now: () => number;
  maxEntries?: number;
}

interface Entry {
  key: AuthenticatedKey;
  expiresAt: number;
}

export class CachedKeys implements KeysPort {
  // Keyed by the secret's SHA-256, so the cache never holds a secret itself. A Map iterates in
  // insertion order, so re-inserting on use makes its first entry the least recently used.
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  /** Bumped by every revocation through this process (see `authenticate`). */
  private revocations = 0;

  constructor(
    private readonly inner: KeysPort,
    private readonly options: KeyCacheOptions,
  ) {
    this.maxEntries = options.maxEntries ?? API_KEY_CACHE_MAX_ENTRIES;
  }

  async authenticate(secret: string): Promise<AuthenticatedKey | null> {
    if (this.options.ttlMs <= 0) return this.inner.authenticate(secret);
    const id = createHash('sha256').update(secret, 'utf8').digest('base64url');
    const now = this.options.now();
    const cached = this.entries.get(id);
    if (cached !== undefined) {
      this.entries.delete(id);
      if (now < cached.expiresAt) {
        this.entries.set(id, cached);
        return cached.key;
      }
    }
    const revocationsBefore = this.revocations;
    const key = await this.inner.authenticate(secret);
    // A lookup that overlapped a revocation may have read the key before it was revoked: answer
    // it, but do not keep it for another TTL.
    if (key !== null && this.revocations === revocationsBefore) {
      this.entries.set(id, { key, expiresAt: now + this.options.ttlMs });
      while (this.entries.size > this.maxEntries) {
        this.entries.delete(this.entries.keys().next().value as string);
      }
    }
    return key;
  }

  create(input: NewKey, now: number): Promise<ApiKey & { secret: string }> {
    return this.inner.create(input, now);
  }

  listPage(limit: number, after?: string): Promise<{ keys: ApiKey[]; next?: string }> {
    return this.inner.listPage(limit, after);
  }

  async revoke(keyId: string, now: number): Promise<boolean> {
    this.revocations += 1;
    this.forget(keyId);
    try {
      return await this.inner.revoke(keyId, now);
    } finally {
      // Again after the write: lookups that began before it and ended since are not kept (above),
      // and none may have been answered from an entry made while it was in flight.
      this.revocations += 1;
      this.forget(keyId);
    }
  }

  /** Entries held now (for tests of the bound). */
  get size(): number {
    return this.entries.size;
  }

  private forget(keyId: string) {
    for (const [id, entry] of this.entries) if (entry.key.keyId === keyId) this.entries.delete(id);
  }
}
