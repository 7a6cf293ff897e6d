import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LucaStack } from '../../infra/index.js';

/** Synthesises the stack once per test file, offline, with stand-in Lambda code. */
export function synthTemplate(): Template {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new LucaStack(app, 'LucaTest', {
    enrichmentCode: lambda.Code.fromInline('export const handler = async () => [];'),
    env: { account: '111122223333', region: 'us-east-1' },
  });

  return Template.fromStack(stack);
}

/** CloudFormation JSON as the assertions walk it (shapes vary per resource type). */
// biome-ignore lint/suspicious/noExplicitAny: template JSON is untyped by nature
export type CfnJson = Record<string, any>;

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Resources of a type, as plain objects. */
export function resourcesOf(template: Template, type: string): Record<string, unknown>[] {
  const resources = template.toJSON().Resources as Resources;

  return Object.values(resources)
    .filter((resource) => resource.Type === type)
    .map((resource) => resource.Properties ?? {});
}
