// Tests removeAllocatorFrames and filterFrames (src/graph/frames.ts): jeprof's RemoveUninterestingFrames and --retain/--exclude, reference §5.10, §6.6.
import { describe, expect, it } from 'vitest';
import { filterFrames, recordName, removeAllocatorFrames } from '../../src/graph/frames.js';
import type { Stack } from '../../src/graph/stacks.js';
import type { Location } from '../../src/model/profile.js';

let nextId = 1;
/** A Location with one frame level per name, outermost first; no names = no symbol record. */
function loc(address: bigint, ...names: string[]): Location {
  const id = nextId++;
  return {
    id,
    address,
    lines: names.map((name, i) => ({ func: { id: id * 10 + i, name, systemName: name, filename: '' }, line: 0, fileLine: '??:?' })),
  };
}

function names(s: Stack): string[] {
  return s.locations.map((l) => recordName(l) ?? `#${l.address.toString(16)}`);
}

describe('removeAllocatorFrames', () => {
  it('drops everything leaf-side of the last allocator frame, and the frame itself', () => {
    // Reference §5.10 seed shape: internals named malloc_usable_size, then malloc (skip), then
    // the operator-new helper (malloc_usable_size, kept), then user code.
    const s: Stack = {
      locations: [loc(1n, 'malloc_usable_size'), loc(2n, 'malloc_usable_size'), loc(3n, 'malloc'), loc(4n, 'malloc_usable_size'), loc(5n, 'main')],
      value: 100,
    };
    const [r] = removeAllocatorFrames([s]);
    expect(names(r)).toEqual(['malloc_usable_size', 'main']);
    expect(r.value).toBe(100);
  });

  it('uses the last (root-most) skipped frame: a, malloc, b, calloc, c, main -> c, main', () => {
    const s: Stack = { locations: [loc(1n, 'a'), loc(2n, 'malloc'), loc(3n, 'b'), loc(4n, 'calloc'), loc(5n, 'c'), loc(6n, 'main')], value: 1 };
    expect(names(removeAllocatorFrames([s])[0])).toEqual(['c', 'main']);
  });

  it('skips operator new, operator new[], posix_memalign, ::do_malloc, void* newImpl and Mach-O _malloc', () => {
    for (const n of ['operator new', 'operator new[]', 'posix_memalign', '::do_malloc', 'void* newImpl', '_malloc', 'sdallocx_noflags', '__start_malloc_hook']) {
      const s: Stack = { locations: [loc(1n, n), loc(2n, 'user')], value: 1 };
      expect(names(removeAllocatorFrames([s])[0]), n).toEqual(['user']);
    }
  });

  it('skips names matching TCMalloc anywhere or tcmalloc:: at the start', () => {
    const a: Stack = { locations: [loc(1n, 'xTCMallocY'), loc(2n, 'user')], value: 1 };
    const b: Stack = { locations: [loc(3n, 'tcmalloc::Alloc'), loc(4n, 'user2')], value: 1 };
    const c: Stack = { locations: [loc(5n, 'my::tcmalloc::x'), loc(6n, 'user3')], value: 1 };
    const r = removeAllocatorFrames([a, b, c]);
    expect(r.map(names)).toEqual([['user'], ['user2'], ['my::tcmalloc::x', 'user3']]);
  });

  it('does not skip near misses: malloc_usable_size, je_malloc_default, imalloc, Malloc', () => {
    const s: Stack = { locations: [loc(1n, 'malloc_usable_size'), loc(2n, 'je_malloc_default'), loc(3n, 'imalloc'), loc(4n, 'Malloc'), loc(5n, 'main')], value: 1 };
    expect(names(removeAllocatorFrames([s])[0])).toEqual(['malloc_usable_size', 'je_malloc_default', 'imalloc', 'Malloc', 'main']);
  });

  it('keeps frames without a symbol record and never treats them as allocator frames', () => {
    const s: Stack = { locations: [loc(0x1234n), loc(2n, 'main')], value: 1 };
    expect(names(removeAllocatorFrames([s])[0])).toEqual(['#1234', 'main']);
    const t: Stack = { locations: [loc(0x99n), loc(3n, 'malloc'), loc(0x77n), loc(4n, 'main')], value: 1 };
    expect(names(removeAllocatorFrames([t])[0])).toEqual(['#77', 'main']);
  });

  it('judges a frame by its outermost function only (first triple), not by inlined levels', () => {
    const inlinedMalloc: Stack = { locations: [loc(1n, 'user', 'malloc'), loc(2n, 'main')], value: 1 };
    expect(names(removeAllocatorFrames([inlinedMalloc])[0])).toEqual(['user', 'main']);
    const outerMalloc: Stack = { locations: [loc(3n, 'malloc', 'inlined'), loc(4n, 'main')], value: 1 };
    expect(names(removeAllocatorFrames([outerMalloc])[0])).toEqual(['main']);
  });

  it('keeps a stack that becomes empty, with its value', () => {
    const s: Stack = { locations: [loc(1n, 'x'), loc(2n, 'malloc')], value: 1048576 };
    const r = removeAllocatorFrames([s]);
    expect(r).toEqual([{ locations: [], value: 1048576 }]);
  });

  it('adds up stacks that become equal', () => {
    const main = loc(9n, 'main');
    const a: Stack = { locations: [loc(1n, 'malloc'), main], value: 10 };
    const b: Stack = { locations: [loc(2n, 'calloc'), main], value: 5 };
    const r = removeAllocatorFrames([a, b]);
    expect(r).toHaveLength(1);
    expect(r[0].locations).toEqual([main]);
    expect(r[0].value).toBe(15);
  });
});

describe('filterFrames', () => {
  const alloc = loc(0x1189n, 'alloc_big');
  const main = loc(0x12b7n, 'main');
  const libc = loc(0x7f00n, '__libc_start_main_impl');
  const start = loc(0x10a0n, '_start');
  const anon = loc(0x1234n);

  it('returns the stacks unchanged without --retain/--exclude', () => {
    const s: Stack[] = [{ locations: [alloc, main], value: 1 }];
    expect(filterFrames(s)).toEqual(s);
  });

  it('--retain keeps only matching frames', () => {
    const r = filterFrames([{ locations: [alloc, main, libc, start], value: 7 }], /^(main|_start)$/);
    expect(r).toEqual([{ locations: [main, start], value: 7 }]);
  });

  it("--exclude removes matching frames (substring match: 'main' also hits __libc_start_main_impl)", () => {
    // Reference §6.6: --exclude='alloc_big|main' moves alloc_big's value onto _start.
    const r = filterFrames([{ locations: [alloc, main, libc, start], value: 10485760 }], undefined, /alloc_big|main/);
    expect(r).toEqual([{ locations: [start], value: 10485760 }]);
  });

  it('drops stacks left without frames', () => {
    const r = filterFrames(
      [
        { locations: [alloc, main], value: 3 },
        { locations: [start], value: 4 },
      ],
      undefined,
      /alloc_big|main/,
    );
    expect(r).toEqual([{ locations: [start], value: 4 }]);
  });

  it('tests the 16-hex address of a frame without a record', () => {
    const r = filterFrames([{ locations: [anon, main], value: 1 }], undefined, /^0000000000001234$/);
    expect(r).toEqual([{ locations: [main], value: 1 }]);
  });

  it('adds up stacks that become equal', () => {
    const r = filterFrames(
      [
        { locations: [alloc, main], value: 3 },
        { locations: [loc(0x11c2n, 'rec'), main], value: 4 },
      ],
      /^main$/,
    );
    expect(r).toEqual([{ locations: [main], value: 7 }]);
  });
});
