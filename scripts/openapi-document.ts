// Writes the OpenAPI document the app serves at /openapi.json to a file (default .tmp/openapi.json),
// for the API linters in `npm test` (Redocly and Spectral, see README "Tests"). The app is built
// over a store that is never called: serving the document touches no store.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createDependencies } from '../shared/dependencies';
import { createApp } from '../shared/http/app';
import { createDynamoClient } from '../shared/store/client';

// Built over the real dependencies, so the SDK loads: its notice about Node versions is not ours.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const out = process.argv[2] ?? '.tmp/openapi.json';
const client = createDynamoClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
const res = await createApp(createDependencies({ client, tableName: 'unused' })).request('/openapi.json');
if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(await res.json(), null, 2)}\n`);
client.destroy();
