// Picks the executable mappings out of a MAPPED_LIBRARIES (/proc/self/maps) text, as jeprof's ParseLibraries.
import { ADDRESS_MASK } from '../model/address.js';
import type { Mapping } from '../model/profile.js';

const H = '[a-f0-9]+';
// `start-end perms offset dev inode path`, executable, path a shared object (with version tail).
const LIBRARY = new RegExp(
  `^(${H})-(${H})\\s+..x.\\s+(${H})\\s+\\S+:\\S+\\s+\\d+\\s+(\\S+\\.(so|dll|dylib|bundle)((\\.\\d+)+\\w*(\\.\\d+){0,3})?)$`,
  'i',
);
// `start-end: /path/lib.so` written by gperftools' DumpAddressMap; offset 0.
const COOKED = new RegExp(`^\\s*(${H})-(${H}):\\s*(\\S+\\.so(\\.\\d+)*)`);
// Any executable mapping; used only when its path is the program's absolute path.
const PROGRAM = new RegExp(`^(${H})-(${H})\\s+..x.\\s+(${H})\\s+\\S+:\\S+\\s+\\d+\\s+(\\S+)$`, 'i');
// FreeBSD's /proc/curproc/map.
const FREEBSD = new RegExp(
  `^(0x${H})\\s(0x${H})\\s\\d+\\s\\d+\\s0x${H}\\sr-x\\s\\d+\\s\\d+\\s0x\\d+\\s(COW|NCO)\\s(NC|NNC)\\svnode\\s(\\S+\\.so(\\.\\d+)*)`,
);

function addr(text: string): bigint {
  return BigInt('0x' + text.replace(/^0x/i, '')) & ADDRESS_MASK;
}

/**
 * The executable mappings jeprof would use, in map order. `programPath` is the absolute, symlink-
 * resolved program path: only a mapping of exactly that path is taken as the program's own.
 * Returns mappings with ids from 1; the `file` is the path written in the map (after `$build`).
 */
export function parseMappedLibraries(mapText: string, programPath: string, rewrite: (path: string) => string = (p) => p): Mapping[] {
  const out: Mapping[] = [];
  let buildVar = '';
  for (const l of mapText.split('\n')) {
    const b = /^\s*build=(.*)$/.exec(l);
    if (b) buildVar = b[1];
    let start: bigint, limit: bigint, offset: bigint, file: string;
    let m: RegExpExecArray | null;
    if ((m = LIBRARY.exec(l))) {
      [start, limit, offset, file] = [addr(m[1]), addr(m[2]), addr(m[3]), m[4].replace(/\\/g, '/')];
    } else if ((m = COOKED.exec(l))) {
      [start, limit, offset, file] = [addr(m[1]), addr(m[2]), 0n, m[3]];
    } else if ((m = PROGRAM.exec(l)) && rewrite(m[4]) === programPath) {
      [start, limit, offset, file] = [addr(m[1]), addr(m[2]), addr(m[3]), m[4].replace(/\\/g, '/')];
    } else if ((m = FREEBSD.exec(l))) {
      [start, limit, offset, file] = [addr(m[1]), addr(m[2]), 0n, m[5]];
    } else {
      continue;
    }
    file = rewrite(file.replace(/\$build\b/g, () => buildVar));
    out.push({ id: out.length + 1, start, limit, offset, file });
  }
  return out;
}

/** Every executable mapping with a path, and whether jeprof would take it as a shared library. */
export function executableMappings(mapText: string, rewrite: (path: string) => string = (p) => p): { start: bigint; limit: bigint; path: string; library: boolean }[] {
  const out = [];
  for (const l of mapText.split('\n')) {
    const m = PROGRAM.exec(l);
    if (m) out.push({ start: addr(m[1]), limit: addr(m[2]), path: rewrite(m[4]), library: LIBRARY.test(l) });
  }
  return out;
}

/**
 * The dump's executable mappings that name a file, as pprof's Profile.mapping holds them: every
 * such line of the map section (/proc/self/maps, gperftools' cooked lines, FreeBSD's), in map
 * order, ids from 1, paths as the process saw them (no --map-path, no program matching: that is
 * jeprof's library list, parseMappedLibraries).
 */
/** The last map section read and its mappings: dumps of one process mostly repeat it word for word. */
let lastMaps: { text: string; mappings: readonly Mapping[] } | undefined;

export function dumpMappings(mapText: string): Mapping[] {
  // Copies, so no two profiles share a Mapping object.
  if (lastMaps?.text === mapText) return lastMaps.mappings.map((m) => ({ ...m }));
  const out = readMappings(mapText);
  lastMaps = { text: mapText, mappings: out.map((m) => ({ ...m })) };
  return out;
}

function readMappings(mapText: string): Mapping[] {
  const out: Mapping[] = [];
  for (const l of mapText.split('\n')) {
    let m: RegExpExecArray | null;
    let start: bigint, limit: bigint, offset: bigint, file: string;
    if ((m = PROGRAM.exec(l))) [start, limit, offset, file] = [addr(m[1]), addr(m[2]), addr(m[3]), m[4]];
    else if ((m = COOKED.exec(l))) [start, limit, offset, file] = [addr(m[1]), addr(m[2]), 0n, m[3]];
    else if ((m = FREEBSD.exec(l))) [start, limit, offset, file] = [addr(m[1]), addr(m[2]), 0n, m[5]];
    else continue;
    out.push({ id: out.length + 1, start, limit, offset, file });
  }
  return out;
}
