// Tests the analysis of a parsed dump's stacks read in place from the parser's table (a dump's
// samples as their own stacks, PooledStack for another sample type, FlatStacks over a StackStore)
// against the same stacks as plain Location lists.
import { describe, expect, it } from 'vitest';
import { parseProfileText } from '../../src/parse/index.js';
import { LocationTable } from '../../src/model/locations.js';
import { analyze } from '../../src/graph/analyze.js';
import { FlatStacks } from '../../src/graph/flat-stacks.js';
import { PooledStack, sampleOfStack, stacksOf, type Stack } from '../../src/graph/stacks.js';
import { PooledSample } from '../../src/model/stack-store.js';
import type { Granularity } from '../../src/graph/granularity.js';
import type { Location, Profile } from '../../src/model/profile.js';
import { merge, subtract } from '../../src/model/merge.js';

// Leaf first (callers' return addresses become address - 1). 0x1010 malloc and 0x1020 operator new are allocator frames; two stacks trim to
// the same list; one PC stays unnamed; f and g share lines so that rows merge at both levels.
const dump = [
  'heap_v2/524288',
  '  t*: 9: 9000 [0: 0]',
  '@ 0x1010 0x2001 0x3001 0x4001',
  '  t*: 3: 3072 [5: 5120]',
  '  t0: 3: 3072 [5: 5120]',
  '@ 0x1020 0x2001 0x3001 0x4001',
  '  t*: 1: 100 [1: 100]',
  '@ 0x2000 0x3001 0x4001',
  '  t*: 2: 2000 [2: 2000]',
  '@ 0x1010 0x5001 0x3001 0x6001 0x4001',
  '  t*: 7: 777 [7: 777]',
  '@ 0x7001 0x2001 0x4001',
  '  t*: 1: 1 [1: 1]',
  'MAPPED_LIBRARIES:',
  '',
].join('\n');

const names: Record<string, string> = { '1010': 'malloc', '1020': 'operator new', '2000': 'f', '3000': 'g', '4000': 'main', '5000': 'f', '6000': 'g' };

function parsed(table = new LocationTable(), text = dump) {
  const f = parseProfileText(text, 'x.heap', table, { threadRows: true });
  for (const loc of f.profile.locations) {
    const name = names[loc.address.toString(16)];
    if (name) loc.lines = [{ func: { id: loc.id, name, systemName: name, filename: '' }, line: 1, fileLine: `${name}.c:1` }];
  }
  return f;
}

const ids = (locs: readonly Location[]) => locs.map((l) => l.id);

