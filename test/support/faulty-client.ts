// SDK-level fault injection into the project's real DynamoDBClient (shared/store/client.ts).
// It wraps the `handle` of the client's own NodeHttpHandler, below the SDK's retry middleware,
// so every fault goes through the real retry strategy, the real timeouts and the real error
// deserializers, exactly as a fault on the wire would:
//   throttle      the store answers 400 ProvisionedThroughputExceededException (or another
//                 throttling code) without applying the request
//   server-error  500 InternalServerError; with `afterCommit` the request is applied first
//                 (DynamoDB documents that a 500 leaves the outcome unknown)
//   slow-request  the request body is held back `ms`: below the requestTimeout the call just
//                 takes longer, beyond it the real handler gives up (TimeoutError) and the store
//                 never sees the request
//   drop-reply    the request reaches the store and commits, then the reply is lost: a
//                 connection reset (`as: 'reset'`, ECONNRESET) or a timeout (`as: 'timeout'`)
// Rules pick calls by command, by which item a write touches (lot state, bay, history), by the
// n-th matching call, or with a probability drawn from a seeded generator (deterministic when
// the calls come in a deterministic order).
import { Readable } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types';
import { seededRandom } from '../../shared/domain/random';

/** Which kind of item a write touches (keys in shared/store/keys.ts); null for reads. */
export type WriteKind = 'lot' | 'bay' | 'history' | 'key' | 'rollup' | 'other';

export interface StoreCall {
  /** DynamoDB operation: PutItem, BatchWriteItem, GetItem, Query, DescribeTable, ... */
  command: string;
  write: WriteKind | null;
  /** The parsed JSON request body. */
  body: Record<string, unknown>;
  /** The SDK's attempt number for this call (1 = first try; the SDK retries up to maxAttempts). */
  attempt: number;
  /** The SDK's invocation id: the same for every attempt of one call. */
  invocation: string;
}

export type Fault =
  | {
      kind: 'throttle';
      code?: 'ProvisionedThroughputExceededException' | 'ThrottlingException' | 'RequestLimitExceeded';
    }
  | { kind: 'server-error'; afterCommit?: boolean }
  | { kind: 'slow-request'; ms: number }
  | { kind: 'drop-reply'; as: 'reset' | 'timeout' };

export interface FaultRule {
  when: (call: StoreCall) => boolean;
  fault: Fault;
  /** Only these matching calls, counted from 1 since the rule was installed. */
  calls?: readonly number[];
  /** Chance that a matching call is faulted, drawn from the seeded generator (default 1). */
  probability?: number;
  /** At most this many faults from this rule. */
  times?: number;
  /**
   * Per SDK call rather than per attempt: once a call is picked, every retry of it fails too,
   * so the SDK's retries cannot absorb the fault and the request ends in a 503.
   */
  wholeCall?: boolean;
}

export interface InjectedFault {
  command: string;
  write: WriteKind | null;
  fault: Fault['kind'];
}

export interface FaultInjector {
  /** Replaces the rules (and their counters). The first rule that fires wins. */
  set(...rules: FaultRule[]): void;
  clear(): void;
  /** Every fault injected so far, in order. */
  readonly injected: InjectedFault[];
  /** Calls seen per command (faulted or not). */
  readonly calls: Map<string, number>;
}

// The project's seeded PRNG (mulberry32), re-exported for the fault suites.
export { seededRandom };

/** Shorthands for rules' `when`. */
export const on = {
  command:
    (...commands: string[]) =>
    (call: StoreCall) =>
      commands.includes(call.command),
  write:
    (...kinds: WriteKind[]) =>
    (call: StoreCall) =>
      call.write !== null && kinds.includes(call.write),
  any: () => true,
  read: (call: StoreCall) => call.write === null,
};

type Handle = (request: HttpRequest, options?: HttpHandlerOptions) => Promise<{ response: HttpResponse }>;

