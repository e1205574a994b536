// Where a file's names come from: its symbol tables, and its debug information (in the file,
// or a separate file found by build id, by .gnu_debuglink, or by jeprof's /usr/lib/debug path),
// searched in exactly the places binutils 2.40 and jeprof look (debug-search.ts).
import { readElfInfo, buildIdDebugPath, type ElfInfo } from '../symbolize/elf.js';
import { jeprofDebugCandidates, separateDebugCandidates } from '../symbolize/debug-search.js';
import { hasSectionData, readElfLayout, type ElfLayout } from '../symbolize/elf-layout.js';

export type SymbolKind = 'full' | 'dynamic' | 'none';
export type DebugPlace = 'in the file' | 'build id' | 'debuglink' | 'by path' | 'none';

export interface NameSources {
  /** nm's view of the file: a full .symtab, only the exported .dynsym, or nothing. */
  symbols: SymbolKind;
  /** Where DWARF was found (addr2line's file:line and inlined frames, and names for addresses nm cannot name). */
  debug: DebugPlace;
  /** The separate debug file, when one was found. */
  debugFile?: string;
  /** The places looked in, when none was found and the file asks for one (debuglink or build id). */
  searched?: string[];
  buildId?: string;
  debugLink?: string;
}

const hasDwarf = (l: ElfLayout | undefined) => !!l && (hasSectionData(l, '.debug_info') || hasSectionData(l, '.zdebug_info'));

function symbolKind(l: ElfLayout | undefined): SymbolKind {
  if (l?.sections.some((s) => s.type === 2)) return 'full';
  if (l?.sections.some((s) => s.type === 11)) return 'dynamic';
  return 'none';
}

/**
 * What names `path` can give. `cwd` is where the tools run (BFD's build-id search starts there);
 * `byBuildId` is jeprof's --debug-syms-by-id.
 */
export function nameSources(path: string, cwd: string, byBuildId = false): NameSources {
  const layout = readElfLayout(path);
  const info: ElfInfo | undefined = readElfInfo(path);
  const out: NameSources = { symbols: symbolKind(layout), debug: 'none', buildId: info?.buildId, debugLink: info?.debugLink };
  // jeprof hands nm and addr2line a /usr/lib/debug copy with the same path instead of the file.
  const jeprofCopy = jeprofDebugCandidates(path, info?.buildId, byBuildId).find((p) => readElfLayout(p));
  if (jeprofCopy) {
    const l = readElfLayout(jeprofCopy);
    if (symbolKind(l) === 'full') out.symbols = 'full';
    if (hasDwarf(l)) return { ...out, debug: 'by path', debugFile: jeprofCopy };
  }
  if (hasDwarf(layout)) return { ...out, debug: 'in the file' };
  // BFD (addr2line) looks by build id first, checking the id, then by the debuglink name.
  const byId = buildIdDebugPath(info?.buildId, '');
  const idCandidates = byId ? separateDebugCandidates(path, byId.slice(1), false, cwd) : [];
  for (const c of idCandidates) {
    if (readElfInfo(c)?.buildId === info?.buildId && hasDwarf(readElfLayout(c))) return { ...out, debug: 'build id', debugFile: c };
  }
  const linkCandidates = info?.debugLink ? separateDebugCandidates(path, info.debugLink, true, cwd) : [];
  for (const c of linkCandidates) {
    // BFD also checks the file's CRC against the link's; a build id, when both have one, says the same.
    const other = readElfInfo(c);
    if (other && (other.buildId === undefined || info?.buildId === undefined || other.buildId === info.buildId) && hasDwarf(readElfLayout(c))) {
      return { ...out, debug: 'debuglink', debugFile: c };
    }
  }
  if (idCandidates.length + linkCandidates.length > 0 && (info?.debugLink || out.symbols !== 'full')) out.searched = [...linkCandidates, ...idCandidates];
  return out;
}
