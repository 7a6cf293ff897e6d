import { countStagedEvents, runLand } from '../../../pipelines/index.js';
import { runSeed } from '../../../pipelines/seed/index.js';
import { startLocalServer } from '../../../serving/index.js';
import { count, type DemoContext, type DemoStage } from '../context.js';

/** Sample schools generated and their behaviour events posted to the real ingest API. */
export const ingestStage: DemoStage = {
  title: 'Seed sample schools and post behaviour events through POST /v1/events',
  async run(context: DemoContext) {
    const { paths, logger } = context;
    const server = await startLocalServer({ paths, logger, port: 0, isLanding: false });
    const seed = await (async () => {
      try {
        return await runSeed({
          dataDir: paths.root,
          schools: 3,
          studentsPerSchool: 40,
          days: 15,
          url: server.url,
          logger,
        });
      } finally {
        await server.close();
      }
    })();
    context.shared.seed = seed;
    context.say(
      `   ${seed.schools} schools (${seed.tenants.join(', ')}), ${seed.groups} groups, ` +
        `${seed.teachers} teachers, ${count(seed.students)} students ` +
        `(CURP valid ${seed.curps.valid}, invalid ${seed.curps.invalid}, missing ${seed.curps.missing})`,
    );
    context.say(
      `   ${count(seed.events.total)} events over ${seed.school_days.length} school days to ` +
        `${seed.sink.target}: ${count(seed.sink.accepted)} acknowledged (202 after fsync), ` +
        `${seed.sink.retries} retried after 429/503, ${seed.sink.rejected} rejected`,
    );
    context.say(`   ${count(seed.evaluations)} evaluations written for the grades store`);
  },
};

/** The landing buffer drained into Hive-partitioned Parquet and read back by the staging SQL. */
export const landStage: DemoStage = {
  title: 'Land the buffer into the lake (Parquet written by DuckDB)',
  async run(context: DemoContext) {
    const { paths, logger } = context;
    const land = await runLand({ paths, logger });
    context.say(
      `   ${count(land.rowsIn)} rows in, ${count(land.rowsOut)} out, ${land.files} files in ` +
        `${land.partitions} partitions under ${land.lakeRoot}/raw/`,
    );
    const staged = await countStagedEvents(paths.lake);
    for (const [family, figures] of Object.entries(staged)) {
      context.say(
        `   staging view ${family}: ${count(figures.staged)} events (raw ${count(figures.raw)})`,
      );
    }
  },
};
