// Tests parseMappedLibraries (src/parse/proc-maps.ts): which MAPPED_LIBRARIES lines jeprof uses, reference §2.5, §4.3.
import { describe, expect, it } from 'vitest';
import { dumpMappings, parseMappedLibraries } from '../../src/parse/proc-maps.js';
import { parseProfileText } from '../../src/parse/index.js';
import { LocationTable } from '../../src/model/locations.js';

const PROGRAM = '/home/dev/facts/src/t1';

const MAP = [
  '55ac4ad96000-55ac4ad97000 r--p 00000000 fe:00 2146626      /home/dev/facts/src/t1',
  '55ac4ad97000-55ac4ad98000 r-xp 00001000 fe:00 2146626      /home/dev/facts/src/t1',
  '55ac4b5a1000-55ac4b5c2000 rw-p 00000000 00:00 0            [heap]',
  '7efc14044000-7efc1419a000 r-xp 00026000 fe:00 1234         /usr/lib/x86_64-linux-gnu/libc.so.6',
  '7efc141a0000-7efc141a4000 r--p 0017c000 fe:00 1234         /usr/lib/x86_64-linux-gnu/libc.so.6',
  '7efc13e9a000-7efc13f9e000 r-xp 00097000 fe:00 1235         /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30',
  '7f63ddc09000-7f63ddcb0000 r-xp 00009000 fe:00 1236         /usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '7f63ddd00000-7f63ddd01000 r-xp 00000000 fe:00 1237         /usr/lib/libplain.so',
  '7f63ddd10000-7f63ddd11000 rw-p 00000000 00:00 0 ',
  '7f63ddd20000-7f63ddd21000 r-xp 00000000 fe:00 1238         /usr/lib/libgone.so.1 (deleted)',
  '7f63ddd30000-7f63ddd31000 r-xp 00000000 fe:00 1239         /usr/lib/libspace.so.1 ',
  '7efc142a0000-7efc142c6000 r-xp 00001000 fe:00 1240         /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
  '7ffd4c5e0000-7ffd4c5e2000 r-xp 00000000 00:00 0            [vdso]',
  'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0    [vsyscall]',
  '',
].join('\n');

