// Recognises a jemalloc inside one ELF file (a libjemalloc.so, or a program with a static copy,
// Rust's tikv-jemallocator among them) and tells whether it was built with heap profiling.
import { readElfSymbols } from '../symbolize/elf-symbols.js';
import { readSectionBytes, type ElfLayout } from '../symbolize/elf-layout.js';

export interface JemallocFile {
  /** Symbol prefix of its API: '' (malloc, mallctl), '_rjem_' (tikv-jemallocator), 'je_'. */
  prefix: string;
  /** The environment variable it reads its options from: jemalloc's JEMALLOC_CPREFIX + MALLOC_CONF. */
  confVar: string;
  /**
   * Built with --enable-prof. Known from the format string of the dump header, `heap_v2/%lu`, which
   * only profiling code writes: without --enable-prof every profiling function starts with
   * cassert(config_prof), a compile-time false, so the compiler drops the code and its strings.
   * Symbols tell nothing here (prof.c is compiled either way, so je_prof_* names exist in both
   * builds, and stripped files have none), nor do option names (ctl.c lists `prof_prefix` always).
   */
  profiling: boolean;
  /** How it was recognised, in words: `defines _rjem_mallctl`, `jemalloc's messages in .rodata`. */
  evidence: string;
}

/** jemalloc's own messages all start with this (malloc_printf in src/jemalloc.c and others). */
const MARKER = '<jemalloc>: ';
const PROFILE_FORMAT = 'heap_v2/';
/** The options variable as a whole string: after a NUL, or after "environment variable " in jemalloc's opt sources. */
const CONF_VAR = /(?<=[\0 ])([A-Z0-9_]*)MALLOC_CONF\0/g;

/**
 * The prefixes p for which the file defines both p+mallctl and p+mallctlnametomib: jemalloc's API,
 * which no other allocator has. `dynamic` reads .dynsym (a shared library's exports), else .symtab.
 */
export function jemallocPrefixes(path: string, dynamic: boolean): string[] {
  const lines = readElfSymbols(path, dynamic) ?? [];
  const defined = new Set<string>();
  for (const l of lines) if (l.type === 'T' || l.type === 't' || l.type === 'W' || l.type === 'i') defined.add(l.name.replace(/@.*$/, ''));
  const out: string[] = [];
  for (const name of defined) {
    if (!name.endsWith('mallctl')) continue;
    const prefix = name.slice(0, -'mallctl'.length);
    if (/^[A-Za-z0-9_]*$/.test(prefix) && defined.has(`${prefix}mallctlnametomib`)) out.push(prefix);
  }
  return out;
}

/** What the read-only data of the file says: jemalloc's messages, the dump format, the options variables. */
function rodataFacts(path: string, layout: ElfLayout): { marker: boolean; profiling: boolean; confVars: string[] } {
  const facts = { marker: false, profiling: false, confVars: [] as string[] };
  for (const b of readSectionBytes(path, layout, (n) => n === '.rodata' || n.startsWith('.rodata.'))) {
    if (b.indexOf(MARKER, 0, 'latin1') >= 0) facts.marker = true;
    if (b.indexOf(PROFILE_FORMAT, 0, 'latin1') >= 0) facts.profiling = true;
    const text = b.toString('latin1');
    for (const m of text.matchAll(CONF_VAR)) if (!facts.confVars.includes(m[0].slice(0, -1))) facts.confVars.push(m[0].slice(0, -1));
  }
  return facts;
}

/**
 * The jemalloc in `path`, or undefined when it holds none. `dynamic`: look at exported symbols
 * only (a shared library); else the full symbol table, then, for a stripped program, the data.
 */
export function inspectJemalloc(path: string, layout: ElfLayout, dynamic: boolean): JemallocFile | undefined {
  let prefixes = jemallocPrefixes(path, dynamic);
  // A static copy in a program is seldom exported, but a program may export it (-rdynamic).
  if (prefixes.length === 0 && !dynamic) prefixes = jemallocPrefixes(path, true);
  const facts = rodataFacts(path, layout);
  if (prefixes.length === 0 && !facts.marker) return undefined;
  // tikv-jemallocator's `_rjem_` over a plain name: a Rust program may also hold a C library's.
  const prefix = prefixes.find((p) => p !== '') ?? prefixes[0];
  let confVar: string;
  if (prefix !== undefined) {
    // jemalloc's configure: JEMALLOC_CPREFIX is the prefix in capitals.
    confVar = `${prefix.toUpperCase()}MALLOC_CONF`;
  } else {
    // Stripped: the variable named in the data (the longest, as `_RJEM_MALLOC_CONF` may hold `MALLOC_CONF`).
    confVar = [...facts.confVars].sort((a, b) => b.length - a.length)[0] ?? 'MALLOC_CONF';
  }
  const derivedPrefix = prefix ?? confVar.slice(0, -'MALLOC_CONF'.length).toLowerCase();
  const evidence = prefix !== undefined ? `defines ${prefix}mallctl` : `jemalloc's messages in its data (no symbol table), reads ${confVar}`;
  return { prefix: derivedPrefix, confVar, profiling: facts.profiling, evidence };
}
