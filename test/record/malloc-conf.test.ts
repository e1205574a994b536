// record's pure pieces: sizes, the options it writes and how it combines them with the user's,
// the dumps it picks for the leak hunt, shell words, and reading /proc/self/stat.
import { describe, expect, it } from 'vitest';
import { buildMallocConf, effectiveLgInterval, nearestPowerOfTwo, parseSample, parseSize } from '../../src/record/malloc-conf.js';
import { leakHuntDumps, type DumpFile } from '../../src/record/dumps.js';
import { shellWord } from '../../src/record/follow-up.js';
import { inTerminalForeground, shouldForward } from '../../src/record/launcher.js';
import { exitStatus } from '../../src/cli/record-run.js';

describe('sizes', () => {
  it('reads K, M, G and plain bytes', () => {
    expect(parseSize('64M')).toBe(64 * 2 ** 20);
    expect(parseSize('1g')).toBe(2 ** 30);
    expect(parseSize('512KiB')).toBe(512 * 1024);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('lots')).toBeUndefined();
    expect(parseSize('0')).toBeUndefined();
  });
  it('rounds to the nearest power of two on a log scale', () => {
    expect(nearestPowerOfTwo(64 * 2 ** 20)).toEqual({ lg: 26, bytes: 2 ** 26, exact: true });
    // log2(100 MiB) = 26.64: 128 MiB.
    expect(nearestPowerOfTwo(100 * 2 ** 20)).toEqual({ lg: 27, bytes: 2 ** 27, exact: false });
    // log2(80 MiB) = 26.32: 64 MiB.
    expect(nearestPowerOfTwo(80 * 2 ** 20).lg).toBe(26);
  });
  it('takes lg_prof_sample from 0 to 62 only', () => {
    expect(parseSample('0')).toBe(0);
    expect(parseSample('19')).toBe(19);
    expect(() => parseSample('64')).toThrow(/0 \(every allocation\) to 62/);
    expect(() => parseSample('512K')).toThrow(/lg_prof_sample/);
  });
});

describe('buildMallocConf', () => {
  const out = '/w/jeprof-ts-1';
  it('writes the defaults when the user set nothing', () => {
    const c = buildMallocConf(undefined, { out, leak: false });
    expect(c.value).toBe('prof:true,prof_prefix:/w/jeprof-ts-1/jeprof,prof_final:true,lg_prof_interval:30');
    expect(c.kept).toEqual([]);
    expect(c.replaced).toEqual([]);
  });
  it("keeps the user's pairs, lets their interval stand, and replaces what record needs, saying why", () => {
    const c = buildMallocConf('narenas:2,prof_prefix:/tmp/x,lg_prof_interval:24,prof_accum:true', { out, leak: false });
    expect(c.value).toBe('narenas:2,prof_prefix:/w/jeprof-ts-1/jeprof,lg_prof_interval:24,prof_accum:true,prof:true,prof_final:true');
    expect(c.kept).toEqual(['narenas:2', 'lg_prof_interval:24', 'prof_accum:true']);
    expect(c.replaced).toEqual([{ key: 'prof_prefix', was: '/tmp/x', now: '/w/jeprof-ts-1/jeprof', why: 'record reads the dumps from its --out folder' }]);
    expect(effectiveLgInterval(c.value)).toBe(24);
  });
  it('lets --interval and --sample win over the user', () => {
    const c = buildMallocConf('lg_prof_interval:24,lg_prof_sample:10', { out, leak: false, lgInterval: 26, lgSample: 14 });
    expect(c.value).toBe('lg_prof_interval:26,lg_prof_sample:14,prof:true,prof_prefix:/w/jeprof-ts-1/jeprof,prof_final:true');
    expect(c.replaced.map((r) => r.key)).toEqual(['lg_prof_interval', 'lg_prof_sample']);
  });
  it('--leak is prof_leak, every allocation, a final dump, and no interval unless asked', () => {
    expect(buildMallocConf(undefined, { out, leak: true }).value).toBe('prof:true,prof_prefix:/w/jeprof-ts-1/jeprof,prof_final:true,prof_leak:true,lg_prof_sample:0');
    expect(effectiveLgInterval(buildMallocConf(undefined, { out, leak: true }).value)).toBeUndefined();
  });
  it('refuses a folder with a comma, which the options cannot carry', () => {
    expect(() => buildMallocConf(undefined, { out: '/w/a,b', leak: false })).toThrow(/comma/);
  });
});

describe('the leak hunt dumps', () => {
  const d = (seq: number, kind: DumpFile['kind']): DumpFile => ({ path: `/o/jeprof.9.${seq}.${kind}.heap`, pid: 9, seq, kind });
  it('takes every interval dump as the series, the first and the last as the two ends', () => {
    const hunt = leakHuntDumps([d(0, 'i'), d(1, 'i'), d(2, 'm'), d(3, 'i'), d(4, 'f')]);
    expect(hunt?.series?.map((x) => x.seq)).toEqual([0, 1, 3]);
    expect(hunt?.base?.seq).toBe(0);
    expect(hunt?.profile.seq).toBe(3);
  });
  it('takes the final dump alone when there is one interval dump or none', () => {
    expect(leakHuntDumps([d(0, 'i'), d(1, 'f')])).toEqual({ profile: d(1, 'f') });
    expect(leakHuntDumps([d(0, 'm')])).toEqual({ profile: d(0, 'm') });
    expect(leakHuntDumps([])).toBeUndefined();
  });
});

describe('process edges', () => {
  it('quotes shell words only when needed', () => {
    expect(shellWord('./out/jeprof.1.0.i0.heap')).toBe('./out/jeprof.1.0.i0.heap');
    expect(shellWord("it's here")).toBe(`'it'\\''s here'`);
  });
  it('reads the foreground group from /proc/self/stat, a command name with spaces and parentheses included', () => {
    // pid (comm) state ppid pgrp session tty_nr tpgid ...
    expect(inTerminalForeground('77 (a b) c) S 1 77 77 34816 77 4194560')).toBe(true);
    expect(inTerminalForeground('77 (node) S 1 77 77 34816 90 4194560')).toBe(false);
    expect(inTerminalForeground('77 (node) S 1 77 77 0 -1 4194560')).toBe(false);
  });
  it("forwards SIGTERM always, and the terminal's signals only when record is not in its foreground", () => {
    expect(shouldForward('SIGTERM', true)).toBe(true);
    expect(shouldForward('SIGINT', true)).toBe(false);
    expect(shouldForward('SIGINT', false)).toBe(true);
    expect(shouldForward('SIGHUP', false)).toBe(true);
  });
  it('exits as a shell does: the status, or 128 + the signal', () => {
    expect(exitStatus({ exitCode: 3 })).toBe(3);
    expect(exitStatus({ signal: 'SIGTERM' })).toBe(143);
    expect(exitStatus({ signal: 'SIGINT' })).toBe(130);
  });
});
