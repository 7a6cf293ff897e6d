import {
  AthenaClient,
  type GetQueryExecutionCommandOutput,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { isLucaError } from '../../../core/index.js';
import { AthenaEngine, splitStatements } from '../../../jobs/engine/athena-engine.js';

const athena = mockClient(AthenaClient);
const polling = { initialDelayMs: 100, maxDelayMs: 400, timeoutMs: 10_000 };

function engineWithClock() {
  const clock = { now: 0, delays: [] as number[] };
  const engine = new AthenaEngine({
    client: new AthenaClient({ region: 'us-east-1' }),
    workGroup: 'luca-jobs',
    database: 'luca_lake',
    polling,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.delays.push(ms);
      clock.now += ms;
    },
  });

  return { engine, clock };
}

function state(State: string, extra: Record<string, unknown> = {}) {
  const execution = { QueryExecutionId: 'q-1', StatementType: 'DML', Status: { State, ...extra } };

  return { QueryExecution: execution } as GetQueryExecutionCommandOutput;
}

const columns = [
  { Name: 'student_id', Type: 'varchar' },
  { Name: 'events', Type: 'bigint' },
  { Name: 'score', Type: 'double' },
  { Name: 'days', Type: 'integer' },
  { Name: 'is_flagged', Type: 'boolean' },
];

function row(...values: (string | undefined)[]) {
  return {
    Data: values.map((VarCharValue) => (VarCharValue === undefined ? {} : { VarCharValue })),
  };
}

afterEach(() => athena.reset());

describe('AthenaEngine', () => {
  it('starts the query in the workgroup, polls with backoff and pages through the results', async () => {
    // Prepare
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state('QUEUED'))
      .resolvesOnce(state('RUNNING'))
      .resolvesOnce(state('RUNNING'))
      .resolvesOnce(state('RUNNING'))
      .resolves(state('SUCCEEDED'));
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce({
        NextToken: 'page-2',
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [
            row('student_id', 'events', 'score', 'days', 'is_flagged'),
            row('p_a', '9007199254740993', '8.5', '3', 'true'),
          ],
        },
      })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [row('p_b', '2', undefined, '0', 'false')],
        },
      });
    const { engine, clock } = engineWithClock();

    // Act
    const rows = await engine.query('select 1');

    // Assess
    expect(rows).toEqual([
      { student_id: 'p_a', events: '9007199254740993', score: 8.5, days: 3, is_flagged: true },
      { student_id: 'p_b', events: '2', score: null, days: 0, is_flagged: false },
    ]);
    const start = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(start).toMatchObject({
      QueryString: 'select 1',
      WorkGroup: 'luca-jobs',
      QueryExecutionContext: { Database: 'luca_lake' },
    });
    expect(start?.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(clock.delays).toEqual([100, 200, 400, 400]);
    const pages = athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input.NextToken);
    expect(pages).toEqual([undefined, 'page-2']);
  });

  it('raises ATHENA_ERR_QUERY_FAILED with the reason Athena gives', async () => {
    // Prepare
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(
      state('FAILED', {
        StateChangeReason: 'fallback reason',
        AthenaError: {
          ErrorCategory: 2,
          ErrorType: 1006,
          ErrorMessage:
            'CONSTRAINT_VIOLATION: For the injected projected partition column tenant_id, the WHERE clause must contain only static equality conditions',
        },
      }),
    );
    const { engine } = engineWithClock();

    // Act
    const error = await engine
      .query('select * from luca_lake.raw_grade_events')
      .catch((err: unknown) => err);

    // Assess
    expect(isLucaError(error) && error.code).toBe('ATHENA_ERR_QUERY_FAILED');
    expect(error instanceof Error && error.message).toContain('CONSTRAINT_VIOLATION');
    expect(isLucaError(error) && error.details).toEqual({
      query_execution_id: 'q-1',
      error_category: 2,
      error_type: 1006,
    });
  });

  it('raises ATHENA_ERR_QUERY_CANCELLED for a query someone stopped', async () => {
    // Prepare
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves(state('CANCELLED', { StateChangeReason: 'Query cancelled by user' }));
    const { engine } = engineWithClock();

    // Act
    const error = await engine.run('select 1').catch((err: unknown) => err);

    // Assess
    expect(isLucaError(error) && error.code).toBe('ATHENA_ERR_QUERY_CANCELLED');
  });

  it('stops a query that outlives the timeout and raises ATHENA_ERR_TIMEOUT', async () => {
    // Prepare
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(state('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const { engine, clock } = engineWithClock();

    // Act
    const error = await engine.query('select 1').catch((err: unknown) => err);

    // Assess
    expect(isLucaError(error) && error.code).toBe('ATHENA_ERR_TIMEOUT');
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: 'q-1',
    });
    expect(clock.now).toBeLessThanOrEqual(polling.timeoutMs);
  });

  it('runs a script one statement at a time', async () => {
    // Prepare
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));
    const { engine } = engineWithClock();

    // Act
    await engine.run(
      "create table a as select ';' as x;\n-- a comment; with a semicolon\ndrop table b;",
    );

    // Assess
    const sent = athena
      .commandCalls(StartQueryExecutionCommand)
      .map((c) => c.args[0].input.QueryString);
    expect(sent).toEqual(["create table a as select ';' as x", 'drop table b']);
  });
});

describe('splitStatements', () => {
  it('ignores semicolons inside quotes and comments', () => {
    expect(splitStatements(`select 'a;b', "c;d" from t; -- x; y\n select 2`)).toEqual([
      `select 'a;b', "c;d" from t`,
      'select 2',
    ]);
  });
});
