import type { Command } from 'commander';
import { createProgram } from './program.js';

type Register = (program: Command) => void;

/**
 * Each top-level command and the module that registers it. Only the module of
 * the command being run is loaded: a `luca land` does not pay for the CDK or
 * the AWS SDK, which keeps start-up short for the crash tests and for jobs.
 * A new command adds one line here.
 */
const commandModules: Readonly<Record<string, () => Promise<Register>>> = {
  token: async () => (await import('./commands/token.js')).registerToken,
  audit: async () => (await import('./commands/audit.js')).registerAudit,
  contracts: async () => (await import('./commands/contracts.js')).registerContracts,
  demo: async () => (await import('./commands/demo.js')).registerDemo,
  serve: async () => (await import('./commands/serve.js')).registerServe,
  land: async () => (await import('./commands/land.js')).registerLand,
  seed: async () => (await import('./commands/seed.js')).registerSeed,
  govsim: async () => (await import('./commands/govsim.js')).registerGovsim,
  cutoff: async () => (await import('./commands/cutoff.js')).registerCutoff,
  sync: async () => (await import('./commands/sync.js')).registerSync,
  policy: async () => (await import('./commands/policy.js')).registerPolicy,
  grades: async () => (await import('./commands/grades.js')).registerGrades,
  jobs: async () => (await import('./commands/jobs.js')).registerJobs,
  infra: async () => (await import('./commands/infra.js')).registerInfra,
  roster: async () => (await import('./commands/roster.js')).registerRoster,
  evaluations: async () => (await import('./commands/evaluations.js')).registerEvaluations,
  erase: async () => (await import('./commands/erase.js')).registerErase,
};

/** The first word of argv that is not a global option (or its value). */
function requestedCommand(args: readonly string[]): string | undefined {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--data-dir') {
      index++;
      continue;
    }
    if (!arg.startsWith('-')) return arg;
  }

  return undefined;
}

const program = createProgram();
const requested = requestedCommand(process.argv.slice(2));
const load = requested ? commandModules[requested] : undefined;
const loaders = load ? [load] : Object.values(commandModules);
for (const register of await Promise.all(loaders.map((loader) => loader()))) {
  register(program);
}

await program.parseAsync(process.argv);
