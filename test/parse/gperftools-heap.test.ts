// Tests readGperftoolsHeap and headerSampling (src/parse/gperftools-heap.ts): gperftools text heap profiles, reference §2.3, §2.4, §3.
import { describe, expect, it } from 'vitest';
import { headerSampling, readGperftoolsHeap } from '../../src/parse/gperftools-heap.js';
import { glibcExp } from '../../src/parse/glibc-exp.js';
import { LineReader } from '../../src/parse/lines.js';
import { LocationTable } from '../../src/model/locations.js';
import { ProfileFormatError } from '../../src/model/errors.js';

// Value order in a heap Sample: [alloc_objects, alloc_space, inuse_objects, inuse_space].
const IO = 2;
const IS = 3;

function read(text: string, name = 'g.heap') {
  const reader = new LineReader(text);
  const header = reader.next()!;
  return readGperftoolsHeap(name, header, reader, new LocationTable());
}

// The two samples of the first block of reference §2.3, under different headers.
const BODY = '  10:    10000 [    20:    20000] @ 0x40118e 0x4012d6\n   1:  1048576 [     2:  2097152] @ 0x4011ad 0x401318\n\nMAPPED_LIBRARIES:\n';
const BODY_EQUAL_PAIRS = '  10:    10000 [    10:    10000] @ 0x40118e 0x4012d6\n   1:  1048576 [     1:  1048576] @ 0x4011ad 0x401318\n\nMAPPED_LIBRARIES:\n';

function inuseSpaceTotal(text: string): number {
  let t = 0;
  for (const s of read(text).profile.samples) t += s.values[IS];
  return t;
}

describe('headerSampling', () => {
  it("'@ heapprofile': no adjustment, no notice", () => {
    expect(headerSampling('heap profile:   11:  1058576 [    22:  2117152] @ heapprofile')).toEqual({ sampling: { kind: 'none' }, notices: [] });
  });

  it("'@ heap/1048576': v1 at 1048576/2 = 524288", () => {
    expect(headerSampling('heap profile:   11:  1058576 [    22:  2117152] @ heap/1048576')).toEqual({
      sampling: { kind: 'uniform', rate: 524288 },
      notices: ['Adjusting heap profiles for 1-in-524288 sampling rate'],
    });
  });

  it("'@ heap_v2/524288': Poisson at 524288, and 'Heap version 2'", () => {
    expect(headerSampling('heap profile:   11:  1058576 [    22:  2117152] @ heap_v2/524288')).toEqual({
      sampling: { kind: 'poisson', rate: 524288 },
      notices: ['Adjusting heap profiles for 1-in-524288 sampling rate', 'Heap version 2'],
    });
  });

  it('no @ part and equal pairs: v1 at the default 128 KiB', () => {
    expect(headerSampling('heap profile:   11:  1058576 [    11:  1058576]')).toEqual({
      sampling: { kind: 'uniform', rate: 131072 },
      notices: ['Adjusting heap profiles for 1-in-128KB sampling rate'],
    });
  });

  it('no @ part and different pairs: no adjustment', () => {
    expect(headerSampling('heap profile:   11:  1058576 [    22:  2117152]')).toEqual({ sampling: { kind: 'none' }, notices: [] });
  });

  it("'@ growth' (no 'heap' in the type): no adjustment", () => {
    expect(headerSampling('heap profile:   11:  1058576 [    22:  2117152] @ growth')).toEqual({ sampling: { kind: 'none' }, notices: [] });
  });

  it("'@ heap' without a period: v1 at the default 128 KiB", () => {
    expect(headerSampling('heap profile:   11:  1058576 [    22:  2117152] @ heap')).toEqual({
      sampling: { kind: 'uniform', rate: 131072 },
      notices: ['Adjusting heap profiles for 1-in-128KB sampling rate'],
    });
  });

  it("'@ heap_v2' without a period: Poisson at the default 128 KiB", () => {
    expect(headerSampling('heap profile:   11:  1058576 [    22:  2117152] @ heap_v2')).toEqual({
      sampling: { kind: 'poisson', rate: 131072 },
      notices: ['Adjusting heap profiles for 1-in-128KB sampling rate', 'Heap version 2'],
    });
  });

  it('prints the v1 rate with %d: 1000001/2 = 500000.5 -> 500000', () => {
    const r = headerSampling('heap profile:   1:  1 [  2:  2] @ heap/1000001');
    expect(r.sampling).toEqual({ kind: 'uniform', rate: 500000.5 });
    expect(r.notices).toEqual(['Adjusting heap profiles for 1-in-500000 sampling rate']);
  });
});

