import { describe, expect, it } from 'vitest';
import { Lander } from '../../pipelines/index.js';
import { capturingLogger, ingestHarness, quizAnswered } from './ingest-fixtures.js';

const studentId = 'stu-raw-4815';
const studentName = 'Ximena Quetzalli Robledo';
const curp = 'ROXX100512MDFBMMA4';
const secretTopic = 'topic-secret-7731';

describe('ingest logs', () => {
  it('carry trace ids but no student name, CURP, raw student id, token or payload', async () => {
    const { logger, lines } = capturingLogger('debug');
    const harness = await ingestHarness({ logger });
    const token = await harness.token('ingest');
    const valid = quizAnswered({
      student_id: studentId,
      actor: { id: studentId, role: 'student' },
      payload: {
        quiz_id: 'quiz-1',
        question_id: 'q-1',
        topic_id: secretTopic,
        is_correct: true,
        attempt: 1,
        time_ms: 900,
      },
    });
    const smuggling = quizAnswered({ student_id: studentId, payload: { name: studentName, curp } });
    const traceId = '5e1f2b6c7d8e9f00112233445566778a';

    const response = await harness.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: {
        authorization: `Bearer ${token}`,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      payload: { events: [valid, smuggling] },
    });
    await harness.app.inject({
      method: 'POST',
      url: '/v1/events',
      payload: { name: studentName, curp },
    });
    const lander = await Lander.open({
      buffer: harness.buffer,
      lakeRoot: harness.paths.lake,
      logger,
    });
    await lander.drainAll();
    lander.close();
    await harness.close();

    const text = lines().join('\n');
    const requestLines = lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.trace_id === traceId);
    expect(response.statusCode).toBe(202);
    const messages = requestLines.map((entry) => entry.msg);
    expect(messages).toEqual(expect.arrayContaining(['batch ingested', 'request completed']));
    expect(messages).not.toContain('incoming request');
    expect(requestLines.find((entry) => entry.msg === 'batch ingested')).toMatchObject({
      tenant_id: 't-school-a',
      accepted: 1,
      rejected: 1,
    });
    expect(text).toContain('range landed');
    for (const secret of [studentId, studentName, curp, token, secretTopic, 'Bearer']) {
      expect(text).not.toContain(secret);
    }
  });
});
