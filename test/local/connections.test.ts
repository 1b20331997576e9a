// The local server's connection bounds (README "Limits"), with real sockets: a connection that has
// not sent a whole request within the request timeout is answered 408 and closed, open connections
// are capped, and neither slow connections nor a full cap stop a shutdown or an ordinary request.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { type LocalServer, startLocalServer } from '../../shared/local/server';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A raw TCP connection that records what the server sent and when it closed. */
interface Probe {
  socket: Socket;
  received: () => string;
  /** Resolves once the server has closed the connection (or it was reset). */
  closed: Promise<void>;
}

async function open(port: number, send?: string): Promise<Probe> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    text += d;
  });
  socket.on('error', () => {}); // a reset is one way of being closed
  // Not events.once: it would reject on the reset that closes a connection past the cap.
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  await new Promise<void>((done, fail) => {
    socket.once('connect', done);
    socket.once('error', fail);
  });
  if (send !== undefined) socket.write(send);
  return { socket, received: () => text, closed };
}

/** Settles with the outcome, or rejects once `ms` have passed (a liveness bound, not a timing test). */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]);
}

async function until(what: string, check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never: ${what}`);
}

/** An ordinary request on a connection of its own (so no keep-alive connection stays behind). */
async function health(url: string) {
  const res = await fetch(`${url}/health`, { headers: { connection: 'close' } });
  return { status: res.status, body: await res.json() };
}

const HALF_HEADERS = 'GET /health HTTP/1.1\r\nHost: x\r\n';
const HALF_BODY =
  'PUT /v1/lots/slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na';

describe('local server connections', () => {
  const dataDirs: string[] = [];
  const servers: LocalServer[] = [];
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const s of servers) await s.close();
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  async function start(extra: Record<string, string> = {}) {
    const lines: string[] = [];
    const dataDir = await mkdtemp(join(tmpdir(), 'parking-conn-'));
    dataDirs.push(dataDir);
    const server = await startLocalServer(
      loadConfig({ DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'false', ...extra }),
      { log: (l) => lines.push(l) },
    );
    servers.push(server);
    return { server, lines, port: Number(new URL(server.url).port) };
  }

  async function probe(port: number, send?: string) {
    const p = await open(port, send);
    sockets.push(p.socket);
    return p;
  }

  it('defaults to 30 s for a whole request and 256 open connections, on the server itself', async () => {
    const defaults = loadConfig({});
    expect(defaults.HTTP_REQUEST_TIMEOUT_SECONDS).toBe(30);
    expect(defaults.HTTP_MAX_CONNECTIONS).toBe(256);
    const { server } = await start();
    expect(server.connectionBounds).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 256,
    });
    // While slow connections are open, close() still ends within the shutdown budget.
    const port = Number(new URL(server.url).port);
    const slow = [await probe(port), await probe(port, HALF_HEADERS), await probe(port, HALF_BODY)];
    await until('the server holds the slow connections', async () => (await server.openConnections()) >= 3);
    await within(5000, 'close() with slow connections open', server.close());
    servers.splice(servers.indexOf(server), 1);
    await within(1000, 'the slow connections closed', Promise.all(slow.map((s) => s.closed)));
  });

  it('rejects connection bounds that are not whole numbers in range, naming the variable', () => {
    for (const [name, value] of [
      ['HTTP_REQUEST_TIMEOUT_SECONDS', '0'],
      ['HTTP_REQUEST_TIMEOUT_SECONDS', '1e3'],
      ['HTTP_REQUEST_TIMEOUT_SECONDS', '301'],
      ['HTTP_MAX_CONNECTIONS', '0x10'],
      ['HTTP_MAX_CONNECTIONS', '0'],
      ['HTTP_MAX_CONNECTIONS', '2.5'],
    ] as const) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(name);
    }
  });

  it('answers 408 and closes a silent connection, half-sent headers and a half-sent body after the timeout', async () => {
    const { server, port } = await start({ HTTP_REQUEST_TIMEOUT_SECONDS: '1' });
    const silent = await probe(port);
    const halfHeaders = await probe(port, HALF_HEADERS);
    const halfBody = await probe(port, HALF_BODY);
    // Meanwhile ordinary requests are served.
    expect(await health(server.url)).toEqual({ status: 200, body: { status: 'ok' } });
    await within(
      10_000,
      'slow connections closed',
      Promise.all([silent, halfHeaders, halfBody].map((p) => p.closed)),
    );
    for (const p of [silent, halfHeaders, halfBody]) expect(p.received()).toMatch(/^HTTP\/1\.1 408 /);
    // Nothing of the half-sent PUT reached the store.
    const lot = await fetch(`${server.url}/v1/lots/slow`);
    expect(lot.status).toBe(404);
  });

  it('serves a request sent in pieces when it completes within the timeout', async () => {
    const { port } = await start({ HTTP_REQUEST_TIMEOUT_SECONDS: '20' });
    const p = await probe(port, 'GET /health HTTP/1.1\r\n');
    await new Promise((r) => setTimeout(r, 200));
    p.socket.write('Host: x\r\nConnection: close\r\n\r\n');
    await within(10_000, 'answered', p.closed);
    expect(p.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(p.received()).toContain('{"status":"ok"}');
  });

  it('closes connections past the cap at once, and serves again once slow ones time out', async () => {
    const { server, lines, port } = await start({
      HTTP_MAX_CONNECTIONS: '4',
      HTTP_REQUEST_TIMEOUT_SECONDS: '2',
    });
    const slow = [await probe(port), await probe(port, HALF_HEADERS), await probe(port, HALF_BODY)];
    await until('3 connections open', async () => (await server.openConnections()) === 3);
    // Under the cap an ordinary request still works.
    expect((await health(server.url)).status).toBe(200);
    await until('the request connection closed', async () => (await server.openConnections()) === 3);
    slow.push(await probe(port));
    await until('4 connections open', async () => (await server.openConnections()) === 4);

    const past = [await probe(port), await probe(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n')];
    await within(5000, 'connections past the cap closed', Promise.all(past.map((p) => p.closed)));
    for (const p of past) expect(p.received()).toBe(''); // closed unanswered, before reading anything
    expect(lines.filter((l) => l.includes('refused a connection'))).toEqual([
      'refused a connection: 4 are open (HTTP_MAX_CONNECTIONS); 1 so far',
    ]);
    for (const p of slow) expect(p.socket.destroyed).toBe(false); // the cap closes only the new ones

    // The slow connections time out by themselves, and the server serves again.
    await within(10_000, 'slow connections timed out', Promise.all(slow.map((p) => p.closed)));
    expect(await health(server.url)).toEqual({ status: 200, body: { status: 'ok' } });
  });
});

describe('`npm start` with slow connections open', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parking-sigterm-'));
  });
  afterAll(async () => {
    // Its own process group: whatever is left of it (an orphaned server too) ends here.
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exits within 5 s of SIGTERM sent to npm, and the server process with it', async () => {
    child = spawn('npm', ['start'], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A given admin secret is never printed, so its output (in a failure message) holds none.
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir,
        SEED_DEMO: 'false',
        ADMIN_API_KEY: 'sigterm-test-admin-secret-0123',
      },
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = once(child, 'exit');
    const url = await within(
      60_000,
      'npm start printed its URL',
      (async () => {
        for (;;) {
          const match = /running at (http:\/\/\S+)/.exec(output);
          if (match) return match[1]!;
          if (child.exitCode !== null) throw new Error(`npm start ended: ${output}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      })(),
    );
    const port = Number(new URL(url).port);
    expect((await health(url)).status).toBe(200);
    const slow = [await open(port), await open(port, HALF_HEADERS), await open(port, HALF_BODY)];

    child.kill('SIGTERM'); // npm's own process, as a container runtime or process manager sends it
    const [code] = await within(5000, 'npm start exited after SIGTERM', exited);
    expect(code, output).toBe(0);
    await within(1000, 'the slow connections closed', Promise.all(slow.map((s) => s.closed)));
    // No server left running without its parent: the port no longer answers.
    const again = connect(port, '127.0.0.1');
    const [error] = (await within(5000, 'connect after exit', once(again, 'error'))) as [
      NodeJS.ErrnoException,
    ];
    expect(error.code).toBe('ECONNREFUSED');
  }, 90_000);
});
