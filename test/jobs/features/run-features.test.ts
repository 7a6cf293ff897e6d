import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineMacros, renderSql } from '../../../jobs/engine/index.js';
import { sqlPath } from '../../../core/index.js';
import {
  athenaFeatureRelation,
  featureModels,
  featureVars,
  runFeatures,
} from '../../../jobs/features/index.js';
import {
  events,
  featuresFor,
  local,
  stagingModelForTests,
  tempLake,
  writeRawEvents,
} from './lake-fixture.js';

const asOf = '2026-10-15';

describe('runFeatures', () => {
  it('gives the same rows when the same day is recomputed', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [
      events.quiz('s1', local('2026-10-14', '10:00'), true),
      events.video('s2', local('2026-10-01', '10:00'), 50, 60),
    ]);
    const first = await featuresFor(lake, 't-a', asOf);

    // Act
    const second = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect([...second.rows.entries()]).toEqual([...first.rows.entries()]);
    expect(first.rows.size).toBeGreaterThan(20);
  });

  it('counts a late-arriving event on recompute, and never one after as_of', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [events.lesson('s1', local('2026-10-14', '10:00'), 600)]);
    const before = await featuresFor(lake, 't-a', asOf);
    await writeRawEvents(lake, 't-a', [
      {
        ...events.lesson('s1', local('2026-10-13', '10:00'), 600),
        receivedAt: local('2026-10-17', '08:00'),
      },
      events.lesson('s1', local('2026-10-16', '00:00'), 600),
    ]);

    // Act
    const after = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(before.value('s1/engagement_minutes_7d')).toBe(10);
    expect(after.value('s1/engagement_minutes_7d')).toBe(20);
    expect(after.value('s1/active_days_7d')).toBe(2);
    expect(after.summary.tenants[0]?.rows_in).toBe(3);
  });

  it('writes each tenant to its own folder with only its own students', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [events.session('a1', local('2026-10-14', '10:00'))]);
    await writeRawEvents(lake, 't-b', [events.session('b1', local('2026-10-14', '10:00'))]);

    // Act
    const stagingModelPath = stagingModelForTests();
    const summary = await runFeatures({ lakeRoot: lake, asOf, threads: 1, stagingModelPath });

    // Assess
    expect(summary.tenants.map((tenant) => tenant.tenant_id)).toEqual(['t-a', 't-b']);
    const dirs = readdirSync(`${lake}/curated/student_features/snapshot_date=${asOf}`).sort();
    expect(dirs).toEqual(['tenant_id=t-a', 'tenant_id=t-b']);
    const tenantA = await featuresFor(lake, 't-a', asOf);
    expect([...tenantA.rows.keys()].every((key) => key.startsWith('a1/'))).toBe(true);
    expect(summary.rows_out).toBe(2 * tenantA.rows.size);
    expect(summary.bytes_read).toBeGreaterThan(0);
  });

  it('rejects a malformed as_of date and tenant id with their codes', async () => {
    // Prepare
    const lake = tempLake();

    // Act
    const badDate = runFeatures({ lakeRoot: lake, asOf: '15/10/2026' });
    const badTenant = runFeatures({ lakeRoot: lake, asOf, tenants: ['../etc'] });

    // Assess
    await expect(badDate).rejects.toMatchObject({ code: 'FEATURES_ERR_INVALID_AS_OF' });
    await expect(badTenant).rejects.toMatchObject({ code: 'FEATURES_ERR_INVALID_TENANT' });
  });

  it('reports an empty summary for a tenant with no events in the lookback', async () => {
    // Prepare
    const lake = tempLake();
    await writeRawEvents(lake, 't-a', [events.session('s1', local('2026-08-01', '10:00'))]);

    // Act
    const { summary, rows } = await featuresFor(lake, 't-a', asOf);

    // Assess
    expect(summary.tenants[0]).toMatchObject({ rows_in: 0, rows_out: 0, output: null });
    expect(rows.size).toBe(0);
  });
});

describe('feature models on athena', () => {
  it('render with every placeholder filled and no duckdb-only function names', () => {
    // Prepare
    const vars: Record<string, string | number> = { ...engineMacros.athena, ...featureVars(asOf) };
    vars.raw_behaviour = athenaFeatureRelation('t-a', asOf);
    vars.stg_events__behaviour = 'stg_events__behaviour';
    for (const model of featureModels) vars[model.name] = model.name;

    // Act
    const rendered = featureModels.map((model) =>
      renderSql(readFileSync(sqlPath(model.file), 'utf8'), vars),
    );

    // Assess
    for (const sql of rendered) expect(sql).not.toMatch(/json_extract_string|exclude|::/);
    expect(rendered[0]).toContain("json_extract_scalar(payload, '$.topic_id')");
    expect(vars.raw_behaviour).toContain(
      "event_date between date '2026-09-16' and date '2026-10-16'",
    );
  });
});
