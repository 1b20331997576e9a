// Synthesizes the service exactly as `cdk synth` does (infra/service.ts, cdk.json's feature flags,
// cdk-nag), into a fresh folder under TMPDIR. Bundling is skipped unless a test needs the real bundle.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ServiceConfig } from '../../infra/config';
import { defineService } from '../../infra/service';
import type { ParkingFinderStack } from '../../infra/stack';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

const outdirs: string[] = [];

/** Removes the cloud assemblies this file's tests wrote (a bundled one is ~6 MB). */
export function removeSynthOutputs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Synthesized {
  stack: ParkingFinderStack;
  template: Template;
  outdir: string;
  /** Violations cdk-nag reported (acknowledged ones are not listed). */
  violations: { ruleName: string; severity: string; paths: string[] }[];
}

export function synthService(
  options: { bundle?: boolean; config?: Partial<ServiceConfig>; context?: Record<string, unknown> } = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-test-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    context: {
      ...cdkJson.context,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stack = defineService(app, options.config);
  const assembly = app.synth(); // runs the cdk-nag plugin; an unacknowledged error throws here
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: {
      violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
    }[];
  };
  return {
    stack,
    template: Template.fromJSON(assembly.getStackByName(stack.stackName).template),
    outdir,
    violations: report.pluginReports.flatMap((r) =>
      r.violations.map((v) => ({
        ruleName: v.ruleName,
        severity: v.severity,
        paths: v.violatingConstructs.map((c) => c.constructPath),
      })),
    ),
  };
}
