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
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
