// Tests emitPaced (src/cli/output.ts): a report in pieces goes to stdout one piece at a time, each
// taken by stdout before the next is made, so a slow pipe reader never has the whole report queued;
// a piece of bytes goes back to its pool only once stdout says it has written it. To a regular
// file, a piece is written off this thread while the next is made, one write at a time, in order.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { emitPaced } from '../../src/cli/output.js';
import { takePiece } from '../../src/report/piece-pool.js';
// @ts-expect-error: plain .mjs bench code
import { generateDump } from '../../bench/gen-dump.mjs';
import { ROOT } from '../reliability/mutations.js';

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

  it('to a regular file, makes the next piece while the last is written, one write at a time, in order', async () => {
    const log: string[] = [];
    const finish: (() => void)[] = [];
    const io: CliIO = {
      ...fakeIO(log, true),
      stdoutToFile: (piece) => {
        const text = Buffer.from(piece).toString();
        log.push(`start ${text}`);
        return new Promise((resolve) => finish.push(() => (log.push(`done ${text}`), resolve())));
      },
    };
    function* pieces(): Generator<string | Uint8Array> {
      for (const p of ['a', 'b', 'c']) {
        log.push(`make ${p}`);
        yield Buffer.from(p);
      }
    }
    const emitted = emitPaced(undefined, io, pieces());
    // Each write ends a while after it starts, the next piece made meanwhile.
    for (let i = 0; i < 3; i++) {
      while (finish.length <= i) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      finish[i]();
    }
    expect(await emitted).toBe(0);
    // The next piece is asked for before the last is written, and made while it is.
    expect(log).toEqual(['make a', 'make b', 'start a', 'make c', 'done a', 'start b', 'done b', 'start c', 'done c']);
  });

  it('to a regular file, a report that fails while a piece is being written waits for that write before it fails', async () => {
    const log: string[] = [];
    let finish: (() => void) | undefined;
    const io: CliIO = {
      ...fakeIO(log, true),
      stdoutToFile: (piece) => {
        log.push(`start ${Buffer.from(piece).toString()}`);
        return new Promise((resolve) => (finish = () => (log.push('done'), resolve())));
      },
    };
    function* failing(): Generator<Uint8Array> {
      yield Buffer.from('a');
      yield Buffer.from('b');
      log.push('fail');
      throw new Error('the report failed');
    }
    const emitted = emitPaced(undefined, io, failing()).catch((e: Error) => void log.push(`rejected: ${e.message}`));
    while (!finish) await new Promise((r) => setImmediate(r));
    for (let t = 0; t < 5; t++) await new Promise((r) => setImmediate(r));
    // The report has failed, but its error waits for the write under way.
    expect(log).toEqual(['start a', 'fail']);
    finish();
    await emitted;
    expect(log).toEqual(['start a', 'fail', 'done', 'rejected: the report failed']);
  });

  it('to a regular file, asks for the next piece while the last is still being made off this thread', async () => {
    const log: string[] = [];
    const ready: (() => void)[] = [];
    const io: CliIO = {
      ...fakeIO(log, true),
      stdoutToFile: async (piece) => void log.push(`write ${Buffer.from(piece).toString()}`),
    };
    function* pieces(): Generator<Promise<Uint8Array>> {
      for (const p of ['a', 'b']) {
        log.push(`make ${p}`);
        // A gzip member on the thread pool: ready some time later.
        yield new Promise((resolve) => ready.push(() => (log.push(`ready ${p}`), resolve(Buffer.from(p)))));
      }
    }
    const emitted = emitPaced(undefined, io, pieces());
    const turns = async () => {
      for (let t = 0; t < 5; t++) await new Promise((r) => setImmediate(r));
    };
    await turns();
    // Both asked for, neither ready: b was made while a was still being made.
    expect(log).toEqual(['make a', 'make b']);
    ready[0]();
    await turns();
    ready[1]();
    expect(await emitted).toBe(0);
    expect(log).toEqual(['make a', 'make b', 'ready a', 'write a', 'ready b', 'write b']);
  });

  it('to a pipe, writes pieces made off this thread in order, each once ready', async () => {
    const log: string[] = [];
    const late = (p: string) => new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(Buffer.from(p)), p === 'a' ? 20 : 1));
    expect(await emitPaced(undefined, fakeIO(log, true), [late('a'), late('b'), 'c'])).toBe(0);
    expect(log).toEqual(['write a', 'drained', 'write b', 'drained', 'write c', 'drained']);
  });
});

describe('emitPaced with -o and a report in pieces', () => {
  const withDir = async (f: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-pieces-o-'));
    try {
      await f(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const io = (dir: string): CliIO => ({ ...fakeIO([], true), cwd: dir });

  it('writes every piece, in order, those made off this thread too, and leaves no temp file', () =>
    withDir(async (dir) => {
      const late = new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(Buffer.from('b;')), 10));
      expect(await emitPaced('out.txt', io(dir), ['a;', late, takePiece(4).fill(99).subarray(0, 4)])).toBe(0);
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('a;b;cccc');
      expect(readdirSync(dir)).toEqual(['out.txt']);
    }));

  it('a report that fails part-way: its error, the file before left as it was, no temp file', () =>
    withDir(async (dir) => {
      writeFileSync(join(dir, 'out.txt'), 'earlier\n');
      function* failing(): Generator<string> {
        yield 'a;';
        throw new Error('the report failed');
      }
      await expect(emitPaced('out.txt', io(dir), failing())).rejects.toThrow('the report failed');
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('earlier\n');
      expect(readdirSync(dir)).toEqual(['out.txt']);
      const rejected = Promise.reject(Object.assign(new Error('gzip failed'), { code: 'Z_DATA_ERROR' }));
      await expect(emitPaced('out.txt', io(dir), ['a;', rejected, 'c'])).rejects.toThrow(/gzip failed/);
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('earlier\n');
      expect(readdirSync(dir)).toEqual(['out.txt']);
    }));
});

describe('collapsed to a regular file (stdout redirected, as the shell does)', () => {
  it('writes the bytes a pipe gets, several pieces of them, also when appending after earlier output', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-stdout-file-'));
    try {
      const CASE = join(ROOT, 'fixtures', 'corpus', 'seed-leak');
      const heap = join(dir, 'many.heap');
      // 30,000 stacks fold to some 4 MB of lines: four 1 MB pieces and more.
      generateDump({ real: join(CASE, 'jeprof.7069.8.f.heap'), out: heap, nStacks: 30_000, targetBytes: 8_000_000, distinct: 30_000 });
      const args = [join(ROOT, 'bin', 'jeprof-ts.js'), 'collapsed', `--map-path=/opt/jeprof-corpus/seed-leak=${CASE}`, join(CASE, 'app'), heap];
      const env = { ...process.env, JEPROF_TS_CACHE: join(dir, 'symbols') };
      const piped = spawnSync(process.execPath, args, { env, maxBuffer: 1 << 30 });
      expect(piped.status, piped.stderr.toString()).toBe(0);
      expect(piped.stdout.length).toBeGreaterThan(4 << 20);
      for (const [flags, before] of [['w', ''], ['a', 'earlier output\n']] as const) {
        const out = join(dir, `out-${flags}`);
        writeFileSync(out, before);
        const fd = openSync(out, flags);
        const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', fd, 'pipe'] });
        closeSync(fd);
        expect(r.status, r.stderr.toString()).toBe(0);
        expect(readFileSync(out).equals(Buffer.concat([Buffer.from(before), piped.stdout]))).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
