// Runs GNU nm, addr2line and objdump through execa with argument arrays: no shell, and every path is made
// to start with `/` or `./` so a name from a profile can never be read as an option.
import { accessSync, closeSync, constants, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { dropTempDir, makeTempDir } from '../system/temp-files.js';
// execa is loaded on first use: a run answered from the symbol cache never pays its start-up time.
// Loading it takes tens of milliseconds, so a file that will need a tool starts the load at once
// (warmExeca), while its symbol table is read.
let execaModule: Promise<typeof import('execa')> | undefined;
const loadExeca = () => (execaModule ??= import('execa')).then((m) => m.execa);
const warmExeca = () => void loadExeca().catch(() => {});
import { answerCount, answersByAddress, parseAddressedAnswers, parseReorderedAnswers } from './addr2line-output.js';
import { debugBytes, readElfInfo, type ElfInfo } from './elf.js';
import { CXXFILT_ARGS, demanglerInput, demanglerResult, mayDemangle } from './demangle.js';
import { readElfSymbols } from './elf-symbols.js';
import { addressLines } from './address-lines.js';
import { EarlyRuns, killedAfter } from './early-runs.js';
import { mergeRoutines, parseNmOutput, type NmTable } from './nm-output.js';
import type { ObjFile, ObjTool, SourceLines } from './objtool.js';
import { fullTable, tableProcedures, type Procedures } from './procedures.js';

export type ToolName = 'nm' | 'addr2line' | 'objdump' | 'c++filt';

/** jeprof's nm commands in the order it tries them (the Go `6nm` fallback is left out). */
const NM_COMMANDS: readonly (readonly string[])[] = [
  ['-n', '--demangle'],
  ['-D', '-n', '--demangle'],
];

/** Addresses per write to an early addr2line run while the dump is read (about 35 KB). */
const STREAM_BATCH = 2048;

/** Below this many addresses per process, splitting a batch costs more start-up than it saves. */
const ADDRESSES_PER_PROCESS = 2000;

/** How long one nm, addr2line or objdump run may take before it is killed, by default ($JEPROF_TS_TOOL_TIMEOUT). */
export const TOOL_TIMEOUT_MS = 120_000;
const MAX_OUTPUT_BYTES = 1024 * 1024 * 1024;

/** Makes a path safe to pass as a file operand (jeprof's `s#^[^/]#./$&#`). */
export function operandPath(path: string): string {
  return path.startsWith('/') ? path : `./${path}`;
}

/**
 * Resolves each tool like jeprof's ConfigureTool: a `tool:path` entry of --tools/JEPROF_TOOLS wins,
 * else the first comma-separated prefix with an executable `prefix+tool`; with no setting, the
 * tool from PATH. Throws when --tools is set and a tool is not found there.
 */
export function resolveTools(tools: string): Record<ToolName, string> {
  const out = {} as Record<ToolName, string>;
  for (const tool of ['nm', 'addr2line', 'objdump', 'c++filt'] as ToolName[]) {
    const esc = tool.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`(,|^)${esc}:([^,]*)`).exec(tools);
    if (m) {
      out[tool] = m[2];
    } else if (tools !== '') {
      const found = tools
        .split(',')
        .filter((p) => !p.includes(':'))
        .map((p) => p + tool)
        .find((p) => isExecutable(p));
      if (!found) throw new Error(`No '${tool}' found with prefix specified by --tools (or $JEPROF_TOOLS) '${tools}'`);
      out[tool] = found;
    } else {
      out[tool] = tool;
    }
  }
  return out;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface RunToolOptions {
  /** The tool's standard input. */
  input?: string | Uint8Array;
  /** A failure is not a problem to report: the caller has another way. */
  quiet?: boolean;
}

export class Binutils implements ObjTool {
  readonly problems: string[] = [];
  private readonly elf = new Map<string, ElfInfo | undefined>();
  /** Tool runs started before their input was known (see prepare). */
  private readonly early: EarlyRuns;
  /** One per path: its symbol table is read once, whoever opens it (prepare() does, early). */
  private readonly files = new Map<string, BinutilsFile>();

  constructor(
    private readonly tools: Record<ToolName, string>,
    /** The tools' working folder: addr2line looks for `.build-id/` debug files there (see debug-search.ts). */
    readonly cwd: string = process.cwd(),
    /** How long one run may take before it is killed (a hung tool costs a warning, not the report). */
    private readonly timeoutMs: number = TOOL_TIMEOUT_MS,
    /** The run's environment, the tools' too (their PATH finds them), with LC_ALL=C for their messages. */
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.env = { ...env, LC_ALL: 'C' };
    this.early = new EarlyRuns(timeoutMs, cwd, this.env);
  }

  private readonly env: NodeJS.ProcessEnv;

  open(path: string): BinutilsFile {
    let f = this.files.get(path);
    if (!f) {
      f = new BinutilsFile(this, operandPath(path), path);
      this.files.set(path, f);
    }
    return f;
  }

  /**
   * Symbol tables are read in this process (elf-symbols.ts lists exactly what binutils' nm does)
   * unless the user named an nm of their own (--tools, $JEPROF_TOOLS): then that nm runs.
   */
  get readsTablesItself(): boolean {
    return this.tools.nm === 'nm';
  }

  toolPath(tool: ToolName): string {
    return this.tools[tool];
  }

  /** Read once per path: libraries, the symbolizer, the cache key and nm's skip all ask. */
  elfInfo(path: string) {
    if (!this.elf.has(path)) this.elf.set(path, readElfInfo(path));
    return this.elf.get(path);
  }

  exists(path: string): boolean {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  }

  /**
   * The program and the other object files whose PCs the dump likely holds: their addr2line
   * starts now, before the dump is read and while this process is small (see early-runs.ts), and
   * gets its addresses when they are known.
   */
  async prepare(program: string, libraries: () => readonly string[] = () => [], started?: () => void): Promise<void> {
    try {
      const execa = await loadExeca();
      // The file with the most debug information to read goes first, as in symbolizeLocations.
      const files = [...new Set([program, ...libraries()])].filter((p) => this.exists(p) && this.elfInfo(p));
      const cost = new Map(files.map((p) => [p, debugBytes(p, this.elfInfo(p))]));
      files.sort((a, b) => cost.get(b)! - cost.get(a)!);
      // All start before any symbol table is read: this process is smallest then, and a start
      // costs more the more memory it holds. jeprof inlines (-i) only when the table has `_fini`,
      // the separator: a file with a .symtab almost always lists it, a stripped library's dynamic
      // table almost never. A wrong guess is started again once the table is read.
      const guess = (path: string) => this.elfInfo(path)?.hasSymtab === true;
      for (const path of files) this.early.start(execa, this.tools.addr2line, addr2lineArgs(operandPath(path), guess(path)));
      // A run without the separator can take PCs at once: its first makes it read its debug
      // information (libc's takes a tenth of a second) while the other tables are read.
      const streamTo = (path: string, inline: boolean) => {
        const args = addr2lineArgs(operandPath(path), inline);
        if (this.early.has(this.tools.addr2line, args)) this.streams.set(path, { inline, args, sent: [], pending: [] });
      };
      for (const path of files) if (!guess(path)) streamTo(path, false);
      started?.();
      let mangled = false;
      for (const path of files) {
        const p = await this.open(path).procedures();
        const inline = p.sepAddress !== undefined;
        if (inline !== guess(path)) {
          this.streams.delete(path);
          this.early.drop(this.tools.addr2line, addr2lineArgs(operandPath(path), !inline));
          this.early.start(execa, this.tools.addr2line, addr2lineArgs(operandPath(path), inline));
        }
        // With inlining the separator is asked first (see addr2line()): it goes at once.
        if (p.sepAddress !== undefined) this.early.write(this.tools.addr2line, addr2lineArgs(operandPath(path), true), addressLines([p.sepAddress]));
        if (!this.streams.has(path)) streamTo(path, inline);
        mangled ||= !p.finished && p.routines.some((r) => mayBeMangled(r.name));
      }
      // C++ or Rust names are demangled by c++filt, one run for the names all files ask for at
      // once (see demangle()): it starts now too, and waits for them.
      if (mangled) this.early.start(execa, this.tools['c++filt'], [...CXXFILT_ARGS]);
    } catch {
      // Only a head start: whatever went wrong shows again, and is reported, when the tools run.
    }
  }

  /**
   * nm --demangle's form of names that mayDemangle, for any file (c++filt knows nothing of files):
   * the names asked for by all files in one turn of the event loop go to one c++filt run, which
   * saves a start per file (each 5 to 30 ms of this thread, more the bigger this process is).
   * Undefined when c++filt cannot give them (a name it would split, or a failed run).
   */
  demangle(names: readonly string[]): Promise<Map<string, string> | undefined> {
    // Checked alone first, so one file's odd name cannot fail the others' batch.
    if (demanglerInput(names) === undefined) return Promise.resolve(undefined);
    if (!this.demangling) {
      const batch = new Set<string>();
      const done = new Promise((resolve) => setImmediate(resolve)).then(async () => {
        this.demangling = undefined;
        const all = [...batch];
        const r = await this.run('c++filt', [...CXXFILT_ARGS], { input: demanglerInput(all) });
        const got = r && r.exitCode === 0 ? demanglerResult(all, r.stdout) : undefined;
        // nm demangles them instead (the names are the same); only the time is lost.
        if (r && !got) this.note(`c++filt (${this.tools['c++filt']}) ${r.exitCode !== 0 ? `exited with status ${r.exitCode}` : 'printed output that is not its answers'}: nm demangles the names instead`);
        return got;
      });
      this.demangling = { batch, done };
    }
    for (const n of names) this.demangling.batch.add(n);
    return this.demangling.done.then((all) => all && new Map(names.map((n) => [n, all.get(n)!])));
  }

  /** The c++filt batch still taking names (see demangle). */
  private demangling?: { batch: Set<string>; done: Promise<Map<string, string> | undefined> };

  /**
   * The early addr2line runs' addresses so far, per path given to prepare(): `sent` are written to
   * the run, `pending` wait for the next write. addr2line answers them while the dump is still
   * being read, instead of all of them after it.
   */
  private readonly streams = new Map<string, { inline: boolean; args: string[]; sent: bigint[]; pending: bigint[] }>();

  /**
   * Gives the early addr2line run of `path` (if one waits) a file address it will be asked for
   * (see ObjTool.stream). Addresses go in batches after the first: a write per address would cost
   * more than the head start saves.
   */
  stream(path: string, fileAddress: bigint): void {
    const s = this.streams.get(path);
    if (!s) return;
    s.pending.push(fileAddress);
    // The first address goes at once: a run without the `_fini` separator starts reading its
    // debug information only when asked something (libc's takes a tenth of a second).
    if (s.pending.length < STREAM_BATCH && s.sent.length > 0) return;
    if (this.early.write(this.tools.addr2line, s.args, addressLines(s.pending))) {
      for (const a of s.pending) s.sent.push(a);
      s.pending = [];
    } else {
      this.streams.delete(path);
    }
  }

  /**
   * The addresses streamed to the early run of `path` with these arguments, written or not, in
   * order; the record ends (what is still pending goes with the rest of the run's input).
   */
  takeStreamed(path: string, inline: boolean): bigint[] | undefined {
    const s = this.streams.get(path);
    this.streams.delete(path);
    if (!s || s.inline !== inline || !this.early.has(this.tools.addr2line, s.args)) return undefined;
    for (const a of s.pending) s.sent.push(a);
    return s.sent;
  }

  /** Symbolization is done: runs started early and not used end. */
  release(): void {
    this.streams.clear();
    this.early.endAll();
  }

  /** True when `tool args` was started early and waits for its input. */
  startedEarly(tool: ToolName, args: readonly string[]): boolean {
    return this.early.has(this.tools[tool], args);
  }

  /** Runs a tool; undefined when it could not be started (missing) or timed out. */
  async run(tool: ToolName, args: string[], { input, quiet = false }: RunToolOptions = {}): Promise<{ stdout: string; exitCode: number; stderr: string } | undefined> {
    const early = await this.early.give(this.tools[tool], args, input ?? '');
    if (early) return this.outcome(tool, early, quiet);
    // Standard input, output and error all go through files: addr2line flushes after every
    // address, and through a pipe 40,000 addresses are 40,000 chunks for Node's streams, which
    // cost several times the tool's own run; and a tool that leaves a child behind holding a pipe
    // (a wrapper script) would keep the run from ever ending.
    const dir = makeTempDir();
    const fds: number[] = [];
    try {
      writeFileSync(join(dir, 'stdin'), input ?? '');
      fds.push(openSync(join(dir, 'stdin'), 'r'), openSync(join(dir, 'stdout'), 'w'), openSync(join(dir, 'stderr'), 'w'));
      const sub = (await loadExeca())(this.tools[tool], args, {
        cwd: this.cwd,
        reject: false,
        stripFinalNewline: false,
        env: this.env,
        extendEnv: false,
        // Its own process group, so a run that hangs is killed with whatever it started.
        detached: true,
        // execa hands a numeric descriptor to the child as it is, making no stream for it (its
        // NoStreamStdioOption), but its option types list only 0, 1 and 2 for these.
        stdin: fds[0] as 0,
        stdout: fds[1] as 1,
        stderr: fds[2] as 2,
      });
      const r = await killedAfter(sub, this.timeoutMs);
      const read = (f: string) => (r.exitCode === undefined ? '' : readFileSync(join(dir, f), 'utf8'));
      return this.outcome(tool, { ...r, stdout: read('stdout'), stderr: read('stderr') }, quiet);
    } catch (e) {
      if (!quiet) this.note(`${this.tools[tool]}: ${(e as Error).message.split('\n')[0]}`);
      return undefined;
    } finally {
      for (const fd of fds) closeSync(fd);
      dropTempDir(dir);
    }
  }

  /** A run's result, or undefined (and a problem noted) when the tool did not start or timed out. */
  private outcome(tool: ToolName, r: { failed: boolean; exitCode?: number; timedOut: boolean; code?: string; shortMessage?: string; stderr: string; stdout: string }, quiet: boolean): { stdout: string; exitCode: number; stderr: string } | undefined {
    if (r.failed && r.exitCode === undefined) {
      const why = r.timedOut ? `timed out after ${this.timeoutMs / 1000} s and was killed ($JEPROF_TS_TOOL_TIMEOUT sets the limit)` : r.code === 'ENOENT' ? 'not found' : (r.shortMessage ?? 'failed');
      if (!quiet) this.note(`${tool === this.tools[tool] ? tool : `${tool} (${this.tools[tool]})`}: ${why}${r.code === 'ENOENT' ? ' (install binutils: apt-get install binutils)' : ''}`);
      return undefined;
    }
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 1 };
  }

  note(problem: string): void {
    if (!this.problems.includes(problem)) this.problems.push(problem);
  }

  /** Tools that failed a run, for addr2lineBroken(). */
  private readonly failed = new Set<ToolName>();

  /** A run of `tool` on `file` that failed or was cut short after `answered` of `asked` answers. */
  failedRun(tool: ToolName, file: string, r: { exitCode: number; stderr: string }, answered: number, asked: number): void {
    this.failed.add(tool);
    const why = r.exitCode !== 0 ? `exited with status ${r.exitCode}` : 'printed output that is not its answers';
    const said = r.stderr.trim().split('\n')[0];
    this.note(`${tool} (${this.tools[tool]}) ${why} on ${file} after ${answered} of ${asked} addresses${said ? ` (${said.slice(0, 120)})` : ''}: the rest are named from its symbol table alone, without file:line`);
  }

  private broken?: Promise<boolean>;

  /** After a failed addr2line run, whether `addr2line --help` fails too (jeprof's test of whether it is installed). */
  addr2lineBroken(): Promise<boolean> {
    if (!this.failed.has('addr2line')) return Promise.resolve(false);
    this.broken ??= this.run('addr2line', ['--help'], { quiet: true }).then((r) => {
      const broken = !r || r.exitCode !== 0;
      if (broken) this.note(`addr2line (${this.tools.addr2line}) fails \`--help\` too: as jeprof does then, every name comes from the symbol tables alone, without file:line or inline frames`);
      return broken;
    });
    return this.broken;
  }

}

