// Tests the recycler of large typed arrays: Int32 arrays handed on, and Float64 views over them.
import { beforeEach, describe, expect, it } from 'vitest';
import { clearRecycled, giveFloats, giveInts, takeFloats, takeInts } from '../../src/model/int-recycler.js';

describe('int recycler', () => {
  beforeEach(clearRecycled);

  it('hands a given array to the next taker of about its size, not to a far smaller one', () => {
    const a = takeInts(100_000);
    a[5] = 42;
    giveInts(a);
    // Four times smaller would hold a big array for a small table: a fresh one instead.
    expect(takeInts(20_000).buffer).not.toBe(a.buffer);
    const b = takeInts(60_000);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(60_000);
    // Stale contents: the taker writes before it reads.
    expect(b[5]).toBe(42);
  });

  it('makes Float64 views over recycled Int32 memory, and takes them back whole', () => {
    const ints = takeInts(200_000);
    giveInts(ints);
    const f = takeFloats(100_000);
    expect(f).toBeInstanceOf(Float64Array);
    expect(f.length).toBe(100_000);
    expect(f.buffer).toBe(ints.buffer);
    f[99_999] = 1.5;
    expect(f[99_999]).toBe(1.5);
    giveFloats(f);
    const again = takeInts(200_000);
    expect(again.buffer).toBe(ints.buffer);
    // With nothing to recycle, a new zero-filled one.
    const fresh = takeFloats(50_000);
    expect(fresh.buffer).not.toBe(ints.buffer);
    expect(fresh.every((x) => x === 0)).toBe(true);
  });
});
