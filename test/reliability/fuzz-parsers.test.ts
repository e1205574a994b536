// Property tests: the profile, map, nm and addr2line parsers return well-formed data or a ProfileFormatError, whatever the input.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfileFormatError } from '../../src/model/errors.js';
import { dumpProfile } from '../../src/model/dump.js';
import { LocationTable } from '../../src/model/locations.js';
import { parseProfileFd, parseProfileText, type HeapFile } from '../../src/parse/index.js';
import { parseMappedLibraries } from '../../src/parse/proc-maps.js';
import { parseAddr2LineOutput } from '../../src/symbolize/addr2line-output.js';
import { lookupNm, parseNmOutput } from '../../src/symbolize/nm-output.js';
import { applyMutation, corpusSeeds, describeInput, FUZZ_SEED, HEADERS, HOSTILE_NUMBERS, mutate, mutatedProfileArb, mutationArb } from './mutations.js';

const U64 = 1n << 64n;
/** One parse taking longer than this counts as a hang (the largest generated inputs, megabyte lines, take ~250 ms). */
const HANG_MS = 10_000;
const NAME = 'fuzz/jeprof.1.0.f.heap';

const stats = { inputs: 0, crashes: 0, hangs: 0 };
const seeds = corpusSeeds();

/** Every property gets its own fixed seed, derived from the one reported at the end. */
let propertyIndex = 0;
function params(numRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED + 7919 * propertyIndex++, numRuns, endOnFailure: false };
}

/** Runs one input, counting it, timing it, and counting any exception that is not allowed as a crash. */
function timed<T>(allowed: (e: unknown) => boolean, f: () => T): T | undefined {
  stats.inputs++;
  const t0 = performance.now();
  try {
    return f();
  } catch (e) {
    if (allowed(e)) return undefined;
    stats.crashes++;
    throw e;
  } finally {
    if (performance.now() - t0 > HANG_MS) stats.hangs++;
  }
}

function decodeUtf8(b: Uint8Array): string {
  const d = new StringDecoder('utf8');
  return d.write(Buffer.from(b)) + d.end();
}

/**
 * When may a sample value be NaN? Only when a count line holds an object count and a byte count
 * that are both past the largest double (Number() gives Infinity): unsampling then computes
 * Infinity/Infinity, and jeprof's Perl prints `nan` for the same line. Every other value is a
 * finite or infinite non-negative number (counts are digits, the unsampling factor is >= 1).
 * Where jeprof divides by zero (n objects of 0 bytes, or e^(-ratio) rounding to 1) and dies with
 * "Illegal division by zero", the parser throws a ProfileFormatError naming the line.
 */
function hasInfinitePair(text: string): boolean {
  for (const m of text.replace(/\r/g, '').matchAll(/(\d{309,}):\s+(\d{309,})/g)) {
    if (Number(m[1]) === Infinity && Number(m[2]) === Infinity) return true;
  }
  return false;
}

/** Throws with `what` unless `ok`; plain checks, because expect() per sample value is too slow for 10,000 inputs. */
function check(ok: boolean, what: () => string): void {
  if (!ok) throw new Error(what());
}