/**
 * Whether a routine's name looks mangled, as far as starting a c++filt early goes: mayDemangle's
 * prefixes, less the `_GLOBAL_OFFSET_TABLE_` of every C program (libiberty demangles only the
 * `_GLOBAL_` names of constructors and destructors). A quick test: a C program has thousands.
 */
const MANGLED = /^[.$]*(_Z|_R|_GLOBAL_[._$][DI]_)/;
function mayBeMangled(name: string): boolean {
  return MANGLED.test(name) && mayDemangle(name);
}

/** A Map key for an address: a double where exact (BigInt keys are hashed anew on every use). */
const addressKey = (a: bigint): number | bigint => (a <= 0x1fffffffffffffn ? Number(a) : a);

/**
 * The order addr2line is asked in: `streamed` (taken over and added to), then the addresses of
 * `addrs` not among them (each once); and where each of `addrs` is in it.
 */
function askedOrder(streamed: bigint[], addrs: readonly bigint[]): { order: bigint[]; at: number[] } {
  const where = new Map<number | bigint, number>();
  const order = streamed;
  // An address streamed twice (the first PC goes at once, and again as the parser meets it) is
  // found at its first answer: a run cut short may not have given the second.
  for (let k = order.length - 1; k >= 0; k--) where.set(addressKey(order[k]), k);
  const at = addrs.map((a) => {
    const key = addressKey(a);
    let k = where.get(key);
    if (k === undefined) {
      k = order.push(a) - 1;
      where.set(key, k);
    }
    return k;
  });
  return { order, at };
}

