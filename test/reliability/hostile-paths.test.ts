// Library paths and symbol names from a profile are data: never options, shell code, blocking reads or terminal escapes.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Captured } from '../helpers/capture.js';
import { FakeObjTool } from '../helpers/fake-objtool.js';
import { contractViolations, rawControl } from './contract.js';
import { ROOT } from './mutations.js';

const TINY = join(ROOT, 'fixtures', 'bin', 'tiny');
/** Where each hostile library is mapped; tiny's `middle` (file address 0x401126) is at BASE + 0x1126. */
const BASE = 0x7f0000000000n;
const MIDDLE_PC = BASE + 0x1126n;
/** How --text shows a PC no tool could name (jeprof prints the bare 16 hex digits). */
const MIDDLE_HEX = MIDDLE_PC.toString(16).padStart(16, '0');
const IFS = '${IFS}';

let dir = '';
let cacheDir = '';
let oldCwd = '';
/** Files that must never appear: each is what one hostile path would create if it reached a shell or a plugin loader. */
const MARKERS = ['MARKER-plugin', 'MARKER-notelf', 'pwned', 'pwned-semi', 'pwned-subst', 'pwned-tick', 'pwned-pipe', 'pwned-o.so', 'pwned-o'];

/** A heap_v2 profile with one stack at MIDDLE_PC and one map line naming `path`. */
function profileFor(path: string): string {
  const hex = (a: bigint) => a.toString(16);
  return `heap_v2/1\n  t*: 1: 1024 [0: 0]\n@ 0x${hex(MIDDLE_PC)}\n  t*: 1: 1024 [0: 0]\n\nMAPPED_LIBRARIES:\n${hex(BASE)}-${hex(BASE + 0x2000n)} r-xp 00000000 08:01 42 ${path}\n`;
}

/** Runs the CLI with the real binutils, failing after `limitMs` instead of hanging the suite. */
async function runWithLimit(args: string[], limitMs: number): Promise<Captured & { ms: number }> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`jeprof-ts ${args.join(' ')} did not finish within ${limitMs} ms`)), limitMs);
  });
  try {
    const r = await Promise.race([runCli(args, { cwd: dir, env: { JEPROF_TS_CACHE: cacheDir } }), limit]);
    return { ...r, ms: performance.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}

function markersFound(): string[] {
  const found: string[] = [];
  for (const d of [dir, oldCwd, tmpdir()]) for (const m of MARKERS) if (existsSync(join(d, m))) found.push(join(d, m));
  return found;
}

function listing(): string[] {
  return readdirSync(dir).sort();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-hostile-'));
  cacheDir = mkdtempSync(join(tmpdir(), 'jeprof-ts-hostile-cache-'));
  // Relative map paths and anything a shell would run land here, not in the repository.
  oldCwd = process.cwd();
  process.chdir(dir);

  // evil.so: a real plugin whose constructor leaves a marker (nm --plugin would dlopen it), or,
  // without a compiler, a script that would leave it if executed.
  const marker = join(dir, 'MARKER-plugin');
  try {
    writeFileSync(join(dir, 'evil.c'), `#include <fcntl.h>\n#include <unistd.h>\n__attribute__((constructor)) static void owned(void) { close(open("${marker}", O_CREAT | O_WRONLY, 0644)); }\n`);
    execFileSync('gcc', ['-shared', '-fPIC', '-o', join(dir, 'evil.so'), join(dir, 'evil.c')], { stdio: 'ignore' });
  } catch {
    writeFileSync(join(dir, 'evil.so'), `#!/bin/sh\ntouch ${marker}\n`);
  }
  chmodSync(join(dir, 'evil.so'), 0o755);
  rmSync(join(dir, 'evil.c'), { force: true });

  // Real ELF files (copies of tiny) under hostile names: binutils must get them as plain operands.
  for (const name of ['--plugin=evil.so', '-opwned-o.so', `a;touch${IFS}pwned-semi;.so`, `$(touch${IFS}pwned-subst).so`, `\`touch${IFS}pwned-tick\`.so`, `x|touch${IFS}pwned-pipe&.so`, '\u001b[31mred\u0007.so']) {
    copyFileSync(TINY, join(dir, name));
  }
  // `--plugin=<dir>/evil.so` and `-o<dir>/pwned-o.so` as relative paths: a folder named `--plugin=`
  // (or `-o`) holding <dir>'s path. If the map path reached nm as an option, nm would dlopen the
  // real evil.so above and its constructor would leave MARKER-plugin.
  for (const p of [`--plugin=${dir}/evil.so`, `-o${dir}/pwned-o.so`]) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    copyFileSync(TINY, join(dir, p));
  }
  execFileSync('mkfifo', [join(dir, 'lib.so')]);
  mkdirSync(join(dir, 'x.so'));
  symlinkSync('/dev/zero', join(dir, 'z.so'));
  execFileSync('truncate', ['-s', '3G', join(dir, 'big.so')]);
  writeFileSync(join(dir, 'notelf.so'), `#!/bin/sh\ntouch ${join(dir, 'MARKER-notelf')}\n`);
  chmodSync(join(dir, 'notelf.so'), 0o755);
});

