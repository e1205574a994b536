// `jeprof-ts record -- <command>`: runs a command with jemalloc heap profiling on, then shows the
// leak hunt of its dumps and the commands to dig further. Diagnostics go to stderr; stdout and
// stdin belong to the command.
import { accessSync, constants, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { constants as os } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { JeprofError, UsageError } from '../model/errors.js';
import { humanBytes } from '../report/human.js';
import type { CliIO } from './io.js';
import { dumpContents, dumpsOfMainProcess, leakHuntDumps, listDumps, programOfDump, someStackGrew, type DumpFile } from '../record/dumps.js';
import { DEBIAN_JEMALLOC, findJemalloc, programFacts, type JemallocChoice, type ProgramFacts } from '../record/find-jemalloc.js';
import { followUpCommands, shownPath } from '../record/follow-up.js';
import { processLauncher, type Launcher, type LaunchResult } from '../record/launcher.js';
import { buildMallocConf, effectiveLgInterval, effectiveLgSample, nearestPowerOfTwo, parseSample, parseSize } from '../record/malloc-conf.js';
import { cannotWrite, emptyDumpMessage, whyNoDump } from '../record/no-dump.js';

export interface RecordOptions {
  /** The command and its arguments, as typed after `--`. */
  command: string[];
  /** --out: the dump folder; default a fresh jeprof-ts-<pid>/ in the working folder. */
  out?: string;
  /** --interval as typed (`64M`): allocation volume between interval dumps. */
  interval?: string;
  /** --sample as typed: lg_prof_sample. */
  sample?: string;
  leak?: boolean;
}

export interface RecordDeps {
  launcher?: Launcher;
  /** The library LD_PRELOAD brings in when the program has no jemalloc (Debian's by default). */
  preloadLibrary?: string;
  /** Runs a report command (jeprof-ts's main); the leak hunt goes through it. */
  report?: (argv: string[], io: CliIO) => Promise<number>;
}

/** Rows of the leak hunt's report shown (its trend or top); the commands printed after it show the rest. */
const HUNT_ROWS = 15;

/** The executable a command name runs: a path as given, else the first match on $PATH (as execvp). */
export function resolveCommand(name: string, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const runnable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes('/')) {
    const p = resolve(cwd, name);
    return existsSync(p) ? p : undefined;
  }
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    const p = resolve(cwd, dir || '.', name);
    if (runnable(p)) return p;
  }
  return undefined;
}

/**
 * A folder for the dumps that a file can be made in: --out (made when missing), else a fresh
 * jeprof-ts-<pid>[-n] in the working folder. Checked before the program runs, as jemalloc only
 * says `failed to open` on the program's stderr and goes on without its dumps.
 */