function checkHeapFile(f: HeapFile, text: string, name: string): void {
  check(f.file === name, () => `file is ${f.file}`);
  check(f.kind === 'heap' || f.kind === 'growth', () => `kind is ${f.kind}`);
  check(typeof f.mapText === 'string', () => 'mapText is not a string');
  check(typeof f.maxAddress === 'bigint' && f.maxAddress >= 0n && f.maxAddress < U64, () => `maxAddress ${f.maxAddress}`);
  let nanAllowed: boolean | undefined;
  for (const s of f.profile.samples) {
    const stack = () => s.locations.map((l) => l.address.toString(16)).join(' ');
    check(s.values.length === 4, () => `${s.values.length} values for @ ${stack()}`);
    for (const v of s.values) {
      check(typeof v === 'number', () => `value ${String(v)} is a ${typeof v}`);
      if (Number.isNaN(v)) {
        nanAllowed ??= hasInfinitePair(text);
        check(nanAllowed, () => `sample value NaN from an input without an infinite count pair; stack @ ${stack()}`);
      } else {
        check(v >= 0, () => `negative sample value ${v} (values are counts and bytes) for @ ${stack()}`);
      }
    }
    check(s.locations.length > 0, () => 'sample without locations');
    for (const l of s.locations) check(typeof l.address === 'bigint' && l.address >= 0n && l.address < U64, () => `address ${String(l.address)}`);
  }
  for (const w of f.warnings) {
    check(w.startsWith(`${name}:`), () => `warning does not name the file: ${w.slice(0, 120)}`);
    check(!w.includes('\n'), () => `warning is more than one line: ${JSON.stringify(w.slice(0, 200))}`);
  }
  for (const n of f.notices) check(!n.includes('\n'), () => `notice is more than one line: ${JSON.stringify(n.slice(0, 200))}`);
}

function checkFormatError(e: ProfileFormatError, name: string): void {
  check(e.file === name, () => `error's file is ${e.file}`);
  check(e.message.startsWith(`${name}:`), () => `error does not start with the file name: ${e.message.slice(0, 120)}`);
  check(!e.message.includes('\n'), () => `error is more than one line: ${JSON.stringify(e.message.slice(0, 200))}`);
  check(Number.isInteger(e.line) && e.line >= 0, () => `error line ${e.line}`);
}

/** The property of the profile readers: a well-formed HeapFile, or a ProfileFormatError naming the file. */
function parseChecked(text: string, name = NAME): HeapFile | ProfileFormatError {
  let result: HeapFile | ProfileFormatError | undefined;
  timed(
    (e) => {
      if (!(e instanceof ProfileFormatError)) return false;
      checkFormatError(e, name);
      result = e;
      return true;
    },
    () => {
      const f = parseProfileText(text, name, new LocationTable());
      checkHeapFile(f, text, name);
      result = f;
    },
  );
  return result!;
}

// --- generators ----------------------------------------------------------------------------------

const hexAddr = fc.oneof(
  fc.bigInt({ min: 0n, max: U64 - 1n }).map((a) => '0x' + a.toString(16)),
  fc.bigInt({ min: 0n, max: (1n << 80n) - 1n }).map((a) => a.toString(16)),
  fc.constantFrom('0x0', '0x', '0X7FF74B6A2630', 'zz', '0xg1', '0x' + 'f'.repeat(40), '-0x5', '0x1_0'),
);
const count = fc.oneof(fc.nat().map(String), fc.constantFrom(...HOSTILE_NUMBERS), fc.bigInt({ min: 0n, max: 1n << 70n }).map(String));
const countLine = fc
  .tuple(fc.constantFrom('t*', 't0', 't1', 't99999999999999999999', 'tx', 't-1', ''), count, count, count, count, fc.constantFrom(' ', '  ', '\t', ''))
  .map(([t, a, b, c, d, sp]) => `${sp}${t}: ${a}: ${b} [${c}: ${d}]`);
const gperfLine = fc.tuple(count, count, count, count, fc.array(hexAddr, { maxLength: 6 })).map(([a, b, c, d, s]) => `${a}: ${b} [${c}: ${d}] @ ${s.join(' ')}`);
const stackLine = fc.array(hexAddr, { minLength: 0, maxLength: 12 }).map((a) => `@ ${a.join(' ')}`.trimEnd());
const mapsLine = fc
  .tuple(hexAddr, hexAddr, fc.constantFrom('r-xp', 'r--p', 'rwxp', '--xp', 'r-x'), hexAddr, fc.constantFrom('fe:00', '08:01', 'x'), fc.nat(), fc.constantFrom('/usr/lib/libc.so.6', '/opt/app', 'lib.so.1.2.3', '[vsyscall]', '--plugin=/tmp/evil.so', '$build/x.so', ''))
  .map(([s, e, p, o, d, i, f]) => `${s.replace(/^0x/, '')}-${e.replace(/^0x/, '')} ${p} ${o.replace(/^0x/, '')} ${d} ${i} ${f}`);
