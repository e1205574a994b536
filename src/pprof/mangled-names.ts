// The linker (mangled) names of the functions jeprof named from a symbol table, for pprof's
// Function.system_name. jeprof-ts keeps only demangled names (nm --demangle, c++filt), tagged with
// the routine's address in its file (`foo(int)<0000000000001189>`): that address finds the raw
// name again in the same file's symbol table, read in-process (src/symbolize/elf-symbols.ts).
import type { Func, Location } from '../model/profile.js';
import { readElfSymbols } from '../symbolize/elf-symbols.js';
import type { NmLine } from '../symbolize/nm-output.js';

const NM_TAG = /<([0-9a-fA-F]{16})>$/;
/** Itanium C++ and Rust v0 mangling: what a demangled name with `::` or `(` came from. */
const MANGLED = /^_(Z|R)/;
const DEMANGLED = /::|\(/;

/**
 * Func -> mangled name, for functions whose full name carries nm's tag (a C name's is itself).
 * `fileOf` says which file a PC's names came from (its library's, as symbolized). Functions named
 * otherwise (addr2line's inline frames, untagged aliases, files the reader cannot read) get no
 * answer: their mangled name is not known here.
 */
export function mangledNames(
  locations: readonly Location[],
  fileOf: (loc: Location) => string | undefined,
  read: (path: string, dynamic: boolean, at: ReadonlySet<string>) => NmLine[] | undefined = readElfSymbols,
): (f: Func) => string | undefined {
  const wanted = new Map<string, Map<string, Func[]>>();
  for (const loc of locations) {
    if (loc.lines.length === 0) continue;
    const f = loc.lines[0].func;
    // A C name is its own linker name: only demangled ones (C++, Rust) send us to the file,
    // whose table took 13 to 14 ms to read here for 5,000 to 6,000 symbols.
    if (!DEMANGLED.test(f.systemName)) continue;
    const tag = NM_TAG.exec(f.systemName);
    if (!tag) continue;
    const file = fileOf(loc);
    if (file === undefined) continue;
    let tags = wanted.get(file);
    if (!tags) wanted.set(file, (tags = new Map()));
    const list = tags.get(tag[1]) ?? [];
    if (!list.includes(f)) list.push(f);
    tags.set(tag[1], list);
  }
  const out = new Map<Func, string>();
  for (const [file, tags] of wanted) {
    // jeprof's order: nm's table, else nm -D's when the first names nothing.
    for (const dynamic of [false, true]) {
      const byAddr = new Map<string, string[]>();
      // Only the symbols at the tags' addresses: a file's table is thousands of names.
      for (const sym of read(file, dynamic, new Set(tags.keys())) ?? []) {
        if (!tags.has(sym.addr)) continue;
        const names = byAddr.get(sym.addr) ?? [];
        names.push(sym.name);
        byAddr.set(sym.addr, names);
      }
      for (const [addr, funcs] of tags) {
        const names = byAddr.get(addr);
        if (!names) continue;
        for (const f of funcs) if (!out.has(f)) out.set(f, pick(names, f.systemName.replace(NM_TAG, '')));
      }
      if (byAddr.size > 0) break;
    }
  }
  // A tagged C name is its own linker name; any other not found is not known.
  return (f) => out.get(f) ?? (NM_TAG.test(f.systemName) && !DEMANGLED.test(f.systemName) ? f.systemName.replace(NM_TAG, '') : undefined);
}

/** Of the symbols at one address, the one `demangled` came from: itself, or a mangled one for a C++/Rust name. */
function pick(names: readonly string[], demangled: string): string {
  const plain = demangled.replace(/@@?[^@]*$/, '');
  return names.find((n) => n === demangled || n === plain) ?? (/::|\(/.test(demangled) ? names.find((n) => MANGLED.test(n)) : undefined) ?? names[0];
}
