// The public HTTP API: every route of the app on its function, CORS for web pages, one throttled
// `$default` stage with JSON access logs.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ApiRoute } from '../routes';

export interface ServiceApiProps {
  apiName: string;
  routes: ApiRoute[];
  /** Serves `public` routes, and any path no route matches (the app answers those with a 404 problem). */
  readFunction: IFunction;
  /** Serves staff and sensor routes. */
  writeFunction: IFunction;
  throttle: { rateLimit: number; burstLimit: number };
  logRetention: RetentionDays;
}

/**
 * One line of JSON per request. No headers, no query string, no body: nothing here can hold a secret
 * (keys travel in the Authorization header) or a driver's position.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
} as const;

export class ServiceApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const read = new HttpLambdaIntegration('Read', props.readFunction);
    const write = new HttpLambdaIntegration('Write', props.writeFunction);

    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'Parking finder: nearby parking for drivers, sensor ingestion, staff reports',
      // A named stage would prefix every path with its name, and the app's routes would not match.
      createDefaultStage: false,
      // Unknown paths and methods reach the app (least-privileged function) and get its problem+json 404.
      defaultIntegration: read,
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'accept'],
        maxAge: Duration.minutes(10),
      },
    });
    for (const route of props.routes) {
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        // A forecast with a past asOf is staff's but reads only: the read-only function serves it.
        integration: route.access === 'public' || route.access === 'public-staff-for-past' ? read : write,
      });
    }

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Driver routes are public by design (README "API summary"). Staff and sensor routes are ' +
        'authorized by the app on every request: Bearer keys, stored hashed in the table, checked for role ' +
        'and lot (shared/http/auth.ts, covered by the authorization matrix tests). An API Gateway ' +
        'authorizer would repeat the same table lookup in front of the same function.',
    });
  }
}
