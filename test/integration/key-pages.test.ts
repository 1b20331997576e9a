// GET /v1/keys comes in pages of KEYS_PAGE key items (README "Limits"): following nextCursor lists
// every live key exactly once and no revoked one, and the OpenAPI document declares the page
// bounds of both paged listings (keys, lot health) that the use cases keep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_PAGE_LOTS } from '../../shared/use-cases/lot-health';
import { KEYS_PAGE, listKeys } from '../../shared/use-cases/manage-keys';
import { openApp, storeKinds } from '../support/stores';

describe.each(storeKinds())('key pages on %s', (kind) => {
  let t: Awaited<ReturnType<typeof openApp>>;
  const live = new Set<string>(['admin']);

  beforeAll(async () => {
    t = await openApp(kind);
    for (let i = 0; i < 13; i++) {
      const res = await t.request('/v1/keys', {
        method: 'POST',
        headers: t.staff,
        json: { role: 'staff', label: `k${i}` },
      });
      expect(res.status).toBe(201);
      const { keyId } = await res.json();
      if (i % 3 === 0) {
        expect((await t.request(`/v1/keys/${keyId}`, { method: 'DELETE', headers: t.staff })).status).toBe(
          204,
        );
      } else live.add(keyId);
    }
  });
  afterAll(() => t.close());

  it('lists every live key once and no revoked one, in pages of any size', async () => {
    for (const size of [1, 2, 5, 14, 15, KEYS_PAGE]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listKeys(t.deps, cursor === undefined ? {} : { cursor }, size);
        expect(page.keys.length).toBeLessThanOrEqual(size);
        seen.push(...page.keys.map((k) => k.keyId));
        cursor = page.nextCursor;
        expect(++pages).toBeLessThanOrEqual(15 / size + 2);
      } while (cursor !== undefined);
      expect(seen, `pages of ${size}`).toEqual([...live].sort());
    }
  });

  it('answers the first page through the API and refuses cursors it did not issue', async () => {
    const body = await (await t.request('/v1/keys', { headers: t.staff })).json();
    expect(body.keys.map((k: { keyId: string }) => k.keyId).sort()).toEqual([...live].sort());
    expect(body).not.toHaveProperty('nextCursor');
    const own = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of [
      'x',
      own(['keys', '']),
      own(['health', '', 'a']),
      own(['keys', 'a#b']),
      own('keys'),
    ]) {
      const res = await t.request(`/v1/keys?cursor=${cursor}`, { headers: t.staff });
      expect(res.status, cursor).toBe(400);
      expect((await res.json()).errors[0].path).toBe('cursor');
    }
  });

  it('declares the page bounds it keeps', async () => {
    const doc = await (await t.request('/openapi.json')).json();
    expect(doc.components.schemas.KeyList.properties.keys.maxItems).toBe(KEYS_PAGE);
    expect(doc.components.schemas.HealthReport.properties.lots.maxItems).toBe(HEALTH_PAGE_LOTS);
  });
});
