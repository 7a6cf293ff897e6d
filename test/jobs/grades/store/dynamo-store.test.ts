import { DynamoGradesStore, ensureGradesTable } from '../../../../jobs/grades/store/index.js';
import { describeGradesStore } from './store-suite.js';
import { useDynalite } from '../../../support/dynalite.js';

const dynamo = useDynalite();

describeGradesStore('dynamodb', async (clock) => {
  const tableName = dynamo.tableName('grades');
  await ensureGradesTable(dynamo.client, tableName);

  return new DynamoGradesStore({ client: dynamo.client, tableName, clock });
});
