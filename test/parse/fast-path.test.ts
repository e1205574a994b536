// Tests that the byte fast path of readJemallocHeap (src/parse/stack-bytes.ts, count-bytes.ts)
// reads every line exactly as the text path does: the same profile, sample for sample.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readJemallocHeap } from '../../src/parse/jemalloc-heap.js';
import { LineReader } from '../../src/parse/lines.js';
import { LocationTable } from '../../src/model/locations.js';
import { readCountBytes, CountFields } from '../../src/parse/count-bytes.js';

/** The profile read from `text`, or the error reading it gave. */
function outcome(text: string) {
  try {
    return read(text);
  } catch (e) {
    return { error: String(e) + JSON.stringify(e) };
  }
}

function read(text: string) {
  const reader = new LineReader(text);
  const header = reader.next()!;
  const f = readJemallocHeap('x.heap', header, reader, new LocationTable());
  return {
    // A leaf spelled in upper case is a Location of its own, told by its text.
    samples: f.profile.samples.map((s) => ({ addrs: s.locations.map((l) => [l.address, l.text]), values: s.values, thread: s.labels.get('thread') })),
    locations: f.profile.locations.map((l) => [l.address, l.text]),
    warnings: f.warnings,
    maxAddress: f.maxAddress,
  };
}

/**
 * A form feed at the end of a line is whitespace to the text path (trim) but not to the fast
 * path, which then hands the line over: the same file read both ways.
 */
const slowly = (text: string) => text.replace(/^([@t].*)$/gm, '$1\f');

// Addresses near a multiple of 2^32 too: the fast path reads each as two 32-bit halves, and a
// caller's -1 borrows from the high half when the low one is 0.
const nearHalf = fc
  .tuple(fc.bigInt({ min: 0n, max: (1n << 20n) - 1n }), fc.constantFrom(0n, 1n, 2n, (1n << 31n) - 1n, 1n << 31n, (1n << 32n) - 1n))
  .map(([hi, lo]) => (hi << 32n) + lo);
// Past 13 digits (2^52) only the text path reads an address (as a BigInt): 14 digits just past,
// and up to 16. Short ones too: an odd count of digits ends with one read alone (a leaf's last
// one in upper case, say).
const hex = fc
  .oneof(fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }), nearHalf, fc.bigInt({ min: 1n << 52n, max: (1n << 56n) - 1n }), fc.bigInt({ min: 1n << 56n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 0xfffn }))
  .map((a) => a.toString(16));
const address = fc.tuple(fc.constantFrom('0x', '0X', ''), hex, fc.boolean()).map(([p, h, up]) => p + (up ? h.toUpperCase() : h));
const stackLine = fc.array(address, { minLength: 1, maxLength: 6 }).chain((as) => fc.constantFrom(' ', '\t', '  ').map((sep) => '@' + sep + as.join(sep)));
const num = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constant(0), fc.constant(999999999999999));
const countLine = fc
  .tuple(fc.oneof(fc.constant('*'), fc.integer({ min: 0, max: 3 }).map(String)), num, num, num, num, fc.constantFrom(' ', '\t', '  '))
  .map(([t, a, b, c, d, s]) => `  t${t}:${s}${a}:${s}${b}${s}[${s === ' ' ? '' : s}${c}:${s}${d}]`);
const body = fc.array(fc.tuple(fc.array(stackLine, { minLength: 1, maxLength: 3 }), fc.array(countLine, { maxLength: 3 })), { maxLength: 12 });

describe('the byte fast path', () => {
  it('reads random dumps exactly as the text path does', () => {
    fc.assert(
      fc.property(body, fc.constantFrom(0, 1, 524288), (groups, rate) => {
        const lines = [`heap_v2/${rate}`, '  t*: 1: 1 [0: 0]'];
        for (const [stacks, counts] of groups) for (const s of stacks) lines.push(s, ...counts);
        const text = lines.join('\n') + '\nMAPPED_LIBRARIES:\n';
        expect(outcome(text)).toEqual(outcome(slowly(text)));
      }),
      { seed: 20261127, numRuns: 400 },
    );
  });

  it('reads a count line into its thread and four numbers', () => {
    const b = Buffer.from('t12: 30: 6717440 [\t0:  5]');
    const f = new CountFields();
    expect(readCountBytes(b, 0, b.length, f)).toBe(true);
    expect(f).toMatchObject({ thread: 12, n1: 30, s1: 6717440, n2: 0, s2: 5 });
  });

  it('leaves unusual count lines to the text path', () => {
    const f = new CountFields();
    for (const line of ['t01: 1: 2 [3: 4]', 't*: 1: 2 [3: 4] x', 't*: 1234567890123456: 2 [3: 4]', 't*:1: 2 [3: 4]', 't*: 1: 2 [3:4]', 't*: 1: 2[3: 4]', 't*: -1: 2 [3: 4]']) {
      const b = Buffer.from(line);
      expect(readCountBytes(b, 0, b.length, f), line).toBe(false);
    }
  });

  it('keeps the text path for odd stack spellings, with its warnings', () => {
    const text = 'heap_v2/1\n@ 0x10 zz 0x30\n  t*: 1: 8 [0: 0]\n@ 0x10 0x1234567890abcdef0\n  t*: 1: 8 [0: 0]\nMAPPED_LIBRARIES:\n';
    const r = read(text);
    expect(r.warnings).toEqual(["x.heap:2: 'zz' is not a hex address; read as jeprof does", 'x.heap:4: address 0x1234567890abcdef0 is longer than 64 bits; read as jeprof does']);
    expect(r.samples.map((s) => s.addrs.map(([address]) => address))).toEqual([
      [0x10n, 0xffffffffffffffffn, 0x2fn],
      [0x10n, 0x234567890abcdeefn],
    ]);
  });
});
