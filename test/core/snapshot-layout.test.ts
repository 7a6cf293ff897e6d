import { describe, expect, it } from 'vitest';
import { layoutText, readLayout } from '../../core/index.js';
import { laidOutDoc } from '../support/snapshot-docs.js';

describe('readLayout', () => {
  it('points at the profile, grades and freshness values', () => {
    // Prepare
    const doc = laidOutDoc({ grades: 'null' });

    // Act
    const layout = readLayout(doc);

    // Assess
    const parsed = JSON.parse(doc) as Record<string, unknown>;
    const at = (span: { start: number; end: number }) =>
      JSON.parse(doc.slice(span.start, span.end));
    expect(layout).toBeDefined();
    expect(at(layout?.profile ?? { start: 0, end: 0 })).toEqual(parsed.profile);
    expect(at(layout?.grades ?? { start: 0, end: 0 })).toBeNull();
    expect(at(layout?.freshness ?? { start: 0, end: 0 })).toEqual(parsed.freshness);
  });

  it('finds none in a document whose placeholder was never filled in', () => {
    expect(readLayout(laidOutDoc({}, { stamp: false }))).toBeUndefined();
  });

  it('finds none in a document without the layout member', () => {
    expect(readLayout('{"schema_version":1,"profile":{},"grades":null,"freshness":{}}')).toBe(
      undefined,
    );
  });

  it.each([
    [
      'offsets shifted by one',
      (doc: string) =>
        doc.replace(
          /"layout":"(\d{7})/,
          (_m, first) => `"layout":"${String(Number(first) + 1).padStart(7, '0')}`,
        ),
    ],
    ['a character appended', (doc: string) => `${doc} `],
    ['the document cut short', (doc: string) => doc.slice(0, -2)],
    ['a letter among the digits', (doc: string) => doc.replace('"layout":"0', '"layout":"x')],
  ])('refuses a layout that does not match the text: %s', (_name, damage) => {
    expect(readLayout(damage(laidOutDoc()))).toBeUndefined();
  });

  it('writes no layout for offsets past 7 digits', () => {
    expect(layoutText([1, 2, 3, 4, 5, 10_000_000])).toBeUndefined();
  });
});