/**
 * jeprof's addr2line arguments, and -a: each answer then starts with the address asked, so a run
 * cut short or printing something else is told from a good one (see BinutilsFile.addr2line).
 */
function addr2lineArgs(path: string, inline: boolean): string[] {
  return inline ? ['-a', '-f', '-C', '-i', '-e', path] : ['-a', '-f', '-C', '-e', path];
}

class BinutilsFile implements ObjFile {
  /** nm's text per command of NM_COMMANDS, each run at most once whatever the filter. */
  private readonly nmTexts: Promise<string>[] = [];
  /** The in-process listing: null when the file needs nm. */
  private elf?: Procedures | null;

  constructor(
    private readonly tools: Binutils,
    private readonly path: string,
    /** The path as given to open() (and to prepare() and stream()), before operandPath. */
    private readonly openedAs: string,
  ) {}

  private listing(i: number): Promise<string> {
    // Plain `nm` reads only .symtab; for a stripped ELF file it would print nothing, so skip the run.
    if (i === 0 && !NM_COMMANDS[0].includes('-D') && this.tools.elfInfo(this.path)?.hasSymtab === false) this.nmTexts[i] ??= Promise.resolve('');
    this.nmTexts[i] ??= this.tools.run('nm', [...NM_COMMANDS[i], '--', this.path]).then((r) => {
      // What it printed before failing is read as jeprof reads it; the failure is said.
      if (r && r.exitCode !== 0 && !(r.exitCode === 1 && /no symbols/.test(r.stderr))) {
        this.tools.note(`nm (${this.tools.toolPath('nm')}) exited with status ${r.exitCode} on ${this.openedAs}${r.stderr.trim() ? ` (${r.stderr.trim().split('\n')[0].slice(0, 120)})` : ''}: names come from what it listed, and addr2line`);
      }
      return r?.stdout ?? '';
    });
    return this.nmTexts[i];
  }

