// Tests emitPaced (src/cli/output.ts): a report in pieces goes to stdout one piece at a time, each
// taken by stdout before the next is made, so a slow pipe reader never has the whole report queued;
// a piece of bytes goes back to its pool only once stdout says it has written it.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { emitPaced } from '../../src/cli/output.js';
import { takePiece } from '../../src/report/piece-pool.js';

function fakeIO(log: string[], paced: boolean): CliIO {
  return {
    stdout: (t) => void log.push(`write ${typeof t === 'string' ? t : Buffer.from(t).toString()}`),
    stdoutDrained: paced
      ? async () => {
          log.push('drained');
        }
      : undefined,
    stderr: () => undefined,
    env: {},
    cwd: '/',
    stdoutIsTTY: false,
    stdin: Readable.from(['']),
    stdinIsTTY: false,
  };
}

describe('emitPaced', () => {
  it('makes the next piece only once stdout has taken the last', async () => {
    const log: string[] = [];
    function* pieces(): Generator<string | Uint8Array> {
      for (const p of ['a', 'b']) {
        log.push(`make ${p}`);
        yield p;
      }
      log.push('make c');
      yield Buffer.from('c');
    }
    expect(await emitPaced(undefined, fakeIO(log, true), pieces())).toBe(0);
    expect(log).toEqual(['make a', 'write a', 'drained', 'make b', 'write b', 'drained', 'make c', 'write c', 'drained']);
  });

  it('writes a whole report, or pieces to a stdout that takes all at once, as emit does', async () => {
    const log: string[] = [];
    expect(await emitPaced(undefined, fakeIO(log, true), 'whole')).toBe(0);
    expect(await emitPaced(undefined, fakeIO(log, false), ['x', 'y'])).toBe(0);
    expect(log).toEqual(['write whole', 'write x', 'write y']);
  });

  it('gives a piece of bytes back to its pool once stdout has written it, not before', async () => {
    const written: (() => void)[] = [];
    const io: CliIO = { ...fakeIO([], true), stdout: (_, done) => void (done && written.push(done)) };
    const seen: ArrayBufferLike[] = [];
    function* pieces(): Generator<string | Uint8Array> {
      const a = takePiece(10);
      yield a.subarray(0, 3);
      // Stdout has taken it but not yet written it: the pool must not lend it again.
      const b = takePiece(10);
      seen.push(a.buffer, b.buffer);
      yield 'text';
      written[0]();
      seen.push(takePiece(10).buffer);
    }
    await emitPaced(undefined, io, pieces());
    expect(written.length).toBe(1);
    expect(seen[1]).not.toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
  });
});
