import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { EventFamily } from '../core/index.js';
import { EvaluationsTable } from './constructs/evaluations-table.js';
import { GradePipe } from './constructs/grade-pipe.js';
import { IngestBus } from './constructs/ingest-bus.js';
import { LakeCatalog } from './constructs/lake-catalog.js';
import { LakeStorage } from './constructs/lake-storage.js';
import { LandingStream } from './constructs/landing-stream.js';
import { PipelineAlarms } from './constructs/pipeline-alarms.js';
import { SessionApiRole } from './constructs/session-api-role.js';

export interface LucaStackProps extends StackProps {
  /** Code of the Pipes enrichment Lambda (`bundleEnrichment().code` in the app). */
  enrichmentCode: lambda.Code;
  /** Principal the serving tier runs as; it assumes the session API role with a tenant tag. */
  servingPrincipal?: iam.IPrincipal;
  auditLockMode?: 'governance' | 'compliance';
  /** RETAIN (default) keeps student data when the stack is deleted. */
  removalPolicy?: RemovalPolicy;
}

/**
 * The whole cloud shape of the lakehouse in one stack: encrypted lake and
 * audit buckets, the evaluations table and its stream, the grade pipe, the
 * ingest bus, the landing streams, the Glue catalog, the Athena workgroup and
 * the tenant-scoped role of the session API.
 */
export class LucaStack extends Stack {
  readonly storage: LakeStorage;
  readonly evaluations: EvaluationsTable;
  readonly catalog: LakeCatalog;
  readonly landing: Record<EventFamily, LandingStream>;
  readonly gradePipe: GradePipe;
  readonly ingestBus: IngestBus;
  readonly sessionApi: SessionApiRole;
  readonly alarms: PipelineAlarms;

  constructor(scope: Construct, id: string, props: LucaStackProps) {
    super(scope, id, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.storage = new LakeStorage(this, 'Storage', {
      auditLockMode: props.auditLockMode,
      removalPolicy,
    });
    const key = this.storage.dataKey;
    const bucketOf = (family: EventFamily) =>
      family === 'audit' ? this.storage.auditBucket : this.storage.lakeBucket;

    this.evaluations = new EvaluationsTable(this, 'Evaluations', { key, removalPolicy });
    this.catalog = new LakeCatalog(this, 'Catalog', {
      bucketOf,
      resultsBucket: this.storage.resultsBucket,
      key,
    });
    const streamOf = (family: EventFamily) =>
      new LandingStream(this, `Landing-${family}`, {
        family,
        bucket: bucketOf(family),
        key,
        table: this.catalog.tables[family],
      });
    this.landing = {
      grade: streamOf('grade'),
      behaviour: streamOf('behaviour'),
      audit: streamOf('audit'),
    };

    this.gradePipe = new GradePipe(this, 'GradePipe', {
      table: this.evaluations.table,
      target: this.landing.grade.stream,
      key,
      enrichmentCode: props.enrichmentCode,
    });
    this.ingestBus = new IngestBus(this, 'IngestBus', {
      key,
      targets: { behaviour: this.landing.behaviour.stream, audit: this.landing.audit.stream },
    });
    this.sessionApi = new SessionApiRole(this, 'SessionApi', {
      table: this.evaluations.table,
      key,
      assumedBy: props.servingPrincipal ?? new iam.AccountPrincipal(this.account),
    });
    this.alarms = new PipelineAlarms(this, 'Alarms', {
      key,
      deadLetterQueues: {
        'grade-pipe': this.gradePipe.deadLetterQueue,
        'ingest-bus': this.ingestBus.deadLetterQueue,
      },
      landingStreams: {
        grade: this.landing.grade.stream,
        behaviour: this.landing.behaviour.stream,
        audit: this.landing.audit.stream,
      },
    });
  }
}
