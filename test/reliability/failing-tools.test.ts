// Stand-ins for nm, addr2line, c++filt and objdump that die at once, die partway, hang past the
// time limit or print garbage: a failed tool run loses only what that run was to add, with a
// warning naming the tool and how it failed; nothing hangs or is left running; and where jeprof
// meets the same fault the same way, the report is jeprof's.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { installCase } from '../helpers/corpus.js';
import { needTool } from '../helpers/need.js';
import { tempDir } from '../helpers/temp-dir.js';

const APP = '/opt/jeprof-corpus/seed-leak/app';
const HEAP = 'jeprof.7069.8.f.heap';
type Fault = 'die' | 'partway' | 'partway-help' | 'hang' | 'garbage';
type Tool = 'nm' | 'addr2line' | 'c++filt' | 'objdump';

let where = '';
let dir = '';
/** The report with the real tools. */
let normal = '';

/** A shell stand-in for `tool` with `fault`; `--help` answers as the real tool unless the fault is at once. */
function standIn(tool: Tool, fault: Fault): string {
  const real = `/usr/bin/${tool}`;
  const help = fault === 'die' || fault === 'partway' ? '' : `case " $* " in *" --help "*) exec ${real} --help;; esac\n`;
  const body: Record<Fault, string> = {
    die: 'exit 1\n',
    // The first line of input (addr2line, c++filt) or of output (nm, objdump) only, then status 1.
    partway: tool === 'nm' || tool === 'objdump' ? `"${real}" "$@" | head -n 40\nexit 1\n` : `read -r first\nprintf '%s\\n' "$first" | "${real}" "$@"\nexit 1\n`,
    'partway-help': tool === 'nm' || tool === 'objdump' ? `"${real}" "$@" | head -n 40\nexit 1\n` : `read -r first\nprintf '%s\\n' "$first" | "${real}" "$@"\nexit 1\n`,
    hang: 'exec sleep 1000\n',
    garbage: "cat >/dev/null\nprintf 'garbage line one\\n\\001 more: garbage\\nx:y:z\\n'\n",
  };
  const file = join(dir, `${tool}-${fault}`);
  writeFileSync(file, `#!/bin/sh\n${help}${body[fault]}`);
  chmodSync(file, 0o755);
  return file;
}

/** --tools naming every tool: the stand-in for `tool`, the real ones for the rest. */
function toolsWith(tool: Tool, path: string): string {
  return (['nm', 'addr2line', 'c++filt', 'objdump'] as Tool[]).map((t) => `${t}:${t === tool ? path : `/usr/bin/${t}`}`).join(',');
}

const jeprof = (args: string[]) => execFileSync('jeprof', args, { cwd: where, stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }).toString('latin1');
const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('jeprof-ts: warning: '));

async function ours(args: string[], env: NodeJS.ProcessEnv = {}) {
  const t0 = Date.now();
  const r = await runCli(['--no-cache', ...args], { cwd: where, env: { JEPROF_TS_TOOL_TIMEOUT: '2', ...env } });
  // Nothing a stand-in started may outlive the run.
  const left = spawnSync('pgrep', ['-f', dir]).stdout.toString().trim();
  return { ...r, ms: Date.now() - t0, left };
}

beforeAll(async () => {
  needTool('jeprof', 'libjemalloc-dev');
  needTool('pgrep', 'procps');
  where = installCase('seed-leak');
  dir = tempDir('jeprof-ts-standins-');
  normal = (await runCli(['--no-cache', '--text', APP, HEAP], { cwd: where })).stdout;
});

