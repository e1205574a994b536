// Warnings for mixed-up inputs: dumps of several processes, and the wrong program.
import { describe, expect, it } from 'vitest';
import { mixedProcessWarning, programMismatchWarning } from '../../src/cli/checks.js';
import { LocationTable } from '../../src/model/locations.js';

describe('mixedProcessWarning', () => {
  it('names the pids when dumps of two processes are mixed', () => {
    expect(mixedProcessWarning(['jeprof.7069.0.i0.heap', 'd/jeprof.7069.7.i7.heap', 'jeprof.30138.10.f.heap'])).toBe(
      'these dumps come from different processes: pids 7069 (2 files), 30138 (1 file); their stacks are added as if from one run (did a glob catch old dumps?)',
    );
  });
  it('says nothing for one process or for files not named by jemalloc', () => {
    expect(mixedProcessWarning(['jeprof.7069.0.i0.heap', 'jeprof.7069.8.f.heap'])).toBeUndefined();
    expect(mixedProcessWarning(['a.heap', 'b.heap'])).toBeUndefined();
  });
});

describe('programMismatchWarning', () => {
  const MAP = '563efa662000-563efa665000 r-xp 00001000 fe:00 1493087   /opt/run/app\n7f40b6099000-7f40b619a000 r-xp 00099000 fe:00 339903   /usr/lib/libstdc++.so.6.0.30\n';
  it('explains 0x rows from a program given by another path, with the --map-path to use', () => {
    const t = new LocationTable();
    t.get(0x563efa6621f0n); // in the program's mapping, unnamed
    expect(programMismatchWarning(MAP, 'build/app', '/home/me/build/app', t)).toBe(
      'the dumps were taken from /opt/run/app, not /home/me/build/app: 1 of 1 addresses in it have no name. Give the program by that path, or add --map-path=/opt/run=build',
    );
  });
  it('says a matched program is the wrong build when most of its addresses fall outside its symbols', () => {
    const t = new LocationTable();
    const f = { id: 1, name: '0x0000563efa6621f0', systemName: '0x0000563efa6621f0', filename: '' };
    t.get(0x563efa6621f0n).lines = [{ func: f, line: 0, fileLine: '??:0' }];
    expect(programMismatchWarning(MAP, 'app', '/opt/run/app', t)).toMatch(/^app does not look like the binary the dumps came from: 1 of 1 addresses/);
  });
  it('is quiet when the program\'s addresses have names', () => {
    const t = new LocationTable();
    t.get(0x563efa6621f0n).lines = [{ func: { id: 1, name: 'main', systemName: 'main', filename: '' }, line: 0, fileLine: 'a.c:1' }];
    expect(programMismatchWarning(MAP, 'app', '/opt/run/app', t)).toBeUndefined();
  });
});

describe('jeprof option spelling', () => {
  it('refuses --opt= with nothing after it, as Getopt::Long does', async () => {
    const { normalizeJeprofArgs } = await import('../../src/cli/jeprof-options.js');
    expect(() => normalizeJeprofArgs(['--focus=', 'a', 'b'])).toThrow('Option focus requires an argument');
    expect(normalizeJeprofArgs(['--focus', '', 'a'])).toEqual(['--focus=', 'a']);
  });
});
