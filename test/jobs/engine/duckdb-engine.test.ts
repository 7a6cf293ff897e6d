import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawPartitionDir } from '../../../core/index.js';
import {
  DuckDbEngine,
  duckdbRawRelations,
  engineMacros,
  renderSql,
  sqlString,
} from '../../../jobs/engine/index.js';

describe('renderSql', () => {
  it('replaces every placeholder with its value', () => {
    const sql = renderSql('select {{ a }} + {{b}} as x', { a: 1, b: 2 });

    expect(sql).toBe('select 1 + 2 as x');
  });

  it('refuses to render a template with a placeholder that has no value', () => {
    expect(() => renderSql('select * from {{ raw_grade }}', {})).toThrow(/raw_grade/);
  });

  it('quotes string literals', () => {
    expect(sqlString("o'clock")).toBe("'o''clock'");
  });
});

describe('DuckDbEngine over the lake', () => {
  let engine: DuckDbEngine;
  let lake: string;

  beforeEach(async () => {
    engine = await DuckDbEngine.open({ threads: 1 });
    lake = mkdtempSync(join(tmpdir(), 'luca-engine-'));
  });
  afterEach(async () => {
    await engine.close();
  });

  it('reads an empty family as an empty relation with the raw columns', async () => {
    const vars = { ...duckdbRawRelations(lake), ...engineMacros.duckdb };

    const rows = await engine.query(renderSql('select count(*) as n from {{ raw_audit }}', vars));

    expect(rows).toEqual([{ n: '0' }]);
  });

  it('reads Hive partitions as tenant_id and event_date columns', async () => {
    const dir = rawPartitionDir(lake, 'behaviour', 't-one', '2026-09-01');
    mkdirSync(dir, { recursive: true });
    await engine.run(`copy (
        select 'e1' as event_id, '{"topic_id":"fr"}' as payload
    ) to ${sqlString(join(dir, 'part-1-1.parquet'))} (format parquet)`);
    const vars = { ...duckdbRawRelations(lake), ...engineMacros.duckdb };

    const rows = await engine.query(
      renderSql(
        `select tenant_id, cast(event_date as varchar) as event_date,
            {{ json_text }}(payload, '$.topic_id') as topic_id
        from {{ raw_behaviour }}`,
        vars,
      ),
    );

    expect(rows).toEqual([{ tenant_id: 't-one', event_date: '2026-09-01', topic_id: 'fr' }]);
  });
});