export function injectFaults(client: DynamoDBClient, options: { seed?: number } = {}): FaultInjector {
  const handler = client.config.requestHandler as unknown as { handle: Handle };
  const real: Handle = handler.handle.bind(handler);
  const random = seededRandom(options.seed ?? 1);
  let rules: { rule: FaultRule; seen: number; fired: number; doomed: Set<string> }[] = [];
  const injected: InjectedFault[] = [];
  const calls = new Map<string, number>();

  handler.handle = async (request, handleOptions) => {
    const call = describeCall(request);
    calls.set(call.command, (calls.get(call.command) ?? 0) + 1);
    const fault = choose(call);
    if (fault === null) return real(request, handleOptions);
    injected.push({ command: call.command, write: call.write, fault: fault.kind });
    switch (fault.kind) {
      case 'throttle':
        return { response: errorResponse(400, fault.code ?? 'ProvisionedThroughputExceededException') };
      case 'server-error':
        if (fault.afterCommit) await drain(await real(request, handleOptions));
        return { response: errorResponse(500, 'InternalServerError') };
      case 'slow-request':
        return real({ ...request, body: heldBack(request.body, fault.ms) } as HttpRequest, handleOptions);
      case 'drop-reply': {
        await drain(await real(request, handleOptions)); // the store has answered: it committed
        throw fault.as === 'reset'
          ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
          : Object.assign(new Error('injected: the reply did not come within the requestTimeout'), {
              name: 'TimeoutError',
              code: 'ETIMEDOUT',
            });
      }
    }
  };

  function choose(call: StoreCall): Fault | null {
    for (const entry of rules) {
      if (!entry.rule.when(call)) continue;
      if (entry.doomed.has(call.invocation)) return entry.rule.fault;
      entry.seen++;
      const { calls: only, probability, times, wholeCall } = entry.rule;
      if (wholeCall && call.attempt > 1) continue; // its first attempt was not picked
      if (times !== undefined && entry.fired >= times) continue;
      if (only !== undefined && !only.includes(entry.seen)) continue;
      if (probability !== undefined && random() >= probability) continue;
      entry.fired++;
      if (wholeCall) entry.doomed.add(call.invocation);
      return entry.rule.fault;
    }
    return null;
  }

  return {
    set: (...next) => {
      rules = next.map((rule) => ({ rule, seen: 0, fired: 0, doomed: new Set<string>() }));
    },
    clear: () => {
      rules = [];
    },
    injected,
    calls,
  };
}

function describeCall(request: HttpRequest): StoreCall {
  const target = header(request, 'x-amz-target') ?? '';
  const command = target.slice(target.indexOf('.') + 1);
  let body: Record<string, unknown> = {};
  const raw: unknown = request.body;
  const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? bytesOf(raw).toString('utf8') : '';
  if (text) body = JSON.parse(text) as Record<string, unknown>;
  const sdkRequest = Object.entries(request.headers).find(
    ([k]) => k.toLowerCase() === 'amz-sdk-request',
  )?.[1];
  const attempt = Number(/attempt=(\d+)/.exec(sdkRequest ?? '')?.[1] ?? 1);
  const invocation = header(request, 'amz-sdk-invocation-id') ?? '';
  return { command, write: writeKind(command, body), body, attempt, invocation };
}

function header(request: HttpRequest, name: string): string | undefined {
  return Object.entries(request.headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

type Item = Record<string, { S?: string }>;

function writeKind(command: string, body: Record<string, unknown>): WriteKind | null {
  let pk: string | undefined;
  if (command === 'PutItem') pk = (body.Item as Item).pk?.S;
  else if (command === 'UpdateItem' || command === 'DeleteItem') pk = (body.Key as Item).pk?.S;
  else if (command === 'BatchWriteItem') {
    const requests = Object.values(body.RequestItems as Record<string, unknown[]>)[0] ?? [];
    const first = requests[0] as { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } } | undefined;
    pk = (first?.PutRequest?.Item ?? first?.DeleteRequest?.Key)?.pk?.S;
  } else return null;
  if (pk === undefined) return 'other';
  if (pk.startsWith('LOT#')) return 'lot';
  if (pk.startsWith('BAY#')) return 'bay';
  if (pk.startsWith('OBS#')) return 'history';
  if (pk.startsWith('ROLL#')) return 'rollup';
  if (pk === 'KEY') return 'key';
  return 'other';
}

/** A DynamoDB (JSON 1.0 protocol) error reply, deserialized by the SDK into its real error class. */
function errorResponse(status: number, code: string): HttpResponse {
  const type =
    code === 'ThrottlingException' ? 'com.amazon.coral.availability#' : 'com.amazonaws.dynamodb.v20120810#';
  const body = JSON.stringify({ __type: `${type}${code}`, message: `injected ${code}` });
  return {
    statusCode: status,
    reason: status === 500 ? 'Internal Server Error' : 'Bad Request',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(body)),
      'x-amzn-requestid': 'injected-fault',
    },
    body: Readable.from([Buffer.from(body)]),
  };
}

/** The request body, sent only after `ms`: the request stalls on the wire until then. */
function heldBack(body: unknown, ms: number): Readable {
  return Readable.from(
    (async function* () {
      await new Promise((r) => setTimeout(r, ms));
      if (typeof body === 'string') yield Buffer.from(body);
      else if (body instanceof Uint8Array) yield bytesOf(body);
    })(),
  );
}

/**
 * The SDK's JSON body is a Uint8Array subclass whose valueOf() is a string (and warns): view its
 * bytes directly instead of Buffer.from(body), which would call valueOf().
 */
function bytesOf(body: Uint8Array): Buffer {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** Reads the whole reply, so the store has certainly finished with the request. */
async function drain({ response }: { response: HttpResponse }): Promise<void> {
  const body = response.body as Readable | undefined;
  if (body === undefined) return;
  for await (const _ of body) {
    // discard
  }
}