function dumpFolder(out: string | undefined, cwd: string): string {
  if (out !== undefined) {
    const dir = resolve(cwd, out);
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new JeprofError(`--out=${out} is a file, not a folder: give --out a folder (it is made when missing)`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new JeprofError(`cannot make the dump folder ${dir}: ${(e as Error).message}`);
    }
    const why = cannotWrite(dir);
    if (why) throw new JeprofError(`the dump folder ${dir} cannot be written (${why}): jemalloc could not write its dumps there; give --out a folder you can write`);
    return dir;
  }
  for (let n = 0; ; n++) {
    const dir = join(cwd, `jeprof-ts-${process.pid}${n === 0 ? '' : `-${n}`}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new JeprofError(`cannot make the dump folder ${dir}: ${(e as Error).message}`);
    }
  }
}

function describeChoice(j: JemallocChoice): string {
  const where = { static: 'its own copy, linked in', linked: `${j.file}, which it links`, preload: `${j.file}, through LD_PRELOAD` }[j.kind];
  return `jemalloc: ${where} (${j.evidence}; options from ${j.confVar}; profiling built in)`;
}

function describeEnd(name: string, r: LaunchResult): string {
  if (r.signal) return `${name} was killed by ${r.signal} (signal ${os.signals[r.signal] ?? '?'}); its dumps are kept`;
  return `${name} exited with status ${r.exitCode ?? '?'}`;
}

/** The exit status a shell would give: the command's, or 128 + the signal that killed it. */
export function exitStatus(r: LaunchResult): number {
  if (r.signal) return 128 + (os.signals[r.signal] ?? 0);
  return r.exitCode ?? 1;
}

export async function runRecord(o: RecordOptions, io: CliIO, deps: RecordDeps = {}): Promise<number> {
  const say = (line: string) => io.stderr(`record: ${line}\n`);
  if (o.command.length === 0) throw new UsageError('record: no command given: jeprof-ts record [options] -- <command> [args...]');
  if (o.leak && o.sample !== undefined) throw new UsageError('record: --leak already samples every allocation (lg_prof_sample:0); leave out --sample');
  let lgInterval: number | undefined;
  if (o.interval !== undefined) {
    const bytes = parseSize(o.interval);
    if (bytes === undefined) throw new UsageError(`record: --interval=${o.interval} is not a size (bytes, or a number with K, M or G: 64M, 1G)`);
    const p = nearestPowerOfTwo(bytes);
    lgInterval = p.lg;
    say(`--interval=${o.interval} ${p.exact ? 'is' : 'is rounded to'} ${humanBytes(p.bytes)} (lg_prof_interval:${p.lg}): a dump each time that much more has been allocated`);
  }
  const lgSample = o.sample === undefined ? undefined : parseSample(o.sample);

  const [name, ...args] = o.command;
  const file = resolveCommand(name, io.env, io.cwd);
  if (!file) {
    io.stderr(`record: ${name}: command not found\n`);
    return 127;
  }
  const program = programFacts(file, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
  const jemalloc = findJemalloc(program, io.env, io.cwd, deps.preloadLibrary ?? DEBIAN_JEMALLOC);
  say(describeChoice(jemalloc));
  for (const n of jemalloc.notes) say(n);

  const out = dumpFolder(o.out, io.cwd);
  const conf = buildMallocConf(io.env[jemalloc.confVar], { out, lgInterval, lgSample, leak: !!o.leak });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(io.env)) if (v !== undefined) env[k] = v;
  env[jemalloc.confVar] = conf.value;
  if (jemalloc.kind === 'preload') {
    const theirs = (io.env.LD_PRELOAD ?? '').split(/[ :]+/).filter((p) => p !== '' && p !== jemalloc.file);
    env.LD_PRELOAD = [jemalloc.file, ...theirs].join(':');
    say(`LD_PRELOAD=${env.LD_PRELOAD}${theirs.length > 0 ? ' (yours kept, after jemalloc)' : ''}`);
  }
  say(`${jemalloc.confVar}=${conf.value}`);
  if (conf.kept.length > 0 || conf.replaced.length > 0) {
    const parts = [];
    if (conf.kept.length > 0) parts.push(`kept ${conf.kept.join(',')}`);
    for (const r of conf.replaced) parts.push(`changed ${r.key}:${r.was} to ${r.now} (${r.why})`);
    if (conf.added.length > 0) parts.push(`added ${conf.added.join(',')}`);
    say(`combined with your ${jemalloc.confVar}: ${parts.join('; ')}`);
  }
  if (jemalloc.confVar !== 'MALLOC_CONF' && io.env.MALLOC_CONF) say(`MALLOC_CONF is set, but this jemalloc reads ${jemalloc.confVar}: MALLOC_CONF is left as it was and ignored by it`);

  const result = await (deps.launcher ?? processLauncher).run({ file, args, argv0: name, env, cwd: io.cwd });
  if (result.failed) {
    io.stderr(`record: ${name}: ${result.failed}\n`);
    return 126;
  }
  say(describeEnd(name, result));
  const lgEffective = effectiveLgInterval(conf.value);
  const all = listDumps(out);
  const dumps = dumpsOfMainProcess(all, result.pid);
  const shownOut = shownPath(out, io.cwd);
  if (dumps.length === 0) {
    say(`no dump was written to ${shownOut}/. Why:`);
    for (const r of whyNoDump({ program, jemalloc, result, out, lgInterval: lgEffective })) io.stderr(`  - ${r}\n`);
    return exitStatus(result);
  }
  say(`${dumps.length} dump${dumps.length === 1 ? '' : 's'} in ${shownOut}/ (${countKinds(dumps)})${all.length > dumps.length ? `; ${all.length - dumps.length} more from other processes` : ''}`);
  await leakHunt(dumps, name, file, io, deps, jemalloc, program, effectiveLgSample(conf.value) === 0);
  return exitStatus(result);
}

function countKinds(dumps: readonly DumpFile[]): string {
  const names = { i: 'interval', m: 'manual', u: 'growth', f: 'final' } as const;
  return (['i', 'u', 'm', 'f'] as const)
    .map((k) => [names[k], dumps.filter((d) => d.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`)
    .join(', ');
}

/**
 * The leak hunt: the trend of the interval dumps (two or more), else `top` of what the final dump
 * (or the last one) holds; then the commands to dig further.
 */
async function leakHunt(dumps: DumpFile[], name: string, file: string, io: CliIO, deps: RecordDeps, jemalloc: JemallocChoice, program: ProgramFacts, everySampled: boolean): Promise<void> {
  const say = (line: string) => io.stderr(`record: ${line}\n`);
  const hunt = leakHuntDumps(dumps)!;
  // The program as the dumps name it (for a script: its interpreter), else the command's file.
  const exe = programOfDump(hunt.profile.path) ?? realpathSync(file);
  const typed = exe === realpathSync(file) && name.includes('/') && !isAbsolute(name) ? name : shownPath(exe, io.cwd);
  const contents = dumpContents(hunt.profile.path);
  const empty = emptyDumpMessage(contents, name, jemalloc, program, everySampled);
  if (empty) {
    say(empty);
  } else if (hunt.series) {
    const n = hunt.series.length;
    say(`leak hunt: the trend of the ${n} interval dumps, the steadiest growth first`);
    // The report shares stderr with record's lines (stdout is the command's): a table when stderr
    // is a terminal, else trend's tab-separated lines (a '#' header, Total, then the rows).
    const table = !!io.stderrIsTTY;
    const columns = (io.stderrColumns || io.columns || Number(io.env.COLUMNS) || 120) - INDENT.length;
    const r = await runReport(['trend', `--limit=${HUNT_ROWS}`, exe, ...hunt.series.map((d) => shownPath(d.path, io.cwd))], io, deps, { table, columns });
    // At a terminal trend has kept HUNT_ROWS rows and says how many it left out; piped, it gave them all.
    const lines = table ? r.lines.map((l) => l.replace(/^(\d+) more rows \(--limit, or pipe for all of them\)$/, '... $1 more rows: the trend command below shows them all')) : r.lines;
    showReport(lines, table ? Infinity : HUNT_ROWS + 2, r, io);
    if (r.code === 0 && !someStackGrew(hunt.base!.path, hunt.profile.path)) {
      io.stderr(`${INDENT}nothing grew: no stack holds more in the last interval dump than in the first (no sign of a leak in this run)\n`);
    }
  } else {
    say(`leak hunt: what the ${hunt.profile.kind === 'f' ? 'final dump (at exit)' : 'last dump'} holds`);
    const r = await runReport(['top', exe, hunt.profile.path], io, deps, { table: false });
    if (r.lines.length === 0 && r.code === 0) io.stderr(`${INDENT}nothing is held\n`);
    showReport(r.lines, HUNT_ROWS + 1, r, io);
  }
  say('dig further:');
  for (const l of followUpCommands({ program: typed, cwd: io.cwd, dumps, hunt })) io.stderr(`${l}\n`);
}

/** The report's lines are indented under record's own. */
const INDENT = '  ';

interface ReportRun {
  lines: string[];
  notes: string;
  code: number;
}

/** Runs a report command (`deps.report`, else jeprof-ts's main), its output kept to show on stderr. */
async function runReport(argv: string[], io: CliIO, deps: RecordDeps, term: { table: boolean; columns?: number }): Promise<ReportRun> {
  let text = '';
  let notes = '';
  const reportIO: CliIO = {
    ...io,
    stdout: (t) => void (text += typeof t === 'string' ? t : Buffer.from(t).toString('latin1')),
    stdoutIsTTY: term.table,
    columns: term.columns,
    // Progress lines (`\rSymbolizing 3/7 object files`, drawn only when stderr is a terminal) are
    // shown as they come; the rest is kept to show under the report.
    stderr: (t) => (t.startsWith('\r') ? io.stderr(t) : void (notes += t)),
  };
  const report = deps.report ?? (async (a: string[], rio: CliIO) => (await import('./main.js')).main(a, rio));
  const code = await report(argv, reportIO);
  return { lines: text.split('\n').filter((l) => l !== ''), notes, code };
}

/** The first `keep` lines of a report, how many more there were, its notes and a failure, on stderr. */
function showReport(lines: string[], keep: number, r: ReportRun, io: CliIO): void {
  for (const l of lines.slice(0, keep)) io.stderr(`${INDENT}${l}\n`);
  if (lines.length > keep) io.stderr(`${INDENT}... ${lines.length - keep} more rows\n`);
  // jeprof's `Using local file` lines say nothing record's lines did not.
  for (const l of r.notes.split('\n')) if (l !== '' && !l.startsWith('Using local file')) io.stderr(`${INDENT}${l}\n`);
  if (r.code !== 0) io.stderr(`record: the report failed (exit ${r.code})\n`);
}
