// The service as a CDK app: the stack for the configured stage, tags, and cdk-nag's AwsSolutions
// checks as a policy-validation plugin (an unacknowledged error fails synth). infra/app.ts runs this
// for `cdk synth`/`cdk deploy`; the infra tests run the very same thing.
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig, type ServiceConfig } from './config';
import { ParkingFinderStack } from './stack';

export function defineService(app: App, overrides: Partial<ServiceConfig> = {}): ParkingFinderStack {
  const config = readConfig((key) => app.node.tryGetContext(key), overrides);
  // No `env`: the stack is environment-agnostic, so synth needs no credentials; deploy picks the
  // account and region of the caller's profile.
  const stack = new ParkingFinderStack(app, `parking-finder-${config.stageName}`, {
    config,
    description: `Parking finder (${config.stageName}): nearby parking, sensor ingestion, utilization reports`,
  });
  Tags.of(stack).add('service', 'parking-finder');
  Tags.of(stack).add('stage', config.stageName);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