const anyLine = fc.oneof(
  { weight: 4, arbitrary: countLine },
  { weight: 4, arbitrary: stackLine },
  { weight: 2, arbitrary: gperfLine },
  { weight: 1, arbitrary: fc.constantFrom('@', '', 'MAPPED_LIBRARIES:', '--- Memory map:', '%warn x', 'build=/b', '---', '--- heap', ...HEADERS) },
  { weight: 1, arbitrary: mapsLine },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);
/** Profiles built from the format's own pieces in random order: they get past the header checks. */
const structuredProfile = fc
  .tuple(fc.constantFrom(...HEADERS), fc.array(anyLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n'))
  .map(([h, lines, eol]) => [h, ...lines].join(eol));

// --- properties ----------------------------------------------------------------------------------

describe('parseProfileText', () => {
  it('random strings: a HeapFile or a ProfileFormatError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), fc.string({ maxLength: 300 }).map((s) => `heap_v2/1\n${s}`)), (s) => {
        parseChecked(s);
      }),
      params(1500),
    );
  });

  it('random bytes (read as UTF-8, as the CLI reads files): a HeapFile or a ProfileFormatError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, withHeader) => {
        const b = withHeader ? Buffer.concat([Buffer.from('heap_v2/524288\n'), bytes]) : Buffer.from(bytes);
        parseChecked(decodeUtf8(b));
      }),
      params(1500),
    );
  });

  it('profiles assembled from random format pieces: a HeapFile or a ProfileFormatError', () => {
    fc.assert(
      fc.property(structuredProfile, (text) => {
        parseChecked(text);
      }),
      params(2000),
    );
  });

  it('mutated corpus profiles (truncated, flipped, huge numbers, CRLF, junk, long lines, repeated @): a HeapFile or a ProfileFormatError', () => {
    fc.assert(
      fc.property(mutatedProfileArb(seeds), ({ seed, mutations }) => {
        const bytes = mutate(seeds, { seed, mutations });
        try {
          parseChecked(decodeUtf8(bytes));
        } catch (e) {
          (e as Error).message = `${describeInput(seed, mutations)}\n${(e as Error).message}`;
          throw e;
        }
      }),
      params(3500),
    );
  });

  it('a number (2^64, 10^23, -5, 400 digits, NaN) in every numeric field of every seed: a HeapFile or a ProfileFormatError', () => {
    // Exhaustive over the first 40 numbers of each seed rather than random: every count, rate and
    // address field of the real dumps gets every hostile number once.
    for (const s of seeds) {
      const text = s.bytes.toString('latin1');
      const runs = Math.min(40, [...text.matchAll(/\d+/g)].length);
      for (let which = 0; which < runs; which++) {
        for (const value of HOSTILE_NUMBERS.slice(0, 8)) {
          parseChecked(applyMutation(s.bytes, { op: 'number', which, value }).toString('utf8'));
        }
      }
    }
  });

  it('a count of objects with zero bytes, or an unsampling factor that overflows, is an error, not NaN', () => {
    // 5 objects of 0 bytes: jeprof's 1/(1 - exp(-0)) dies with "Illegal division by zero".
    const zeroBytes = 'heap_v2/524288\n  t*: 5: 0 [0: 0]\n@ 0x401000\n  t*: 5: 0 [0: 0]\n\nMAPPED_LIBRARIES:\n';
    const r1 = parseChecked(zeroBytes);
    expect(r1).toBeInstanceOf(ProfileFormatError);
    expect((r1 as ProfileFormatError).message).toMatch(/^fuzz\/jeprof\.1\.0\.f\.heap:4: /);
    // A rate of 2^64 makes s/n/rate so small that exp() rounds to 1: the same division by zero.
    const hugeRate = 'heap_v2/18446744073709551616\n@ 0x401000\n  t*: 1: 16 [0: 0]\n\nMAPPED_LIBRARIES:\n';
    const r2 = parseChecked(hugeRate);
    expect(r2).toBeInstanceOf(ProfileFormatError);
    expect((r2 as ProfileFormatError).message).toMatch(/^fuzz\/jeprof\.1\.0\.f\.heap:3: /);
    // Objects and bytes both past a double: Infinity/Infinity is NaN, as in jeprof; allowed.
    const inf = '9'.repeat(400);
    const r3 = parseChecked(`heap_v2/1\n@ 0x401000\n  t*: ${inf}: ${inf} [0: 0]\n`);
    expect(r3).not.toBeInstanceOf(ProfileFormatError);
    expect(Number.isNaN((r3 as HeapFile).profile.samples[0].values[2])).toBe(true);
  });

  it('the streaming reader (file descriptor, as the CLI reads) agrees with the string reader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-fuzz-fd-'));
    const path = join(dir, 'p.heap');
    try {
      fc.assert(
        fc.property(mutatedProfileArb(seeds), ({ seed, mutations }) => {
          const bytes = mutate(seeds, { seed, mutations });
          writeFileSync(path, bytes);
          const viaText = parseChecked(decodeUtf8(bytes));
          const viaFd = timed(
            (e) => e instanceof ProfileFormatError,
            () => {
              const fd = openSync(path, 'r');
              try {
                return parseProfileFd(fd, NAME, new LocationTable());
              } finally {
                closeSync(fd);
              }
            },
          );
          const show = (r: HeapFile | ProfileFormatError | undefined) => (r === undefined ? 'error' : r instanceof ProfileFormatError ? 'error' : dumpProfile(r.profile) + r.warnings.join('\n'));
          if (viaText instanceof ProfileFormatError) {
            expect(viaFd, describeInput(seed, mutations)).toBeUndefined();
          } else {
            expect(show(viaFd), describeInput(seed, mutations)).toBe(show(viaText));
          }
        }),
        params(400),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseMappedLibraries', () => {
  const mapSections = seeds.map((s) => s.bytes.toString('latin1')).filter((t) => t.includes('MAPPED_LIBRARIES:')).map((t) => Buffer.from(t.slice(t.indexOf('MAPPED_LIBRARIES:')), 'latin1'));
  const mapText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.array(fc.oneof(mapsLine, fc.constantFrom('build=/srv/b', 'build=', '  7f00-7f10: /lib/x.so.1', '0x1000 0x2000 1 2 0x3 r-x 1 1 0x0 COW NC vnode /lib/y.so.2'), fc.string({ maxLength: 40 })), { maxLength: 40 }).map((l) => l.join('\n')),
    fc.tuple(fc.integer({ min: 0, max: Math.max(0, mapSections.length - 1) }), fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([i, ms]) => decodeUtf8(ms.reduce<Buffer>((b, m) => applyMutation(b, m), mapSections[i] ?? Buffer.alloc(0)))),
  );
  it('random, generated and mutated map sections: executable mappings with 64-bit addresses, never an exception', () => {
    fc.assert(
      fc.property(mapText, fc.constantFrom('/opt/app', '/opt/jeprof-corpus/seed-leak/app', ''), fc.boolean(), (text, program, moved) => {
        const rewrite = moved ? (p: string) => (p.startsWith('/opt/') ? '/elsewhere/' + p.slice(5) : p) : undefined;
        const maps = timed(() => false, () => parseMappedLibraries(text, program, rewrite))!;
        check(maps.length <= text.split('\n').length, () => `${maps.length} mappings from fewer lines`);
        maps.forEach((m, i) => {
          check(m.id === i + 1, () => `mapping ${i} has id ${m.id}`);
          for (const a of [m.start, m.limit, m.offset]) check(typeof a === 'bigint' && a >= 0n && a < U64, () => `mapping address ${String(a)}`);
          check(typeof m.file === 'string' && m.file.length > 0, () => `mapping file ${JSON.stringify(m.file)}`);
        });
      }),
      params(1500),
    );
  });
});

