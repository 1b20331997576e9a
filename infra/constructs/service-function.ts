// One Lambda function with the house defaults: arm64, Node 24, a minified ESM bundle built locally by
// esbuild (no Docker), source maps, its own log group and a role that may write only to that group.
// Table access is stated as an intent (`bindTable(table, 'read' | 'readWrite')`), never as raw actions.
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { INDEX_NAMES } from './parking-table';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What the store code sends (shared/store/*): no Scan, no transactions, no streams. */
export const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:DescribeTable', // GET /health asks whether the table answers
] as const;
export const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

export type TableAccess = 'read' | 'readWrite';

// Bundles that include the SDK need `require` in ESM: some of its dependencies call it for node: modules.
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

export interface ServiceFunctionProps {
  /** Entry file, relative to the project root (e.g. `functions/api.ts`). */
  entry: string;
  /** @default 'handler': the export of `entry` Lambda calls. */
  handler?: string;
  description: string;
  logRetention: RetentionDays;
  /** @default 15 seconds: just above the store client's worst case, so a failing store is a 503, not a cut-off. */
  timeout?: Duration;
  /** @default 1024 MB: more memory is more CPU, and cold starts parse a ~1 MB bundle. */
  memorySize?: number;
  environment?: Record<string, string>;
}

export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY, // logs expire anyway; tearing down leaves only the table
    });
    // Instead of AWSLambdaBasicExecutionRole (logs on every group in the account): this group only.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      // Above the store client's worst case (12.15 s: shared/store/client.ts), so a failing store
      // is answered 503 by the app rather than cut off by Lambda.
      timeout: props.timeout ?? Duration.seconds(15),
      role,
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps', // `sourceMap: true` alone does not make traces use the map
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        sourcesContent: false, // traces need names and lines, not our sources inside the zip
        mainFields: ['module', 'main'], // ESM builds of hono/zod/SDK tree-shake better
        banner: ESM_REQUIRE_BANNER,
        // The SDK version the tests ran with (package-lock.json), not whichever one the runtime ships.
        bundleAwsSDK: true,
        metafile: true, // what went into the bundle: test/infra/bundle.test.ts proves no dev-only code did
        forceDockerBundling: false,
      },
    });
  }

  /** Lets the function reach the table: reads only, or reads and writes. Sets TABLE_NAME. */
  bindTable(table: ITableV2, access: TableAccess): this {
    const actions = access === 'read' ? [...READ_ACTIONS] : [...READ_ACTIONS, ...WRITE_ACTIONS];
    // Indexes by name rather than CDK's `index/*`: the grant covers exactly the indexes that exist.
    const indexArns = INDEX_NAMES.map((name) => `${table.tableArn}/index/${name}`);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions, resources: [table.tableArn, ...indexArns] }),
    );
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }
}
