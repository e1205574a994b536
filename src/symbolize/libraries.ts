// Turns the profile's mappings into jeprof's library list: where each file is on this machine
// (--lib_prefix, debug copies) and the bias that maps runtime PCs to file addresses.
import { addressAdd, addressSub } from '../model/address.js';
import type { Mapping } from '../model/profile.js';
import type { ObjTool } from './objtool.js';
import { DEBUG_DIR, jeprofDebugCandidates } from './debug-search.js';

export interface Library {
  /** The file nm and addr2line read (after --lib_prefix and /usr/lib/debug substitution). */
  path: string;
  /** The path jeprof looked for, before the debug-copy substitution. */
  foundPath: string;
  start: bigint;
  /** Inclusive end. */
  finish: bigint;
  /** Runtime PC minus `bias` is the address in the file's symbol table. */
  bias: bigint;
  mapping?: Mapping;
}

/** jeprof's FindLibrary: try every --lib_prefix with the whole path, then with leading directories cut. */
export function findLibrary(file: string, prefixes: readonly string[], tool: ObjTool): string {
  if (prefixes.length === 0) return file;
  let suffix = file;
  for (;;) {
    for (const p of prefixes) {
      if (tool.exists(p + suffix)) return p + suffix;
    }
    const next = suffix.replace(/^\/[^/]+\//, '/');
    if (next === suffix) return file;
    suffix = next;
  }
}

/**
 * jeprof's DebuggingLibrary: a copy under /usr/lib/debug with the same path (optionally + .debug),
 * and with `byBuildId` (--debug-syms-by-id) /usr/lib/debug/.build-id/xx/yyyy.debug.
 */
export function debuggingLibrary(file: string, tool: ObjTool, debugRoot = DEBUG_DIR, byBuildId = false): string | undefined {
  const id = byBuildId ? tool.elfInfo(file)?.buildId : undefined;
  return jeprofDebugCandidates(file, id, byBuildId, debugRoot).find((p) => tool.exists(p));
}

export interface LibraryOptions {
  /** Absolute, symlink-resolved program path. */
  program: string;
  libPrefixes: readonly string[];
  /** --add_lib: a file whose own .text addresses are runtime addresses (bias 0). */
  addLib?: string;
  /** Highest PC of the first profile: the end of the catch-all program entry. */
  maxPc: bigint;
  debugRoot?: string;
  /** --debug-syms-by-id: also look for debug files by GNU build id. */
  debugByBuildId?: boolean;
}

/** The library list of jeprof's ParseLibraries, catch-all program entry last. */
export function buildLibraries(mappings: readonly Mapping[], opts: LibraryOptions, tool: ObjTool): Library[] {
  const out: Library[] = [];
  const debugFor = (p: string) => debuggingLibrary(p, tool, opts.debugRoot, opts.debugByBuildId);
  const withDebug = (p: string) => debugFor(p) ?? p;
  for (const m of mappings) {
    const found = findLibrary(m.file, opts.libPrefixes, tool);
    let offset = m.offset;
    // Pre-linked or non-PIE files: their symbol addresses are .text's VMA, not its file offset.
    if (!debugFor(found)) {
      const text = tool.elfInfo(found)?.text;
      if (text) offset = addressAdd(offset, addressSub(text.vma, text.fileOffset));
    }
    out.push({ path: withDebug(found), foundPath: found, start: m.start, finish: m.limit, bias: addressSub(m.start, offset), mapping: m });
  }
  if (opts.addLib) {
    const text = tool.elfInfo(opts.addLib)?.text;
    if (text) out.push({ path: withDebug(opts.addLib), foundPath: opts.addLib, start: text.vma, finish: addressAdd(text.vma, text.size), bias: 0n });
  }
  out.push({ path: withDebug(opts.program), foundPath: opts.program, start: 0n, finish: opts.maxPc, bias: 0n });
  return out;
}
