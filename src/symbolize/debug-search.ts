// Every place a file's separate debug information can come from, in the order its readers look:
// binutils 2.40's BFD (what addr2line reads) and jeprof's DebuggingLibrary (what nm and addr2line
// are given). The symbol cache keys its entries on all of them, so an answer can never outlive a
// debug file that moved, appeared or went; `doctor` can say where one was found.
import { dirname, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { buildIdDebugPath } from './elf.js';

/** jeprof's debug root, and BFD's EXTRA_DEBUG_ROOT1 (EXTRA_DEBUG_ROOT2 is this + `/usr`). */
export const DEBUG_DIR = '/usr/lib/debug';

/**
 * BFD's DEBUGDIR, the global debug folder: Debian builds binutils with the default, `$libdir/debug`,
 * which is `/usr/lib/x86_64-linux-gnu/debug` there (seen in `strace addr2line`, after the two roots).
 */
export const BFD_DEBUGDIR = '/usr/lib/x86_64-linux-gnu/debug';

/**
 * bfd/opncls.c `find_separate_debug_file` (binutils 2.40), for the debug file called `base`:
 *   1. `dir` + base, `dir` being the file's folder as the tool was given it;
 *   2. `dir` + `.debug/` + base;
 *   3. EXTRA_DEBUG_ROOT1 (`/usr/lib/debug`) + the real (symlink-free) folder + base;
 *   4. EXTRA_DEBUG_ROOT2 (`/usr/lib/debug/usr`) + the real folder + base;
 *   5. the global debug folder (BFD_DEBUGDIR) + the real folder + base.
 * With `includeDirs` false (the build-id search) both folders are empty, so 1 and 2 are relative
 * to the tool's working folder and 3 to 5 lie straight under the roots. The first candidate that
 * passes the caller's check (CRC, build id, or mere existence) wins. `base` is glued to each folder
 * as it is: an absolute alt link (`dwz -M /abs/path`) is found only from a file named with no
 * folder at all, which our tools are never given (operandPath), so it is never found (strace shows
 * addr2line open `/usr/lib/debug/.build-id/xx//abs/path`); relative ones (`../../.dwz/name`) are.
 */
export function separateDebugCandidates(file: string, base: string, includeDirs: boolean, cwd: string): string[] {
  const given = resolve(cwd, file);
  const dir = includeDirs ? dirname(given) + '/' : cwd + '/';
  const canon = includeDirs ? realFolder(given) + '/' : '/';
  // sprintf("%s%s", folder, base) in BFD: no separator is added or folded.
  const out = [dir, dir + '.debug/', DEBUG_DIR + canon, DEBUG_DIR + '/usr' + canon, BFD_DEBUGDIR + canon].map((folder) => folder + base);
  return [...new Set(out)];
}

/**
 * The files addr2line may read debug information from for `file`, in BFD's order: dwarf2.c
 * `_bfd_dwarf2_slurp_debug_info` tries the build id (`bfd_follow_build_id_debuglink`: the
 * `.build-id/xx/rest.debug` name, build id checked), then the `.gnu_debuglink` name
 * (`bfd_follow_gnu_debuglink`: CRC checked); it looks only when the file has no DWARF of its own.
 */
export function bfdDebugCandidates(file: string, info: { buildId?: string; debugLink?: string } | undefined, cwd: string): string[] {
  const out: string[] = [];
  const byId = buildIdDebugPath(info?.buildId, '');
  if (byId) out.push(...separateDebugCandidates(file, byId.slice(1), false, cwd));
  if (info?.debugLink) out.push(...separateDebugCandidates(file, info.debugLink, true, cwd));
  return out;
}

/**
 * Where BFD looks for the dwz file a debug file's `.gnu_debugaltlink` names (Debian's -dbgsym
 * packages share strings and types through one): `bfd_follow_gnu_debugaltlink`, from the folder of
 * the file that holds the DWARF, existence checked only.
 */
export function altLinkCandidates(debugFile: string, altLink: string, cwd: string): string[] {
  return separateDebugCandidates(debugFile, altLink, true, cwd);
}

/**
 * jeprof's DebuggingLibrary (jeprof 5.3): for an absolute path, `/usr/lib/debug` + path, then the
 * same + `.debug`; with --debug-syms-by-id, `/usr/lib/debug/.build-id/xx/rest.debug`. The first
 * that exists is what jeprof hands to nm and addr2line instead of the file.
 */
export function jeprofDebugCandidates(file: string, buildId: string | undefined, byBuildId: boolean, debugRoot = DEBUG_DIR): string[] {
  if (!file.startsWith('/')) return [];
  const out = [debugRoot + file, debugRoot + file + '.debug'];
  const byId = byBuildId ? buildIdDebugPath(buildId, debugRoot) : undefined;
  if (byId) out.push(byId);
  return out;
}

/** The file's folder with symlinks resolved (libiberty's lrealpath), as written when it cannot be. */
function realFolder(file: string): string {
  try {
    return dirname(realpathSync(file));
  } catch {
    return dirname(file);
  }
}
