/**
 * Snapshot documents as the publish job writes them, for the serving bench to
 * copy under its own students: the demo's first stages (seed through the
 * ingest API, grades store, landing, grades job, features and publish) run on
 * a throwaway data directory, and the documents they publish are read back.
 * Each one is then re-headed for a bench student, its layout moved with it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { layoutHead, layoutText, noLayout, readLayout } from '../../core/index.js';
import { createDemoContext, runStages, stagesUpToPublish } from '../../cli/demo/index.js';

/** A published document split where the bench changes it: the head, and the rest as is. */
export interface DocumentTemplate {
  /** Everything from `,"profile":` to the end. */
  readonly body: string;
  /** Offsets of the layout, relative to the start of `body`. */
  readonly offsets: readonly number[];
}

async function publishedDocuments(redis: Redis, prefix: string): Promise<string[]> {
  const docs: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*:snap:*`, 'COUNT', 1000);
    cursor = next;
    const values = keys.length > 0 ? await redis.mget(...keys) : [];
    for (const value of values) if (value?.startsWith(layoutHead)) docs.push(value);
  } while (cursor !== '0');

  return docs;
}

function templateOf(doc: string): DocumentTemplate | undefined {
  const layout = readLayout(doc);
  if (!layout) return undefined;
  const cut = layout.profile.start - ',"profile":'.length;
  const { profile, grades, freshness } = layout;
  const spans = [profile, grades, freshness].flatMap((span) => [span.start, span.end]);

  return { body: doc.slice(cut), offsets: spans.map((offset) => offset - cut) };
}

/**
 * Runs the demo's pipeline up to publishing on a temporary data directory and
 * returns its documents as templates (about 120 students of 3 schools,
 * 9-14 KB each). Its Redis keys and files are removed before it returns.
 */
export async function realDocumentTemplates(redisUrl: string): Promise<DocumentTemplate[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'luca-bench-docs-'));
  const redis = new Redis(redisUrl);
  const demoRedis = { url: redisUrl, isPrivate: false, stop: async () => undefined };
  const context = { ...createDemoContext(dataDir, demoRedis), say: () => undefined };
  try {
    await runStages(context, stagesUpToPublish);
    const docs = await publishedDocuments(redis, context.redisPrefix);

    return docs.flatMap((doc) => templateOf(doc) ?? []);
  } finally {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${context.redisPrefix}*`);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A template's document for one student of one tenant under one version,
 * with its layout shifted by the new head's length.
 */
export function documentFor(
  template: DocumentTemplate,
  head: { tenantId: string; studentId: string; version: string; publishedAt: string },
): string {
  const text =
    `${layoutHead}${noLayout}","tenant_id":${JSON.stringify(head.tenantId)}` +
    `,"student_id":${JSON.stringify(head.studentId)}` +
    `,"snapshot_version":${JSON.stringify(head.version)}` +
    `,"published_at":${JSON.stringify(head.publishedAt)}`;
  const layout = layoutText(template.offsets.map((offset) => offset + text.length));

  return `${text.replace(noLayout, layout ?? noLayout)}${template.body}`;
}
