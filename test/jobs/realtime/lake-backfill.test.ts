import { describe, expect, it } from 'vitest';
import { registerErasure } from '../../../core/index.js';
import {
  type LandedEvent,
  lakeBackfill,
  type ReplayWindow,
  replayWindow,
} from '../../../jobs/realtime/index.js';
import { local, tempLake, testEventId } from '../features/lake-fixture.js';
import { bufferedEvent, writeLanded } from './realtime-fixture.js';

const threeDays = 3 * 86_400;

async function readAll(lake: string, window: ReplayWindow, batchSize: number) {
  const batches: LandedEvent[][] = [];
  for await (const batch of lakeBackfill(lake).read(window, batchSize)) batches.push(batch);

  return batches;
}

describe('replayWindow', () => {
  it('covers today and yesterday in school time with the default seen TTL', () => {
    // Act
    const window = replayWindow(new Date(local('2026-10-15', '20:00')), threeDays);

    // Assess
    expect(window).toEqual({
      firstLocalDate: '2026-10-14',
      lastLocalDate: '2026-10-15',
      from: local('2026-10-14', '00:00'),
      to: local('2026-10-16', '00:00'),
      firstEventDate: '2026-10-14',
      lastEventDate: '2026-10-16',
      receivedSince: null,
    });
  });

  it('narrows to today, then to nothing, as the seen TTL shrinks', () => {
    // Prepare
    const now = new Date(local('2026-10-15', '08:00'));

    // Act
    const twoDays = replayWindow(now, 2 * 86_400);
    const oneDay = replayWindow(now, 86_400);

    // Assess
    expect(twoDays).toMatchObject({ firstLocalDate: '2026-10-15', lastLocalDate: '2026-10-15' });
    expect(oneDay).toBeNull();
  });
});

describe('lakeBackfill', () => {
  it('reads the window across tenants and UTC partitions in occurred_at order, in batches', async () => {
    // Prepare
    const lake = tempLake();
    const late = bufferedEvent('p_late', local('2026-10-15', '23:30'));
    const early = bufferedEvent('p_early', local('2026-10-15', '08:00'));
    const other = bufferedEvent(
      'p_other',
      local('2026-10-14', '10:00'),
      undefined,
      undefined,
      't-b',
    );
    await writeLanded(lake, [
      late,
      bufferedEvent('p_tuesday', local('2026-10-13', '23:59')),
      early,
      other,
      bufferedEvent('p_friday', local('2026-10-16', '00:00')),
    ]);
    const window = replayWindow(new Date(local('2026-10-15', '23:45')), threeDays) as ReplayWindow;

    // Act
    const batches = await readAll(lake, window, 2);

    // Assess
    expect(batches.map((batch) => batch.length)).toEqual([2, 1]);
    expect(batches.flat()).toEqual([
      {
        tenant_id: 't-b',
        student_id: 'p_other',
        event_id: other.event_id,
        event_type: 'lesson.completed',
        occurred_at: other.occurred_at,
        payload: other.payload,
      },
      expect.objectContaining({ student_id: 'p_early', occurred_at: early.occurred_at }),
      expect.objectContaining({ student_id: 'p_late', occurred_at: late.occurred_at }),
    ]);
  });

  it('skips events received before the window asks for', async () => {
    // Prepare
    const lake = tempLake();
    const first = bufferedEvent('p_s1', local('2026-10-15', '09:00'));
    const second = bufferedEvent('p_s1', local('2026-10-15', '09:30'));
    await writeLanded(lake, [first, second]);
    const since = local('2026-10-15', '09:30');
    const window = replayWindow(new Date(local('2026-10-15', '20:00')), threeDays, since);

    // Act
    const batches = await readAll(lake, window as ReplayWindow, 1000);

    // Assess
    expect(batches.flat().map((event) => event.event_id)).toEqual([second.event_id]);
  });

  it('leaves out the events of a student erased in that tenant only', async () => {
    // Prepare
    const lake = tempLake();
    const erased = bufferedEvent('p_gone', local('2026-10-15', '09:00'));
    const namesake = bufferedEvent(
      'p_gone',
      local('2026-10-15', '09:05'),
      undefined,
      undefined,
      't-b',
    );
    const kept = bufferedEvent('p_kept', local('2026-10-15', '09:10'));
    await writeLanded(lake, [erased, namesake, kept]);
    registerErasure(lake, 't-a', {
      student_id: 'p_gone',
      erased_at: local('2026-10-15', '12:00'),
      audit_event_id: testEventId(),
    });
    const window = replayWindow(new Date(local('2026-10-15', '20:00')), threeDays) as ReplayWindow;

    // Act
    const batches = await readAll(lake, window, 1000);

    // Assess
    expect(batches.flat().map((event) => event.event_id)).toEqual([
      namesake.event_id,
      kept.event_id,
    ]);
  });

  it('reads nothing from a lake with no behaviour files', async () => {
    // Prepare
    const window = replayWindow(new Date(local('2026-10-15', '20:00')), threeDays) as ReplayWindow;

    // Act
    const batches = await readAll(tempLake(), window, 1000);

    // Assess
    expect(batches).toEqual([]);
  });
});
