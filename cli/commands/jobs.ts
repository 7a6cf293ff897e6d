import type { Command } from 'commander';
import { registerCompactJob } from './jobs-compact.js';
import { registerFeaturesJob } from './jobs-features.js';
import { registerGradesJob } from './jobs-grades.js';
import { registerPublishJob, registerRealtimeJob } from './jobs-publish.js';
import { registerRetentionJob } from './jobs-retention.js';

/**
 * `luca jobs <name>`: the scheduled jobs, run once by hand. Each job lives in
 * its own `jobs-<name>.ts` exporting `register<Name>Job(jobs)`; adding one is
 * one import and one line in `jobSubcommands`.
 */
const jobSubcommands: ReadonlyArray<(jobs: Command) => void> = [
  registerGradesJob,
  registerFeaturesJob,
  registerPublishJob,
  registerRealtimeJob,
  registerRetentionJob,
  registerCompactJob,
];

export function registerJobs(program: Command): Command {
  const jobs = program.command('jobs').description('run a scheduled job once');
  for (const register of jobSubcommands) register(jobs);

  return jobs;
}
