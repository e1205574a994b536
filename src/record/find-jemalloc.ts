// Chooses the jemalloc a recorded program runs with: a static copy inside it, else a
// libjemalloc it links (DT_NEEDED, searched as ld.so does), else Debian's through LD_PRELOAD.
import { realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { JeprofError } from '../model/errors.js';
import { readElfLayout, type ElfLayout } from '../symbolize/elf-layout.js';
import { readElfSymbols } from '../symbolize/elf-symbols.js';
import { inspectJemalloc, type JemallocFile } from './jemalloc-file.js';
import { walkNeeded, type LoadedObject } from './library-search.js';

/** Debian's libjemalloc2, built with --enable-prof. */
export const DEBIAN_JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

export const INSTALL_HINT = 'apt-get install libjemalloc2 (the library, with profiling) or libjemalloc-dev (also jeprof and the static libjemalloc.a)';

export interface JemallocChoice extends JemallocFile {
  /** static: inside the program; linked: a library it loads; preload: put in through LD_PRELOAD. */
  kind: 'static' | 'linked' | 'preload';
  /** The file that holds it. */
  file: string;
  /** Things to tell before the run: why this one, what was passed over. */
  notes: string[];
}

/** What the command's file is, as far as running it under jemalloc goes. */
export interface ProgramFacts {
  path: string;
  /** Undefined for a script or anything else that is not ELF. */
  layout?: ElfLayout;
  /** Statically linked: no dynamic loader, so LD_PRELOAD does nothing. */
  static: boolean;
  /** Set-user-ID or set-group-ID to someone else: the loader ignores LD_PRELOAD and jemalloc ignores its options variable. */
  setId: boolean;
}

export function programFacts(path: string, uid: number, gid: number): ProgramFacts {
  const layout = readElfLayout(path);
  const st = statSync(path);
  const setId = ((st.mode & 0o4000) !== 0 && st.uid !== uid) || ((st.mode & 0o2000) !== 0 && st.gid !== gid);
  return { path, layout, static: layout !== undefined && layout.interp === undefined, setId };
}

/**
 * The jemalloc to use for `program`; throws a JeprofError saying what to do when there is none
 * that can profile. `preloadCandidate` is Debian's library unless a test says otherwise.
 */
export function findJemalloc(program: ProgramFacts, env: NodeJS.ProcessEnv, cwd: string, preloadCandidate = DEBIAN_JEMALLOC): JemallocChoice {
  const notes: string[] = [];
  const name = basename(program.path);
  const preloaded = preloadedJemalloc(env.LD_PRELOAD, cwd);
  if (program.setId) {
    throw new JeprofError(`${program.path} is set-user-ID or set-group-ID: the loader ignores LD_PRELOAD and jemalloc ignores MALLOC_CONF for it, so no profile can be made. Record a copy without the bit (cp, then run the copy)`);
  }
  if (program.layout) {
    const own = inspectJemalloc(program.path, program.layout, false);
    if (own) {
      if (!own.profiling) {
        throw new JeprofError(
          `${name} has its own jemalloc (${own.evidence}), built without profiling (no heap_v2 dump code in it): ` +
            (own.prefix === '_rjem_' ? 'enable the `profiling` feature of tikv-jemallocator (or tikv-jemalloc-sys) and rebuild' : 'rebuild it with a jemalloc configured with --enable-prof (Debian: link /usr/lib/x86_64-linux-gnu/libjemalloc.a from libjemalloc-dev)'),
        );
      }
      return { ...own, kind: 'static', file: program.path, notes };
    }
    if (program.static) {
      throw new JeprofError(`${name} is statically linked and holds no jemalloc: LD_PRELOAD cannot reach a program without a dynamic loader. Link it with jemalloc (-ljemalloc, or /usr/lib/x86_64-linux-gnu/libjemalloc.a)`);
    }
    let linked: { lib: LoadedObject; jem: JemallocFile } | undefined;
    walkNeeded({ path: program.path, layout: program.layout }, env, cwd, (lib) => {
      const jem = inspectJemalloc(lib.path, lib.layout, true);
      if (jem) linked = { lib, jem };
      return jem !== undefined;
    });
    if (linked) {
      // A jemalloc in the user's LD_PRELOAD comes before the linked one: the loader binds malloc to
      // it, so it is the one that must profile, and the one to name.
      if (preloaded && !sameFile(preloaded, linked.lib.path)) {
        notes.push(`your LD_PRELOAD names ${preloaded}, which the loader puts before ${linked.lib.path} (the one ${name} links): ${preloaded} gets the allocations`);
      } else if (linked.jem.profiling) {
        return { ...linked.jem, kind: 'linked', file: linked.lib.path, notes };
      } else {
        notes.push(`${linked.lib.path}, which ${name} links, was built without profiling; ${preloadCandidate} is put in front of it with LD_PRELOAD`);
      }
    }
  } else {
    notes.push(`${name} is not an ELF program (a script?): jemalloc is preloaded into it and into everything it starts`);
  }
  const candidate = preloaded ?? preloadCandidate;
  const layout = readElfLayout(candidate);
  if (!layout) {
    throw new JeprofError(`no jemalloc found: ${name} neither holds nor links one, and ${candidate} is missing: ${INSTALL_HINT}`);
  }
  const jem = inspectJemalloc(candidate, layout, true);
  if (!jem) throw new JeprofError(`${candidate} is not a jemalloc library (no mallctl in it): ${INSTALL_HINT}`);
  if (!jem.profiling) {
    // One the user preloads is taken as theirs to use: say where it came from and how to get another.
    if (preloaded) throw new JeprofError(`${candidate}, named in your LD_PRELOAD, was built without profiling (no heap_v2 dump code in it): take it out of LD_PRELOAD and record preloads ${preloadCandidate}, or name one built with --enable-prof there`);
    throw new JeprofError(`${candidate} was built without profiling (no heap_v2 dump code in it): use Debian's, ${INSTALL_HINT}`);
  }
  if (program.layout && program.layout.machine !== layout.machine) {
    throw new JeprofError(`${name} is built for another machine than ${candidate}: the loader would ignore it`);
  }
  if (preloaded && !notes.some((n) => n.startsWith('your LD_PRELOAD'))) notes.push(`your LD_PRELOAD already holds ${preloaded}: that one is used`);
  if (program.layout && definesOwnMalloc(program.path)) {
    notes.push(
      `${name} defines malloc itself (an allocator linked into it): the loader binds its malloc calls to that one before the preloaded jemalloc, which sees none of them unless it hands them on; ` +
        'to profile them, link it with jemalloc (-ljemalloc, or /usr/lib/x86_64-linux-gnu/libjemalloc.a) in place of that allocator',
    );
  }
  return { ...jem, kind: 'preload', file: candidate, notes };
}

/** True when the program defines malloc itself (an allocator linked in): an executable's symbols come before LD_PRELOAD's. */
export function definesOwnMalloc(path: string): boolean {
  for (const dynamic of [false, true]) {
    const lines = readElfSymbols(path, dynamic) ?? [];
    if (lines.some((l) => (l.type === 'T' || l.type === 'W' || l.type === 't') && l.name.replace(/@.*$/, '') === 'malloc')) return true;
  }
  return false;
}

/** Whether two paths name one file (links followed); false when either cannot be read. */
function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** A jemalloc already named in the user's LD_PRELOAD (space or colon separated), if any. */
function preloadedJemalloc(list: string | undefined, cwd: string): string | undefined {
  for (const entry of (list ?? '').split(/[ :]+/)) {
    if (entry === '' || !/libjemalloc/.test(basename(entry))) continue;
    if (entry.startsWith('/') || entry.startsWith('.')) return entry.startsWith('/') ? entry : `${cwd}/${entry}`;
  }
  return undefined;
}
