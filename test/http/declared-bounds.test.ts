// The length bounds the OpenAPI document declares are the ones the server keeps: a value of exactly
// the declared length is served, one character more is a 400 naming the field (README "Limits").
// The fuzz suite draws values within the declared bounds and "x" one past them, which a pattern
// rejects anyway; these are values that match the pattern on both sides of the bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../support/stores';

interface Doc {
  paths: Record<string, Record<string, { parameters?: { name: string; schema: { maxLength?: number } }[] }>>;
  components: { schemas: Record<string, { properties: Record<string, { maxLength?: number }> }> };
}

describe('declared length bounds', () => {
  let t: Awaited<ReturnType<typeof openApp>>;
  let doc: Doc;
  beforeAll(async () => {
    t = await openApp('dynalite');
    doc = (await (await t.request('/openapi.json')).json()) as Doc;
    const res = await t.request('/v1/lots/bounds', {
      method: 'PUT',
      headers: t.staff,
      json: {
        name: 'Bounds',
        location: { lat: 52.48, lon: -1.9 },
        capacity: 10,
        type: 'surface',
        timeZone: 'UTC',
      },
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    expect(t.errors).toEqual([]);
    await t.close();
  });

  const declared = (path: string, name: string): number => {
    const max = doc.paths[path]!.get!.parameters!.find((p) => p.name === name)!.schema.maxLength;
    expect(max, `${path} ${name} declares a maxLength`).toBeTypeOf('number');
    return max!;
  };

  for (const [name, whole] of [
    ['lat', '52.'],
    ['lon', '-1.'],
  ] as const) {
    it(`nearby ${name}: a plain decimal as long as declared is served, one digit more is a 400 naming it`, async () => {
      const max = declared('/v1/lots/nearby', name);
      const longest = whole + '4'.repeat(max - whole.length);
      const query = (value: string) =>
        new URLSearchParams({ lat: '52.48', lon: '-1.9', [name]: value }).toString();
      expect((await t.request(`/v1/lots/nearby?${query(longest)}`)).status).toBe(200);
      const res = await t.request(`/v1/lots/nearby?${query(`${longest}4`)}`);
      expect(res.status).toBe(400);
      expect((await res.json()).errors.map((e: { path: string }) => e.path)).toEqual([name]);
    });
  }

  it('observedAt: an instant as long as declared is applied, one digit more is a 400 naming it', async () => {
    const max = doc.components.schemas.Observation!.properties.observedAt!.maxLength!;
    const head = '2026-11-23T09:58:00.';
    const instant = (length: number) => `${head}${'1'.repeat(length - head.length - 1)}Z`;
    const post = (eventId: string, observedAt: string) =>
      t.request('/v1/lots/bounds/observations', {
        method: 'POST',
        headers: t.staff,
        json: { observations: [{ eventId, observedAt, occupied: 3 }] },
      });
    const ok = await post('bounds-1', instant(max));
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect((await ok.json()).applied).toBe(1);
    const res = await post('bounds-2', instant(max + 1));
    expect(res.status).toBe(400);
    expect((await res.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      'observations[0].observedAt',
    ]);
  });

  it('a cursor that is not base64url is a 400 naming cursor, before the lot or zone is looked up', async () => {
    const report = await t.request(
      '/v1/reports/utilization?from=2026-11-01&to=2026-11-02&zone=nowhere&cursor=a.b',
      {
        headers: t.staff,
      },
    );
    expect(report.status).toBe(400);
    expect((await report.json()).errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
    const history = await t.request('/v1/lots/no-such-lot/observations?cursor=a.b', { headers: t.staff });
    expect(history.status).toBe(400);
    expect((await history.json()).errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
  });
});
