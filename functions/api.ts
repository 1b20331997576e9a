// AWS Lambda behind API Gateway (HTTP API): the same app, over the table the stack created.
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createApp } from '../shared/http/app';
import { apiGatewaySourceIp } from '../shared/http/client-address';
import { loadLambdaDependencies } from '../shared/lambda';

const { deps, city, logger, flushMetrics } = loadLambdaDependencies(process.env);

const serve = handle(
  createApp(deps, {
    city,
    clientAddress: apiGatewaySourceIp,
    onUnexpectedError: (error, where) => logger.error('unexpected error', { ...where, error }),
    onStoreUnavailable: (error, where) => logger.warn('store unavailable: answered 503', { ...where, error }),
  }),
);

export const handler = async (event: LambdaEvent, context?: LambdaContext) => {
  try {
    return await serve(event, context);
  } finally {
    flushMetrics();
  }
};
