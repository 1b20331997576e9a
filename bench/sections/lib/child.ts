// Entry of the benchmark's helper processes (forked with an IPC channel, run through tsx), so that
// the load generator, the HTTP server and an embedded store never share one event loop:
//  - `store`: an in-memory dynalite on a free loopback port.
//  - `app`:   the project's Hono app (shared/http/app.ts) on @hono/node-server, port 0, over a store,
//             with its DynamoDB client metered (lib/meter.ts) and its metrics counted.
// The parent sends `{ type: 'take' }` and gets `{ type: 'counts', meter, metrics }` (then zeroed);
// `{ type: 'inFlight' }` answers how many requests are being served.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createDependencies } from '../../../shared/dependencies';
import { createApp } from '../../../shared/http/app';
import { createDynamoClient } from '../../../shared/store/client';
import { startEmbeddedStore } from '../../../shared/store/embedded';
import type { MetricName } from '../../../shared/use-cases/ports';
import { meterClient } from './meter';

export type ChildSpec = { mode: 'store' } | { mode: 'app'; endpoint: string; tableName: string };

const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;
const send = (message: unknown) => process.send?.(message);

if (spec.mode === 'store') {
  const store = await startEmbeddedStore();
  send({ type: 'ready', endpoint: store.endpoint });
  process.on('disconnect', () => process.exit(0)); // the parent is gone: never outlive it
} else if (spec.mode === 'app') {
  const client = createDynamoClient({ region: 'us-east-1', endpoint: spec.endpoint });
  const meter = meterClient(client);
  let metrics: Partial<Record<MetricName, number>> = {};
  const deps = createDependencies({
    client,
    tableName: spec.tableName,
    metrics: {
      count: (name, value) => {
        metrics[name] = (metrics[name] ?? 0) + value;
      },
      milliseconds: () => {},
    },
  });
  const errors: string[] = [];
  const app = createApp(deps, {
    onUnexpectedError: (error, where) => {
      if (errors.length < 20) errors.push(`${where.method} ${where.path}: ${String(error)}`);
    },
  });
  // Requests being answered, so the parent can wait for a quiet server before reading the counters.
  let inFlight = 0;
  const fetch = async (request: Request) => {
    inFlight++;
    try {
      return await app.fetch(request);
    } finally {
      inFlight--;
    }
  };
  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
    send({ type: 'ready', url: `http://127.0.0.1:${info.port}` });
  });
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'take') {
      send({ type: 'counts', meter: meter.take(), metrics, errors: errors.splice(0) });
      metrics = {};
    } else if (m.type === 'inFlight') {
      send({ type: 'inFlight', inFlight });
    }
  });
  process.on('disconnect', () => {
    server.close();
    client.destroy();
    process.exit(0);
  });
} else {
  throw new Error(`unknown child spec ${process.argv[2]}`);
}
