// Starts AWS's DynamoDB Local (Java) on a free loopback port. Used by vitest's global setup
// so integration suites can run against it as well as against dynalite.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const DDB_LOCAL_DIR = resolve(process.env.DDB_LOCAL_DIR ?? '.ddb-local');

export function javaAvailable(): boolean {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ensureDdbLocalJar(): void {
  if (existsSync(join(DDB_LOCAL_DIR, 'DynamoDBLocal.jar'))) return;
  execFileSync('bash', ['scripts/get-ddb-local.sh', DDB_LOCAL_DIR], { stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface DdbLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `heapMb`: the JVM heap (default 512); the benchmark's 100k-lot tables need more. */
export async function startDdbLocal(port?: number, options: { heapMb?: number } = {}): Promise<DdbLocal> {
  ensureDdbLocalJar();
  const chosen = port ?? (await freePort());
  const child = spawn(
    'java',
    [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Xmx${options.heapMb ?? 512}m`,
      `-Djava.library.path=${join(DDB_LOCAL_DIR, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(DDB_LOCAL_DIR, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-port',
      String(chosen),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const endpoint = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited early:\n${output}`);
    try {
      // Any HTTP answer means the server is up (it rejects an unsigned GET with 400).
      await fetch(endpoint, { signal: AbortSignal.timeout(500) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not start within 30 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
