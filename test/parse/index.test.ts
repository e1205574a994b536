// Tests parseProfileText (src/parse/index.ts): header sniffing, % commands and whole-file errors, reference §2.1, §2.8.
import { describe, expect, it } from 'vitest';
import { parseProfileText } from '../../src/parse/index.js';
import { LocationTable } from '../../src/model/locations.js';
import { ProfileFormatError } from '../../src/model/errors.js';

const HEAP_V2 = 'heap_v2/0\n@ 0x10 0x21\n  t*: 1: 10 [0: 0]\nMAPPED_LIBRARIES:\n';

function parse(text: string, name = 'p.heap') {
  return parseProfileText(text, name, new LocationTable());
}

function formatError(text: string, name = 'p.heap'): ProfileFormatError {
  try {
    parse(text, name);
  } catch (e) {
    if (e instanceof ProfileFormatError) return e;
    throw e;
  }
  throw new Error('no ProfileFormatError thrown');
}

describe('parseProfileText', () => {
  it('reads a heap_v2 profile through the jemalloc reader', () => {
    const f = parse(HEAP_V2);
    expect(f.kind).toBe('heap');
    expect(f.profile.samples).toHaveLength(1);
    // rate 0: raw values; leaf 0x10 kept, caller 0x21 - 1 = 0x20.
    expect(f.profile.samples[0].values).toEqual([0, 0, 1, 10]);
    expect(f.profile.samples[0].locations.map((l) => l.address)).toEqual([0x10n, 0x20n]);
    expect(f.notices).toEqual([]);
  });

  it("turns '%warn' lines into 'WARNING: ...' notices and other % lines into 'Ignoring unknown command' notices", () => {
    const f = parse(`%warn hi there\n%warn\n%foo bar\n${HEAP_V2}`);
    // '%warn' alone: jeprof's /^%warn\s+(.*)/ sees the newline as the \s+, so $1 is empty.
    expect(f.notices).toEqual(['WARNING: hi there', 'WARNING: ', 'Ignoring unknown command from profile header: %foo bar']);
    expect(f.profile.samples[0].values[3]).toBe(10);
  });

  it("treats '%warnfoo' (no whitespace) as an unknown command", () => {
    const f = parse(`%warnfoo\n${HEAP_V2}`);
    expect(f.notices).toEqual(['Ignoring unknown command from profile header: %warnfoo']);
  });

  it('reads a CRLF profile, header included', () => {
    const f = parse(`%warn w\r\n${HEAP_V2}`.replace(/\n/g, '\r\n'));
    expect(f.notices).toEqual(['WARNING: w']);
    expect(f.profile.samples[0].values).toEqual([0, 0, 1, 10]);
    expect(f.mapText).toBe('');
  });

  it("skips a '--- heap' line before the real header", () => {
    const f = parse(`--- heap\n${HEAP_V2}`);
    expect(f.profile.samples[0].values[3]).toBe(10);
  });

  it("sends 'heap profile:' headers to the gperftools reader", () => {
    const f = parse('heap profile:    1:       10 [     1:       10] @ heapprofile\n   1:  10 [ 1: 10] @ 0x10\nMAPPED_LIBRARIES:\n');
    expect(f.profile.samples[0].values).toEqual([1, 10, 1, 10]);
  });

  it("sends 'heap profile: ... growth' headers to the gperftools reader as growth", () => {
    const f = parse('heap profile:    1:       10 [     1:       10] @ growth\n   1:  10 [ 1: 10] @ 0x10\nMAPPED_LIBRARIES:\n');
    expect(f.kind).toBe('growth');
  });

  it('refuses heap_v2/ without a rate, naming the file and the header line', () => {
    const e = formatError('%warn a\n%x\nheap_v2/\n@ 0x10\n  t*: 1: 1 [0: 0]\n', 'norate.heap');
    expect(e.file).toBe('norate.heap');
    expect(e.line).toBe(3);
    expect(e.message.startsWith('norate.heap:3:')).toBe(true);
  });

  it('refuses an empty file', () => {
    const e = formatError('', 'empty.heap');
    expect(e.file).toBe('empty.heap');
    expect(e.message).toContain('empty.heap');
  });

  it('refuses a file of % lines only (jeprof: "Profile is empty.")', () => {
    const e = formatError('%warn hi\n', 'pct.heap');
    expect(e.file).toBe('pct.heap');
  });

  it('refuses binary data (a gperftools CPU profile starts with zero bytes)', () => {
    const e = formatError('\0\0\0\0\0\0\0\0\x03\0\0\0', 'cpu.prof');
    expect(e.file).toBe('cpu.prof');
    expect(e.message).toContain('cpu.prof');
  });

  it('refuses a text file that is not a heap profile', () => {
    const e = formatError('hello world\n', 'text.txt');
    expect(e.file).toBe('text.txt');
    expect(e.line).toBe(1);
  });
});
