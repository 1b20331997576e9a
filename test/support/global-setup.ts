// Starts AWS's DynamoDB Local once for the whole run; suites reach it through inject().
// Without Java (a developer machine) the DynamoDB Local variants are skipped with a message;
// in CI (CI=true) that is a failure, since CI must test both stores.
import type { TestProject } from 'vitest/node';
import { type DdbLocal, javaAvailable, startDdbLocal } from './ddb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    ddbLocalEndpoint: string | null;
  }
}

let server: DdbLocal | null = null;

export async function setup(project: TestProject) {
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
}
