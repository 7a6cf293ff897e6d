import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { contractJsonSchemas, repoRoot } from '../../core/index.js';
import { action } from '../program.js';

/** `luca contracts export`: regenerates `docs/schemas/` from the zod contracts. */
export function registerContracts(program: Command): void {
  program
    .command('contracts')
    .description('event contracts')
    .command('export')
    .description('write the JSON Schema of every event contract to docs/schemas/')
    .option('--out <dir>', 'output directory', join(repoRoot, 'docs', 'schemas'))
    .action(
      action((options: { out: string }) => {
        mkdirSync(options.out, { recursive: true });
        const documents = contractJsonSchemas();
        for (const [name, document] of Object.entries(documents)) {
          writeFileSync(join(options.out, name), `${JSON.stringify(document, null, 2)}\n`);
        }
        process.stdout.write(`wrote ${Object.keys(documents).length} schemas to ${options.out}\n`);
      }),
    );
}
