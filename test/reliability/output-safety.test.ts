// --output/-o writes the report whole or not at all: no partial file, no temp file left by an error or a Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { FakeObjTool } from '../helpers/fake-objtool.js';
import { contractViolations } from './contract.js';
import { ROOT } from './mutations.js';

const PROG = join(ROOT, 'fixtures', 'bin', 'tiny');
const GOOD = join(ROOT, 'fixtures', 'heap', 'two-stacks.heap');
const BAD = join(ROOT, 'fixtures', 'corpus', 'edge-cases', 'edges', 'not-a-profile.txt');
const TMP_FILE = /^\..*\.tmp$/;

let dir = '';
const env = () => ({ JEPROF_TS_CACHE: join(dir, '..', `${dir.split('/').pop()}-cache`) });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-output-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(env().JEPROF_TS_CACHE, { recursive: true, force: true });
});

/** A fresh empty folder for one case, so listings show exactly what that run left. */
function folder(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

const spellings: { what: string; args: (out: string) => string[] }[] = [
  { what: '--output=<file>', args: (out) => [`--output=${out}`] },
  { what: '--output <file>', args: (out) => ['--output', out] },
  { what: '-o <file>', args: (out) => ['-o', out] },
  { what: '-o=<file>', args: (out) => [`-o=${out}`] },
];

describe('--output on success', () => {
  for (const s of spellings) {
    it(`${s.what} writes exactly what stdout would show, and leaves no temp file`, async () => {
      const d = folder(`ok-${spellings.indexOf(s)}`);
      const out = join(d, 'report.txt');
      const plain = await runCli(['--text', PROG, GOOD], { deps: { objTool: new FakeObjTool() }, env: env() });
      const r = await runCli(['--text', ...s.args(out), PROG, GOOD], { deps: { objTool: new FakeObjTool() }, env: env() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toBe(plain.stdout);
      expect(plain.stdout).toMatch(/^Total: /);
      expect(readdirSync(d)).toEqual(['report.txt']);
    });
  }
});

describe('--output on an error', () => {
  for (const s of spellings) {
    it(`${s.what} with a bad profile: exit 2, no output file, no temp file`, async () => {
      const d = folder(`bad-${spellings.indexOf(s)}`);
      const out = join(d, 'report.txt');
      const r = await runCli(['--text', ...s.args(out), PROG, BAD], { env: env() });
      expect(r.code).toBe(2);
      expect(contractViolations(r, [BAD])).toEqual([]);
      expect(readdirSync(d)).toEqual([]);
    });
  }

  it('a bad profile leaves an existing output file untouched', async () => {
    const d = folder('keep');
    const out = join(d, 'report.txt');
    writeFileSync(out, 'the previous report\n');
    const r = await runCli(['--text', `--output=${out}`, PROG, BAD], { env: env() });
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('the previous report\n');
    expect(readdirSync(d)).toEqual(['report.txt']);
  });

  it('a missing program or profile: exit 1, no output file', async () => {
    const d = folder('usage');
    const out = join(d, 'report.txt');
    for (const args of [['--text', `--output=${out}`, join(d, 'no-program'), GOOD], ['--text', `--output=${out}`, PROG, join(d, 'no.heap')]]) {
      const r = await runCli(args, { env: env() });
      expect(r.code, r.stderr).toBe(1);
      expect(contractViolations(r)).toEqual([]);
    }
    expect(readdirSync(d)).toEqual([]);
  });

  it('an output path in a folder that does not exist: one error line naming it (exit 1 or 2), not an internal error', async () => {
    const out = join(dir, 'no-such-folder', 'report.txt');
    const r = await runCli(['--text', `--output=${out}`, PROG, GOOD], { deps: { objTool: new FakeObjTool() }, env: env() });
    expect(contractViolations(r, [out]), r.stderr).toEqual([]);
    expect([1, 2]).toContain(r.code);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('an output path that is a folder: one error line naming it (exit 1 or 2), the folder left as it was', async () => {
    const d = folder('is-a-dir');
    const out = folder('is-a-dir/report.txt');
    const r = await runCli(['--text', `--output=${out}`, PROG, GOOD], { deps: { objTool: new FakeObjTool() }, env: env() });
    expect(contractViolations(r, [out]), r.stderr).toEqual([]);
    expect([1, 2]).toContain(r.code);
    expect(readdirSync(d)).toEqual(['report.txt']);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('--output naming a link or a special file', () => {
  // Writing through a temp file and rename() would replace these with a regular file. Run as root,
  // `--output=/dev/null` or `--output=/dev/stdout` would then replace the device node or the link in
  // /dev itself, so these tests use stand-ins in a temp folder and never touch /dev.
  it('a symlink to /dev/null: the link is left a link to /dev/null (the report is discarded or refused)', async () => {
    const d = folder('link-null');
    const link = join(d, 'out');
    symlinkSync('/dev/null', link);
    const r = await runCli(['--text', `--output=${link}`, PROG, GOOD], { deps: { objTool: new FakeObjTool() }, env: env() });
    expect(contractViolations(r, [link]), r.stderr).toEqual([]);
    expect(lstatSync(link).isSymbolicLink(), 'the symlink was replaced by a regular file').toBe(true);
    expect(readlinkSync(link)).toBe('/dev/null');
    expect(readdirSync(d)).toEqual(['out']);
  });

  it('a FIFO with a reader: the reader gets the whole report and the FIFO stays a FIFO (or the run is refused)', async () => {
    const d = folder('fifo-out');
    const fifo = join(d, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    // A reader like `jeprof-ts --output=>(less)`: cat copies whatever arrives.
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let got = '';
    reader.stdout.on('data', (b: Buffer) => (got += b.toString()));
    const readerDone = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    try {
      const plain = await runCli(['--text', PROG, GOOD], { deps: { objTool: new FakeObjTool() }, env: env() });
      const r = await runCli(['--text', `--output=${fifo}`, PROG, GOOD], { deps: { objTool: new FakeObjTool() }, env: env() });
      expect(contractViolations(r, [fifo]), r.stderr).toEqual([]);
      expect(lstatSync(fifo).isFIFO(), 'the FIFO was replaced by a regular file').toBe(true);
      if (r.code === 0) {
        await Promise.race([readerDone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        expect(got).toBe(plain.stdout);
      }
      expect(readdirSync(d)).toEqual(['out.fifo']);
    } finally {
      // The reader waits for a writer until one opens the FIFO; end it (it is our own child).
      reader.kill('SIGKILL');
    }
  });

  it('a symlink to a regular file: the link stays a link and its target gets the whole report', async () => {
    const d = folder('link-file');
    const target = join(d, 'real-report.txt');
    const link = join(d, 'report.txt');
    writeFileSync(target, 'old\n');
    symlinkSync('real-report.txt', link);
    const plain = await runCli(['--text', PROG, GOOD], { deps: { objTool: new FakeObjTool() }, env: env() });
    const r = await runCli(['--text', `--output=${link}`, PROG, GOOD], { deps: { objTool: new FakeObjTool() }, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink(), 'the symlink was replaced by a regular file').toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(plain.stdout);
    expect(readdirSync(d).sort()).toEqual(['real-report.txt', 'report.txt']);
  });
});

describe('--svg --output interrupted by SIGINT', () => {
  /** A profile of many distinct stacks in tiny's text, so parsing and rendering take a moment. */
  function bigProfile(): string {
    const path = join(dir, 'big.heap');
    const lines = ['heap_v2/524288'];
    let x = 12345;
    const rnd = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x;
    };
    for (let i = 0; i < 80_000; i++) {
      const frames = Array.from({ length: 8 }, () => '0x' + (0x401040 + (rnd() % 0x16a)).toString(16));
      lines.push(`@ ${frames.join(' ')}`, `  t*: ${1 + (i % 7)}: ${4096 * (1 + (i % 5))} [0: 0]`);
    }
    lines.push('', 'MAPPED_LIBRARIES:', '00400000-00401000 r--p 00000000 fe:00 1 /build/tiny', '');
    writeFileSync(path, lines.join('\n'));
    return path;
  }

  function runSvg(out: string, heap: string, cwd: string, signalAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; stderr: string }> {
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'jeprof-ts.js'), '--svg', `--output=${out}`, PROG, heap], { cwd, env: { ...process.env, ...env() } });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const timer = signalAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), signalAfterMs);
      const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        clearTimeout(guard);
        resolve({ code, signal, ms: Date.now() - t0, stderr });
      });
    });
  }

  it('at any moment: no temp file is left, and the output is absent or a complete SVG', async () => {
    const heap = bigProfile();
    const d0 = folder('svg-full');
    const full = await runSvg(join(d0, 'g.svg'), heap, d0);
    expect(full.code, full.stderr).toBe(0);
    const whole = readFileSync(join(d0, 'g.svg'), 'utf8');
    expect(whole.trimEnd().endsWith('</svg>')).toBe(true);
    expect(readdirSync(d0)).toEqual(['g.svg']);

    // Interrupt at points spread over a whole run, the last ones near the write at its end.
    const outcomes: string[] = [];
    for (const f of [0.2, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 1.0, 1.02]) {
      const d = folder(`svg-int-${f}`);
      const out = join(d, 'g.svg');
      const r = await runSvg(out, heap, d, Math.round(full.ms * f));
      const left = readdirSync(d);
      expect(left.filter((n) => TMP_FILE.test(n)), `SIGINT at ${f} of the run left a temp file`).toEqual([]);
      expect(left.filter((n) => n !== 'g.svg'), `SIGINT at ${f}`).toEqual([]);
      if (left.includes('g.svg')) {
        expect(readFileSync(out, 'utf8'), `SIGINT at ${f}: a partial g.svg`).toBe(whole);
        outcomes.push(`${f}: complete (exit ${r.code}${r.signal ? ` ${r.signal}` : ''})`);
      } else {
        // Killed by the signal: no report, and not a success exit code.
        expect(r.code === 0, `SIGINT at ${f}: exit 0 without the output file`).toBe(false);
        outcomes.push(`${f}: none (${r.signal ?? `exit ${r.code}`})`);
      }
    }
    console.log(`SIGINT during --svg --output (full run ${full.ms} ms): ${outcomes.join(', ')}`);
  }, 180_000);
});
