// The seam between symbolization and the binutils on disk; tests swap in a fake (pprof plugin.ObjTool).
import type { Addr2LineFrame } from './addr2line-output.js';
import type { ElfInfo } from './elf.js';
import type { NmTable } from './nm-output.js';
import type { PcNames, Procedures } from './procedures.js';

export interface ObjFile {
  /**
   * jeprof's GetProcedureBoundaries: the routines of `nm -n --demangle` whose tagged name matches
   * `filter` (default `.`); when none does, those of `nm -D -n --demangle`.
   */
  symbols(filter?: RegExp): Promise<NmTable>;
  /**
   * The default table (filter `.`) with names demangled only when looked up; without it, users
   * take symbols() (see proceduresOf).
   */
  procedures?(): Promise<Procedures>;
  /** pcNamesOf's answer, when the file can give it without the table (the symbol cache can). */
  pcNames?(pcs: readonly bigint[], bias: bigint): PcNames;
  /**
   * addr2line frames for file addresses, innermost first. `separator` (the `_fini` address) turns
   * on inline frames (-i), as in jeprof. Undefined when addr2line is not usable; an address left
   * unanswered by a run that failed partway is undefined (its name then comes from nm alone).
   */
  sourceLines(addrs: readonly bigint[], separator?: bigint): Promise<SourceLines | undefined>;
  /**
   * objdump's text for `objdump -C -d -l --no-show-raw-insn --start-address=0x<16 hex>
   * --stop-address=0x<16 hex> <file>` (jeprof's Disassemble); undefined when objdump is not usable.
   */
  disassemble(start: bigint, stop: bigint): Promise<string | undefined>;
  close(): void;
}

export interface ObjTool {
  open(path: string): ObjFile;
  /** Header facts of the file, undefined when it is not a readable ELF file. */
  elfInfo(path: string): ElfInfo | undefined;
  /** True when a path names an existing file (jeprof's `-e` / `-f` tests). */
  exists(path: string): boolean;
  /** Problems met so far (missing tools, failing runs), one line each, for the warnings on stderr. */
  readonly problems: string[];
  /** Things to tell that change no name (an unusable symbol cache), one line each; --strict-tools ignores them. */
  readonly notices?: readonly string[];
  /**
   * Called before the dump is read: start the tools the program and `libraries()` (the other
   * object files its PCs likely fall in, worked out only when asked) will need, while this process
   * is still small (Binutils starts their addr2line). `started` is called once they are started,
   * before their symbol tables are read: PCs known by then can be given to stream() at once.
   */
  prepare?(program: string, libraries: () => readonly string[], started?: () => void): Promise<void>;
  /**
   * A PC the dump holds, as its file address in `path` (a file given to prepare()), told as the
   * dump is read: addr2line can be given it before the whole dump is known. Only a head start:
   * what is asked of sourceLines() later is what counts.
   */
  stream?(path: string, fileAddress: bigint): void;
  /** Symbolization is done: end what prepare() started and nothing used. */
  release?(): void;
  /**
   * After a failed addr2line run: true when `addr2line --help` fails too. jeprof probes that before
   * each file and, when it fails, names every PC from nm alone (no file:line); so do we.
   */
  addr2lineBroken?(): Promise<boolean>;
}

/** Frames per address asked, innermost first; undefined for an address a failed run left unanswered. */
export type SourceLines = (Addr2LineFrame[] | undefined)[];
