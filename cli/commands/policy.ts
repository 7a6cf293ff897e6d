import type { Command } from 'commander';
import { setPolicyFromFile, showPolicy } from '../../jobs/grades/index.js';
import { action, pathsOf } from '../program.js';

/**
 * `luca policy set --tenant T FILE` stores a new version of a tenant's grading
 * policy; `luca policy show --tenant T [--at DATE]` prints the version in force.
 */
export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description("a tenant's grading policy (versioned)");

  policy
    .command('set')
    .description('validate a policy file and store it as a new version (docs/policy-reference.md)')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .argument('<file>', 'policy JSON file')
    .action(
      action((file: string, options: { tenant: string }, cmd: Command) => {
        const summary = setPolicyFromFile(pathsOf(cmd), options.tenant, file);
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      }),
    );

  policy
    .command('show')
    .description('print the policy in force on a date (default today) and every stored version')
    .requiredOption('--tenant <tenant>', 'tenant id')
    .option('--at <date>', 'YYYY-MM-DD')
    .action(
      action((options: { tenant: string; at?: string }, cmd: Command) => {
        const shown = showPolicy(pathsOf(cmd), options.tenant, options.at);
        process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      }),
    );
}
