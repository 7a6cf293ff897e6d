import { App } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { bundleEnrichment } from './enrichment-bundle.js';
import { LucaStack } from './luca-stack.js';

export interface SynthSummary {
  stack: string;
  /** CloudFormation resources by type, sorted by type. */
  resourceCounts: Record<string, number>;
  resources: number;
  template: Record<string, unknown>;
  durationMs: number;
}

/**
 * Synthesises the stack in memory, offline (no AWS account, no CDK CLI), with
 * the enrichment bundled by esbuild unless code is given.
 *
 * @example
 * const { resources, resourceCounts } = synthLucaStack();
 */
export function synthLucaStack(options: { enrichmentCode?: lambda.Code } = {}): SynthSummary {
  const started = performance.now();
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new LucaStack(app, 'LucaLakehouse', {
    enrichmentCode: options.enrichmentCode ?? bundleEnrichment().code,
  });
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string }>;
  };
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.Resources)) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  const resourceCounts = Object.fromEntries(
    Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)),
  );

  return {
    stack: stack.stackName,
    resourceCounts,
    resources: Object.values(counts).reduce((sum, n) => sum + n, 0),
    template,
    durationMs: Math.round(performance.now() - started),
  };
}
