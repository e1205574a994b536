// jeprof-ts's ObjTool over GNU binutils (binutils-run.ts runs them): each object file's tables and
// lines (binutils-file.ts), addr2line started early for the files a dump likely names and fed its
// addresses while the dump is read, and one c++filt run for the names all files need demangled.
import { statSync } from 'node:fs';
import { debugBytes, readElfInfo, type ElfInfo } from './elf.js';
import { CXXFILT_ARGS, demanglerInput, demanglerResult, mayDemangle } from './demangle.js';
import { addressLines } from './address-lines.js';
import { addr2lineArgs, BinutilsFile } from './binutils-file.js';
import { loadExeca, operandPath, ToolRunner } from './binutils-run.js';
import type { ObjTool } from './objtool.js';

/** Addresses per write to an early addr2line run while the dump is read (about 35 KB). */
const STREAM_BATCH = 2048;

/** The tools, their runs and what went wrong are ToolRunner's (its constructor is this one's). */
export class Binutils extends ToolRunner implements ObjTool {
  private readonly elf = new Map<string, ElfInfo | undefined>();
  /** One per path: its symbol table is read once, whoever opens it (prepare() does, early). */
  private readonly files = new Map<string, BinutilsFile>();

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