describe('addr2line that fails', () => {
  it.each(['die', 'partway'] as Fault[])('%s (and fails --help, as jeprof probes it): jeprof\'s report, names from nm alone', async (fault) => {
    const tools = toolsWith('addr2line', standIn('addr2line', fault));
    const args = [`--tools=${tools}`, '--text', APP, HEAP];
    const r = await ours(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(jeprof(args));
    const w = warnings(r.stderr);
    expect(w.some((l) => /addr2line \(.*addr2line-(die|partway)\) exited with status 1 on \/opt\/jeprof-corpus\/seed-leak\/app after 0 of 16 addresses/.test(l)), w.join('\n')).toBe(true);
    expect(w.some((l) => l.includes('fails `--help` too: as jeprof does then, every name comes from the symbol tables alone'))).toBe(true);
    expect(w.some((l) => l.includes('does not look like the binary'))).toBe(false);
    expect(r.left).toBe('');
  });

  it('dies partway but answers --help: what it answered stands, the rest are nm names (jeprof leaves them bare)', async () => {
    const tools = toolsWith('addr2line', standIn('addr2line', 'partway-help'));
    const r = await ours([`--tools=${tools}`, '--text', '--lines', APP, HEAP]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').slice(1).filter(Boolean);
    // Every frame of the seed is named by nm: no row is a bare address.
    expect(rows.filter((l) => /\s[0-9a-f]{16}$/.test(l))).toEqual([]);
    // libc's run answered its first address (no -i for a stripped library): that row has file:line.
    expect(rows.some((l) => / \.\/.*\.c:\d+$/.test(l)), r.stdout).toBe(true);
    expect(warnings(r.stderr).some((l) => /exited with status 1 on \/usr\/lib\/x86_64-linux-gnu\/libc\.so\.6 after 1 of \d+ addresses: the rest are named from its symbol table alone/.test(l)), r.stderr).toBe(true);
    expect(r.stdout.split('\n')[0]).toBe(normal.split('\n')[0]);
  });

  it.each(['hang', 'garbage'] as Fault[])('%s: killed or set aside, every name from nm, within the time limit', async (fault) => {
    const tools = toolsWith('addr2line', standIn('addr2line', fault));
    const r = await ours([`--tools=${tools}`, '--text', APP, HEAP]);
    expect(r.code, r.stderr).toBe(0);
    // What jeprof prints when addr2line is missing: names from the symbol tables alone.
    expect(r.stdout).toBe(jeprof([`--tools=${toolsWith('addr2line', standIn('addr2line', 'die'))}`, '--text', APP, HEAP]));
    const w = warnings(r.stderr).join('\n');
    expect(w).toMatch(fault === 'hang' ? /addr2line \(.*\): timed out after 2 s and was killed/ : /printed output that is not its answers/);
    expect(r.ms).toBeLessThan(30_000);
    expect(r.left).toBe('');
  });
});

describe('nm that fails (an nm named by --tools runs, as in jeprof)', () => {
  it.each(['die', 'hang', 'garbage'] as Fault[])('%s: no nm names, addr2line\'s alone, as jeprof', async (fault) => {
    const tools = toolsWith('nm', standIn('nm', fault));
    const args = [`--tools=${tools}`, '--text', APP, HEAP];
    const r = await ours(args);
    expect(r.code, r.stderr).toBe(0);
    // A hung nm is jeprof's dead nm: both list nothing.
    expect(r.stdout).toBe(jeprof(fault === 'hang' ? [`--tools=${toolsWith('nm', standIn('nm', 'die'))}`, '--text', APP, HEAP] : args));
    if (fault !== 'garbage') expect(warnings(r.stderr).join('\n')).toMatch(fault === 'die' ? /nm \(.*nm-die\) exited with status 1 on / : /nm \(.*\): timed out after 2 s/);
    expect(r.left).toBe('');
  });

  it('partway: what it listed, as jeprof reads it', async () => {
    const tools = toolsWith('nm', standIn('nm', 'partway-help'));
    const args = [`--tools=${tools}`, '--text', APP, HEAP];
    const r = await ours(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(jeprof(args));
    expect(warnings(r.stderr).join('\n')).toMatch(/nm \(.*\) exited with status 1 on /);
  });
});

describe('c++filt that fails (the default nm is read in-process and c++filt demangles for it)', () => {
  it.each(['die', 'partway', 'hang', 'garbage'] as Fault[])('%s: nm demangles instead; the report is unchanged', async (fault) => {
    const bin = join(dir, `path-${fault}`);
    mkdirSync(bin, { recursive: true });
    execFileSync('ln', ['-sf', standIn('c++filt', fault), join(bin, 'c++filt')]);
    const r = await ours(['--text', APP, HEAP], { PATH: `${bin}:${process.env.PATH}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(normal);
    expect(warnings(r.stderr).join('\n')).toMatch(fault === 'hang' ? /c\+\+filt: timed out after 2 s/ : fault === 'die' || fault === 'partway' ? /c\+\+filt \(c\+\+filt\) exited with status 1: nm demangles the names instead/ : /c\+\+filt \(c\+\+filt\) printed output that is not its answers: nm demangles the names instead/);
    expect(r.left).toBe('');
    // jeprof, whose nm demangles, never runs this c++filt: its report is the healthy one too.
    if (fault === 'partway') expect(r.stdout).toBe(execFileSync('jeprof', ['--text', APP, HEAP], { cwd: where, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }).toString('latin1'));
  });
});

/**
 * An objdump that dies partway (60 lines, then status 1) through its run for the routine at file
 * address `start` only, and runs whole for the others (--disasm and --list run it once per
 * routine, as jeprof's Disassemble); `mark` is made when it cuts.
 */
function objdumpCutAt(start: string, mark: string): string {
  const file = join(dir, 'objdump-partway');
  const at = `--start-address=0x${start.padStart(16, '0')}`;
  writeFileSync(file, `#!/bin/sh\ncase " $* " in *" ${at} "*) : > '${mark}'; /usr/bin/objdump "$@" | head -n 60; exit 1;; esac\nexec /usr/bin/objdump "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A --disasm or --list report cut into its routines, by name (the header line holds it; --list's adds ` in <file>`). */
function routines(report: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let lines: string[] = [];
  for (const l of report.split('\n')) {
    const m = /^ROUTINE =+ (.*?)(?: in \S+)?$/.exec(l);
    if (m) out.set(m[1], (lines = []));
    else lines.push(l);
  }
  return out;
}

describe('objdump that fails (--disasm, --list)', () => {
  it.each(['--disasm', '--list'])('%s: dies partway on one routine of several: that routine loses what it did not print, the others are whole; jeprof\'s report', async (mode) => {
    const main = /^([0-9a-f]+) T main$/m.exec(execFileSync('nm', [APP]).toString())![1];
    const mark = join(dir, `cut${mode}`);
    const tools = toolsWith('objdump', objdumpCutAt(main, mark));
    const args = [`${mode}=main|leak_some`, APP, HEAP];
    const healthy = await ours(args);
    const r = await ours([`--tools=${tools}`, ...args]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(mark), 'the stand-in cut its run for main').toBe(true);
    expect(r.stdout).toBe(jeprof([`--tools=${tools}`, ...args]));
    expect(warnings(r.stderr)).toEqual([expect.stringMatching(/^jeprof-ts: warning: objdump \(.*objdump-partway\) exited with status 1 on \/opt\/jeprof-corpus\/seed-leak\/app: the listing has what it printed$/)]);
    expect(r.left).toBe('');
    const [cut, whole] = [routines(r.stdout), routines(healthy.stdout)];
    expect([...cut.keys()]).toEqual([...whole.keys()]);
    // --list leaves out libc's routine, whose source is not installed.
    expect([...cut.keys()].sort()).toEqual(mode === '--disasm' ? ['__libc_start_main@GLIBC_2.2.5', 'leak_some', 'main'] : ['leak_some', 'main']);
    for (const [name, lines] of cut) {
      if (name !== 'main') expect(lines, name).toEqual(whole.get(name));
    }
    if (mode === '--disasm') {
      // main's instructions: the first ones printed as in the healthy run, the rest gone (its totals line aside).
      const [got, want] = [cut.get('main')!.slice(1), whole.get('main')!.slice(1)];
      expect(got.length).toBeLessThan(want.length - 20);
      expect(got).toEqual(want.slice(0, got.length));
    } else {
      expect(cut.get('main')).not.toEqual(whole.get('main'));
    }
  });

  it.each(['die', 'hang', 'garbage'] as Fault[])('%s: the report still comes out, with a warning naming objdump', async (fault) => {
    const tools = toolsWith('objdump', standIn('objdump', fault));
    const r = await ours([`--tools=${tools}`, '--disasm=leak_some', APP, HEAP]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ROUTINE ====================== leak_some/m);
    if (fault !== 'garbage') expect(warnings(r.stderr).join('\n')).toMatch(/objdump/);
    expect(r.left).toBe('');
  });
});