describe('nm and addr2line output parsers', () => {
  const nmName = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.array(fc.constantFrom('std::', 'vector', '<', '>', '(', ')', ' ', 'const', 'int', '&', '*', ',', 'operator()', '@@GLIBC_2.2.5', '_fini', '\u001b[31m'), { maxLength: 25 }).map((a) => a.join('')),
  );
  const nmLine = fc.oneof(
    fc.tuple(fc.oneof(fc.bigInt({ min: 0n, max: U64 - 1n }).map((a) => a.toString(16).padStart(16, '0')), fc.constantFrom('', 'zz', '0'.repeat(40), 'f'.repeat(17))), fc.constantFrom('T', 't', 'W', 'U', 'D', ' ', 'ab'), nmName).map(([a, t, n]) => `${a} ${t} ${n}`),
    fc.constantFrom('                 U malloc@GLIBC_2.2.5', '', 'nm: x: no symbols', '\r'),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
  it('nm: a table sorted by address, and lookups that name every PC; never an exception', () => {
    fc.assert(
      fc.property(
        fc.array(nmLine, { maxLength: 60 }).map((l) => l.join('\n')),
        fc.constantFrom(undefined, /./, /^main/, /zzz/, /<0+/),
        fc.array(fc.bigInt({ min: 0n, max: U64 - 1n }), { maxLength: 20 }),
        fc.bigInt({ min: 0n, max: U64 - 1n }),
        (text, filter, pcs, bias) => {
          timed(
            () => false,
            () => {
              const table = parseNmOutput(text, filter);
              for (let i = 1; i < table.symbols.length; i++) check(table.symbols[i - 1].start <= table.symbols[i].start, () => `symbols not sorted at ${i}`);
              for (const s of table.symbols) {
                check(typeof s.fullName === 'string' && typeof s.shortName === 'string', () => 'symbol name is not a string');
                check(typeof s.start === 'bigint' && typeof s.end === 'bigint' && s.start >= 0n && s.end >= 0n, () => `symbol range ${s.start}-${s.end}`);
              }
              const named = lookupNm(table, pcs, bias);
              check(named.size === (table.symbols.length === 0 ? 0 : new Set(pcs).size), () => `lookup named ${named.size} of ${new Set(pcs).size} PCs`);
            },
          );
        },
      ),
      params(1200),
    );
  });

  it('addr2line: one frame list per address asked, never an exception', () => {
    const a2lLine = fc.oneof(fc.constantFrom('??', '??:0', '??:?', ':?', '_fini', 'main', '/src/a.c:12 (discriminator 3)', 'C:\\src\\a.c:3', '', '\r'), fc.string({ unit: 'binary', maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(a2lLine, { maxLength: 80 }).map((l) => l.join('\n')), fc.nat(50), fc.boolean(), (text, n, sep) => {
        timed(
          () => false,
          () => {
            const out = parseAddr2LineOutput(text, n, sep);
            check(out.length === n, () => `${out.length} answers for ${n} addresses`);
            let frames = 0;
            for (const list of out) {
              for (const f of list) {
                check(typeof f.func === 'string' && typeof f.fileLine === 'string', () => 'frame field is not a string');
                check(!f.fileLine.includes('\\'), () => `backslash kept in ${f.fileLine}`);
                frames++;
              }
            }
            check(frames <= Math.ceil(text.split('\n').length / 2), () => `${frames} frames from ${text.split('\n').length} lines`);
          },
        );
      }),
      params(1200),
    );
  });
});

describe('totals', () => {
  it('no input crashed a parser or took longer than 2 s', () => {
    expect(stats.inputs).toBeGreaterThanOrEqual(10_000);
    expect({ crashes: stats.crashes, hangs: stats.hangs }).toEqual({ crashes: 0, hangs: 0 });
  });
});

afterAll(() => {
  console.log(`fuzz: ${stats.inputs} inputs tried, crashes: ${stats.crashes}, hangs: ${stats.hangs} (seed ${FUZZ_SEED}; FUZZ_SEED=<n> to vary)`);
});
