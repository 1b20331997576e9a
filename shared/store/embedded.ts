// The embedded DynamoDB-compatible store for local mode and tests: dynalite speaks the real
// DynamoDB wire protocol, in memory or on LevelDB. Only functions/local.ts and tests import
// this file, so no Lambda bundle contains dynalite.
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface EmbeddedStore {
  endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 (port 0 = any free port); `path` keeps data on disk. */
export async function startEmbeddedStore(
  options: { path?: string; port?: number } = {},
): Promise<EmbeddedStore> {
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // dynalite closes its database under a request still running (a Query's stream still reading):
  // that throws from inside dynalite, uncaught, and can end the process. So close waits, bounded,
  // for the requests it is answering (and a moment for their streams' read-ahead) to end first.
  let answering = 0;
  let lastAnswered = Number.NEGATIVE_INFINITY;
  server.on('request', (_request, response) => {
    if (response.writableEnded) return;
    answering++;
    const end = response.end.bind(response) as (...args: unknown[]) => typeof response;
    response.end = ((...args: unknown[]) => {
      answering--;
      lastAnswered = performance.now();
      return end(...args);
    }) as typeof response.end;
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      // performance.now(), not Date.now(): tests that fake the date close stores too.
      const deadline = performance.now() + CLOSE_WAIT_MS;
      const busy = () => answering > 0 || performance.now() - lastAnswered < READ_AHEAD_SETTLE_MS;
      while (busy() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

/** Longest close waits for requests in progress (local mode's SIGTERM budget, README "Limits"). */
const CLOSE_WAIT_MS = 1000;
/** After the last answer, for the streams that read ahead of it. */
const READ_AHEAD_SETTLE_MS = 20;
