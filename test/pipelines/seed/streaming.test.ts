import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/index.js';
import {
  planSchool,
  runSeed,
  type SeedOptions,
  schoolBehaviour,
  schoolDaysBack,
} from '../../../pipelines/seed/index.js';
import { fixedAsOf, fixedNow, rosterOptions, tempDir } from './factories.js';

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function seedToFiles(seed: string) {
  const dataDir = tempDir();
  const out = join(dataDir, 'events.jsonl');
  const options: SeedOptions = {
    dataDir,
    out,
    seed,
    schools: 2,
    studentsPerSchool: 25,
    days: 3,
    asOf: fixedAsOf,
    now: fixedNow,
  };
  const summary = await runSeed(options);

  return {
    summary,
    events: digest(out),
    roster: digest(join(dataDir, 'seed', 'roster.jsonl')),
    evaluations: digest(join(dataDir, 'seed', 'evaluations.jsonl')),
  };
}

describe('runSeed determinism', () => {
  it('writes byte-identical roster, evaluations and events for the same seed', async () => {
    // Act
    const first = await seedToFiles('same');
    const second = await seedToFiles('same');

    // Assess
    expect(first.summary.events.total).toBeGreaterThan(500);
    expect(second.events).toBe(first.events);
    expect(second.roster).toBe(first.roster);
    expect(second.evaluations).toBe(first.evaluations);
  });

  it('keeps the roster and evaluations readable by the owner only', async () => {
    const dataDir = tempDir();
    await runSeed({
      dataDir,
      schools: 1,
      studentsPerSchool: 5,
      days: 1,
      asOf: fixedAsOf,
      now: fixedNow,
      events: false,
    });

    for (const file of ['roster.jsonl', 'evaluations.jsonl']) {
      expect(statSync(join(dataDir, 'seed', file)).mode & 0o777).toBe(0o600);
    }
  });

  it('writes different data for a different seed', async () => {
    const first = await seedToFiles('one');
    const second = await seedToFiles('two');

    expect(second.events).not.toBe(first.events);
    expect(second.roster).not.toBe(first.roster);
    expect(second.evaluations).not.toBe(first.evaluations);
  });
});

/** A full garbage collection, so heap samples count live objects only. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('schoolBehaviour streaming', () => {
  it('generates a million events without holding them', { timeout: 120_000 }, () => {
    // Prepare
    const days = schoolDaysBack(fixedAsOf, 20);
    const options = rosterOptions({ seed: 'stream', studentsPerSchool: 500 });
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let count = 0;

    // Act
    for (let index = 0; count < 1_000_000; index += 1) {
      const plan = planSchool(options, index);
      for (const _event of schoolBehaviour(plan, {
        seed: 'stream',
        days,
        cutoffMs: fixedNow.getTime(),
      })) {
        count += 1;
        if (count % 100_000 === 0) {
          collectGarbage();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      }
    }

    // Assess: held, these events would take about 360 MB of heap (363 bytes an event,
    // measured); streamed, only one school day of one school is alive at a time.
    const growthMb = (peak - baseline) / 1024 / 1024;
    expect(count).toBeGreaterThanOrEqual(1_000_000);
    expect(growthMb).toBeLessThan(60);
  });
});

describe('runSeed logging', () => {
  it('logs one summary object with counts and no names, CURPs or event bodies', async () => {
    // Prepare
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(line) } });
    const dataDir = tempDir();

    // Act
    const summary = await runSeed({
      dataDir,
      schools: 1,
      studentsPerSchool: 12,
      days: 2,
      asOf: fixedAsOf,
      now: fixedNow,
      out: join(dataDir, 'e.jsonl'),
      logger,
    });

    // Assess
    const roster = readFileSync(join(dataDir, 'seed', 'roster.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean);
    const student = roster
      .map((line) => JSON.parse(line))
      .find((entity) => entity.kind === 'student' && entity.curp);
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(lines).toHaveLength(1);
    expect(entry).toMatchObject({
      msg: 'seed finished',
      job: 'seed',
      students: 12,
      events_total: summary.events.total,
      rows_out: summary.events.total,
    });
    expect(lines[0]).not.toContain(student.curp);
    expect(lines[0]).not.toContain(student.name);
    expect(lines[0]).not.toContain('"payload"');
  });
});
