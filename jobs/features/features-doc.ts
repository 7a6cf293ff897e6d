import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../core/index.js';
import {
  disengagementRule,
  featureCatalogue,
  lookbackDays,
  masteryPrior,
  schoolTime,
} from './catalogue.js';

/** Where the generated catalogue page lives. */
export const featuresDocPath = join(repoRoot, 'docs', 'features.md');

const intro = `# Feature catalogue

<!-- Generated from jobs/features/catalogue.ts by
     \`npx tsx jobs/features/features-doc.ts\`; a test keeps them equal. -->

The batch features of the student behaviour profile, computed by
\`luca jobs features\` (SQL under \`sql/features/\`) and written to
\`lake/curated/student_features/snapshot_date=<as_of>/tenant_id=<t>/\`. The design
(batch and real-time paths, explanations, privacy) is in [profile.md](profile.md).

## Time

- **as_of** is a school-local calendar date: the last day whose events count.
  An event counts when \`occurred_at\` (UTC) falls before 00:00 school time of
  the day after as_of. Late events (landed after a run) count when the day is
  recomputed; events after as_of never do.
- **School time** is ${schoolTime.zone}, a fixed UTC${schoolTime.utc_offset_hours}
  (no daylight saving since 2022), applied in SQL as a fixed offset so the same
  model runs on Athena.
- **A window of N days** covers the local dates as_of - (N - 1) to as_of.
- **Lookback**: a run reads ${lookbackDays} local days of events (the raw
  partitions of UTC dates as_of - ${lookbackDays - 1} to as_of + 1) and no more.
- **School days** are Monday to Friday; holidays are not known to the model.
`;

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function featureTable(): string {
  const header = [
    '| id | meaning | window (days) | unit | model | version |',
    '|---|---|---|---|---|---|',
  ];
  const rows = featureCatalogue.map((entry) =>
    [
      `\`${entry.id}\``,
      escapeCell(entry.description),
      String(entry.window_days),
      entry.unit,
      `\`sql/${entry.model}\``,
      String(entry.version),
    ].join(' | '),
  );

  return ['## Features', '', ...header, ...rows.map((row) => `| ${row} |`), ''].join('\n');
}

function ruleSection(): string {
  const clauses = disengagementRule.clauses.map((clause) => {
    const conditions = clause.conditions
      .map((condition) => `\`${condition.feature_id} ${condition.op} ${condition.threshold}\``)
      .join(' AND ');

    return `- \`${clause.clause_id}\`: ${clause.description} (${conditions})`;
  });

  return [
    `## Disengagement rule (\`${disengagementRule.rule_id}\` v${disengagementRule.version})`,
    '',
    'The flag is raised when ANY clause holds; a clause holds when ALL its',
    'conditions hold. A condition on an empty feature does not hold. The',
    "snapshot lists each raising clause's features, their values, the operator",
    'and the threshold.',
    '',
    ...clauses,
    '',
    `Mastery prior: Beta(${masteryPrior.alpha}, ${masteryPrior.beta}), value =`,
    `(correct + ${masteryPrior.alpha}) / (answers + ${masteryPrior.alpha + masteryPrior.beta}).`,
    '',
  ].join('\n');
}

const rowSchema = `## Output rows

One row per student, feature (and topic, for \`mastery\`):

| column | meaning |
|---|---|
| \`student_id\` | the tenant's pseudonym of the student |
| \`feature_id\`, \`topic_id\` | the feature; \`topic_id\` only for mastery |
| \`value\` | DOUBLE; null when the window holds nothing to divide by |
| \`unit\`, \`window_days\`, \`window_start\`, \`window_end\` | from the catalogue; window_end = as_of |
| \`event_count\` | the events behind the value |
| \`detail\` | mastery: correct answers; disengagement: the clauses that hold |
| \`model\`, \`version\` | the SQL model and the feature's version |
| \`as_of\` | the as_of date |

\`tenant_id\` and \`snapshot_date\` are the partition folders.

## Limitations

- Students with no event in the ${lookbackDays}-day lookback have no rows; the
  publisher gives them a profile with the disengagement flag raised for
  inactivity when it knows them from grades or the roster.
- The streak is capped at the school days inside the lookback (at most 22).
- School holidays count as school days, so a holiday week raises
  \`inactive_school_week\` for everyone; the school calendar is not joined yet.
- Mastery and accuracy use the last ${lookbackDays} days only, not the whole period.
`;

/** The whole of docs/features.md, generated from the catalogue. */
export function renderFeaturesDoc(): string {
  return [intro, featureTable(), ruleSection(), rowSchema].join('\n');
}

/** Rewrites docs/features.md from the catalogue. */
export function writeFeaturesDoc(): void {
  writeFileSync(featuresDocPath, renderFeaturesDoc());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFeaturesDoc();
}
