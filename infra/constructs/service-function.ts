// One Lambda function with the house defaults: arm64, Node 24, a minified ESM bundle built locally by
// esbuild (no Docker) through infra/bundling.ts — the build the benchmark measures —, source maps,
// its own log group and a role that may write only to that group.
// Table access is stated as an intent (`bindTable(table, 'read' | 'readWrite')`), never as raw actions.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
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

export interface ServiceFunctionProps {
  /** Entry file, relative to the project root (e.g. `functions/api.ts`). */
  entry: string;
  /** @default 'handler': the export of `entry` Lambda calls. */
  handler?: string;
  description: string;
  logRetention: RetentionDays;
  /** @default 15 seconds: just above the store client's worst case, so a failing store is a 503, not a cut-off. */
  timeout?: Duration;
  /** @default 1024 MB: more memory is more CPU, and a cold start parses ~1.15 MB of code (README "Benchmarks"). */
  memorySize?: number;
  environment?: Record<string, string>;
}

export class ServiceFunction extends Construct {
  readonly function: LambdaFunction;
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

    this.function = new LambdaFunction(this, 'Function', {
      code: bundledCode(props.entry),
      handler: `index.${props.handler ?? 'handler'}`,
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
        NODE_OPTIONS: '--enable-source-maps', // source maps alone do not make traces use the map
        ...props.environment,
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

/**
 * The function's asset: infra/bundling.ts's build of `entry`, run locally (no Docker; the image is
 * never pulled) and hashed by its output, as NodejsFunction does, so that functions with one entry
 * share one asset and an unchanged build uploads nothing.
 */
function bundledCode(entry: string): Code {
  const command = ['node', '--import', 'tsx', 'scripts/bundle-function.ts', entry];
  return Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('dummy'),
      // Never run (bundling is local), but CDK tells bundling steps apart by their options, not by
      // what `tryBundle` does: without the entry here, every function would get the first bundle.
      command: [...command, '/asset-output'],
      local: {
        tryBundle(outputDir) {
          // A child process: CDK's hook is synchronous and esbuild runs plugins only asynchronously.
          execFileSync(process.execPath, [...command.slice(1), outputDir], {
            cwd: PROJECT_ROOT,
            stdio: ['ignore', process.stderr, 'inherit'], // stdout may be cdk's template
          });
          return true;
        },
      },
    },
  });
}
