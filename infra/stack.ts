// The whole service in one stack: the table, the functions with their grants, the HTTP API, the rollup
// and feed schedules, alarms and a dashboard, and what an operator needs to know afterwards.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { FEED_INTERVAL, ROLLUP_INTERVAL, type ServiceConfig } from './config';
import { Monitoring } from './constructs/monitoring';
import { ParkingTable } from './constructs/parking-table';
import { ServiceApi } from './constructs/service-api';
import { ServiceFunction } from './constructs/service-function';
import { apiRoutes } from './routes';

export interface ParkingFinderStackProps extends StackProps {
  config: ServiceConfig;
}

export class ParkingFinderStack extends Stack {
  readonly table: ParkingTable;
  readonly readApi: ServiceFunction;
  readonly writeApi: ServiceFunction;
  readonly rollupJob: ServiceFunction;
  readonly feedJob: ServiceFunction;
  readonly api: ServiceApi;
  readonly rollupSchedule: Rule;
  readonly feedSchedule: Rule;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ParkingFinderStackProps) {
    super(scope, id, props);
    const { config } = props;

    // The table: stateful, retained, the same keys and indexes local mode creates. Never rename 'Data'.
    this.table = new ParkingTable(this, 'Data');
    const { table } = this.table;

    // The functions, each with only the access it needs. Both API functions run the same bundle
    // (functions/api.ts); the split is in what their roles allow, so a bug on a public route cannot write.
    const common = {
      logRetention: config.logRetentionDays,
      environment: {
        HISTORY_RETENTION_DAYS: String(config.historyRetentionDays),
        API_KEY_CACHE_SECONDS: String(config.apiKeyCacheSeconds),
        LOG_LEVEL: 'INFO',
        ...config.cityEnvironment, // the city the pages show and its publisher (CITY_*, PUBLISHER_*)
      },
    };
    this.readApi = new ServiceFunction(this, 'ReadApi', {
      ...common,
      entry: 'functions/api.ts',
      description: 'Public driver routes, health and docs: reads the table only',
    }).bindTable(table, 'read');
    this.writeApi = new ServiceFunction(this, 'WriteApi', {
      ...common,
      entry: 'functions/api.ts',
      description:
        'Sensor, network-server and staff routes: ingestion, webhooks, lots, keys, sources, reports',
    }).bindTable(table, 'readWrite');
    this.rollupJob = new ServiceFunction(this, 'RollupJob', {
      ...common,
      entry: 'functions/jobs.ts',
      description: 'Keeps utilization rollups current, so reports read rollups only',
      timeout: Duration.minutes(2), // a busy city's backlog; still well inside the 5-minute interval
    }).bindTable(table, 'readWrite');
    // The feed job: the only function that makes outbound requests, to the feed URLs staff name. Its
    // role reaches the table and its own logs, nothing else of AWS; it speaks https only, to public
    // addresses only (ALLOW_PRIVATE_SOURCES is never set here; shared/outbound/feed-fetcher.ts).
    // Five minutes: a run may meet up to 100 sources at 10 s each, two at a time; runs may overlap,
    // since a refetch applies nothing twice.
    this.feedJob = new ServiceFunction(this, 'FeedJob', {
      ...common,
      entry: 'functions/jobs.ts',
      handler: 'fetchFeeds',
      description: 'Fetches the feed sources that are due (DATEX II light, NGSI-LD, ParkAPI v3)',
      timeout: Duration.minutes(5),
    }).bindTable(table, 'readWrite');

    // The API: every route of the app, throttled, logged, open to web pages.
    this.api = new ServiceApi(this, 'Http', {
      apiName: `parking-finder-${config.stageName}`,
      routes: apiRoutes(),
      readFunction: this.readApi.function,
      writeFunction: this.writeApi.function,
      throttle: { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit },
      logRetention: config.logRetentionDays,
    });

    // The schedule: rollup maintenance, as the local server's timer does. A failed run is not retried:
    // runs are idempotent and the next one, minutes later, picks up the same work.
    this.rollupJob.function.configureAsyncInvoke({ retryAttempts: 0 });
    this.rollupSchedule = new Rule(this, 'RollupSchedule', {
      description: 'Refresh utilization rollups of lots with new observations',
      schedule: Schedule.rate(ROLLUP_INTERVAL),
      targets: [new LambdaFunction(this.rollupJob.function, { retryAttempts: 0 })],
    });

    // The feed schedule: every minute, each source fetched when its own interval has passed. Not
    // retried either: the next minute's run fetches whatever is still due.
    this.feedJob.function.configureAsyncInvoke({ retryAttempts: 0 });
    this.feedSchedule = new Rule(this, 'FeedSchedule', {
      description: 'Fetch the feed sources whose interval has passed',
      schedule: Schedule.rate(FEED_INTERVAL),
      targets: [new LambdaFunction(this.feedJob.function, { retryAttempts: 0 })],
    });

    // Alarms and the dashboard.
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stageName: config.stageName,
      api: this.api.api,
      functions: {
        ReadApi: this.readApi.function,
        WriteApi: this.writeApi.function,
        RollupJob: this.rollupJob.function,
        FeedJob: this.feedJob.function,
      },
      table,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });

    // What an operator needs after `cdk deploy`.
    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url, description: 'Base URL of the API' });
    new CfnOutput(this, 'TableName', {
      value: table.tableName,
      description: 'The table (TABLE_NAME), e.g. to create the first staff key',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Subscribe here to receive alarms',
    });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}
