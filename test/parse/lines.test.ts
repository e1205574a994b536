// Tests LineReader (src/parse/lines.ts): line splitting, numbering and \r removal.
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../src/parse/lines.js';

describe('LineReader', () => {
  it('numbers lines from 1 and strips every \\r', () => {
    const r = new LineReader('a\r\nb\rc\n\nd');
    expect(r.next()).toEqual({ number: 1, text: 'a' });
    expect(r.next()).toEqual({ number: 2, text: 'bc' });
    expect(r.next()).toEqual({ number: 3, text: '' });
    expect(r.next()).toEqual({ number: 4, text: 'd' });
    expect(r.next()).toBeUndefined();
    expect(r.lineNumber).toBe(4);
  });

  it('rest() returns the unread text without \\r and ends the reader', () => {
    const r = new LineReader('h\r\nx y\r\nz\r\n');
    r.next();
    expect(r.rest()).toBe('x y\nz\n');
    expect(r.next()).toBeUndefined();
  });

  it('rest(last) hands back the last map text when the bytes repeat, and reads a new one when not', () => {
    const last: { bytes?: Buffer; text?: string } = {};
    const read = (text: string) => {
      const r = new LineReader(text);
      r.next();
      return r.rest(last);
    };
    const a = read('h\nlib.so 1\r\nlib.so 2\n');
    expect(a).toBe('lib.so 1\nlib.so 2\n');
    const again = read('other header\nlib.so 1\r\nlib.so 2\n');
    expect(again).toBe(a);
    expect(last.text).toBe(a);
    const changed = read('h\nlib.so 1\r\nlib.so 3\n');
    expect(changed).toBe('lib.so 1\nlib.so 3\n');
    expect(last.text).toBe(changed);
  });
});
