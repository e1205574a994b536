// Tests the threadRows option of readJemallocHeap: per-thread rows skipped as samples (no --thread)
// must leave everything else exactly as when they are kept.
import { describe, expect, it } from 'vitest';
import { readJemallocHeap } from '../../src/parse/jemalloc-heap.js';
import { LineReader } from '../../src/parse/lines.js';
import { LocationTable } from '../../src/model/locations.js';
import { ProfileFormatError } from '../../src/model/errors.js';
import { checkProfile } from '../../src/model/check.js';

function read(text: string, threadRows: boolean) {
  const reader = new LineReader(text);
  const header = reader.next()!;
  return readJemallocHeap('x.heap', header, reader, new LocationTable(), { threadRows });
}

const dump = [
  'heap_v2/524288',
  '  t*: 3: 3072 [0: 0]',
  '  t0: 1: 1024 [0: 0]',
  '@ 0x7f6c632a2630 0x55ac4ad972e9',
  '  t*: 3: 3072 [5: 5120]',
  '  t0: 1: 1024 [2: 2048]',
  '  t1: 2: 2048 [3: 3072]',
  // A stack with per-thread rows only: jeprof still symbolizes its PCs (AddEntries fills %pcs).
  '@ 0x7f6c632a2640 0x55ac4ad97401',
  '  t2: 1: 64 [1: 64]',
  '@ 0x7f6c632a2650 0x55ac4ad97501',
  '  t*: 7: 700 [9: 900]',
  'MAPPED_LIBRARIES:',
  '55ac4ad97000-55ac4ad98000 r-xp 00001000 fe:00 2146626      /home/dev/t1',
  '',
].join('\n');

const view = (f: ReturnType<typeof read>) => ({
  samples: f.profile.samples.filter((s) => s.labels.size === 0).map((s) => [s.values, s.locations.map((l) => l.address)]),
  locations: f.profile.locations.map((l) => l.address),
  maxAddress: f.maxAddress,
  warnings: f.warnings,
});

describe('readJemallocHeap threadRows', () => {
  it('without thread rows gives the same all-threads samples, PCs, end address and warnings', () => {
    const kept = read(dump, true);
    const skipped = read(dump, false);
    expect(skipped.profile.samples.every((s) => s.labels.size === 0)).toBe(true);
    expect(skipped.profile.samples).toHaveLength(2);
    expect(kept.profile.samples).toHaveLength(5);
    expect(view(skipped)).toEqual(view(kept));
    // The thread-only stack's PCs (leaf, and caller minus one) are among the profile's locations.
    expect(view(skipped).locations).toEqual(expect.arrayContaining([0x7f6c632a2640n, 0x55ac4ad97400n]));
  });

  it('builds profiles that pass the model check either way', () => {
    expect(() => checkProfile(read(dump, true).profile, { allowNaN: true })).not.toThrow();
    expect(() => checkProfile(read(dump, false).profile, { allowNaN: true })).not.toThrow();
  });

  it('still stops at a thread row jeprof dies on (0 bytes cannot be unsampled)', () => {
    const bad = 'heap_v2/524288\n@ 0x10 0x21\n  t*: 1: 10 [1: 10]\n  t3: 1: 0 [0: 0]\nMAPPED_LIBRARIES:\n';
    for (const threadRows of [true, false]) {
      let err: unknown;
      try {
        read(bad, threadRows);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ProfileFormatError);
      expect((err as ProfileFormatError).line).toBe(4);
    }
  });
});
