// One object file through GNU binutils: its symbol table (read in-process as nm lists it, else by
// nm), the source lines of its addresses (addr2line, in parallel parts, checked answer by answer)
// and its disassembly (objdump), for Binutils (binutils.ts).
import { availableParallelism } from 'node:os';
import { answerCount, answersByAddress, parseAddressedAnswers, parseReorderedAnswers } from './addr2line-output.js';
import { mayDemangle } from './demangle.js';
import { readElfSymbols } from './elf-symbols.js';
import { addressLines } from './address-lines.js';
import type { Binutils } from './binutils.js';
import { warmExeca } from './binutils-run.js';
import { mergeRoutines, parseNmOutput, type NmTable } from './nm-output.js';
import type { ObjFile, SourceLines } from './objtool.js';
import { fullTable, tableProcedures, type Procedures } from './procedures.js';

/** jeprof's nm commands in the order it tries them (the Go `6nm` fallback is left out). */
const NM_COMMANDS: readonly (readonly string[])[] = [
  ['-n', '--demangle'],
  ['-D', '-n', '--demangle'],
];

/** Below this many addresses per process, splitting a batch costs more start-up than it saves. */
const ADDRESSES_PER_PROCESS = 2000;

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
export function addr2lineArgs(path: string, inline: boolean): string[] {
  return inline ? ['-a', '-f', '-C', '-i', '-e', path] : ['-a', '-f', '-C', '-e', path];
}

export class BinutilsFile implements ObjFile {
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
