import { App } from 'aws-cdk-lib';
import { bundleEnrichment } from './enrichment-bundle.js';
import { LucaStack } from './luca-stack.js';

/**
 * The CDK app. With the CDK CLI (not a project dependency):
 * `npx cdk synth --app "npx tsx infra/app.ts"`. Tests synthesise the stack
 * through the library instead (test/infra/).
 */
const app = new App();
new LucaStack(app, 'LucaLakehouse', {
  enrichmentCode: bundleEnrichment().code,
  auditLockMode: app.node.tryGetContext('auditLockMode') ?? 'compliance',
  description: 'luca lakehouse: grades, behaviour profiles and audit',
});
app.synth();
