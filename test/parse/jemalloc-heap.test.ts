// Tests readJemallocHeap (src/parse/jemalloc-heap.ts): jemalloc heap_v2 dumps, reference §2.2, §3, §4.1.
import { describe, expect, it } from 'vitest';
import { readJemallocHeap } from '../../src/parse/jemalloc-heap.js';
import { glibcExp } from '../../src/parse/glibc-exp.js';
import { LineReader } from '../../src/parse/lines.js';
import { LocationTable } from '../../src/model/locations.js';
import { ProfileFormatError } from '../../src/model/errors.js';
import type { Profile, Sample } from '../../src/model/profile.js';

// Value order in a heap Sample: [alloc_objects, alloc_space, inuse_objects, inuse_space].
const AO = 0;
const AS = 1;
const IO = 2;
const IS = 3;

function read(text: string, name = 'x.heap') {
  const reader = new LineReader(text);
  const header = reader.next()!;
  return readJemallocHeap(name, header, reader, new LocationTable());
}

function addrs(s: Sample): bigint[] {
  return s.locations.map((l) => l.address);
}

function all(p: Profile): Sample[] {
  return p.samples.filter((s) => !s.labels.has('thread'));
}

function thread(p: Profile, t: string): Sample[] {
  return p.samples.filter((s) => s.labels.get('thread') === t);
}

