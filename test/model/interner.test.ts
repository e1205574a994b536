// Tests IntSequenceTable (src/model/interner.ts) and the array recycling it uses (int-recycler.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import { IntSequenceTable, slotCount } from '../../src/model/interner.js';
import { clearRecycled, giveFloats, giveInts, takeFloats, takeInts } from '../../src/model/int-recycler.js';

/** Interns every sequence and returns the numbers given, plus each entry's stored sequence. */
function run(table: IntSequenceTable, seqs: number[][]): { ids: number[]; stored: number[][] } {
  const ids = seqs.map((s) => table.intern(Int32Array.from(s)));
  const stored = Array.from({ length: table.size }, (_, e) => Array.from(table.sequence(e)));
  return { ids, stored };
}

// Enough sequences for tables whose arrays are big enough to be recycled (16,384 ints and up).
function sequences(seed: number): number[][] {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  const out: number[][] = [];
  for (let i = 0; i < 3000; i++) {
    const len = 1 + (next() % 12);
    out.push(Array.from({ length: len }, () => next() % 500));
    if (i % 7 === 0) out.push(out[next() % out.length]); // repeats
  }
  return out;
}

describe('IntSequenceTable', () => {
  beforeEach(clearRecycled);

  it('numbers equal sequences alike, in first-seen order, and keeps a copy of each', () => {
    const t = new IntSequenceTable();
    const { ids, stored } = run(t, [[1, 2, 3], [4], [1, 2, 3], [], [4], [1, 2]]);
    expect(ids).toEqual([0, 1, 0, 2, 1, 3]);
    expect(stored).toEqual([[1, 2, 3], [4], [], [1, 2]]);
  });

  it('gives the same answers on recycled arrays full of stale numbers as on fresh ones', () => {
    const a = sequences(1);
    const b = sequences(2);
    const fresh = run(new IntSequenceTable(16, 64), b);
    // Fill a table, hand its arrays on, then intern other sequences into tables that reuse them.
    const first = new IntSequenceTable(20000, 40000);
    run(first, a);
    first.release();
    expect(() => first.intern([1])).toThrow(/after release/);
    const reused = new IntSequenceTable(20000, 40000);
    expect(run(reused, b)).toEqual(fresh);
    reused.release();
    const grown = new IntSequenceTable(16, 64);
    expect(run(grown, b)).toEqual(fresh);
  });

  it('with a shared array, numbers ranges of it as copies would be numbered, and copies nothing', () => {
    const seqs = sequences(3);
    const shared = Int32Array.from(seqs.flat());
    const copied = run(new IntSequenceTable(16, 64), seqs);
    const t = new IntSequenceTable(16, 0, shared);
    let at = 0;
    const ids = seqs.map((s) => {
      const id = t.intern(shared, s.length, at);
      at += s.length;
      return id;
    });
    expect(ids).toEqual(copied.ids);
    expect(Array.from({ length: t.size }, (_, e) => Array.from(t.sequence(e)))).toEqual(copied.stored);
    expect(t.data).toBe(shared);
    expect(() => t.intern(Int32Array.from([1, 2]), 2, 0)).toThrow(/outside its shared array/);
    // Released, the table gives back only its own arrays: the caller's array is never recycled.
    const before = Array.from(shared);
    t.release();
    const taken = takeInts(shared.length);
    expect(taken.buffer).not.toBe(shared.buffer);
    taken.fill(-1);
    expect(Array.from(shared)).toEqual(before);
  });
});

describe('a narrow IntSequenceTable', () => {
  it('keeps 16-bit numbers until one does not fit, then widens once and still finds every sequence', () => {
    // A small pool, so it grows while narrow too; the wide number comes mid-way.
    const seqs = sequences(4);
    const mid = seqs.length >> 1;
    seqs.splice(mid, 0, [3, 70000, 5], [65535, 0], [-1]);
    const wide = run(new IntSequenceTable(16, 64), seqs);
    const t = new IntSequenceTable(16, 64, undefined, true);
    const before = seqs.slice(0, mid).map((s) => t.intern(s));
    expect(t.data).toBeInstanceOf(Uint16Array);
    const after = seqs.slice(mid).map((s) => t.intern(s));
    expect(t.data).toBeInstanceOf(Int32Array);
    expect([...before, ...after]).toEqual(wide.ids);
    expect(Array.from({ length: t.size }, (_, e) => Array.from(t.sequence(e)))).toEqual(wide.stored);
    // Found by content after the widening, the earlier ones as the later: no entry is added.
    const size = t.size;
    expect(seqs.map((s) => t.intern(s))).toEqual(wide.ids);
    expect(t.size).toBe(size);
    expect(t.added).toBe(false);
  });

  it('stays 16-bit when every number fits, 65535 included', () => {
    const t = new IntSequenceTable(16, 64, undefined, true);
    expect(t.intern([65535, 0, 1])).toBe(0);
    expect(t.intern([65535, 0, 1])).toBe(0);
    expect(t.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(t.sequence(0))).toEqual([65535, 0, 1]);
  });
});