describe('pooled stacks', () => {
  it('a dump sample keeps its stack in the parser table, and stacksOf hands the analysis the table itself', () => {
    const f = parsed();
    expect(f.profile.samples.every((s) => s instanceof PooledSample)).toBe(true);
    const allThreads = f.profile.samples.filter((s) => !s.labels.size);
    // The first sample type asked: the samples are their own stacks, no object made per stack.
    const stacks = stacksOf(f.profile, 3);
    expect(stacks.length).toBe(allThreads.length);
    stacks.forEach((s, i) => expect(s).toBe(allThreads[i]));
    // Another type: wrappers around the same samples, read in place too.
    const other = stacksOf(f.profile, 1);
    expect(other.every((s) => s instanceof PooledStack)).toBe(true);
    other.forEach((s, i) => expect(sampleOfStack(s)).toBe(allThreads[i]));
    const store = (f.profile.samples[0] as PooledSample).store;
    for (const list of [stacks, other]) {
      const flat = new FlatStacks(list);
      expect(flat.ids).toBe(store.table.data);
      expect(Array.from(flat.ids.subarray(flat.starts[3], flat.ends[3]), (id) => flat.location(id).address)).toEqual([0x1010n, 0x5000n, 0x3000n, 0x6000n, 0x4000n]);
    }
    // A thread's stacks are its samples too.
    const t0 = stacksOf(f.profile, 3, '0');
    expect(t0.length).toBe(1);
    expect(t0[0]).toBe(f.profile.samples.find((s) => s.labels.size));
  });

  it("reads its value from the sample's row, for the type first asked of the dump and for any other", () => {
    const f = parsed();
    const samples = (f.profile.samples as PooledSample[]).filter((s) => !s.labels.size);
    const [a, b] = stacksOf(f.profile, 3);
    // Unsampled values of the first stack's row, distinct per column.
    const [v1, v3] = [samples[0].valueAt(1), samples[0].valueAt(3)];
    expect(v1).not.toBe(v3);
    expect([a.value, b.value]).toEqual([v3, samples[1].valueAt(3)]);
    // A sample is shared by every reader of the dump: assigning its value as a stack fails
    // loudly instead of changing the dump.
    expect(() => {
      a.value += 1;
    }).toThrow(TypeError);
    expect(samples[0].valueAt(3)).toBe(v3);
    // Another type asked later reads its own column, and the first type's stacks keep theirs.
    const ones = stacksOf(f.profile, 1);
    expect(ones.map((s) => s.value)).toEqual(samples.map((s) => s.valueAt(1)));
    expect(ones[0].value).toBe(v1);
    expect(a.value).toBe(v3);
    expect(stacksOf(f.profile, 3).map((s) => s.value)).toEqual(samples.map((s) => s.valueAt(3)));
    // A wrapper's value can be given to that stack alone.
    ones[0].value += 1;
    expect([ones[0].value, samples[0].valueAt(1)]).toEqual([v1 + 1, v1]);
  });

  it('analyses exactly as the same stacks given as Location lists, in every granularity', () => {
    for (const g of ['functions', 'lines', 'addresses', 'files', 'address-only'] as (Granularity | 'address-only')[]) {
      for (const sampleIndex of [1, 3]) {
        const f = parsed();
        const pooled = stacksOf(f.profile, sampleIndex);
        const plain: Stack[] = pooled.map((s) => ({ locations: [...s.locations], value: s.value }));
        const o = { granularity: g, renames: new Map(), runIds: new Map() };
        const a = analyze(pooled, o);
        const b = analyze(plain, o);
        expect([...a.flatCum.flat]).toEqual([...b.flatCum.flat]);
        expect([...a.flatCum.cum]).toEqual([...b.flatCum.cum]);
        expect(a.stacks.map((s) => [ids(s.locations), s.value])).toEqual(b.stacks.map((s) => [ids(s.locations), s.value]));
        expect(a.flatCum.flat.size).toBeGreaterThan(1);
      }
    }
  });

  it('stacks of two dumps of one run (--base) are copied from both tables, and analyse as Location lists do', () => {
    const table = new LocationTable();
    // The base lacks one stack, has one the current dump lacks, and differs in the others.
    const base = dump.replace('  t*: 7: 777 [7: 777]', '  t*: 1: 1 [1: 1]').replace('@ 0x7001 0x2001 0x4001', '@ 0x8001 0x2001 0x4001');
    const cur = parsed(table);
    const old = parsed(table, base);
    const diff = subtract(cur.profile, old.profile, false);
    const pooled = stacksOf(diff, 3);
    expect(pooled.every((s) => s instanceof PooledSample)).toBe(true);
    expect(new Set(pooled.map((s) => sampleOfStack(s)!.store)).size).toBe(2);
    const flat = new FlatStacks(pooled);
    expect(flat.ids).not.toBe((cur.profile.samples[0] as PooledSample).store.table.data);
    const plain: Stack[] = pooled.map((s) => ({ locations: [...s.locations], value: s.value }));
    const o = { granularity: 'functions' as const, renames: new Map(), runIds: new Map() };
    const a = analyze(pooled, o);
    const b = analyze(plain, o);
    expect([...a.flatCum.flat]).toEqual([...b.flatCum.flat]);
    expect([...a.flatCum.cum]).toEqual([...b.flatCum.cum]);
    expect(a.stacks.map((s) => [ids(s.locations), s.value])).toEqual(b.stacks.map((s) => [ids(s.locations), s.value]));
    expect(a.flatCum.flat.has('0000000000008001')).toBe(true);
  });

  it('dumps add up and subtract, matched by their tables\' ids, as the same samples with Location lists do', () => {
    const table = new LocationTable();
    // The base also has a stack that differs from one of the current dump's in its root frame only.
    const base = dump
      .replace('  t*: 7: 777 [7: 777]', '  t*: 1: 1 [1: 1]')
      .replace('@ 0x7001 0x2001 0x4001', '@ 0x8001 0x2001 0x4001')
      .replace('MAPPED_LIBRARIES:', '@ 0x2000 0x3001 0x9001\n  t*: 5: 50 [5: 50]\nMAPPED_LIBRARIES:');
    const cur = parsed(table).profile;
    const old = parsed(table, base).profile;
    const plain = (p: Profile): Profile => ({ ...p, samples: p.samples.map((x) => ({ locations: [...x.locations], values: [...x.values], labels: new Map(x.labels) })) });
    const view = (p: Profile) => p.samples.map((x) => [ids(x.locations), x.values, [...x.labels]]);
    for (const drop of [false, true]) expect(view(subtract(cur, old, drop))).toEqual(view(subtract(plain(cur), plain(old), drop)));
    expect(view(merge([cur, old, cur]))).toEqual(view(merge([plain(cur), plain(old), plain(cur)])));
    expect(view(subtract(cur, old, false)).length).toBeGreaterThan(view(subtract(cur, old, true)).length);
  });

  it('trims allocator frames and merges stacks equal once trimmed', () => {
    const a = analyze(stacksOf(parsed().profile, 1), { granularity: 'functions', renames: new Map(), runIds: new Map() });
    // Stacks 1, 2 and 3 are f g main once trimmed; stack 4 is f g g main; stack 5 starts unnamed.
    expect(a.stacks.map((s) => s.locations.map((l) => l.address))).toEqual([
      [0x2000n, 0x3000n, 0x4000n],
      [0x5000n, 0x3000n, 0x6000n, 0x4000n],
      [0x7001n, 0x2000n, 0x4000n],
    ]);
    expect(a.flatCum.flat.get('f')).toBe(a.stacks[0].value + a.stacks[1].value);
    expect(a.flatCum.flat.get('0000000000007001')).toBe(a.stacks[2].value);
  });
});