describe('readJemallocHeap', () => {
  // Rate 0: jeprof's AdjustSamples is skipped when the adjustment is 0 (a false Perl value),
  // so every number below is the raw number of the file.
  const threaded = [
    'heap_v2/0',
    '  t*: 3: 3072 [0: 0]',
    '  t0: 1: 1024 [0: 0]',
    '  t1: 2: 2048 [0: 0]',
    '@ 0x7f6c632a2630 0x7f6c632a2d21 0x55ac4ad972e9',
    '  t*: 3: 3072 [5: 5120]',
    '  t0: 1: 1024 [2: 2048]',
    '  t1: 2: 2048 [3: 3072]',
    '',
    'MAPPED_LIBRARIES:',
    '55ac4ad97000-55ac4ad98000 r-xp 00001000 fe:00 2146626      /home/dev/facts/src/t1',
    '',
  ].join('\n');

  it('puts t* rows in unlabelled samples and tN rows in samples labelled thread=N', () => {
    const f = read(threaded);
    expect(all(f.profile)).toHaveLength(1);
    // t*: 3: 3072 [5: 5120] -> [alloc_objects 5, alloc_space 5120, inuse_objects 3, inuse_space 3072]
    expect(all(f.profile)[0].values).toEqual([5, 5120, 3, 3072]);
    expect(thread(f.profile, '0').map((s) => s.values)).toEqual([[2, 2048, 1, 1024]]);
    expect(thread(f.profile, '1').map((s) => s.values)).toEqual([[3, 3072, 2, 2048]]);
    expect(f.profile.samples).toHaveLength(3);
  });

  it('ignores count lines before the first @ (the header totals)', () => {
    // If the header t* 3: 3072 were counted anywhere, a sample would hold 6 objects, or a 4th sample exist.
    const f = read(threaded);
    const inuseObjects = f.profile.samples.map((s) => s.values[IO]);
    expect(inuseObjects).toEqual(expect.arrayContaining([3, 1, 2]));
    expect(inuseObjects.reduce((a, b) => a + b, 0)).toBe(3 + 1 + 2);
  });

  it('keeps the leaf address and subtracts 1 from every caller address', () => {
    const f = read(threaded);
    // 0x7f6c632a2d21 - 1 = 0x7f6c632a2d20, 0x55ac4ad972e9 - 1 = 0x55ac4ad972e8
    expect(addrs(all(f.profile)[0])).toEqual([0x7f6c632a2630n, 0x7f6c632a2d20n, 0x55ac4ad972e8n]);
  });

  it('wraps a caller address of 0x0 to 0xffffffffffffffff', () => {
    const f = read('heap_v2/0\n@ 0x55ac4ad971a1 0x0 0xffffffffff600005 0x55ac4ad972e9\n  t*: 1: 1048576 [0: 0]\nMAPPED_LIBRARIES:\n');
    // Reference §4.1: leaf kept, 0x0 - 1 wraps, 0xffffffffff600005 - 1 = 0xffffffffff600004.
    expect(addrs(f.profile.samples[0])).toEqual([0x55ac4ad971a1n, 0xffffffffffffffffn, 0xffffffffff600004n, 0x55ac4ad972e8n]);
  });

  it('shares one Location per address between stacks', () => {
    const f = read('heap_v2/0\n@ 0x10 0x21\n  t*: 1: 1 [0: 0]\n@ 0x11 0x21\n  t*: 1: 1 [0: 0]\nMAPPED_LIBRARIES:\n');
    const [a, b] = f.profile.samples;
    expect(a.locations[1]).toBe(b.locations[1]);
    expect(a.locations[1].address).toBe(0x20n);
  });

  it('records the highest adjusted address of any counted stack', () => {
    const f = read('heap_v2/0\n@ 0x10 0x7f0000000001\n  t*: 1: 1 [0: 0]\n@ 0x7fffffff0000\nMAPPED_LIBRARIES:\n');
    // 0x7f0000000001 - 1; the stack 0x7fffffff0000 has no count line, so it is not a PC jeprof saw.
    expect(f.maxAddress).toBe(0x7f0000000000n);
  });

  it('unsamples at rate 1 with k = 1/(1 - exp(-(s/n)/R)) for each pair', () => {
    const f = read('heap_v2/1\n@ 0x10\n  t*: 1: 8 [2: 16]\nMAPPED_LIBRARIES:\n');
    // in-use pair: r = 8/1/1 = 8; alloc pair: r = 16/2/1 = 8, same k.
    const k = 1 / (1 - glibcExp(-(8 / 1 / 1)));
    const k2 = 1 / (1 - glibcExp(-(16 / 2 / 1)));
    expect(f.profile.samples[0].values).toEqual([2 * k2, 16 * k2, 1 * k, 8 * k]);
    // The reference's "8-byte average -> k = 1.000335" (printed truncated): e^-8 = 0.000335..., k = 1.000335...
    expect(k).toBeGreaterThan(1.000335);
    expect(k).toBeLessThan(1.000336);
  });

  it('reproduces the reference seed stack at rate 1 (1999329: 15994633)', () => {
    const f = read('heap_v2/1\n@ 0x10\n  t*: 1999329: 15994633 [0: 0]\nMAPPED_LIBRARIES:\n');
    const v = f.profile.samples[0].values;
    // Reference §3: n = 1999999.9248950349, s = 16000000.399495855 (perl, glibc exp). 1e-7 leaves
    // room for a 1-ulp difference between V8's and glibc's exp (about 4e-10 here).
    expect(v[IO]).toBeCloseTo(1999999.9248950349, 7);
    expect(v[IS]).toBeCloseTo(16000000.399495855, 7);
    // [0: 0] stays exactly 0: the pair is left alone when n = 0.
    expect(v[AO]).toBe(0);
    expect(v[AS]).toBe(0);
  });

  it('reproduces the reference rate-524288 examples', () => {
    const f = read(
      'heap_v2/524288\n@ 0x10\n  t*: 9: 9517675 [0: 0]\n@ 0x20\n  t*: 1: 4096 [0: 0]\n@ 0x30\n  t*: 1: 2048 [0: 0]\nMAPPED_LIBRARIES:\n',
    );
    const [a, b, c] = f.profile.samples.map((s) => s.values);
    // Reference §3 (out/t1_def), three decimals given -> tolerance 5e-3.
    expect(a[IS]).toBeCloseTo(10978296.469, 2);
    expect(a[IO]).toBeCloseTo(10.381, 2);
    expect(b[IS]).toBeCloseTo(526338.67, 2);
    expect(b[IO]).toBeCloseTo(128.5, 2);
    expect(c[IS]).toBeCloseTo(525312.67, 2);
    expect(c[IO]).toBeCloseTo(256.5, 2);
    // And exactly jeprof's operation order: ratio = (s / n) / R.
    const k = 1 / (1 - glibcExp(-(9517675 / 9 / 524288)));
    expect(a[IS]).toBe(9517675 * k);
    expect(a[IO]).toBe(9 * k);
  });

  it('does not adjust at rate 0', () => {
    const f = read('heap_v2/0\n@ 0x10\n  t*: 1: 8 [2: 16]\nMAPPED_LIBRARIES:\n');
    expect(f.profile.samples[0].values).toEqual([2, 16, 1, 8]);
  });

  it('adds up repeated blocks of the same stack', () => {
    const f = read(
      'heap_v2/0\n@ 0x10 0x21\n  t*: 1: 100 [0: 0]\n  t3: 1: 100 [0: 0]\n@ 0x30\n  t*: 7: 7 [0: 0]\n@ 0x10 0x21\n  t*: 2: 50 [0: 0]\n  t3: 2: 50 [0: 0]\nMAPPED_LIBRARIES:\n',
    );
    // 1 + 2 = 3 objects, 100 + 50 = 150 bytes, for t* and for t3 separately.
    const s = all(f.profile).find((x) => x.locations[0].address === 0x10n)!;
    expect(s.values).toEqual([0, 0, 3, 150]);
    expect(thread(f.profile, '3').map((x) => x.values)).toEqual([[0, 0, 3, 150]]);
    expect(all(f.profile)).toHaveLength(2);
  });

  it("adds the counts after a bare '@' line to the previous stack, with a warning naming file:line", () => {
    const f = read('heap_v2/0\n@ 0x10\n  t*: 1: 10 [0: 0]\n@\n  t*: 2: 20 [0: 0]\nMAPPED_LIBRARIES:\n', 'bare.heap');
    // 10 + 20 on the stack 0x10 (reference §2.2, §8.15).
    expect(f.profile.samples).toHaveLength(1);
    expect(f.profile.samples[0].values[IS]).toBe(30);
    expect(f.warnings.some((w) => w.startsWith('bare.heap:4:'))).toBe(true);
  });

  it('ignores a malformed count line with a warning naming file:line', () => {
    const f = read('heap_v2/0\n@ 0x10\n  t*: 1 : 50 [0: 0]\n  t*: 1: 10 [0: 0]\nMAPPED_LIBRARIES:\n', 'g.heap');
    // 't*: 1 : 50 [0: 0]' is not jeprof's shape (space before ':'): only the 10 counts.
    expect(f.profile.samples[0].values[IS]).toBe(10);
    expect(f.warnings.some((w) => w.startsWith('g.heap:3:'))).toBe(true);
  });

  it('ignores a garbage line with a warning naming file:line', () => {
    const f = read('heap_v2/0\n@ 0x10\n  t*: 1: 10 [0: 0]\ngarbage line here\nMAPPED_LIBRARIES:\n', 'g.heap');
    expect(f.profile.samples[0].values[IS]).toBe(10);
    expect(f.warnings.filter((w) => w.startsWith('g.heap:4:'))).toHaveLength(1);
  });

  it('reads CRLF files like LF files, and keeps no \\r in the map text', () => {
    const lf = 'heap_v2/0\n@ 0x10 0x21\n  t*: 1: 10 [2: 20]\n  t1: 1: 10 [2: 20]\nMAPPED_LIBRARIES:\n00400000-00401000 r-xp 00000000 fe:00 1 /lib/x.so\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = read(lf);
    const b = read(crlf);
    expect(b.profile.samples.map((s) => [s.values, addrs(s), s.labels.get('thread')])).toEqual(
      a.profile.samples.map((s) => [s.values, addrs(s), s.labels.get('thread')]),
    );
    expect(b.profile.samples[0].values).toEqual([2, 20, 1, 10]);
    expect(b.mapText).toBe('00400000-00401000 r-xp 00000000 fe:00 1 /lib/x.so\n');
    expect(b.warnings).toEqual([]);
  });

  it('captures everything after MAPPED_LIBRARIES: verbatim', () => {
    const map = '55ac4ad96000-55ac4ad97000 r--p 00000000 fe:00 2146626      /home/dev/facts/src/t1\n  odd   line  \n\n7ffd4c5e0000-7ffd4c5e2000 r-xp 00000000 00:00 0                          [vdso]\n';
    const f = read(`heap_v2/0\n@ 0x10\n  t*: 1: 10 [0: 0]\n\nMAPPED_LIBRARIES:\n${map}`);
    expect(f.mapText).toBe(map);
    expect(f.warnings).toEqual([]);
  });

  it('warns when MAPPED_LIBRARIES is missing and still reads the samples', () => {
    const f = read('heap_v2/0\n@ 0x10\n  t*: 1: 10 [0: 0]\n', 'nomap.heap');
    expect(f.profile.samples[0].values[IS]).toBe(10);
    expect(f.mapText).toBe('');
    expect(f.warnings.some((w) => w.includes('nomap.heap') && w.includes('MAPPED_LIBRARIES'))).toBe(true);
  });

  it('warns about a stack without count lines, naming its line, and makes no sample of it', () => {
    const f = read('heap_v2/0\n@ 0x10\n@ 0x20\n  t*: 1: 10 [0: 0]\nMAPPED_LIBRARIES:\n', 'nc.heap');
    expect(f.profile.samples.map((s) => addrs(s))).toEqual([[0x20n]]);
    expect(f.warnings.some((w) => w.startsWith('nc.heap:2:'))).toBe(true);
  });

  it('keeps the period (rate) and kind heap', () => {
    const f = read('heap_v2/524288\nMAPPED_LIBRARIES:\n');
    expect(f.profile.period).toBe(524288);
    expect(f.kind).toBe('heap');
    expect(f.profile.samples).toEqual([]);
  });

  it.each(['heap_v2/', 'heap_v3/1', 'heapfoo'])('refuses the header %s with a ProfileFormatError naming file and line', (h) => {
    const reader = new LineReader(`%warn x\n${h}\n`);
    reader.next();
    const header = reader.next()!;
    let err: unknown;
    try {
      readJemallocHeap('bad.heap', header, reader, new LocationTable());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProfileFormatError);
    const pe = err as ProfileFormatError;
    expect(pe.file).toBe('bad.heap');
    expect(pe.line).toBe(2);
    expect(pe.message.startsWith('bad.heap:2:')).toBe(true);
  });
});
