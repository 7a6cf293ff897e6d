import { renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  erasedStudents,
  erasureRegisterFile,
  fileSignature,
  fsyncPath,
  isLucaError,
} from '../../core/index.js';
import { compactionErrors } from './errors.js';
import { compactedFileName, tempFileName } from './file-names.js';
import {
  pendingRecovery,
  type Recovery,
  recoverPartition,
  removeManifest,
  writeManifest,
} from './manifest.js';
import { rowsNaming, rowsOf, writeCompacted } from './partition-sql.js';
import { type PartitionFile, partitionFiles, type RawPartition } from './partitions.js';
import { filesToCompact, type PlanContext, type SkipReason } from './relanded-files.js';

/** The points between a compaction's steps, where a crash can stop it. */
export type CompactionStep =
  | 'output_written'
  | 'manifest_written'
  | 'renamed'
  | 'input_deleted'
  | 'manifest_removed';

/**
 * Called after each step (after each input deleted for `input_deleted`).
 * Tests throw from it to stop a compaction where a crash would.
 */
export type AfterStep = (step: CompactionStep, partition: RawPartition) => void | Promise<void>;

export type PartitionStatus = 'compacted' | 'would_compact' | 'unchanged' | 'skipped' | 'failed';

/** What the job did with one closed partition. */
export interface PartitionOutcome {
  readonly partition: string;
  readonly family: string;
  readonly tenant_id: string;
  readonly event_date: string;
  status: PartitionStatus;
  reason?: SkipReason;
  /** A compaction a crash or a failure had left half-done, finished or undone first. */
  recovery?: Recovery;
  files_in: number;
  /** Files the lander published again for ranges already compacted, deleted. */
  files_relanded: number;
  rows_in: number;
  rows_out: number;
  bytes_in: number;
  bytes_out: number;
  /** The compacted file's name. */
  output?: string;
  /** Rows of a student erased during the swap still in the output: run the erasure again. */
  erased_rows_left?: number;
  error_code?: string;
  error?: Error;
  duration_ms: number;
}

/** What every partition of a run shares. */
export interface PartitionContext extends PlanContext {
  readonly lakeRoot: string;
  readonly minFiles: number;
  readonly afterStep?: AfterStep;
}

/** The counts of a partition the run has not touched yet. */
const untouched = {
  status: 'unchanged',
  files_in: 0,
  files_relanded: 0,
  rows_in: 0,
  rows_out: 0,
  bytes_in: 0,
  bytes_out: 0,
  duration_ms: 0,
} as const;

function emptyOutcome({ name, family, tenantId, eventDate }: RawPartition): PartitionOutcome {
  return { partition: name, family, tenant_id: tenantId, event_date: eventDate, ...untouched };
}

/** A tenant's erasure register when read: its pseudonyms and the file's identity. */
interface RegisterView {
  readonly erased: ReadonlySet<string>;
  readonly signature: string | undefined;
}

function registerView(lakeRoot: string, tenantId: string): RegisterView {
  // The identity first: a line appended between the two reads shows as a change later.
  const signature = fileSignature(erasureRegisterFile(lakeRoot, tenantId));

  return { erased: erasedStudents(lakeRoot, tenantId), signature };
}

/**
 * Why the checked output must not replace its inputs: it holds rows of a
 * student erased since they were landed (an erasure is under way or failed:
 * it must clean the inputs first), or an input changed while it was written
 * (an erasure rewrote it).
 */
async function refusalOf(
  context: PartitionContext,
  inputs: readonly PartitionFile[],
  temp: string,
  register: RegisterView,
): Promise<SkipReason | undefined> {
  if ((await rowsNaming(context.engine, temp, register.erased)) > 0) return 'erased_rows';
  const isChanged = inputs.some((input) => fileSignature(input.path) !== input.signature);

  return isChanged ? 'changed_during_run' : undefined;
}

/**
 * Rows of students erased while the swap ran that the output still holds: an
 * erasure that listed the partition's files before the rename rewrote an
 * input this job then deleted. 0 when the register did not change.
 */
async function rowsErasedDuringSwap(
  context: PartitionContext,
  partition: RawPartition,
  output: string,
  register: RegisterView,
): Promise<number> {
  const registerFile = erasureRegisterFile(context.lakeRoot, partition.tenantId);
  if (fileSignature(registerFile) === register.signature) return 0;
  const erased = erasedStudents(context.lakeRoot, partition.tenantId);

  return rowsNaming(context.engine, join(partition.dir, output), erased);
}

