// npm run create-key -- --table <TableName> [--region R] [--role staff|sensor] [--lots a,b] [--label TEXT]
//                       [--endpoint URL]
// Creates an API key straight in the table, with your AWS credentials: how a city creates its first
// staff key after `cdk deploy` (there is no key yet to call POST /v1/keys with). Prints the secret once.
import { parseArgs } from 'node:util';
import { createDependencies } from '../shared/dependencies';
import { createDynamoClient } from '../shared/store/client';
import { InvalidInputError } from '../shared/use-cases/errors';
import { createKey } from '../shared/use-cases/manage-keys';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    region: { type: 'string' },
    role: { type: 'string', default: 'staff' },
    lots: { type: 'string' },
    label: { type: 'string', default: 'created with npm run create-key' },
    endpoint: { type: 'string' },
  },
});

const table = values.table ?? process.env.TABLE_NAME;
if (!table) {
  console.error('create-key: give --table (the TableName output of the stack)');
  process.exit(2);
}
if (values.role !== 'staff' && values.role !== 'sensor') {
  console.error('create-key: --role must be staff or sensor');
  process.exit(2);
}
const lots = values.lots
  ?.split(',')
  .map((l) => l.trim())
  .filter(Boolean);
if (values.role === 'sensor' && !lots?.length) {
  console.error('create-key: a sensor key needs --lots id1,id2');
  process.exit(2);
}
const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!region) {
  console.error('create-key: give --region (or set AWS_REGION)');
  process.exit(2);
}
const endpoint = values.endpoint ?? process.env.DYNAMODB_ENDPOINT;
const client = createDynamoClient({ region, ...(endpoint ? { endpoint } : {}) });
// The same path as POST /v1/keys: a sensor key may name only lots that exist, and records which
// incarnation of each it writes (README "Keys and authentication").
let key: Awaited<ReturnType<typeof createKey>>;
try {
  key = await createKey(createDependencies({ client, tableName: table }), {
    role: values.role,
    ...(values.role === 'sensor' ? { lots } : {}),
    label: values.label!,
  });
} catch (error) {
  client.destroy();
  if (!(error instanceof InvalidInputError)) throw error;
  console.error(`create-key: ${error.errors.map((e) => `--${e.path}: ${e.message}`).join('; ')}`);
  process.exit(2);
}
console.log(`created ${key.role} key ${key.keyId} (${key.label})`);
console.log('secret (shown once; store it now):');
console.log(`  ${key.secret}`);
client.destroy();
