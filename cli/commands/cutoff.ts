import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createLogger, type DataPaths, loadPseudonymizer } from '../../core/index.js';
import {
  createCutoff,
  jsonlRoster,
  lakeConsolidatedGrades,
  listManifests,
  studentStoreRoster,
} from '../../jobs/cutoff/index.js';
import { gradesStorePath, openLocalGradesStore } from '../../jobs/grades/store/index.js';
import { cutoffStates } from '../../jobs/sync/index.js';
import { action, pathsOf } from '../program.js';

interface CreateOptions {
  tenant: string;
  period: string;
  roster?: string;
  by?: string;
}

/**
 * The roster to freeze from: `--roster <file>` when given, else the local
 * roster store when it exists, else `<data-dir>/seed/roster.jsonl`.
 */
function rosterSource(paths: DataPaths, file: string | undefined) {
  if (file || !existsSync(gradesStorePath(paths))) {
    return {
      roster: jsonlRoster(file ?? join(paths.root, 'seed', 'roster.jsonl')),
      close: async () => {},
    };
  }
  const store = openLocalGradesStore(paths);

  return { roster: studentStoreRoster(store), close: () => store.close() };
}

/** `luca cutoff create` and `luca cutoff list`. */
export function registerCutoff(program: Command): void {
  const cutoff = program.command('cutoff').description('freeze and list quarterly cutoffs');

  cutoff
    .command('create')
    .description("freeze a period's consolidated grades into a new cutoff version; prints its id")
    .requiredOption('--tenant <tenant>', 'tenant id, e.g. t-09dpr0001a')
    .requiredOption('--period <period>', 'period, e.g. 2026-2027/P1')
    .option(
      '--roster <file>',
      'roster JSON lines (default: the roster store, else seed/roster.jsonl)',
    )
    .option('--by <operator>', 'who freezes it (an operator id)', process.env.USER ?? 'cli')
    .action(
      action(async (options: CreateOptions, cmd) => {
        const paths = pathsOf(cmd);
        const source = rosterSource(paths, options.roster);
        const manifest = await createCutoff({
          lakeRoot: paths.lake,
          tenantId: options.tenant,
          periodId: options.period,
          roster: source.roster,
          grades: lakeConsolidatedGrades(paths.lake),
          pseudonymizer: loadPseudonymizer(paths.secrets),
          createdBy: options.by ?? 'cli',
          logger: createLogger({ base: { job: 'cutoff' }, destination: process.stderr }),
        }).finally(() => source.close());
        const { totals, diff } = manifest;
        process.stderr.write(
          `records ${totals.records}, students ${totals.students} (${totals.students_unsendable} unsendable)` +
            `${diff ? `, diff: +${diff.added} -${diff.removed} ~${diff.changed}` : ''}\n`,
        );
        process.stdout.write(`${manifest.cutoff_id}\n`);
      }),
    );

  cutoff
    .command('list')
    .description('print cutoffs as JSON lines (id, tenant, period, version, counts, state)')
    .option('--tenant <tenant>', 'only this tenant')
    .action(
      action(async (options: { tenant?: string }, cmd) => {
        const paths = pathsOf(cmd);
        const manifests = listManifests(paths.lake, options.tenant);
        const states = await cutoffStates(paths.state, manifests);
        for (const manifest of manifests) {
          const line = {
            id: manifest.cutoff_id,
            tenant: manifest.tenant_id,
            period: manifest.period_id,
            version: manifest.version,
            created_at: manifest.created_at,
            counts: {
              records: manifest.totals.records,
              students: manifest.totals.students,
              unsendable: manifest.totals.students_unsendable,
            },
            state: states.get(manifest.cutoff_id),
          };
          process.stdout.write(`${JSON.stringify(line)}\n`);
        }
      }),
    );
}
