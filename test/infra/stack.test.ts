// What `cdk deploy` would create, pinned from the synthesized template (bundling skipped): the table
// local mode uses, least-privilege functions, every route of the app, throttling, logs, the schedule,
// alarms, and cdk-nag finding nothing unacknowledged.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, FEED_INTERVAL, ROLLUP_INTERVAL } from '../../infra/config';
import { INDEX_NAMES } from '../../infra/constructs/parking-table';
import { READ_ACTIONS, WRITE_ACTIONS } from '../../infra/constructs/service-function';
import { createDependencies } from '../../shared/dependencies';
import { createApp } from '../../shared/http/app';
import { routeTable } from '../../shared/http/route-table';
import { METRICS_NAMESPACE } from '../../shared/lambda';
import { createDynamoClient } from '../../shared/store/client';
import {
  CATALOG_INDEX,
  createTableInput,
  GEO_INDEX,
  HISTORY_INDEX,
  TABLE,
} from '../../shared/store/table-design';
import { removeSynthOutputs, type Synthesized, synthService } from './synth';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

let synth: Synthesized;
const resources = (type: string) => synth.template.findResources(type) as Record<string, Resource>;
const logicalId = (construct: Construct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const ref = (construct: Construct) => ({ Ref: logicalId(construct) });
const arnOf = (construct: Construct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

beforeAll(() => {
  synth = synthService();
});
afterAll(removeSynthOutputs);

describe('table', () => {
  it('has the keys and indexes local mode creates its table with (shared/store/table-design.ts)', () => {
    const local = createTableInput('any');
    const [table] = Object.values(resources('AWS::DynamoDB::GlobalTable'));
    const p = table!.Properties as Record<string, unknown[]>;
    expect(p.KeySchema).toEqual(local.KeySchema);
    expect(new Set(p.AttributeDefinitions)).toEqual(new Set(local.AttributeDefinitions));
    expect(p.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(p.LocalSecondaryIndexes).toEqual(local.LocalSecondaryIndexes);
    expect(p.BillingMode).toBe(local.BillingMode);
  });

  it('keeps its data: point-in-time recovery, deletion protection, retained on stack deletion', () => {
    synth.template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      },
    });
  });

  it('expires history by TTL on the attribute the store writes', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
    });
  });
});

