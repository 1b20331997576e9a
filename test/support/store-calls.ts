// Counts what the project's real DynamoDBClient sends: calls in flight (now and at most), and each
// Query's target (geo index partition, directory of cells, other). Middleware on the client's
// own stack (the SDK's `initialize` step, so one SDK call counts once however often it retries);
// the requests still go to the real store.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface CountedQuery {
  /** 'geo' (the geo index), 'cells' (the directory of non-empty cells) or 'other'. */
  target: 'geo' | 'cells' | 'other';
  /** The geo-index partition a geo Query reads. */
  partition?: string;
}

export interface StoreCalls {
  readonly inFlight: number;
  /** The most calls in flight at once since the last reset. */
  readonly maxInFlight: number;
  /** Calls per command since the last reset (GetItem, Query, UpdateItem, ...). */
  readonly commands: Map<string, number>;
  readonly queries: CountedQuery[];
  /** Commands in the order they were sent, with the key they touch (for write-order checks). */
  readonly log: Array<{ command: string; pk?: string; sk?: string }>;
  reset(): void;
}

type Input = {
  IndexName?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeValues?: Record<string, { S?: string }>;
  Key?: Record<string, { S?: string }>;
  Item?: Record<string, { S?: string }>;
};

export function countStoreCalls(client: DynamoDBClient): StoreCalls {
  const state = {
    inFlight: 0,
    maxInFlight: 0,
    commands: new Map<string, number>(),
    queries: [] as CountedQuery[],
    log: [] as StoreCalls['log'],
    reset() {
      state.maxInFlight = state.inFlight;
      state.commands.clear();
      state.queries.length = 0;
      state.log.length = 0;
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? '').replace(/Command$/, '');
      const input = args.input as Input;
      state.commands.set(command, (state.commands.get(command) ?? 0) + 1);
      const key = input.Key ?? input.Item;
      state.log.push({ command, pk: key?.pk?.S, sk: key?.sk?.S });
      if (command === 'Query') {
        const values = input.ExpressionAttributeValues ?? {};
        if (input.IndexName === 'geo')
          state.queries.push({ target: 'geo', partition: values[':partition']?.S });
        else if (values[':cells']) state.queries.push({ target: 'cells' });
        else state.queries.push({ target: 'other' });
      }
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        return await next(args);
      } finally {
        state.inFlight--;
      }
    },
    { step: 'initialize', name: 'countStoreCalls' },
  );
  return state;
}