  /** jeprof falls back to the next nm command when the filtered table is empty, not the listing. */
  async symbols(filter?: RegExp): Promise<NmTable> {
    warmExeca();
    if (!filter) {
      const p = this.elfProcedures();
      const t = p && (await fullTable(p));
      if (t) return t;
    }
    return this.nmSymbols(filter);
  }

  async procedures(): Promise<Procedures> {
    warmExeca();
    return this.elfProcedures() ?? tableProcedures(await this.nmSymbols());
  }

  /**
   * `nm -n`, else `nm -D -n`, read in-process, names still mangled; undefined when the file is
   * not one the reader knows (then nm runs as jeprof does).
   */
  private elfProcedures(): Procedures | undefined {
    if (this.elf === undefined) {
      this.elf = null;
      // An nm named by --tools or $JEPROF_TOOLS is run, as jeprof runs it: its faults are jeprof's too.
      if (!this.tools.readsTablesItself) return undefined;
      for (const dynamic of [false, true]) {
        const lines = readElfSymbols(this.path, dynamic);
        if (!lines) break;
        // Every listed name matches the `.` filter, so the table is empty only when the listing is.
        if (lines.length > 0 || dynamic) {
          this.elf = { ...mergeRoutines(lines), demangle: (names) => this.demangle(names) };
          break;
        }
      }
    }
    return this.elf ?? undefined;
  }

