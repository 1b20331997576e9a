// Parent side of lib/child.ts: fork a helper process, wait until it is ready, talk to it, stop it.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildSpec } from './child';
import type { MeterCounts } from './meter';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const TSX = pathToFileURL(`${PROJECT_ROOT}node_modules/tsx/dist/loader.mjs`).href;

export interface Helper {
  child: ChildProcess;
  ready: { endpoint?: string; url?: string };
  stop(): Promise<void>;
}

export interface AppCounts {
  meter: MeterCounts;
  metrics: Record<string, number>;
  errors: string[];
}

export async function startHelper(spec: ChildSpec): Promise<Helper> {
  const child = fork(CHILD, [JSON.stringify(spec)], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', TSX],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const ready = await new Promise<Helper['ready']>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`helper ${spec.mode} did not start:\n${stderr}`)),
      30_000,
    );
    child.once('message', (m: { type: string } & Helper['ready']) => {
      clearTimeout(timer);
      resolve(m);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`helper ${spec.mode} exited (${code}):\n${stderr}`));
    });
  });
  return {
    child,
    ready,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Asks a helper process; fails (never hangs the run) if it exits or takes over a minute. */
function ask<T>(helper: Helper, type: string, answer: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      helper.child.off('message', onMessage);
      helper.child.off('exit', onExit);
    };
    const onMessage = (m: { type?: string }) => {
      if (m.type !== answer) return;
      done();
      resolve(m as T);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`the ${type} helper exited (${code}) before answering`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the helper did not answer "${type}" within 60 s`));
    }, 60_000);
    helper.child.on('message', onMessage);
    helper.child.once('exit', onExit);
    helper.child.send({ type });
  });
}

/** What the app helper's client and metrics counted since the last call (then zeroed). */
export async function takeCounts(helper: Helper): Promise<AppCounts> {
  return await ask<AppCounts>(helper, 'take', 'counts');
}

/** Waits until the app helper answers no request (load generators stop with requests in flight). */
export async function untilIdle(helper: Helper, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await ask<{ inFlight: number }>(helper, 'inFlight', 'inFlight')).inFlight > 0) {
    if (Date.now() > deadline) throw new Error('the server did not finish its requests in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
