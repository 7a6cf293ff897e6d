import { join } from 'node:path';
import type { Command } from 'commander';
import { type DataPaths, ensureDataPaths, tenantId as tenantIdSchema } from '../../core/index.js';
import {
  importRosterFile,
  openLocalGradesStore,
  publicRosterView,
  type RosterImportSummary,
} from '../../jobs/grades/store/index.js';
import { action, pathsOf } from '../program.js';

/** `<data-dir>/seed/roster.jsonl`, where `luca seed` writes the roster. */
export function defaultRosterFile(paths: DataPaths): string {
  return join(paths.root, 'seed', 'roster.jsonl');
}

/**
 * Imports a roster file into the local grades store (upsert by tenant, kind, id).
 *
 * @example
 * const summary = await runRosterImport({ dataDir: '.luca' });
 */
export async function runRosterImport(options: {
  dataDir?: string;
  file?: string;
}): Promise<RosterImportSummary & { file: string; store: string }> {
  const paths = ensureDataPaths(options.dataDir);
  const file = options.file ?? defaultRosterFile(paths);
  const store = openLocalGradesStore(paths);
  try {
    const summary = await importRosterFile(store, file);

    return { ...summary, file, store: join(paths.state, 'grades.db') };
  } finally {
    await store.close();
  }
}

/**
 * Writes the roster as JSON lines without names or CURPs: ids and relationships
 * only (a student shows `has_curp`). Returns the number of lines written.
 */
export async function runRosterList(options: {
  dataDir?: string;
  tenantId?: string;
  write: (line: string) => void;
}): Promise<number> {
  const store = openLocalGradesStore(ensureDataPaths(options.dataDir));
  let lines = 0;
  try {
    for await (const record of store.listRoster(options.tenantId)) {
      const view = publicRosterView(record);
      if (!view) continue;
      options.write(`${JSON.stringify(view)}\n`);
      lines += 1;
    }
  } finally {
    await store.close();
  }

  return lines;
}

/** `luca roster import|list`. */
export function registerRoster(program: Command): void {
  const roster = program.command('roster').description('the roster in the local grades store');

  roster
    .command('import [file]')
    .description('import roster JSON lines (default: <data-dir>/seed/roster.jsonl)')
    .action(
      action(async (file: string | undefined, _options, cmd: Command) => {
        const paths = pathsOf(cmd);
        const summary = await runRosterImport({ dataDir: paths.root, file });
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        if (summary.rejected.length > 0) process.exitCode = 2;
      }),
    );

  roster
    .command('list')
    .description('print schools, groups, teachers, guardians and students (no names, no CURPs)')
    .option('--tenant <tenant>', 'only this tenant')
    .action(
      action(async (options: { tenant?: string }, cmd: Command) => {
        if (options.tenant !== undefined && !tenantIdSchema.safeParse(options.tenant).success) {
          throw new Error('--tenant must be 2-63 of a-z 0-9 -');
        }
        const paths = pathsOf(cmd);
        // `luca roster list | head` closes the pipe early: that is not an error.
        process.stdout.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'EPIPE') process.exit(0);
        });
        await runRosterList({
          dataDir: paths.root,
          tenantId: options.tenant,
          write: (line) => process.stdout.write(line),
        });
      }),
    );
}