  /** nm --demangle's names by c++filt (see Binutils.demangle); undefined when c++filt cannot give them. */
  private async demangle(names: readonly string[]): Promise<Map<string, string> | undefined> {
    const out = new Map(names.map((n) => [n, n]));
    const mangled = names.filter(mayDemangle);
    if (mangled.length === 0) return out;
    const got = await this.tools.demangle(mangled);
    if (!got) return undefined;
    for (const [n, d] of got) out.set(n, d);
    return out;
  }

  private async nmSymbols(filter?: RegExp): Promise<NmTable> {
    for (let i = 0; i < NM_COMMANDS.length; i++) {
      const table = parseNmOutput(await this.listing(i), filter);
      if (table.symbols.length > 0) return table;
    }
    return { symbols: [] };
  }

  async disassemble(start: bigint, stop: bigint): Promise<string | undefined> {
    const hex = (a: bigint) => '0x' + a.toString(16).padStart(16, '0');
    const args = ['-C', '-d', '-l', '--no-show-raw-insn', `--start-address=${hex(start)}`, `--stop-address=${hex(stop)}`, '--', this.path];
    const r = await this.tools.run('objdump', args);
    if (!r) return undefined;
    if (r.exitCode !== 0) {
      const said = r.stderr.trim().split('\n')[0];
      this.tools.note(`objdump (${this.tools.toolPath('objdump')}) exited with status ${r.exitCode} on ${this.openedAs}${said ? ` (${said.slice(0, 120)})` : ''}: the listing has what it printed`);
    }
    return r.stdout;
  }

