// API Gateway HTTP API (payload 2.0) events, shaped like the real ones AWS sends (see the
// http-api-v2 fixtures in the handbook's data/lambda-events): routeKey, rawPath,
// rawQueryString, lower-case headers, requestContext.http, base64 flag.
import type { LambdaEvent } from 'hono/aws-lambda';

export function httpApiEvent(
  method: string,
  pathAndQuery: string,
  options: { headers?: Record<string, string>; body?: string; routeKey?: string; sourceIp?: string } = {},
): LambdaEvent {
  const [rawPath = '/', rawQueryString = ''] = pathAndQuery.split('?');
  const headers: Record<string, string> = {
    accept: '*/*',
    host: 'abcdef1234.execute-api.eu-west-2.amazonaws.com',
    'user-agent': 'curl/8.5.0',
    'x-amzn-trace-id': 'Root=1-6742a5c1-0e4b1c2d3e4f5a6b7c8d9e0f',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const queryStringParameters = rawQueryString
    ? Object.fromEntries(
        [...new URLSearchParams(rawQueryString)].reduce((m, [k, v]) => {
          m.set(k, m.has(k) ? `${m.get(k)},${v}` : v); // API Gateway joins repeated values with commas
          return m;
        }, new Map<string, string>()),
      )
    : undefined;
  return {
    version: '2.0',
    routeKey: options.routeKey ?? '$default',
    rawPath,
    rawQueryString,
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: 'abcdef1234.execute-api.eu-west-2.amazonaws.com',
      domainPrefix: 'abcdef1234',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '203.0.113.7',
        userAgent: 'curl/8.5.0',
      },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: options.routeKey ?? '$default',
      stage: '$default',
      time: '23/Nov/2026:10:00:00 +0000',
      timeEpoch: Date.parse('2026-11-23T10:00:00Z'),
    },
    body: options.body ?? null,
    isBase64Encoded: false,
  } as LambdaEvent;
}
