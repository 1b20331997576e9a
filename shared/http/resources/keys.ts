// API keys: staff create sensor keys (scoped to lots) and staff keys, list and revoke them.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../use-cases/errors';
import { createKey, KEYS_PAGE, listKeys } from '../../use-cases/manage-keys';
import type { Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import { json, noContent, problem, route } from '../route';
import {
  CreatedKeySchema,
  KeyIdParams,
  KeyInputSchema,
  KeySchema,
  NextCursorSchema,
  PageQuerySchema,
} from '../schemas';

export const keyRoutes = {
  createKey: route({
    method: 'post',
    path: '/v1/keys',
    operationId: 'createKey',
    tags: ['staff'],
    access: 'staff',
    summary: 'Create a sensor key (scoped to lots) or a staff key; the secret is shown once',
    description:
      'A sensor key may name only lots that exist now (otherwise a 400 naming `lots`), and writes those ' +
      'lots as they are now: if one is deleted, the key stops writing it, also when a lot is later ' +
      'created under the same id (403).',
    request: { body: { content: { 'application/json': { schema: KeyInputSchema } }, required: true } },
    responses: {
      201: json(CreatedKeySchema, 'created'),
      400: problem('invalid body, or a lot that does not exist'),
      415: problem('not JSON'),
    },
  }),
  listKeys: route({
    method: 'get',
    path: '/v1/keys',
    operationId: 'listKeys',
    tags: ['staff'],
    access: 'staff',
    summary: 'Live keys, without secrets',
    description:
      'Keys not revoked, with their role, lots and label, in id order; secrets are never shown again. One ' +
      `page reads ${KEYS_PAGE} keys (revoked ones are read but not listed, so a page may list fewer, even none); ` +
      '`nextCursor` is there while more follow (README "Limits").',
    request: { query: PageQuerySchema },
    responses: {
      200: json(
        z
          .object({ keys: z.array(KeySchema).max(KEYS_PAGE), nextCursor: NextCursorSchema.optional() })
          .openapi('KeyList'),
        'keys',
      ),
      400: problem('a cursor this listing did not issue'),
    },
  }),
  revokeKey: route({
    method: 'delete',
    path: '/v1/keys/{keyId}',
    operationId: 'revokeKey',
    tags: ['staff'],
    access: 'staff',
    summary: 'Revoke a key at once',
    description:
      'The key stops authenticating with the next request. Only a deployment that sets API_KEY_CACHE_SECONDS ' +
      '(off by default) lets other processes (Lambda containers) accept it for up to that long after they last ' +
      'checked it, then answer 401 (README "Keys and authentication"). A revoked key is not listed.',
    request: { params: KeyIdParams },
    responses: {
      204: noContent('revoked'),
      400: problem('invalid key id'),
      404: problem('no such live key'),
    },
  }),
} as const;

export function keysResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(keyRoutes.createKey, async (c) => {
    const created = await createKey(deps, c.req.valid('json'));
    return c.json({ ...created, createdAt: new Date(created.createdAt).toISOString() }, 201);
  });

  app.openapi(keyRoutes.listKeys, async (c) => {
    const { keys, nextCursor } = await listKeys(deps, c.req.valid('query'));
    const listed = keys.map((k) => ({ ...k, createdAt: new Date(k.createdAt).toISOString() }));
    return c.json(nextCursor === undefined ? { keys: listed } : { keys: listed, nextCursor }, 200);
  });

  app.openapi(keyRoutes.revokeKey, async (c) => {
    const { keyId } = c.req.valid('param');
    if (!(await deps.keys.revoke(keyId, deps.now()))) throw new NotFoundError(`no live key ${keyId}`);
    return c.body(null, 204);
  });

  return app;
}
