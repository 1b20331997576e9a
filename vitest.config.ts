import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// CDK synth in tests writes cdk.out folders into TMPDIR: keep them in an ignored folder.
const tmp = resolve('.tmp');
mkdirSync(tmp, { recursive: true });

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Copies what every test file writes to .tmp/suite-logs/, searched for secrets at the end.
    setupFiles: ['test/support/log-capture.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TMPDIR: tmp, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
