// --trim-allocator on hand-built stacks: which frames are the allocator's (by mapping, by entry
// point, libstdc++ plumbing, a static jemalloc's symbols, Rust's shims) and what is left.
import { describe, expect, it } from 'vitest';
import { AllocatorTrimmer, allocatorFrameTest, isAllocatorFunction } from '../../src/graph/allocator-trim.js';
import type { Stack } from '../../src/graph/stacks.js';
import type { Location, Mapping } from '../../src/model/profile.js';
import { inlinedLoc, namedLoc } from '../helpers/locations.js';

const JEMALLOC: Mapping = { id: 1, start: 0x7f0000000000n, limit: 0x7f0000100000n, offset: 0n, file: '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', buildId: '' } as Mapping;
const inMapping = (loc: Location, m: Mapping): Location => ({ ...loc, mapping: m });
const names = (s: Stack) => s.locations.map((l) => l.lines.map((x) => x.func.name).join('>') || `0x${l.address.toString(16)}`);
const trimmer = () => new AllocatorTrimmer(allocatorFrameTest((loc) => loc.mapping === JEMALLOC), 1_000_000);

describe('allocator functions', () => {
  it.each([
    'malloc', 'calloc', 'realloc', 'posix_memalign', '__libc_malloc', 'operator new', 'operator new[]',
    'std::__new_allocator::allocate', '__gnu_cxx::new_allocator::allocate', 'std::allocator_traits::allocate',
    'std::_Rb_tree::_M_get_node', 'std::_Rb_tree::_M_create_node', 'std::_Rb_tree::_Auto_node::_Auto_node',
    'std::_Vector_base::_M_allocate', 'std::__cxx11::basic_string::_M_create', 'std::_Hashtable::_M_allocate_buckets',
    '__rust_alloc', '__rust_realloc', '__rdl_alloc', '__rg_alloc_zeroed',
    'je_malloc', '_rjem_je_prof_backtrace', 'imalloc_body', 'prof_backtrace_impl', 'mallocx', 'malloc_usable_size',
  ])('%s is the allocator', (n) => expect(isAllocatorFunction(n)).toBe(true));

  it.each([
    'add_to_map', 'std::_Rb_tree::_M_emplace_hint_unique', 'std::vector::_M_realloc_insert', 'std::vector::push_back',
    'std::__cxx11::basic_string::_M_mutate', 'my::allocate', 'Cache::allocate', 'mallocate', 'prof', 'rust_alloc_bridge',
  ])('%s is not', (n) => expect(isAllocatorFunction(n)).toBe(false));
});

describe('AllocatorTrimmer', () => {
  it('drops the innermost run of allocator PCs: by mapping (stripped libjemalloc), then by name', () => {
    const s: Stack = {
      locations: [inMapping(namedLoc(0x7f0000000010n, 'malloc_usable_size'), JEMALLOC), inMapping(namedLoc(0x7f0000000020n), JEMALLOC), namedLoc(0x1000n, 'operator new'), namedLoc(0x1100n, 'add_to_map'), namedLoc(0x1200n, 'main')],
      value: 100,
    };
    expect(trimmer().trim([s]).map(names)).toEqual([['add_to_map', 'main']]);
  });

  it('keeps allocator frames that are not innermost (a callback from inside malloc is its caller)', () => {
    const s: Stack = { locations: [namedLoc(0x1n, 'work'), namedLoc(0x2n, 'malloc'), namedLoc(0x3n, 'main')], value: 5 };
    expect(trimmer().trim([s]).map(names)).toEqual([['work', 'malloc', 'main']]);
  });

  it('a stack that is all allocator keeps its outermost frame, so its bytes still have a row', () => {
    const s: Stack = { locations: [namedLoc(0x1n, 'je_malloc'), namedLoc(0x2n, 'imalloc_body')], value: 7 };
    const [t] = trimmer().trim([s]);
    expect(names(t)).toEqual(['imalloc_body']);
    expect(t.value).toBe(7);
  });

  it('cuts allocator functions inlined innermost into the new leaf, as a Location of its own numbered from firstFreeId', () => {
    const leaf = inlinedLoc(0x4000n, ['add_to_map', 'a.cc:3'], ['std::map::operator[]', 'map:5'], ['std::allocator_traits::allocate', 'x:1'], ['std::__new_allocator::allocate', 'y:2']);
    const s: Stack = { locations: [namedLoc(0x10n, 'operator new'), leaf, namedLoc(0x20n, 'main')], value: 3 };
    const t = trimmer();
    const [out] = t.trim([s]);
    expect(names(out)).toEqual(['add_to_map>std::map::operator[]', 'main']);
    expect(out.locations[0].id).toBe(1_000_000);
    expect(out.locations[0].address).toBe(0x4000n);
    // The same cut Location in every dump of a series.
    expect(t.trim([{ ...s, value: 9 }])[0].locations[0]).toBe(out.locations[0]);
    // The original is untouched.
    expect(leaf.lines.length).toBe(4);
  });

  it('adds stacks that became equal, in first-seen order', () => {
    const caller = namedLoc(0x100n, 'leak');
    const out = trimmer().trim([
      { locations: [namedLoc(0x1n, 'malloc'), caller], value: 10 },
      { locations: [namedLoc(0x2n, 'calloc'), caller], value: 5 },
      { locations: [namedLoc(0x3n, 'other')], value: 1 },
    ]);
    expect(out.map((s) => [names(s), s.value])).toEqual([[['leak'], 15], [['other'], 1]]);
  });

  it('leaves stacks without allocator frames as they are', () => {
    const stacks: Stack[] = [{ locations: [namedLoc(0x1n, 'a'), namedLoc(0x2n, 'b')], value: 1 }];
    const out = trimmer().trim(stacks);
    expect(out[0]).toBe(stacks[0]);
  });
});
