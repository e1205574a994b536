// Tests that a report piece is written whole even when each write call takes only part of it
// (writeAll, on libuv's thread pool).
import { describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAll, type AsyncWriteCall } from '../../src/system/write-all.js';

/** A write call that takes at most `most` bytes a call, recording what it was given. */
function stingy(most: number): { write: AsyncWriteCall; got: number[]; calls: number } {
  const r = {
    got: [] as number[],
    calls: 0,
    write: (async (_fd, bytes, offset, length) => {
      r.calls++;
      const n = Math.min(most, length);
      for (let i = 0; i < n; i++) r.got.push(bytes[offset + i]);
      return n;
    }) as AsyncWriteCall,
  };
  return r;
}

describe('writeAll', () => {
  it('calls write again until every byte of a text piece is taken, multi-byte characters included', async () => {
    const text = 'main;operator new(unsigned long);Ü€😀 1234\n'.repeat(3);
    const w = stingy(3);
    await writeAll(7, text, w.write);
    expect(Buffer.from(w.got).toString('utf8')).toBe(text);
    expect(w.calls).toBe(Math.ceil(Buffer.byteLength(text) / 3));
  });

  it('writes a byte piece whole, from its own offset in a shared buffer', async () => {
    const buffer = new Uint8Array(64).map((_, i) => i);
    const w = stingy(7);
    await writeAll(7, buffer.subarray(10, 50), w.write);
    expect(w.got).toEqual(Array.from({ length: 40 }, (_, i) => i + 10));
    expect(w.calls).toBe(6);
  });

  it('fails with a code, not a hang, when a write takes nothing', async () => {
    await expect(writeAll(7, 'abc', async () => 0)).rejects.toMatchObject({ code: 'EIO' });
  });

  it('writes a real file whole with the default write call, piece after piece', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'write-all-'));
    try {
      const fd = openSync(join(dir, 'out'), 'w');
      const big = new Uint8Array(3 << 20).map((_, i) => i * 7);
      await writeAll(fd, big);
      await writeAll(fd, 'tail\n');
      closeSync(fd);
      const back = readFileSync(join(dir, 'out'));
      expect(back.length).toBe(big.length + 5);
      expect(Buffer.compare(back.subarray(0, big.length), Buffer.from(big))).toBe(0);
      expect(back.subarray(big.length).toString()).toBe('tail\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