describe('functions', () => {
  const all = () => [synth.stack.readApi, synth.stack.writeApi, synth.stack.rollupJob, synth.stack.feedJob];

  it('run Node 24 on arm64 with source maps, 1024 MB, the table name and the retention', () => {
    for (const fn of all()) {
      const props = resources('AWS::Lambda::Function')[logicalId(fn.function)]!.Properties;
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: fn === synth.stack.feedJob ? 'index.fetchFeeds' : 'index.handler',
        MemorySize: 1024,
        Environment: {
          Variables: {
            NODE_OPTIONS: '--enable-source-maps',
            TABLE_NAME: ref(synth.stack.table.table),
            HISTORY_RETENTION_DAYS: String(DEFAULTS.historyRetentionDays),
          },
        },
        LoggingConfig: { LogGroup: ref(fn.logGroup) },
      });
    }
    const timeouts = all().map(
      (fn) => resources('AWS::Lambda::Function')[logicalId(fn.function)]!.Properties.Timeout,
    );
    expect(timeouts).toEqual([15, 15, 120, 300]);
  });

  it('log to their own log group, kept for the configured days', () => {
    for (const fn of all()) {
      expect(resources('AWS::Logs::LogGroup')[logicalId(fn.logGroup)]!.Properties.RetentionInDays).toBe(
        DEFAULTS.logRetentionDays,
      );
    }
  });

  function statementsOf(fn: { function: { role?: Construct } }) {
    const roleId = logicalId(fn.function.role!);
    const policies = Object.values(resources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
    );
    return policies.flatMap(
      (p) =>
        (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
          .Statement,
    );
  }
  const tableStatement = (fn: { function: { role?: Construct } }) =>
    statementsOf(fn).filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));

  it('give the public read function read actions only, on the table and its named indexes', () => {
    const [statement, ...others] = tableStatement(synth.stack.readApi);
    expect(others).toEqual([]);
    expect([statement!.Action].flat().sort()).toEqual([...READ_ACTIONS].sort());
    expect(JSON.stringify(statement!.Action)).not.toMatch(/Put|Update|Delete|Write|Transact|PartiQL|\*/);
    const table = arnOf(synth.stack.table.table);
    const indexes = INDEX_NAMES.map((name) => ({ 'Fn::Join': ['', [table, `/index/${name}`]] }));
    expect(statement!.Resource).toHaveLength(1 + indexes.length);
    expect(statement!.Resource).toEqual(expect.arrayContaining([table, ...indexes]));
    expect(INDEX_NAMES).toEqual([GEO_INDEX.indexName, CATALOG_INDEX.indexName, HISTORY_INDEX.indexName]);
  });

  it('give the write and job functions reads and writes, and nobody a wildcard or a managed policy', () => {
    for (const fn of [synth.stack.writeApi, synth.stack.rollupJob, synth.stack.feedJob]) {
      expect(
        tableStatement(fn)
          .flatMap((s) => s.Action)
          .sort(),
      ).toEqual([...READ_ACTIONS, ...WRITE_ACTIONS].sort());
    }
    for (const fn of all()) {
      for (const s of statementsOf(fn)) {
        expect(JSON.stringify(s.Resource)).not.toMatch(/"\*"|\/\*/);
        expect([s.Action].flat().some((a) => a.includes('*'))).toBe(false);
      }
    }
    for (const role of Object.values(resources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('are granted every DynamoDB command the service code sends', () => {
    // Commands the code imports from the SDK; schema.ts creates tables for local mode only (the stack
    // owns the table on AWS), so its CreateTable/UpdateTimeToLive are not wanted here.
    const sources = ['shared', 'functions'].flatMap((dir) =>
      (readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts') && !f.endsWith('store/schema.ts'))
        .map((f) => readFileSync(join(dir, f), 'utf8')),
    );
    const sent = new Set(
      sources
        .filter((text) => text.includes("from '@aws-sdk/client-dynamodb'"))
        .flatMap((text) => [...text.matchAll(/new (\w+)Command\(/g)].map((m) => `dynamodb:${m[1]}`)),
    );
    expect(sent.size).toBeGreaterThan(5);
    expect([...READ_ACTIONS, ...WRITE_ACTIONS]).toEqual(expect.arrayContaining([...sent]));
  });
});

describe('HTTP API', () => {
  const routeKeys = () =>
    Object.values(resources('AWS::ApiGatewayV2::Route')).map((r) => ({
      key: r.Properties.RouteKey as string,
      target: JSON.stringify(r.Properties.Target),
    }));
  const integrationOf = (fn: Construct) => {
    const [id] = Object.entries(resources('AWS::ApiGatewayV2::Integration')).find(
      ([, i]) => JSON.stringify(i.Properties.IntegrationUri) === JSON.stringify(arnOf(fn)),
    )!;
    return JSON.stringify({ 'Fn::Join': ['', ['integrations/', { Ref: id }]] });
  };

  it('has a route for every route the app serves, and no other', () => {
    const deps = createDependencies({
      client: createDynamoClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' }),
      tableName: 'unused',
    });
    const served = new Set(
      createApp(deps)
        .routes.filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/\/:(\w+)/g, '/{$1}')}`),
    );
    const keys = routeKeys()
      .map((r) => r.key)
      .filter((k) => k !== '$default');
    expect(new Set(keys)).toEqual(served);
    expect(keys).toHaveLength(served.size);
    expect(served.size).toBe(routeTable().length);
  });

  it('sends public routes and unknown paths to the read-only function, the others to the read-write one', () => {
    const read = integrationOf(synth.stack.readApi.function);
    const write = integrationOf(synth.stack.writeApi.function);
    const publicKeys = [
      'GET /v1/lots/nearby',
      'GET /v1/lots',
      'GET /v1/lots/{id}',
      'GET /v1/exports/datex2-light',
      'GET /v1/exports/datex2/parking-table',
      'GET /v1/exports/datex2/parking-status',
      'GET /ngsi-ld/v1/entities',
      'GET /ngsi-ld/v1/entities/{entityId}',
      'GET /v1/lots/{id}/forecast', // public; a past asOf needs a staff key, and it only reads
      'GET /health',
      'GET /openapi.json',
      'GET /docs',
      'GET /',
      'GET /dashboard',
      '$default',
    ];
    for (const { key, target } of routeKeys()) {
      expect(target, key).toBe(publicKeys.includes(key) ? read : write);
    }
    expect(
      routeKeys()
        .filter((r) => r.target === write)
        .map((r) => r.key),
    ).toEqual(
      expect.arrayContaining([
        'POST /v1/lots/{id}/observations',
        'PUT /v1/lots/{id}',
        'POST /v1/lots:import',
        'POST /v1/integrations/{integrationId}/uplinks',
        'PUT /v1/sources/{sourceId}',
      ]),
    );
  });

  it('throttles the $default stage with the configured steady rate and burst', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: DEFAULTS.throttleRateLimit,
        ThrottlingBurstLimit: DEFAULTS.throttleBurstLimit,
      },
    });
  });

  it('writes a JSON access log line per request to its own log group, with no headers or query', () => {
    const [stage] = Object.values(resources('AWS::ApiGatewayV2::Stage'));
    const settings = stage!.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(settings.DestinationArn).toEqual(arnOf(synth.stack.api.accessLogs));
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(settings.Format).not.toMatch(/header|querystring|authorizer/i);
    expect(
      resources('AWS::Logs::LogGroup')[logicalId(synth.stack.api.accessLogs)]!.Properties.RetentionInDays,
    ).toBe(DEFAULTS.logRetentionDays);
  });

  it('answers CORS preflights for any origin with the Authorization and Content-Type headers', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['*'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type']),
      }),
    });
  });
});

describe('schedule', () => {
  it('runs the rollup job every 5 minutes, without retrying a failed run', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${ROLLUP_INTERVAL.toMinutes()} minutes)`,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: arnOf(synth.stack.rollupJob.function) })],
    });
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(synth.stack.rollupJob.function),
      MaximumRetryAttempts: 0,
    });
  });
});

