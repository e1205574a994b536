// Tests emitPaced (src/cli/output.ts): a report in pieces goes to stdout one piece at a time, each
// taken by stdout before the next is made, so a slow pipe reader never has the whole report queued.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { emitPaced } from '../../src/cli/output.js';

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
});
