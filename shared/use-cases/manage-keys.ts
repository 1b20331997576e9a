// Staff create API keys (README "Keys and authentication"); POST /v1/keys and `npm run create-key`.
// 1. A sensor key may name only lots that exist now: any other is a 400 naming `lots`.
// 2. It records which incarnation (generation) of each lot it names, so it stops writing a lot
//    that is deleted, and never writes a lot later created under the same id.
// 3. Store it; the secret is returned once.

import { InvalidInputError } from './errors';
import { decodePageCursor, encodePageCursor } from './page-cursor';
import type { ApiKey, Dependencies, Role } from './ports';

/** Key items one page of GET /v1/keys reads (README "Limits"); revoked ones are read, not listed. */
export const KEYS_PAGE = 100;

/** One page of live keys in id order; `nextCursor` while more key items follow. */
export async function listKeys(
  deps: Pick<Dependencies, 'keys'>,
  query: { cursor?: string | undefined },
  pageSize = KEYS_PAGE,
): Promise<{ keys: ApiKey[]; nextCursor?: string }> {
  const after = query.cursor === undefined ? undefined : decodePageCursor('keys', query.cursor, 1)[0];
  const page = await deps.keys.listPage(pageSize, after);
  return page.next === undefined
    ? { keys: page.keys }
    : { keys: page.keys, nextCursor: encodePageCursor('keys', [page.next]) };
}

export interface KeyRequest {
  role: Role;
  lots?: string[] | undefined;
  label: string;
}

export async function createKey(
  deps: Pick<Dependencies, 'keys' | 'lots' | 'now'>,
  input: KeyRequest,
): Promise<ApiKey & { secret: string }> {
  const { role, label } = input;
  if (input.lots === undefined) return deps.keys.create({ role, label }, deps.now());
  const lots = [...new Set(input.lots)];
  const found = await deps.lots.getMany(lots); // strongly consistent: a lot just created is seen
  const generations = new Map(found.map((lot) => [lot.id, lot.generation]));
  const missing = lots.filter((id) => !generations.has(id));
  if (missing.length > 0) {
    throw new InvalidInputError('a key may name only lots that exist', [
      {
        path: 'lots',
        message: `no lot ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`,
      },
    ]);
  }
  return deps.keys.create(
    { role, lots: input.lots, label, lotGenerations: Object.fromEntries(generations) },
    deps.now(),
  );
}
