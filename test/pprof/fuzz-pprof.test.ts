// Property test: any damage to a pprof file (cut short, bytes changed, bytes inserted, gzipped or
// not) reads as a profile or as one ProfileFormatError naming the file, never another exception.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { JeprofError, ProfileFormatError } from '../../src/model/errors.js';
import { LocationTable } from '../../src/model/locations.js';
import { readPprof } from '../../src/pprof/from-pprof.js';
import { NotHeapProfileError } from '../../src/pprof/heap-check.js';
import { runCli } from '../helpers/capture.js';
import { installCase } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';

/** What a damaged file may throw: the one-line errors (exit 2). */
const allowed = (e: unknown) => e instanceof ProfileFormatError || e instanceof NotHeapProfileError;

describe('damaged pprof files', () => {
  let raw = new Uint8Array();
  beforeAll(async () => {
    installCase('threads');
    const pb = join(tempDir('jeprof-ts-fuzz-pprof-'), 't.pb.gz');
    const r = await runCli(['proto', '--thread=*', 'app', 'jeprof.30138.10.f.heap', '-o', pb], { cwd: '/opt/jeprof-corpus/threads' });
    expect(r.code, r.stderr).toBe(0);
    raw = gunzipSync(readFileSync(pb));
    // Not trivially small: the properties damage a real export with threads, names and mappings.
    expect(raw.length).toBeGreaterThan(5000);
  });

  it('read as a profile or one ProfileFormatError, raw or gzipped', () => {
    const damage = fc.oneof(
      fc.record({ op: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ op: fc.constant('flip' as const), at: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
    );
    let errors = 0;
    let read = 0;
    fc.assert(
      fc.property(damage, fc.boolean(), (d, gzip) => {
        let bytes: Uint8Array = raw;
        const pos = (x: number) => Math.min(raw.length - 1, Math.floor(x * raw.length));
        if (d.op === 'cut') bytes = raw.subarray(0, pos(d.at));
        if (d.op === 'flip') {
          bytes = Uint8Array.from(raw);
          for (const a of d.at) bytes[pos(a)] = d.byte;
        }
        if (d.op === 'insert') bytes = Buffer.concat([raw.subarray(0, pos(d.at)), d.bytes, raw.subarray(pos(d.at))]);
        let file = gzip ? gzipSync(bytes) : bytes;
        // A gzip stream cut short: the other way a file is truncated.
        if (gzip && d.op === 'cut') file = gzipSync(raw).subarray(0, Math.max(10, Math.floor(d.at * file.length)));
        try {
          readPprof(file, 'damaged.pb.gz', new LocationTable(), { threadRows: true });
          read++;
        } catch (e) {
          if (!allowed(e)) throw e;
          expect((e as JeprofError).message).toMatch(/^damaged\.pb\.gz: /);
          errors++;
        }
      }),
      { seed: 19, numRuns: 400 },
    );
    // Both outcomes happen: the property is not vacuous.
    expect(errors).toBeGreaterThan(20);
    expect(read).toBeGreaterThan(20);
  });

  it('through top and --lines: exit 0 or 2, one line, never an internal error', async () => {
    const dir = tempDir('jeprof-ts-fuzz-run-');
    const inputs = fc.sample(fc.tuple(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 255 })), { seed: 23, numRuns: 60 });
    const codes = new Set<number>();
    for (const [i, [at, byte]] of inputs.entries()) {
      const bytes = Uint8Array.from(raw);
      for (const a of at) bytes[Math.min(raw.length - 1, Math.floor(a * raw.length))] = byte;
      const file = join(dir, `d${i}.pb.gz`);
      writeFileSync(file, gzipSync(bytes));
      for (const args of [['top', '--thread=*'], ['top', '--lines', '--thread=2'], ['collapsed']]) {
        const r = await runCli([...args, '--no-cache', file]);
        codes.add(r.code);
        expect([0, 2], `${args.join(' ')} d${i}: ${r.stderr}`).toContain(r.code);
        if (r.code === 2) expect(r.stderr.split('\n').filter((l) => l.startsWith('jeprof-ts:')), r.stderr).toHaveLength(1);
      }
    }
    expect([...codes].sort()).toEqual([0, 2]);
  });
});