describe('readGperftoolsHeap', () => {
  it("'@ heapprofile' keeps the numbers: 10000 + 1048576 = 1058576 B (reference)", () => {
    expect(inuseSpaceTotal('heap profile:   11:  1058576 [    22:  2117152] @ heapprofile\n' + BODY)).toBe(1058576);
  });

  it("'@ heap/1048576' gives 6291456 B (reference)", () => {
    // R = 524288. (10, 10000): r = 1000/524288 < 1 -> s = 10000/r = 5242880.
    // (1, 1048576): r = 2 >= 1 -> unchanged. 5242880 + 1048576 = 6291456.
    const f = read('heap profile:   11:  1058576 [    22:  2117152] @ heap/1048576\n' + BODY);
    expect(f.notices).toEqual(['Adjusting heap profiles for 1-in-524288 sampling rate']);
    expect(inuseSpaceTotal('heap profile:   11:  1058576 [    22:  2117152] @ heap/1048576\n' + BODY)).toBe(6291456);
  });

  it('v1 math: 10: 10000 at R = 524288 -> 5242.88 objects, 5242880 bytes (reference §3)', () => {
    const f = read('heap profile:   11:  1058576 [    22:  2117152] @ heap/1048576\n' + BODY);
    const s = f.profile.samples.find((x) => x.locations[0].address === 0x40118en)!;
    // r = (10000/10)/524288 = 1000/2^19, exactly representable; 10/r = 5242.88, 10000/r = 5242880.
    expect(s.values[IO]).toBe(5242.88);
    expect(s.values[IS]).toBe(5242880);
    // allocated pair (20, 20000): same r -> 10485.76 objects, 10485760 bytes.
    expect(s.values[0]).toBe(10485.76);
    expect(s.values[1]).toBe(10485760);
  });

  it("'@ heap_v2/524288' gives Total 6460578 B when printed with %d (reference)", () => {
    const f = read('heap profile:   11:  1058576 [    22:  2117152] @ heap_v2/524288\n' + BODY);
    expect(f.notices).toEqual(['Adjusting heap profiles for 1-in-524288 sampling rate', 'Heap version 2']);
    const t = inuseSpaceTotal('heap profile:   11:  1058576 [    22:  2117152] @ heap_v2/524288\n' + BODY);
    // Each pair s * 1/(1 - exp(-(s/n)/R)), summed in file order.
    const expected = 10000 * (1 / (1 - glibcExp(-(10000 / 10 / 524288)))) + 1048576 * (1 / (1 - glibcExp(-(1048576 / 1 / 524288))));
    expect(t).toBe(expected);
    expect(Math.trunc(t)).toBe(6460578);
  });

  it('no @ and equal pairs: v1 at 128 KiB gives 2359296 B (reference)', () => {
    // R = 131072. (10, 10000): r = 1000/131072 < 1 -> 10000/r = 1310720. (1, 1048576): r = 8 -> unchanged.
    // 1310720 + 1048576 = 2359296.
    const f = read('heap profile:   11:  1058576 [    11:  1058576]\n' + BODY_EQUAL_PAIRS);
    expect(f.notices).toEqual(['Adjusting heap profiles for 1-in-128KB sampling rate']);
    expect(inuseSpaceTotal('heap profile:   11:  1058576 [    11:  1058576]\n' + BODY_EQUAL_PAIRS)).toBe(2359296);
  });

  it("'@ growth': kind growth, numbers unchanged (1058576 B, reference)", () => {
    const f = read('heap profile:   11:  1058576 [    22:  2117152] @ growth\n' + BODY);
    expect(f.kind).toBe('growth');
    expect(f.notices).toEqual([]);
    expect(f.profile.period).toBe(0);
    expect(inuseSpaceTotal('heap profile:   11:  1058576 [    22:  2117152] @ growth\n' + BODY)).toBe(1058576);
  });

  it('keeps the leaf address and subtracts 1 from callers', () => {
    const f = read('heap profile:   11:  1058576 [    22:  2117152] @ heapprofile\n' + BODY);
    expect(f.profile.samples.map((s) => s.locations.map((l) => l.address))).toEqual([
      [0x40118en, 0x4012d5n],
      [0x4011adn, 0x401317n],
    ]);
  });

  it('puts the pairs in [alloc_objects, alloc_space, inuse_objects, inuse_space] order', () => {
    const f = read('heap profile:   11:  1058576 [    22:  2117152] @ heapprofile\n' + BODY);
    expect(f.profile.samples[0].values).toEqual([20, 20000, 10, 10000]);
  });

  it('adds up repeated stacks', () => {
    const f = read('heap profile:  3: 30 [ 3: 30] @ heapprofile\n 1: 10 [ 1: 10] @ 0x10 0x21\n 2: 20 [ 2: 20] @ 0x10 0x21\nMAPPED_LIBRARIES:\n');
    expect(f.profile.samples).toHaveLength(1);
    expect(f.profile.samples[0].values).toEqual([3, 30, 3, 30]);
  });

  it('refuses a zero count in a v1 sampled profile, naming the line (jeprof dies: division by zero)', () => {
    const text = 'heap profile:   11:  1058576 [    22:  2117152] @ heap/1048576\n  10:    10000 [    20:    20000] @ 0x40118e\n\n   0:        0 [     2:  2097152] @ 0x4011ad 0x401318\n';
    let err: unknown;
    try {
      read(text, 'zero.heap');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProfileFormatError);
    expect((err as ProfileFormatError).line).toBe(4);
    expect((err as ProfileFormatError).message.startsWith('zero.heap:4:')).toBe(true);
  });

  it('accepts a zero count when the profile is not sampled', () => {
    const f = read('heap profile:   1:  10 [  2:  20] @ heapprofile\n   0:        0 [     2:  20] @ 0x10\nMAPPED_LIBRARIES:\n');
    expect(f.profile.samples[0].values).toEqual([2, 20, 0, 0]);
  });

  it('captures the map text verbatim, and warns when it is missing', () => {
    const map = '00400000-00401000 r--p 00000000 fe:00 2146626      /home/dev/facts/src/t1_nopie\n00401000-00402000 r-xp 00001000 fe:00 2146626      /home/dev/facts/src/t1_nopie\n';
    const f = read('heap profile:  1: 1 [ 1: 1] @ heapprofile\n 1: 1 [ 1: 1] @ 0x10\nMAPPED_LIBRARIES:\n' + map);
    expect(f.mapText).toBe(map);
    const g = read('heap profile:  1: 1 [ 1: 1] @ heapprofile\n 1: 1 [ 1: 1] @ 0x10\n', 'nomap.heap');
    expect(g.warnings.some((w) => w.includes('nomap.heap') && w.includes('MAPPED_LIBRARIES'))).toBe(true);
  });

  it('ignores a garbage line, with a warning naming file:line', () => {
    const f = read('heap profile:  1: 1 [ 1: 1] @ heapprofile\ngarbage line here\n 1: 1 [ 1: 1] @ 0x10\nMAPPED_LIBRARIES:\n', 'gb.heap');
    expect(f.profile.samples).toHaveLength(1);
    expect(f.warnings.some((w) => w.startsWith('gb.heap:2:'))).toBe(true);
  });
});
