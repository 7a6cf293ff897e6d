import type { Command } from 'commander';
import {
  type Role,
  roles,
  TokenKeys,
  mintToken,
  tenantId as tenantIdSchema,
} from '../../core/index.js';
import { numberArg } from '../options.js';
import { action, pathsOf } from '../program.js';

/** `luca token`: prints a development token, and `luca token rotate` rotates the signing key. */
export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('print a development bearer token (ES256 JWT)')
    .requiredOption('--tenant <tenant>', 'tenant id, e.g. t-09dpr0001a')
    .requiredOption('--role <role>', `one of: ${roles.join(', ')}`)
    .option('--sub <subject>', 'subject id (student, teacher, guardian id...)')
    .option('--ttl <seconds>', 'lifetime in seconds', numberArg({ whole: true, min: 1 }), 43_200)
    .action(
      action(async (options: { tenant: string; role: string; sub?: string; ttl: number }, cmd) => {
        if (!roles.includes(options.role as Role)) {
          throw new Error(`--role must be one of: ${roles.join(', ')}`);
        }
        const tenant = tenantIdSchema.safeParse(options.tenant);
        if (!tenant.success) throw new Error('--tenant must be 2-63 of a-z 0-9 -');

        const keys = await TokenKeys.load(pathsOf(cmd).secrets);
        const subject = options.sub ?? `${options.role}-dev`;
        const jwt = await mintToken(keys, {
          tenantId: options.tenant,
          role: options.role as Role,
          subject,
          ttlSeconds: options.ttl,
        });
        process.stdout.write(`${jwt}\n`);
      }),
    );

  token
    .command('rotate')
    .description('add a new signing key and make it active (old keys keep verifying)')
    .action(
      action(async (_options, cmd) => {
        const keys = await TokenKeys.load(pathsOf(cmd).secrets);
        process.stdout.write(`${await keys.rotate()}\n`);
      }),
    );
}
