import {
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { translated } from './errors';

/** Every page of a Query, following LastEvaluatedKey; store failures become StoreUnavailableError. */
export async function* queryPages(
  client: DynamoDBClient,
  input: QueryCommandInput,
  what: string,
): AsyncGenerator<QueryCommandOutput> {
  let startKey = input.ExclusiveStartKey;
  do {
    const page: QueryCommandOutput = await translated(what, () =>
      client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })),
    );
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
