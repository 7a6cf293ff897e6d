import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { synthLucaStack } from '../../infra/index.js';
import { action } from '../program.js';

/** `luca infra synth`: synthesises the CDK stack offline and prints its resource counts. */
export function registerInfra(program: Command): void {
  const infra = program
    .command('infra')
    .description('the AWS CDK stack (offline, no AWS account needed)');

  infra
    .command('synth')
    .description('synthesise the stack in memory and print its resources by type')
    .option('--out <file>', 'also write the CloudFormation template as JSON to this file')
    .option('--json', 'print the summary as JSON')
    .action(
      action((options: { out?: string; json?: boolean }) => {
        const summary = synthLucaStack();
        if (options.out)
          writeFileSync(options.out, `${JSON.stringify(summary.template, null, 2)}\n`);
        const { template: _template, ...printable } = summary;
        if (options.json) {
          process.stdout.write(`${JSON.stringify(printable)}\n`);
          return;
        }
        const lines = Object.entries(summary.resourceCounts).map(
          ([type, count]) => `  ${String(count).padStart(3)}  ${type}`,
        );
        process.stdout.write(
          `stack ${summary.stack}: ${summary.resources} resources in ${summary.durationMs} ms\n${lines.join('\n')}\n`,
        );
        if (options.out) process.stdout.write(`template written to ${options.out}\n`);
      }),
    );
}
