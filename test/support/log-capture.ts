// What the code under test writes, captured two ways.
// - As a vitest setup file (vitest.config.ts), it copies everything every test file writes (console
//   and process.stdout/stderr) into .tmp/suite-logs/; global-setup.ts searches those files at the
//   end of the run for anything shaped like one of our secrets, so a secret logged by any suite,
//   on any path, fails the run.
// - captureOutput() collects what is written while one test runs, for tests that search it.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';

export const SUITE_LOG_DIR = resolve('.tmp/suite-logs');

/**
 * Every secret the service issues has one of these shapes: `pf_<keyId>.<random>` for API keys
 * (shared/store/api-keys.ts), `pfi_<random>` for integrations (shared/store/integrations.ts).
 */
export const SECRET_SHAPE = /pf_[A-Za-z0-9-]+\.[A-Za-z0-9_-]{16,}|pfi_[A-Za-z0-9_-]{43}/g;

type Sink = (text: string) => void;
// One set of sinks per process, even if this module is evaluated again for another test file.
const registry = globalThis as { __parkingLogSinks?: Set<Sink> };
const installed = registry.__parkingLogSinks !== undefined;
registry.__parkingLogSinks ??= new Set<Sink>();
const sinks = registry.__parkingLogSinks;
let patched = installed;

function emit(text: string) {
  for (const sink of sinks) sink(text);
}

/** Tees console.* and process.stdout/stderr writes to the sinks; the output still goes where it went. */
function install() {
  if (patched) return;
  patched = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      emit(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  // vitest routes console.* of a test file to the main process without touching these streams.
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      emit(`${format(...args)}\n`);
      original(...args);
    };
  }
}

/** Starts collecting what is written; text() reads it, stop() ends the collection. */
export function captureOutput() {
  install();
  const chunks: string[] = [];
  const sink: Sink = (text) => chunks.push(text);
  sinks.add(sink);
  return { text: () => chunks.join(''), stop: () => sinks.delete(sink) };
}

// As a setup file: one log file per test-file worker.
if (process.env.VITEST && process.env.SUITE_LOG_CAPTURE !== 'off') {
  mkdirSync(SUITE_LOG_DIR, { recursive: true });
  const file = join(SUITE_LOG_DIR, `${process.pid}.log`);
  install();
  // Recreates the folder if another run in this checkout cleared it meanwhile.
  const append = (text: string) => {
    try {
      appendFileSync(file, text);
    } catch {
      mkdirSync(SUITE_LOG_DIR, { recursive: true });
      appendFileSync(file, text);
    }
  };
  if (!installed) sinks.add(append);
}
