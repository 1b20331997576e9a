// AWS Lambda behind API Gateway (HTTP API): the same app, over the table the stack created.
import { handle } from 'hono/aws-lambda';
import { createApp } from '../shared/http/app';
import { loadLambdaDependencies } from '../shared/lambda';

const { deps, logger } = loadLambdaDependencies(process.env);

export const handler = handle(
  createApp(deps, {
    onUnexpectedError: (error, where) => logger.error('unexpected error', { ...where, error }),
  }),
);