describe('a sealed IntSequenceTable', () => {
  beforeEach(clearRecycled);

  it('reads on, interns no more, and hands its lookup arrays (only those, once) to the next table', () => {
    const seqs = sequences(5);
    const t = new IntSequenceTable(20000, 40000, undefined, true);
    const { ids, stored } = run(t, seqs);
    t.seal();
    expect(Array.from({ length: t.size }, (_, e) => Array.from(t.sequence(e)))).toEqual(stored);
    expect(() => t.intern(seqs[0])).toThrow(/after seal/);
    expect(() => t.append(seqs[0])).toThrow(/after seal/);
    // The slots, full of entry numbers, go to the next taker of their size.
    const slots = takeInts(slotCount(20000));
    expect(slots.some((v) => v !== 0)).toBe(true);
    t.release();
    expect(takeInts(slotCount(20000)).buffer).not.toBe(slots.buffer);
    expect(new Set(ids).size).toBe(t.size);
  });
});

describe('IntSequenceTable.append', () => {
  it('stores every sequence as a new entry, equal ones too, from any offset', () => {
    const t = new IntSequenceTable(2, 4);
    expect(t.append([7, 8, 9])).toBe(0);
    expect(t.append([0, 7, 8, 9, 0], 3, 1)).toBe(1);
    expect(t.append([5])).toBe(2);
    expect(t.size).toBe(3);
    expect([...t.sequence(0)]).toEqual([7, 8, 9]);
    expect([...t.sequence(1)]).toEqual([7, 8, 9]);
    expect([...t.sequence(2)]).toEqual([5]);
    expect([t.startOf(1), t.lengthOf(1)]).toEqual([3, 3]);
  });
});

describe('takeInts / giveInts', () => {
  beforeEach(clearRecycled);

  it('hands a given-back array to the next taker of a like size, and never twice', () => {
    const a = takeInts(20000);
    a[5] = 42;
    giveInts(a);
    giveInts(a); // a second give must not let two takers share it
    const b = takeInts(20000);
    expect(b.buffer).toBe(a.buffer);
    expect(b[5]).toBe(42); // stale contents: callers that need zeros fill them
    const c = takeInts(20000);
    expect(c.buffer).not.toBe(a.buffer);
    expect(c[5]).toBe(0);
  });

  it('gives an exact length from a longer recycled array, and keeps small ones out', () => {
    const big = takeInts(60000);
    giveInts(big);
    const v = takeInts(30000);
    expect(v.length).toBe(30000);
    expect(v.buffer).toBe(big.buffer);
    giveInts(v); // a view goes back as its whole array
    expect(takeInts(60000).buffer).toBe(big.buffer);
    const small = takeInts(100);
    giveInts(small);
    expect(takeInts(100).buffer).not.toBe(small.buffer);
  });

  it('makes Float64 views over recycled Int32 memory, not over a far bigger array, and takes them back whole', () => {
    const ints = takeInts(200_000);
    giveInts(ints);
    // Four times the size asked is the most a taker gets: a fresh, zero-filled view here.
    const fresh = takeFloats(20_000);
    expect(fresh.buffer).not.toBe(ints.buffer);
    expect(fresh.every((x) => x === 0)).toBe(true);
    const f = takeFloats(100_000);
    expect(f).toBeInstanceOf(Float64Array);
    expect(f.length).toBe(100_000);
    expect(f.buffer).toBe(ints.buffer);
    f[99_999] = 1.5;
    expect(f[99_999]).toBe(1.5);
    giveFloats(f);
    expect(takeInts(200_000).buffer).toBe(ints.buffer);
  });
});

describe('a released table', () => {
  it('throws on any read: its arrays are another table\'s now', () => {
    const t = new IntSequenceTable();
    t.intern([1, 2, 3]);
    t.release();
    expect(() => t.data).toThrow(/read after release/);
    expect(() => t.startOf(0)).toThrow(/read after release/);
    expect(() => t.lengthOf(0)).toThrow(/read after release/);
    expect(() => t.sequence(0)).toThrow(/read after release/);
    expect(() => t.intern([4])).toThrow(/read after release/);
  });
});