/** Writes the sorted output to a hidden temp name and checks it holds every input row. */
async function writeChecked(
  context: PartitionContext,
  partition: RawPartition,
  inputs: readonly PartitionFile[],
  temp: string,
  outcome: PartitionOutcome,
): Promise<void> {
  const paths = inputs.map((input) => input.path);
  outcome.rows_in = await rowsOf(context.engine, paths);
  await writeCompacted(context.engine, paths, temp);
  await context.afterStep?.('output_written', partition);
  outcome.rows_out = await rowsOf(context.engine, [temp]);
  if (outcome.rows_out === outcome.rows_in) return;

  rmSync(temp, { force: true });
  throw compactionErrors.create(
    'COMPACTION_ERR_ROW_COUNT_MISMATCH',
    `The compacted file held ${outcome.rows_out} rows, its inputs ${outcome.rows_in}; ` +
      'it was deleted and the inputs kept. Check the disk and the input files, then run again.',
    { details: { partition: partition.name } },
  );
}

/**
 * Manifest, rename, delete the inputs, remove the manifest: each step durable
 * (fsync) before the next, so a crash anywhere leaves a state
 * `recoverPartition` turns back into every row exactly once.
 */
async function swap(
  context: PartitionContext,
  partition: RawPartition,
  inputs: readonly PartitionFile[],
  output: string,
  rows: number,
): Promise<void> {
  const { dir } = partition;
  const inputNames = inputs.map((input) => input.name);
  writeManifest(dir, { output, inputs: inputNames, rows, created_at: new Date().toISOString() });
  await context.afterStep?.('manifest_written', partition);
  renameSync(join(dir, tempFileName(output)), join(dir, output));
  fsyncPath(dir);
  await context.afterStep?.('renamed', partition);
  for (const input of inputs) {
    rmSync(input.path, { force: true });
    await context.afterStep?.('input_deleted', partition);
  }
  fsyncPath(dir);
  removeManifest(dir);
  await context.afterStep?.('manifest_removed', partition);
}

async function compactFiles(
  context: PartitionContext,
  partition: RawPartition,
  inputs: readonly PartitionFile[],
  outcome: PartitionOutcome,
): Promise<void> {
  const output = compactedFileName(inputs.map((input) => input.name));
  const temp = join(partition.dir, tempFileName(output));
  await writeChecked(context, partition, inputs, temp, outcome);
  const register = registerView(context.lakeRoot, partition.tenantId);
  const refusal = await refusalOf(context, inputs, temp, register);
  if (refusal) {
    rmSync(temp, { force: true });
    outcome.status = 'skipped';
    outcome.reason = refusal;
    return;
  }
  fsyncPath(temp);
  await swap(context, partition, inputs, output, outcome.rows_in);
  outcome.status = 'compacted';
  outcome.output = output;
  outcome.bytes_out = statSync(join(partition.dir, output)).size;
  outcome.erased_rows_left = await rowsErasedDuringSwap(context, partition, output, register);
}

async function compactInto(
  context: PartitionContext,
  partition: RawPartition,
  outcome: PartitionOutcome,
): Promise<void> {
  if (context.isDryRun) {
    // A pending recovery is reported alone: the folder is half-way until it runs.
    outcome.recovery = pendingRecovery(partition.dir);
    if (outcome.recovery) return;
  } else {
    outcome.recovery = recoverPartition(partition.dir);
  }
  const plan = await filesToCompact(context, partition.dir, partitionFiles(partition.dir));
  outcome.files_relanded = plan.relanded;
  if (plan.skip) {
    outcome.status = 'skipped';
    outcome.reason = plan.skip;
    return;
  }
  if (plan.files.length < context.minFiles) return;

  outcome.files_in = plan.files.length;
  outcome.bytes_in = plan.files.reduce((sum, file) => sum + file.bytes, 0);
  if (!context.isDryRun) return compactFiles(context, partition, plan.files, outcome);

  outcome.rows_in = await rowsOf(
    context.engine,
    plan.files.map((file) => file.path),
  );
  outcome.status = 'would_compact';
}

/**
 * Compacts one closed raw partition: finishes or undoes a compaction left
 * half-done, deletes files the lander published again for ranges already
 * compacted, then rewrites every file into one sorted zstd file when there
 * are at least `minFiles`. Never throws: a failure is the outcome's `failed`
 * status with the error, and what it left is tidied by the next run.
 */
export async function compactPartition(
  context: PartitionContext,
  partition: RawPartition,
): Promise<PartitionOutcome> {
  const started = performance.now();
  const outcome = emptyOutcome(partition);
  try {
    await compactInto(context, partition, outcome);
  } catch (err) {
    outcome.status = 'failed';
    outcome.error = err instanceof Error ? err : new Error(String(err));
    if (isLucaError(err)) outcome.error_code = err.code;
  }
  outcome.duration_ms = Math.round(performance.now() - started);

  return outcome;
}