describe('feed job', () => {
  it('runs every minute, without retrying a failed run', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${FEED_INTERVAL.toMinutes()} minute)`,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: arnOf(synth.stack.feedJob.function) })],
    });
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(synth.stack.feedJob.function),
      MaximumRetryAttempts: 0,
    });
  });

  it('fetches public https feeds only: private sources are never allowed, and its role reaches only the table and its logs', () => {
    const props = resources('AWS::Lambda::Function')[logicalId(synth.stack.feedJob.function)]!.Properties as {
      Environment: { Variables: Record<string, unknown> };
      VpcConfig?: unknown;
    };
    expect(Object.keys(props.Environment.Variables)).not.toContain('ALLOW_PRIVATE_SOURCES');
    for (const fn of [synth.stack.readApi, synth.stack.writeApi, synth.stack.rollupJob]) {
      const env = resources('AWS::Lambda::Function')[logicalId(fn.function)]!.Properties as {
        Environment: { Variables: Record<string, unknown> };
      };
      expect(Object.keys(env.Environment.Variables)).not.toContain('ALLOW_PRIVATE_SOURCES');
    }
    const roleId = logicalId(synth.stack.feedJob.function.role!);
    const actions = Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
      )
      .flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('logs:'))).toEqual([]);
  });

  it('is watched like the other functions', () => {
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'FunctionName', Value: ref(synth.stack.feedJob.function) }],
    });
  });
});

describe('observability', () => {
  it('watches the stale-lot count the app publishes, in the namespace the app uses', () => {
    const stale = Object.values(resources('AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.MetricName === 'StaleLots',
    );
    expect(stale?.Properties.Namespace).toBe(METRICS_NAMESPACE);
    expect(stale?.Properties.Dimensions).toEqual([{ Name: 'service', Value: 'parking-finder' }]);
  });

  it('alarms on the API 5xx rate, each function’s errors and throttles, table throttles and stale lots', () => {
    const alarms = Object.keys(resources('AWS::CloudWatch::Alarm'));
    const expected = [
      'Api5xxRate',
      ...['ReadApi', 'WriteApi', 'RollupJob', 'FeedJob'].flatMap((f) => [`${f}Errors`, `${f}Throttles`]),
      'TableThrottles',
      'StaleLots',
    ];
    expect(alarms.map((id) => id.replace(/^Monitoring/, '').replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      expected.sort(),
    );
    const topic = ref(synth.stack.monitoring.topic);
    for (const alarm of Object.values(resources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  it('computes the 5xx rate only with enough traffic, and sums table throttles over gaps', () => {
    const expressions = Object.values(resources('AWS::CloudWatch::Alarm')).flatMap((a) =>
      ((a.Properties.Metrics as { Expression?: string }[] | undefined) ?? []).flatMap(
        (m) => m.Expression ?? [],
      ),
    );
    expect(expressions).toContain('IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)');
    expect(expressions.find((e) => e.startsWith('SUM('))).toMatch(/FILL\(putitem, 0\)/);
  });

  it('has a dashboard and a topic that only accepts TLS publishers, with no subscription by default', () => {
    synth.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });

  it('outputs the API URL, the table name, the alarm topic and the dashboard', () => {
    expect(Object.keys(synth.template.toJSON().Outputs).sort()).toEqual(
      ['AlarmTopicArn', 'ApiUrl', 'DashboardName', 'TableName'].sort(),
    );
  });
});

describe('policy checks and configuration', () => {
  it('passes cdk-nag AwsSolutions with nothing unacknowledged', () => {
    expect(synth.violations).toEqual([]);
  });

  it('takes stage, throttling, retention, alarm e-mail and the city from context', () => {
    const custom = synthService({
      context: {
        stageName: 'prod',
        throttleRateLimit: '20',
        throttleBurstLimit: 40,
        historyRetentionDays: '30',
        logRetentionDays: 90,
        alarmEmail: 'ops@city.example',
        cityName: 'Hangzhou',
        cityNameZh: '杭州',
        cityCenter: '30.2722,120.1653',
      },
    });
    expect(custom.stack.stackName).toBe('parking-finder-prod');
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    custom.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ HISTORY_RETENTION_DAYS: '30' }) },
    });
    // Both API functions serve the pages: both get the city.
    for (const fn of [custom.stack.readApi, custom.stack.writeApi]) {
      const variables = (
        custom.template.findResources('AWS::Lambda::Function')[
          custom.stack.getLogicalId(fn.function.node.defaultChild as CfnElement)
        ] as { Properties: { Environment: { Variables: Record<string, unknown> } } }
      ).Properties.Environment.Variables;
      expect(variables).toMatchObject({
        CITY_NAME: 'Hangzhou',
        CITY_NAME_ZH: '杭州',
        CITY_CENTER: '30.2722,120.1653',
      });
    }
    custom.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    custom.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@city.example',
    });
  });
});
