import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Aws } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { type EventFamily, eventFamilies } from '../../core/index.js';
import {
  athenaDatabase,
  parseRawTableDdl,
  type RawTableDefinition,
  renderRawTableDdl,
} from '../../pipelines/cloud/index.js';

/** Athena refuses to scan more than this per query in the jobs workgroup (10 GiB). */
export const bytesScannedCutoffPerQuery = 10 * 1024 ** 3;

export interface LakeCatalogProps {
  /** Bucket each raw family lands in (audit has its own, object-locked). */
  bucketOf: (family: EventFamily) => s3.IBucket;
  resultsBucket: s3.IBucket;
  key: kms.IKey;
}

function tableInput(definition: RawTableDefinition): glue.CfnTable.TableInputProperty {
  return {
    name: definition.table,
    tableType: 'EXTERNAL_TABLE',
    parameters: { ...definition.properties, classification: 'parquet', EXTERNAL: 'TRUE' },
    partitionKeys: definition.partitionKeys,
    storageDescriptor: {
      columns: definition.columns,
      location: definition.location,
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: {
        serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      },
    },
  };
}

/** The workgroup jobs and analysts query in: results encrypted and expiring, scans capped. */
function jobsWorkGroup(scope: Construct, props: LakeCatalogProps): athena.CfnWorkGroup {
  return new athena.CfnWorkGroup(scope, 'JobsWorkGroup', {
    name: 'luca-jobs',
    description: 'scheduled jobs and analysts: encrypted results, bounded scans',
    recursiveDeleteOption: false,
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery,
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: props.resultsBucket.s3UrlForObject('results/'),
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
      },
    },
  });
}

/**
 * The Glue database and raw tables (built from the DDL files in `sql/athena/`,
 * so Athena, Firehose's Parquet conversion and the local lake share one
 * schema) and the Athena workgroup the jobs run in.
 */
export class LakeCatalog extends Construct {
  readonly database: glue.CfnDatabase;
  readonly tables: Record<EventFamily, glue.CfnTable>;
  readonly workGroup: athena.CfnWorkGroup;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: athenaDatabase, description: 'luca lake: raw events (pseudonymised)' },
    });

    const tables: Partial<Record<EventFamily, glue.CfnTable>> = {};
    for (const family of eventFamilies) {
      const ddl = renderRawTableDdl(family, {
        database: athenaDatabase,
        lakeBucket: props.bucketOf(family).bucketName,
      });
      const table = new glue.CfnTable(this, `Raw-${family}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: athenaDatabase,
        tableInput: tableInput(parseRawTableDdl(ddl)),
      });
      table.node.addDependency(this.database);
      tables[family] = table;
    }
    this.tables = tables as Record<EventFamily, glue.CfnTable>;

    this.workGroup = jobsWorkGroup(this, props);
  }
}