afterAll(() => {
  process.chdir(oldCwd);
  // A tool stuck opening the FIFO for reading is released by a writer appearing.
  try {
    closeSync(openSync(join(dir, 'lib.so'), constants.O_RDWR | constants.O_NONBLOCK));
  } catch {
    // gone already
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('map paths that look like options or shell code (real binutils)', () => {
  const cases: { what: string; path: () => string; named: boolean }[] = [
    { what: '--plugin=<abs>/evil.so (nm would load evil.so as a plugin)', path: () => `--plugin=${dir}/evil.so`, named: true },
    { what: '--plugin=<abs>/evil.so as an absolute-looking missing file', path: () => `--plugin=${dir}/missing/evil.so`, named: false },
    { what: '--plugin=evil.so (an ELF file by that name)', path: () => '--plugin=evil.so', named: true },
    { what: '-o<abs>/pwned-o.so (an ELF file by that relative name)', path: () => `-o${dir}/pwned-o.so`, named: true },
    { what: '-opwned-o.so (an ELF file by that name)', path: () => '-opwned-o.so', named: true },
    { what: '-o<abs>/pwned (not a library name: the map line is skipped)', path: () => `-o${dir}/pwned`, named: false },
    { what: "'a;touch pwned;.so'", path: () => `${dir}/a;touch${IFS}pwned-semi;.so`, named: true },
    { what: "'$(touch pwned).so'", path: () => `$(touch${IFS}pwned-subst).so`, named: true },
    { what: "'`touch pwned`.so'", path: () => `\`touch${IFS}pwned-tick\`.so`, named: true },
    { what: "'x|touch pwned&.so'", path: () => `${dir}/x|touch${IFS}pwned-pipe&.so`, named: true },
  ];
  for (const c of cases) {
    it(`${c.what}: a report, no file created, nothing run or loaded`, async () => {
      const heap = join(dir, 'p.heap');
      writeFileSync(heap, profileFor(c.path()));
      const before = listing();
      const r = await runWithLimit(['--text', TINY, heap], 20_000);
      expect(contractViolations(r), r.stderr).toEqual([]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Total: /);
      // A file that exists under the hostile name is read as a file: its names come out.
      if (c.named) expect(r.stdout, r.stderr).toMatch(/ middle\n/);
      else expect(r.stdout).toContain(MIDDLE_HEX);
      expect(markersFound()).toEqual([]);
      expect(listing()).toEqual(before);
    });
  }
});

describe('map paths that are not regular ELF files (real binutils)', () => {
  const cases: { what: string; name: string; limitMs: number }[] = [
    { what: 'a FIFO (lib.so)', name: 'lib.so', limitMs: 20_000 },
    { what: 'a directory (x.so)', name: 'x.so', limitMs: 20_000 },
    { what: 'a symlink to /dev/zero (z.so)', name: 'z.so', limitMs: 20_000 },
    { what: 'a 3 GB sparse file (big.so)', name: 'big.so', limitMs: 20_000 },
    { what: 'a shell script, not ELF (notelf.so)', name: 'notelf.so', limitMs: 20_000 },
  ];
  for (const c of cases) {
    it(`${c.what}: finishes fast with a report, its address printed as a number`, async () => {
      const heap = join(dir, 'p.heap');
      writeFileSync(heap, profileFor(join(dir, c.name)));
      const r = await runWithLimit(['--text', TINY, heap], 30_000);
      // A hang detector, not a speed test: a FIFO or /dev/zero read would never end.
      expect(r.ms, `took ${Math.round(r.ms)} ms: hung?`).toBeLessThan(c.limitMs);
      expect(contractViolations(r), r.stderr).toEqual([]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Total: /);
      expect(r.stdout).toContain(MIDDLE_HEX);
      expect(r.stderr).toContain(`jeprof-ts: warning: ${join(dir, c.name)}`);
      expect(markersFound()).toEqual([]);
    }, 40_000);
  }

  it('no marker file exists after all the runs', () => {
    expect(markersFound()).toEqual([]);
  });
});

describe('terminal control characters in names and paths', () => {
  /** Escape sequences, BEL, backspace: what a hostile binary or profile could try to print. */
  function expectNoControl(r: Captured): void {
    expect(rawControl(r.stdout), 'stdout').toBeUndefined();
    expect(rawControl(r.stderr), 'stderr').toBeUndefined();
  }

  function hostileNamesProfile(): { program: string; heap: string } {
    // The fake objtool answers by file name: fixtures/bin/hostile-names.json's key.
    const program = join(dir, 'hostile-names');
    copyFileSync(TINY, program);
    const heap = join(dir, 'names.heap');
    writeFileSync(
      heap,
      'heap_v2/1\n' +
        '@ 0x401a00 0x401b10 0x401c20\n  t*: 2: 2048 [0: 0]\n' +
        '@ 0x7f0000001000 0x401c20\n  t*: 1: 4096 [0: 0]\n' +
        'junk \u001b[31mred\u0007 line\b\b\n' +
        '\nMAPPED_LIBRARIES:\n7f0000000000-7f0000002000 r-xp 00000000 08:01 1 /lib/\u001b[31mmissing\u0007.so\n',
    );
    return { program, heap };
  }

  for (const granularity of ['--functions', '--lines', '--files', '--addresses']) {
    it(`names from nm/addr2line with ESC, BEL, backspace, DEL, CSI print escaped in --text ${granularity} (fake binutils)`, async () => {
      const { program, heap } = hostileNamesProfile();
      const r = await runCli(['--text', granularity, program, heap], { cwd: dir, deps: { objTool: new FakeObjTool() } });
      expect(contractViolations(r), r.stderr).toEqual([]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Total: /);
      expectNoControl(r);
      // The rows are still there, with their visible letters.
      if (granularity === '--functions') for (const visible of ['red', 'space', 'name']) expect(r.stdout).toContain(visible);
      // The damaged line and the missing library are warned about, escaped.
      expect(r.stderr).toMatch(/jeprof-ts: warning: .*names\.heap:\d+: unrecognised line/);
      expect(r.stderr).toMatch(/jeprof-ts: warning: \/lib\/.*missing.*\.so/);
    });
  }

  it('a library path holding ESC and BEL: warnings and report without raw control characters (real binutils)', async () => {
    const heap = join(dir, 'esc-path.heap');
    writeFileSync(heap, profileFor(join(dir, 'no-such-\u001b[31mlib\u0007.so')));
    const r = await runWithLimit(['--text', TINY, heap], 20_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(MIDDLE_HEX);
    expect(r.stderr).toContain('jeprof-ts: warning: ');
    expectNoControl(r);
  });

  it('an ELF library whose file name holds ESC and BEL is still read; nothing raw is printed (real binutils)', async () => {
    const heap = join(dir, 'esc-real.heap');
    writeFileSync(heap, profileFor(join(dir, '\u001b[31mred\u0007.so')));
    const r = await runWithLimit(['--text', TINY, heap], 20_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ middle\n/);
    expectNoControl(r);
  });
});
