// Starts AWS's DynamoDB Local once for the whole run; suites reach it through inject().
// Without Java (a developer machine) the DynamoDB Local variants are skipped with a message;
// in CI (CI=true) that is a failure, since CI must test both stores.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type DdbLocal, javaAvailable, startDdbLocal } from './ddb-local';
import { SECRET_SHAPE, SUITE_LOG_DIR } from './log-capture';

declare module 'vitest' {
  export interface ProvidedContext {
    ddbLocalEndpoint: string | null;
  }
}

let server: DdbLocal | null = null;

export async function setup(project: TestProject) {
  rmSync(SUITE_LOG_DIR, { recursive: true, force: true });
  if (process.env.DDB_LOCAL_ENDPOINT) {
    project.provide('ddbLocalEndpoint', process.env.DDB_LOCAL_ENDPOINT);
    return;
  }
  if (!javaAvailable()) {
    if (process.env.CI === 'true')
      throw new Error('CI must run the DynamoDB Local suites, but java is missing');
    console.warn('[tests] java not found: the DynamoDB Local variants of the store suites are skipped');
    project.provide('ddbLocalEndpoint', null);
    return;
  }
  server = await startDdbLocal();
  project.provide('ddbLocalEndpoint', server.endpoint);
}

export async function teardown() {
  await server?.stop();
  assertNoSecretsLogged();
}

/** Everything the test files wrote (support/log-capture.ts) holds nothing shaped like a secret. */
function assertNoSecretsLogged() {
  let files: string[];
  try {
    files = readdirSync(SUITE_LOG_DIR);
  } catch {
    return; // capture switched off (SUITE_LOG_CAPTURE=off)
  }
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(SUITE_LOG_DIR, file), 'utf8');
    for (const match of text.matchAll(SECRET_SHAPE)) {
      const line = text.slice(text.lastIndexOf('\n', match.index) + 1, text.indexOf('\n', match.index));
      found.push(`${file}: ${line.replaceAll(SECRET_SHAPE, 'pf_<secret>').slice(0, 200)}`);
    }
  }
  if (found.length > 0) {
    // vitest reports an error thrown here but still exits 0: set the exit code as well.
    process.exitCode = 1;
    throw new Error(`secrets were written to the test logs (${found.length}):\n${found.join('\n')}`);
  }
}
