import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Leading-key pattern an IAM policy confines a caller to: `T#<its tenant>#*`,
 * the tenant read from the principal's `tenant_id` session tag.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not JavaScript
export const tenantLeadingKeys = 'T#${aws:PrincipalTag/tenant_id}#*';

export interface SessionApiRoleProps {
  table: dynamodb.ITable;
  key: kms.IKey;
  /** Who may assume the role with a `tenant_id` session tag (the serving tier's role). */
  assumedBy: iam.IPrincipal;
}

/**
 * The role the session API assumes per request or per tenant, tagged with
 * `tenant_id`: it can read and write only items whose partition key starts
 * with `T#<that tenant>#`, so a bug in the API cannot cross a tenant in
 * DynamoDB. Scans are not granted (they have no leading key to check).
 */
export class SessionApiRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SessionApiRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      description: 'luca session API: tenant-scoped access to the evaluations table',
      assumedBy: new iam.SessionTagsPrincipal(props.assumedBy),
    });
    const tenantScoped = {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [tenantLeadingKeys] },
      // ForAllValues is true on an empty set: require the leading key to be present.
      Null: { 'dynamodb:LeadingKeys': 'false', 'aws:PrincipalTag/tenant_id': 'false' },
    };
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TenantScopedItems',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [props.table.tableArn],
        conditions: tenantScoped,
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TableKeyViaDynamoDb',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: [props.key.keyArn],
        conditions: { StringLike: { 'kms:ViaService': 'dynamodb.*.amazonaws.com' } },
      }),
    );
  }
}
