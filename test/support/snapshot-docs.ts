import { layoutHead, layoutText, noLayout } from '../../core/index.js';

/** The members a published document carries before `profile`. */
export interface DocumentHead {
  tenant_id: string;
  student_id: string;
  snapshot_version: string;
  published_at: string;
}

const defaultHead: DocumentHead = {
  tenant_id: 't-1',
  student_id: 'p_x',
  snapshot_version: 'v7',
  published_at: '2026-12-03T07:00:00.000Z',
};

/**
 * A document as the publish job lays it out (`jobs/publish/document.ts`):
 * the members in its order, compact JSON, the layout filled in (or not).
 */
export function laidOutDoc(
  parts: { profile?: string; grades?: string; freshness?: string } = {},
  options: { stamp?: boolean; head?: DocumentHead } = {},
): string {
  const profile = parts.profile ?? '{"as_of":"2026-12-02","features":[],"mastery":[]}';
  const grades = parts.grades ?? '{"period_id":"2026-2027/P1","subjects":[]}';
  const freshness =
    parts.freshness ??
    '{"profile_as_of":"2026-12-03T06:00:00.000Z","grades_as_of":"2026-12-02T05:00:00.000Z"}';
  const { tenant_id, student_id, snapshot_version, published_at } = options.head ?? defaultHead;
  const head =
    `${layoutHead}${noLayout}","tenant_id":${JSON.stringify(tenant_id)},"student_id":${JSON.stringify(student_id)}` +
    `,"snapshot_version":${JSON.stringify(snapshot_version)},"published_at":${JSON.stringify(published_at)},"profile":`;
  const p0 = head.length;
  const p1 = p0 + profile.length;
  const g0 = p1 + ',"grades":'.length;
  const g1 = g0 + grades.length;
  const f0 = g1 + ',"freshness":'.length;
  const f1 = f0 + freshness.length;
  const doc = `${head}${profile},"grades":${grades},"freshness":${freshness}}`;
  const layout = layoutText([p0, p1, g0, g1, f0, f1]) as string;

  return options.stamp === false ? doc : doc.replace(noLayout, layout);
}
