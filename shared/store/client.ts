// Builds the one DynamoDB client the stores share. Bounded timeouts and retries: the SDK's
// default is to wait forever, and a driver would rather get a 503 than a hung request.
// A store call that gets no answer gives up within maxAttempts × requestTimeout plus the SDK's
// backoff (at most 50 + 100 ms; 1 + 2 s after throttling): 6.15 s at the defaults, so the first
// call to a silent store answers 503 well inside the API functions' 15 s timeout. A reply that
// stalls after its headers adds up to socketTimeout per attempt: 12.15 s, still inside it.
// Measured by test/hardening/sdk-faults.test.ts and tcp-faults.test.ts.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface ClientOptions {
  region: string;
  /** DynamoDB Local, dynalite, or unset for AWS. */
  endpoint?: string;
  maxAttempts?: number;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

/** DynamoDB answers in milliseconds; 2 s leaves room for a busy local store and a cold TLS connection. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 2000;

/** The client every store adapter takes; the composition roots pass it through without the SDK. */
export type StoreClient = DynamoDBClient;

export function createDynamoClient(options: ClientOptions): DynamoDBClient {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return new DynamoDBClient({
    region: options.region,
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // Local stores accept any credentials; never reach for a real profile.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: {
      requestTimeout,
      // Without this the SDK only logs a warning when requestTimeout passes and keeps waiting
      // (on a black-holed connection, for the 5-minute default socket timeout, per attempt).
      throwOnRequestTimeout: true,
      // requestTimeout ends at the response headers; this bounds a reply that stalls mid-body.
      socketTimeout: requestTimeout,
      connectionTimeout: options.connectionTimeoutMs ?? 1000,
    },
  });
}
