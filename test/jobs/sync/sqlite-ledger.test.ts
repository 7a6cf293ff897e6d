import { join } from 'node:path';
import { SqliteSyncLedger } from '../../../jobs/sync/index.js';
import { tempDataPaths } from './factories.js';
import { describeSyncLedger } from './ledger-suite.js';

describeSyncLedger(
  'sqlite',
  async () => new SqliteSyncLedger(join(tempDataPaths().state, 'sync.db')),
);
