// A small TCP proxy between the service and a store (DynamoDB Local), for network fault tests.
// The mode is read on every chunk, not only when a connection opens, because the SDK keeps its
// sockets alive: switching to `reset` breaks pooled connections too, as a real network would.
//   pass           forward both ways
//   latency        forward both ways, each chunk `ms` late (order kept)
//   reset          RST every connection, open or new (socket.resetAndDestroy)
//   blackhole      accept and read, never forward and never answer
//   drop-response  forward the request, so the store commits it, then drop the reply: RST the
//                  client's connection (`after: 'reset'`), stay silent (`'silence'`), or pass the
//                  status line, the headers and one byte of the body and then stay silent
//                  (`'truncate'`: a reply that stalls mid-body).
//                  `match` picks the requests (their raw HTTP text); `times` limits how many.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode =
  | { kind: 'pass' }
  | { kind: 'latency'; ms: number }
  | { kind: 'reset' }
  | { kind: 'blackhole' }
  | {
      kind: 'drop-response';
      after: 'reset' | 'silence' | 'truncate';
      match?: (request: string) => boolean;
      /** How many replies to drop before passing again (default: all that match). */
      times?: number;
    };

export interface ProxyStats {
  connections: number;
  resets: number;
  droppedResponses: number;
}

export interface TcpProxy {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  setMode(mode: ProxyMode): void;
  stats: ProxyStats;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = { kind: 'pass' };
  let dropsLeft = Number.POSITIVE_INFINITY;
  const stats: ProxyStats = { connections: 0, resets: 0, droppedResponses: 0 };
  const open = new Set<Socket>();

  const reset = (client: Socket, upstream: Socket) => {
    stats.resets++;
    if (!client.destroyed) client.resetAndDestroy();
    upstream.destroy();
  };

  const server: Server = createServer((client) => {
    stats.connections++;
    const upstream = createConnection(target);
    open.add(client);
    open.add(upstream);
    client.on('close', () => {
      open.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      open.delete(upstream);
      if (!client.destroyed) client.destroy();
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    if (mode.kind === 'reset') {
      reset(client, upstream);
      return;
    }

    // Per connection: the request in flight (HTTP/1.1 keep-alive: one at a time) and whether
    // its reply is being dropped.
    let request = '';
    let replyStarted = false;
    let dropping = false;
    // Latency keeps chunk order: each direction is a chain of delayed writes.
    let toUpstream = Promise.resolve();
    let toClient = Promise.resolve();
    const later = (chain: Promise<void>, ms: number, write: () => void) =>
      chain.then(() => new Promise<void>((r) => setTimeout(r, ms))).then(write);

    client.on('data', (chunk: Buffer) => {
      if (replyStarted) {
        request = '';
        replyStarted = false;
        dropping = false;
      }
      if (mode.kind === 'reset') return reset(client, upstream);
      if (mode.kind === 'blackhole') return; // read and forget
      request += chunk.toString('latin1');
      if (mode.kind === 'latency') {
        const { ms } = mode;
        toUpstream = later(toUpstream, ms, () => {
          if (!upstream.destroyed) upstream.write(chunk);
        });
      } else upstream.write(chunk);
    });

    upstream.on('data', (chunk: Buffer) => {
      let first = false;
      if (!replyStarted) {
        replyStarted = true;
        first = true;
        dropping =
          mode.kind === 'drop-response' && dropsLeft > 0 && (mode.match === undefined || mode.match(request));
        if (dropping) {
          dropsLeft--;
          stats.droppedResponses++;
        }
      }
      if (dropping) {
        if (mode.kind === 'drop-response' && mode.after === 'reset') reset(client, upstream);
        if (mode.kind === 'drop-response' && mode.after === 'truncate' && first) {
          const end = chunk.indexOf('\r\n\r\n');
          client.write(end < 0 ? chunk : chunk.subarray(0, Math.min(chunk.length, end + 5)));
        }
        return; // the client waits for (the rest of) a reply that never comes
      }
      if (mode.kind === 'reset') return reset(client, upstream);
      if (mode.kind === 'blackhole') return;
      if (mode.kind === 'latency') {
        const { ms } = mode;
        toClient = later(toClient, ms, () => {
          if (!client.destroyed) client.write(chunk);
        });
      } else client.write(chunk);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    setMode(next) {
      mode = next;
      dropsLeft = next.kind === 'drop-response' ? (next.times ?? Number.POSITIVE_INFINITY) : 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
