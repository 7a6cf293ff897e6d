import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { curatedDir, schoolPeriods } from '../../core/index.js';
import { type DuckDbEngine, loadModel, sqlString } from '../engine/index.js';
import { studentFeaturesDataset, studentFeaturesDir } from '../features/index.js';
import { type ProfileTable, readProfileTable } from './profile-table.js';

export interface GradesRow {
  student_id: string;
  period_id: string;
  computed_at: string;
  subjects_json: string;
  general_average: number | null;
  [column: string]: unknown;
}

/** The newest `snapshot_date` with features for the tenant, or null. */
export function latestFeaturesDate(lakeRoot: string, tenantId: string): string | null {
  const root = curatedDir(lakeRoot, studentFeaturesDataset);
  if (!existsSync(root)) return null;
  const dates = readdirSync(root)
    .filter((name) => name.startsWith('snapshot_date='))
    .map((name) => name.slice('snapshot_date='.length))
    .filter((date) => existsSync(studentFeaturesDir(lakeRoot, date, tenantId)))
    .sort();

  return dates.at(-1) ?? null;
}

function parquetGlob(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const hasFiles = readdirSync(dir).some((name) => name.endsWith('.parquet'));

  return hasFiles ? `read_parquet(${sqlString(join(dir, '*.parquet'))})` : null;
}

/** When the features of a day were written (mtime of the tenant's folder). */
export function featuresWrittenAt(lakeRoot: string, asOf: string, tenantId: string): Date {
  return statSync(studentFeaturesDir(lakeRoot, asOf, tenantId)).mtime;
}

/** Reads the tenant's feature rows of one day; null when that day has none. */
export async function readProfiles(
  engine: DuckDbEngine,
  lakeRoot: string,
  tenantId: string,
  asOf: string,
): Promise<ProfileTable | null> {
  const relation = parquetGlob(studentFeaturesDir(lakeRoot, asOf, tenantId));

  return relation ? readProfileTable(engine, relation) : null;
}

/**
 * The consolidated-grades folders of the current period: the latest period
 * that started on or before `date` and has grades (so the closing weeks of a
 * period keep showing it until the next one has grades).
 */
export function currentGradesDirs(lakeRoot: string, tenantId: string, date: string) {
  const started = schoolPeriods.filter((period) => period.starts_on <= date).reverse();
  for (const period of started) {
    const partition = [`tenant_id=${tenantId}`, `period_key=${period.period_key}`];
    const grades = join(curatedDir(lakeRoot, 'consolidated_grades'), ...partition);
    if (parquetGlob(grades)) {
      const averages = join(curatedDir(lakeRoot, 'general_averages'), ...partition);

      return { period_id: period.period_id, grades, averages };
    }
  }

  return null;
}

const noAverages =
  '(select cast(null as varchar) as student_id, cast(null as double) as general_average where false)';

/** Reads the current period's grades per student; null when none were computed. */
export async function readGrades(
  engine: DuckDbEngine,
  lakeRoot: string,
  tenantId: string,
  date: string,
): Promise<{ period_id: string; rows: GradesRow[] } | null> {
  const dirs = currentGradesDirs(lakeRoot, tenantId, date);
  const grades = dirs ? parquetGlob(dirs.grades) : null;
  if (!dirs || !grades) return null;
  const sql = loadModel('features/pub_student_grades.sql', {
    consolidated_grades: grades,
    general_averages: parquetGlob(dirs.averages) ?? noAverages,
  });

  return { period_id: dirs.period_id, rows: await engine.query<GradesRow>(sql) };
}