  async sourceLines(addrs: readonly bigint[], separator?: bigint): Promise<SourceLines | undefined> {
    // No `addr2line --help` probe as jeprof does: a missing addr2line shows up as a failed start
    // (run() gives undefined), and the caller falls back to nm's names alone, as jeprof would.
    // A big batch is cut into one contiguous run of addresses per core: addr2line is single
    // threaded, and each process then reads only its part of the DWARF.
    // One already started early takes them all: a second process would cost more than it saves.
    const parts = this.tools.startedEarly('addr2line', addr2lineArgs(this.path, separator !== undefined))
      ? 1
      : Math.max(1, Math.min(availableParallelism(), Math.floor(addrs.length / ADDRESSES_PER_PROCESS)));
    const size = Math.ceil(addrs.length / parts);
    const chunks: (readonly bigint[])[] = [];
    for (let i = 0; i < addrs.length; i += size) chunks.push(addrs.slice(i, i + size));
    const answers = await Promise.all(chunks.map((c) => this.addr2line(c, separator)));
    if (answers.some((a) => a === undefined)) return undefined;
    return answers.flat() as SourceLines;
  }

  private async addr2line(addrs: readonly bigint[], separator?: bigint): Promise<SourceLines | undefined> {
    // With inlining (-i), jeprof asks for `_fini` after every address and splits the answers
    // where `_fini` shows up. Asking once (first) with -a, which heads each answer with its
    // address, costs half the lookups; the stream jeprof would have read is rebuilt below.
    const inline = separator !== undefined;
    // Addresses streamed to the early run while the dump was read come first, in the order they
    // went; the rest follow. Answers depend only on the address asked, so they are mapped back.
    const streamed = this.tools.takeStreamed(this.openedAs, inline);
    const { order, at } = streamed ? askedOrder(streamed, addrs) : { order: addrs, at: undefined };
    const asked = inline ? [separator, ...order] : order;
    const args = addr2lineArgs(this.path, inline);
    const input = addressLines(asked);
    const r = await this.tools.run('addr2line', args, { input });
    if (!r) return undefined;
    if (r.exitCode !== 0 || (inline && answerCount(r.stdout) !== asked.length)) {
      // Died partway, or printed something else: the answers it gave stand, each checked against
      // its address, and the rest get nm's names alone (only what this run was to add is lost).
      const got = answersByAddress(r.stdout, asked).slice(inline ? 1 : 0);
      const mine = at ? at.map((k) => got[k]) : got;
      this.tools.failedRun('addr2line', this.openedAs, r, mine.filter((f) => f !== undefined).length, mine.length);
      return mine;
    }
    // jeprof reads inline answers as one stream, in its own order (see parseReorderedAnswers);
    // without -i each address has its own answer of one frame.
    if (inline) return at ? parseReorderedAnswers(r.stdout, at) : parseAddressedAnswers(r.stdout, addrs.length);
    const answers = answersByAddress(r.stdout, asked);
    if (answers.some((a) => a === undefined)) {
      this.tools.failedRun('addr2line', this.openedAs, r, answers.filter((f) => f !== undefined).length, answers.length);
    }
    return at ? at.map((k) => answers[k]) : answers;
  }

  close(): void {}
}
