// Builds the one DynamoDB client the stores share. Bounded timeouts and retries: the SDK's
// default is to wait forever, and a driver would rather get a 503 than a hung request.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface ClientOptions {
  region: string;
  /** DynamoDB Local, dynalite, or unset for AWS. */
  endpoint?: string;
  maxAttempts?: number;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

export function createDynamoClient(options: ClientOptions): DynamoDBClient {
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
      requestTimeout: options.requestTimeoutMs ?? 3000,
      connectionTimeout: options.connectionTimeoutMs ?? 1000,
    },
  });
}