describe('parseMappedLibraries', () => {
  it('takes executable library lines (plain and versioned .so) and the program line, in map order', () => {
    const m = parseMappedLibraries(MAP, PROGRAM);
    expect(m.map((x) => x.file)).toEqual([
      '/home/dev/facts/src/t1',
      '/usr/lib/x86_64-linux-gnu/libc.so.6',
      '/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30',
      '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
      '/usr/lib/libplain.so',
      '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
    ]);
    expect(m.map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads start, end and file offset as hex', () => {
    const m = parseMappedLibraries(MAP, PROGRAM);
    expect(m[0]).toMatchObject({ start: 0x55ac4ad97000n, limit: 0x55ac4ad98000n, offset: 0x1000n });
    expect(m[3]).toMatchObject({ start: 0x7f63ddc09000n, limit: 0x7f63ddcb0000n, offset: 0x9000n });
  });

  it("skips the program's line when its path is not exactly the program path", () => {
    // Reference §4.3: a PIE binary under another path is only reachable through the catch-all entry.
    const files = parseMappedLibraries(MAP, '/elsewhere/t1').map((x) => x.file);
    expect(files).not.toContain('/home/dev/facts/src/t1');
    expect(files).toHaveLength(5);
    expect(parseMappedLibraries(MAP, 'src/t1').map((x) => x.file)).not.toContain('/home/dev/facts/src/t1');
  });

  it("does not match a ' (deleted)' library or one with a trailing space", () => {
    const files = parseMappedLibraries(MAP, PROGRAM).map((x) => x.file);
    expect(files.some((f) => f.includes('libgone'))).toBe(false);
    expect(files.some((f) => f.includes('libspace'))).toBe(false);
  });

  it("does not take a ' (deleted)' program line even when the path is the program", () => {
    const m = parseMappedLibraries('55ac4ad97000-55ac4ad98000 r-xp 00001000 fe:00 2146626      /home/dev/facts/src/t1 (deleted)\n', PROGRAM);
    expect(m).toEqual([]);
  });

  it('accepts upper-case hex in a /proc/self/maps line', () => {
    const m = parseMappedLibraries('7F63DDC09000-7F63DDCB0000 r-xp 0000A000 fe:00 1236 /lib/libjemalloc.so.2\n', PROGRAM);
    expect(m).toEqual([{ id: 1, start: 0x7f63ddc09000n, limit: 0x7f63ddcb0000n, offset: 0xa000n, file: '/lib/libjemalloc.so.2' }]);
  });

  it("reads cooked 'start-end: /lib/x.so' lines with offset 0", () => {
    const m = parseMappedLibraries('40000000-40015000: /lib/ld-2.3.2.so\n40100000-40200000: /lib/libfoo.so.6\n', PROGRAM);
    expect(m).toEqual([
      { id: 1, start: 0x40000000n, limit: 0x40015000n, offset: 0n, file: '/lib/ld-2.3.2.so' },
      { id: 2, start: 0x40100000n, limit: 0x40200000n, offset: 0n, file: '/lib/libfoo.so.6' },
    ]);
  });

  it('reads FreeBSD procfs map lines with offset 0', () => {
    const m = parseMappedLibraries('0x800600000 0x80061a000 26 0 0xfffff800035a0000 r-x 75 33 0x1004 COW NC vnode /libexec/ld-elf.so.1 NCH -1\n', PROGRAM);
    expect(m).toEqual([{ id: 1, start: 0x800600000n, limit: 0x80061a000n, offset: 0n, file: '/libexec/ld-elf.so.1' }]);
  });

  it("skips FreeBSD lines whose permissions are not exactly 'r-x' (jeprof's pattern has a literal r-x)", () => {
    expect(parseMappedLibraries('0x800600000 0x80061a000 26 0 0xfffff800035a0000 rwx 75 33 0x1004 COW NC vnode /libexec/ld-elf.so.1 NCH -1\n', PROGRAM)).toEqual([]);
  });

  it('expands $build in later paths from a build= line', () => {
    const m = parseMappedLibraries('build=/home/dev/facts/src\n00401000-00402000 r-xp 00001000 fe:00 2146626 $build/libt1.so\n', PROGRAM);
    expect(m).toEqual([{ id: 1, start: 0x401000n, limit: 0x402000n, offset: 0x1000n, file: '/home/dev/facts/src/libt1.so' }]);
  });

  it('uses the latest build= value for each line', () => {
    const m = parseMappedLibraries(
      'build=/a\n00401000-00402000 r-xp 00000000 fe:00 1 $build/x.so\nbuild=/b\n00501000-00502000 r-xp 00000000 fe:00 1 $build/y.so\n',
      PROGRAM,
    );
    expect(m.map((x) => x.file)).toEqual(['/a/x.so', '/b/y.so']);
  });

  it('passes library paths through the rewrite callback', () => {
    const rewrite = (p: string) => p.replace(/^\/usr\/lib\//, '/sysroot/usr/lib/');
    const m = parseMappedLibraries(MAP, PROGRAM, rewrite);
    expect(m.map((x) => x.file)).toEqual([
      '/home/dev/facts/src/t1',
      '/sysroot/usr/lib/x86_64-linux-gnu/libc.so.6',
      '/sysroot/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30',
      '/sysroot/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
      '/sysroot/usr/lib/libplain.so',
      '/sysroot/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
    ]);
  });

  it('matches the program line after the rewrite', () => {
    const rewrite = (p: string) => p.replace(/^\/build\//, '/home/dev/facts/');
    const m = parseMappedLibraries('55ac4ad97000-55ac4ad98000 r-xp 00001000 fe:00 2146626 /build/src/t1\n', PROGRAM, rewrite);
    expect(m).toEqual([{ id: 1, start: 0x55ac4ad97000n, limit: 0x55ac4ad98000n, offset: 0x1000n, file: '/home/dev/facts/src/t1' }]);
  });

  it('returns nothing for a map without executable file mappings', () => {
    expect(parseMappedLibraries('7f63ddd10000-7f63ddd11000 rw-p 00000000 00:00 0\n55ac4ad96000-55ac4ad97000 r--p 00000000 fe:00 1 /lib/libc.so.6\n', PROGRAM)).toEqual([]);
  });
});

describe('dumpMappings', () => {
  it("every executable mapping that names a file, as pprof's mapping list holds them", () => {
    const map = [
      '55d0c0a00000-55d0c0a01000 r--p 00000000 fe:00 1 /srv/app',
      '55d0c0a01000-55d0c0a05000 r-xp 00001000 fe:00 1 /srv/app',
      '7f0000000000-7f0000021000 rw-p 00000000 00:00 0',
      '7f1000026000-7f100017c000 r-xp 00026000 fe:00 2 /usr/lib/x86_64-linux-gnu/libc.so.6',
      '7ffd0a000000-7ffd0a002000 r-xp 00000000 00:00 0                          [vdso]',
    ].join('\n');
    expect(dumpMappings(map)).toEqual([
      { id: 1, start: 0x55d0c0a01000n, limit: 0x55d0c0a05000n, offset: 0x1000n, file: '/srv/app' },
      { id: 2, start: 0x7f1000026000n, limit: 0x7f100017c000n, offset: 0x26000n, file: '/usr/lib/x86_64-linux-gnu/libc.so.6' },
      { id: 3, start: 0x7ffd0a000000n, limit: 0x7ffd0a002000n, offset: 0n, file: '[vdso]' },
    ]);
  });

  it('a parsed dump carries them', () => {
    const text = 'heap_v2/1\n@ 0x55d0c0a01010\n  t*: 1: 8 [0: 0]\nMAPPED_LIBRARIES:\n55d0c0a01000-55d0c0a05000 r-xp 00001000 fe:00 1 /srv/app\n';
    const f = parseProfileText(text, 'x.heap', new LocationTable());
    expect(f.profile.mappings.map((m) => m.file)).toEqual(['/srv/app']);
  });
});
