// `npx cdk synth` / `npx cdk deploy` (cdk.json). Settings: infra/config.ts; e.g. -c stageName=prod.
import { App } from 'aws-cdk-lib';
import { defineService } from './service';

defineService(new App());
