// Tests LineReader (src/parse/lines.ts): line splitting, numbering and \r removal.
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../src/parse/lines.js';
import { stackLineAfter } from '../../src/parse/split-parse.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Runs `f` on an open descriptor of a file holding `text`, and closes it. */
function withFile(text: string, f: (fd: number) => void): void {
  const path = join(tempDir('jeprof-ts-lines-'), 'f.heap');
  writeFileSync(path, text);
  const fd = openSync(path, 'r');
  try {
    f(fd);
  } finally {
    closeSync(fd);
  }
}

const allLines = (r: LineReader) => {
  const out: string[] = [];
  for (let l = r.next(); l; l = r.next()) out.push(`${l.number}:${l.text}`);
  return out;
};

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

  describe("a split parse's two readers", () => {
    const text = 'heap_v2/1\n@ 0x1 0x2\n  t*: 1: 8 [1: 8]\n@ 0x3\n  t*: 2: 16 [2: 16]\nMAPPED_LIBRARIES:\nmap\n';
    const at = text.indexOf('@ 0x3');

    it('limitTo ends the input at a line start, even when the bytes past it were read already, and unlimit goes on from there', () => {
      withFile(text, (fd) => {
        const r = new LineReader('', fd);
        expect(r.next()).toEqual({ number: 1, text: 'heap_v2/1' });
        expect(r.stoppedAtLimit).toBe(false);
        expect(r.limitTo(at)).toBe(true);
        expect(allLines(r)).toEqual(['2:@ 0x1 0x2', '3:  t*: 1: 8 [1: 8]']);
        expect(r.stoppedAtLimit).toBe(true);
        r.unlimit();
        expect(r.stoppedAtLimit).toBe(false);
        expect(r.next()).toEqual({ number: 4, text: '@ 0x3' });
        r.next();
        r.next();
        expect(r.rest()).toBe('map\n');
      });
    });

    it('limitTo refuses an offset already read as lines; rest() reads past a limit', () => {
      withFile(text, (fd) => {
        const r = new LineReader('', fd);
        r.next();
        r.next();
        expect(r.limitTo(text.indexOf('@ 0x1'))).toBe(false);
        expect(r.limitTo(at)).toBe(true);
        r.next();
        expect(r.rest()).toBe('@ 0x3\n  t*: 2: 16 [2: 16]\nMAPPED_LIBRARIES:\nmap\n');
      });
    });

    it("from: reads a descriptor from an offset on, numbering from 1, leaving the descriptor's own offset alone", () => {
      withFile(text, (fd) => {
        const worker = new LineReader('', fd, at);
        expect(allLines(worker)).toEqual(['1:@ 0x3', '2:  t*: 2: 16 [2: 16]', '3:MAPPED_LIBRARIES:', '4:map']);
        const whole = new LineReader('', fd);
        expect(whole.next()).toEqual({ number: 1, text: 'heap_v2/1' });
      });
    });

    it('stackLineAfter finds the first line starting with @ from an offset, also one starting right there, and -1 when none', () => {
      withFile(text, (fd) => {
        expect(stackLineAfter(fd, 0, text.length)).toBe(text.indexOf('@'));
        expect(stackLineAfter(fd, text.indexOf('@') + 1, text.length)).toBe(at);
        expect(stackLineAfter(fd, at, text.length)).toBe(at);
        expect(stackLineAfter(fd, at + 1, text.length)).toBe(-1);
      });
    });
  });
});
