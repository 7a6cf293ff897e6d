import { describe, expect, it } from 'vitest';
import { type CpuProfile, summarizeProfile } from '../../bench/serving/profile-summary.js';

const root = '/repo/';

/** (root) > handler (project) > stringify (a dependency) > write (node:net); plus idle. */
function profile(): CpuProfile {
  const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
      {
        id: 2,
        callFrame: frame('handler', `file://${root}serving/session/routes.ts`),
        children: [3],
      },
      {
        id: 3,
        callFrame: frame('stringify', `file://${root}node_modules/fast-json-stringify/index.js`),
        children: [4],
      },
      { id: 4, callFrame: frame('write', 'node:net') },
      { id: 5, callFrame: frame('(idle)', '') },
    ],
    // handler 100 µs self, stringify 200, write 300, idle 400.
    samples: [2, 3, 4, 5],
    timeDeltas: [100, 200, 300, 400],
  };
}

describe('summarizeProfile (bench CPU profiles)', () => {
  it('ranks functions by self time as shares of the whole profile, idle included', () => {
    const summary = summarizeProfile(profile(), { projectRoot: root });

    expect(summary.totalMs).toBeCloseTo(1);
    expect(summary.selfTime.map((s) => [s.name.split(' ')[0], s.share])).toEqual([
      ['(idle)', 0.4],
      ['write', 0.3],
      ['stringify', 0.2],
      ['handler', 0.1],
    ]);
  });

  it('counts a sample once for every package on its stack, and none for V8 frames', () => {
    const summary = summarizeProfile(profile(), { projectRoot: root });

    expect(Object.fromEntries(summary.byPackage.map((s) => [s.name, s.share]))).toEqual({
      'serving/session': 0.6,
      'fast-json-stringify': 0.5,
      'node:net': 0.3,
    });
  });
});
