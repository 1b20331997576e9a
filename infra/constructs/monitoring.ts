// Alarms that page someone (through one SNS topic, optionally to an e-mail address) and a dashboard
// that shows the service on one screen: API traffic and errors, each function, the table.
import { Aws, Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { READ_ACTIONS, WRITE_ACTIONS } from './service-function';

const PERIOD = Duration.minutes(5);

/** Alarm thresholds, in one place so the dashboard and the README can quote them. */
/** The namespace the app's Powertools metrics use (shared/lambda.ts METRICS_NAMESPACE). */
export const APP_METRICS_NAMESPACE = 'ParkingFinder';

export const THRESHOLDS = {
  /** Per cent of API requests answered 5xx, over 5 minutes, in 2 of 3 periods... */
  serverErrorPercent: 5,
  /** ...counted only from this many requests in the period, so two failures of three requests don't page. */
  serverErrorMinRequests: 20,
  /** Failed invocations (crashes, timeouts) per function, in 2 of 3 five-minute periods. */
  functionErrors: 1,
  /** Throttled invocations per function in a five-minute period: any means lost requests. */
  functionThrottles: 1,
  /** Throttled DynamoDB requests in a five-minute period (on-demand tables still throttle hot keys). */
  tableThrottles: 1,
  /** Lots whose sensors went silent (stale), as counted by the rollup job, for 3 periods in a row. */
  staleLots: 5,
} as const;

/** The data-plane operations the functions are granted, i.e. all the table will ever see from them. */
const TABLE_OPERATIONS = [...READ_ACTIONS, ...WRITE_ACTIONS]
  .map((action) => action.replace('dynamodb:', ''))
  .filter((operation) => operation !== 'DescribeTable');

export interface MonitoringProps {
  stageName: string;
  api: HttpApi;
  /** By a short label for alarm names and the dashboard, e.g. `ReadApi`. */
  functions: Record<string, IFunction>;
  table: ITableV2;
  alarmEmail?: string;
}

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `parking-finder ${props.stageName} alarms`,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    // API: share of requests that failed on our side.
    const requests = props.api.metricCount({ period: PERIOD, statistic: Stats.SUM });
    const serverErrors = props.api.metricServerError({ period: PERIOD, statistic: Stats.SUM });
    const serverErrorRate = new MathExpression({
      label: '5xx %',
      expression: `IF(requests >= ${THRESHOLDS.serverErrorMinRequests}, 100 * FILL(errors, 0) / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      period: PERIOD,
    });
    this.alarm('Api5xxRate', serverErrorRate, THRESHOLDS.serverErrorPercent, {
      description: `More than ${THRESHOLDS.serverErrorPercent}% of API requests answered 5xx`,
      datapointsToAlarm: 2,
      evaluationPeriods: 3,
    });

    // Functions: crashes and timeouts (the app turns its own errors into responses), and throttles.
    for (const [label, fn] of Object.entries(props.functions)) {
      this.alarm(`${label}Errors`, fn.metricErrors({ period: PERIOD }), THRESHOLDS.functionErrors, {
        description: `${label}: invocations failed (crash or timeout) in 2 of 3 five-minute periods`,
        datapointsToAlarm: 2,
        evaluationPeriods: 3,
      });
      this.alarm(`${label}Throttles`, fn.metricThrottles({ period: PERIOD }), THRESHOLDS.functionThrottles, {
        description: `${label}: invocations throttled (concurrency limit reached)`,
      });
    }

    // Table: throttled requests of every operation the functions may send. Each operation's series exists
    // only while it is throttled, and `a + b` is empty where either is: sum them with gaps filled instead.
    const throttledByOperation = Object.fromEntries(
      TABLE_OPERATIONS.map((operation) => [
        operation.toLowerCase(),
        new Metric({
          namespace: 'AWS/DynamoDB',
          metricName: 'ThrottledRequests',
          dimensionsMap: { TableName: props.table.tableName, Operation: operation },
          statistic: Stats.SUM,
          period: PERIOD,
        }),
      ]),
    );
    const tableThrottles = new MathExpression({
      label: 'throttled requests',
      expression: `SUM([${Object.keys(throttledByOperation)
        .map((id) => `FILL(${id}, 0)`)
        .join(', ')}])`,
      usingMetrics: throttledByOperation,
      period: PERIOD,
    });
    this.alarm('TableThrottles', tableThrottles, THRESHOLDS.tableThrottles, {
      description: 'DynamoDB throttled requests (hot partition or account limits)',
    });

    // Sensors: lots gone silent, counted by the rollup job (functions/jobs.ts) as a Powertools metric.
    const staleLots = new Metric({
      namespace: APP_METRICS_NAMESPACE,
      metricName: 'StaleLots',
      dimensionsMap: { service: 'parking-finder' },
      statistic: Stats.MAXIMUM,
      period: PERIOD,
    });
    this.alarm('StaleLots', staleLots, THRESHOLDS.staleLots, {
      description: `${THRESHOLDS.staleLots} or more lots reported nothing within their staleAfterSeconds`,
      datapointsToAlarm: 3,
      evaluationPeriods: 3,
    });

    this.dashboard = this.buildDashboard(props, { requests, serverErrors, serverErrorRate, tableThrottles });
  }

  private alarm(
    id: string,
    metric: IMetric,
    threshold: number,
    options: { description: string; datapointsToAlarm?: number; evaluationPeriods?: number },
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? 1,
      // No traffic is not an outage of ours; a quiet night must not page anyone.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  private buildDashboard(
    props: MonitoringProps,
    m: { requests: IMetric; serverErrors: IMetric; serverErrorRate: IMetric; tableThrottles: IMetric },
  ): Dashboard {
    const functions = Object.entries(props.functions);
    const perFunction = (metric: (fn: IFunction) => Metric) =>
      functions.map(([label, fn]) => metric(fn).with({ label }));
    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `parking-finder-${props.stageName}-${Aws.REGION}`,
      defaultInterval: Duration.hours(6),
    });
    dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [
          m.requests,
          props.api.metricClientError({ period: PERIOD, statistic: Stats.SUM, label: '4xx' }),
          m.serverErrors,
        ],
        right: [m.serverErrorRate],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (ms)',
        left: [Stats.p(50), Stats.p(90), Stats.p(99)].map((statistic) =>
          props.api.metricLatency({ period: PERIOD, statistic, label: `latency ${statistic}` }),
        ),
        right: [
          props.api.metricIntegrationLatency({
            period: PERIOD,
            statistic: Stats.p(99),
            label: 'integration p99',
          }),
        ],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Invocations',
        left: perFunction((fn) => fn.metricInvocations({ period: PERIOD })),
        width: 6,
      }),
      new GraphWidget({
        title: 'Errors and throttles',
        left: perFunction((fn) => fn.metricErrors({ period: PERIOD })),
        right: perFunction((fn) => fn.metricThrottles({ period: PERIOD })),
        width: 6,
      }),
      new GraphWidget({
        title: 'Duration p99 (ms)',
        left: perFunction((fn) => fn.metricDuration({ period: PERIOD, statistic: Stats.p(99) })),
        width: 6,
      }),
      new GraphWidget({
        title: 'Concurrent executions',
        left: perFunction((fn) =>
          fn.metric('ConcurrentExecutions', { period: PERIOD, statistic: Stats.MAXIMUM }),
        ),
        width: 6,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Table capacity consumed',
        left: [
          props.table.metricConsumedReadCapacityUnits({ period: PERIOD, statistic: Stats.SUM }),
          props.table.metricConsumedWriteCapacityUnits({ period: PERIOD, statistic: Stats.SUM }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Table throttles and errors',
        left: [m.tableThrottles],
        right: [
          props.table.metricUserErrors({
            period: PERIOD,
            statistic: Stats.SUM,
            label: 'user errors (account-wide)',
          }),
        ],
        width: 12,
      }),
    );
    return dashboard;
  }
}
