import { layoutHead, layoutText, noLayout } from '../../core/index.js';

/** A document as the publish job lays it out, with its layout filled in (or not). */
export function laidOutDoc(
  parts: { profile?: string; grades?: string; freshness?: string } = {},
  options: { stamp?: boolean } = {},
): string {
  const profile = parts.profile ?? '{"as_of":"2026-12-02","features":[],"mastery":[]}';
  const grades = parts.grades ?? '{"period_id":"2026-2027/P1","subjects":[]}';
  const freshness =
    parts.freshness ??
    '{"profile_as_of":"2026-12-03T06:00:00.000Z","grades_as_of":"2026-12-02T05:00:00.000Z"}';
  const head = `${layoutHead}${noLayout}","tenant_id":"t-1","student_id":"p_x","snapshot_version":"v7","published_at":"2026-12-03T07:00:00.000Z","profile":`;
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
