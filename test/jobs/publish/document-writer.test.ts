import { describe, expect, it } from 'vitest';
import { DocumentWriter, encoded } from '../../../jobs/publish/document-writer.js';

function write(writer: DocumentWriter, parts: string[]): Buffer {
  writer.begin();
  for (const part of parts) writer.text(part);

  return writer.end();
}

describe('DocumentWriter', () => {
  it('hands out each document as its own UTF-8 bytes', () => {
    // Prepare
    const writer = new DocumentWriter(64);

    // Act
    writer.begin();
    writer.bytes(encoded('{"topic_id":'));
    writer.text('"fracción"');
    writer.char(0x2c);
    writer.ascii('0.625');
    const first = writer.end();
    const second = write(writer, ['{"n":', '2}']);

    // Assess
    expect(first.toString('utf8')).toBe('{"topic_id":"fracción",0.625');
    expect(second.toString('utf8')).toBe('{"n":2}');
  });

  it('moves a document that outgrows its buffer whole, and leaves earlier ones intact', () => {
    // Prepare
    const writer = new DocumentWriter(16);
    const earlier = write(writer, ['0123456789']);

    // Act
    const long = write(writer, ['abcdef', 'ghijklmnop', 'qrstuvwxyz']);
    const after = write(writer, ['tail']);

    // Assess
    expect(earlier.toString()).toBe('0123456789');
    expect(long.toString()).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(after.toString()).toBe('tail');
  });
});
