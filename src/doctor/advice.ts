// What to do about a mapping whose frames lack names: the Debian package with its debug
// information, a --map-path or --lib_prefix, or a rebuild with -g.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { NameSources } from './debug-info.js';
import type { BuildCheck } from './same-build.js';

const DPKG_INFO = '/var/lib/dpkg/info';
const GLIBC = /^(libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libmvec|libnss_[a-z]+|ld-linux[^/]*|ld64)(-[\d.]+)?\.so/;

/** The Debian package that installed `path` (dpkg's file lists; /usr-merged paths tried both ways), if any. */
export function owningPackage(path: string, infoDir = DPKG_INFO): string | undefined {
  const forms = new Set([path]);
  try {
    forms.add(realpathSync(path));
  } catch {
    // a path that is not on this disk: only its own spelling
  }
  for (const p of [...forms]) {
    if (p.startsWith('/usr/')) forms.add(p.slice(4));
    else forms.add('/usr' + p);
  }
  let lists: string[];
  try {
    lists = readdirSync(infoDir).filter((f) => f.endsWith('.list'));
  } catch {
    return undefined;
  }
  for (const f of lists) {
    let text: string;
    try {
      text = readFileSync(`${infoDir}/${f}`, 'utf8');
    } catch {
      continue;
    }
    for (const p of forms) if (text.includes(`\n${p}\n`) || text.startsWith(`${p}\n`)) return f.slice(0, -'.list'.length).replace(/:[a-z0-9]+$/, '');
  }
  return undefined;
}

/** Debian's release name (/etc/os-release VERSION_CODENAME), for the debug archive's suite. */
export function debianCodename(osRelease = '/etc/os-release'): string | undefined {
  try {
    return /^VERSION_CODENAME=("?)([a-z]+)\1$/m.exec(readFileSync(osRelease, 'utf8'))?.[2];
  } catch {
    return undefined;
  }
}

export interface AdviceInput {
  /** The path the dump names (after --map-path). */
  dumpPath: string;
  /** The file read on this machine (after --lib_prefix), undefined when none was found. */
  found?: string;
  /** The program given on the command line. */
  program: string;
  /** This row is the program's own mapping (or PCs read against the program). */
  isProgram: boolean;
  build?: BuildCheck;
  names?: NameSources;
  /** Share of the profile's bytes with an unnamed frame in this mapping, 0 to 1. */
  unnamedShare: number;
}

/** One or more short things to do, most useful first; empty when nothing is missing. */
export function adviceFor(a: AdviceInput, packageOf: (p: string) => string | undefined = owningPackage): string[] {
  const out: string[] = [];
  if (!a.found) {
    if (a.isProgram) out.push(`give the program by its path in the dump, or --map-path=${dirname(a.dumpPath)}=${dirname(a.program)}`);
    else out.push(`copy ${basename(a.dumpPath)} from the machine that made the dump and give --lib_prefix=<the folder above its path>, or --map-path=${dirname(a.dumpPath)}=<where it is here>`);
    return out;
  }
  if (a.build?.verdict === 'other') {
    out.push(a.isProgram ? 'use the binary that wrote the dump: this one is another build (rebuilt since?)' : 'this is another build than the one that ran (upgraded since, or the dump is from another machine): copy that machine\'s file and use --lib_prefix or --map-path');
    return out;
  }
  const n = a.names;
  if (!n || n.debug !== 'none') return out;
  // Named from exported symbols only, an inner function takes the name of the export before it
  // (Debian's libjemalloc shows its internals as malloc_usable_size): worth a word, not an alarm.
  const misnamed = a.unnamedShare === 0 && n.symbols === 'dynamic';
  if (a.unnamedShare === 0 && !misnamed) return out;
  const why = misnamed ? ' for inner functions, which take the name of the export before them now' : '';
  const name = basename(a.found);
  if (GLIBC.test(name)) {
    out.push(`${misnamed ? 'optional: ' : ''}apt-get install libc6-dbg${why}`);
    return out;
  }
  const pkg = a.isProgram ? undefined : packageOf(a.found);
  if (pkg) {
    const suite = debianCodename();
    out.push(`${misnamed ? 'optional: ' : ''}apt-get install ${pkg}-dbgsym (debian-debug archive, ${suite ?? '<release>'}-debug)${why}`);
    return out;
  }
  if (misnamed) return out;
  if (n.debugLink && n.searched) {
    out.push(`put its debug file ${n.debugLink} beside it or in /usr/lib/debug${dirname(a.found)}/ (it names one, but none was found)`);
  } else if (n.symbols !== 'full') {
    out.push(`rebuild ${name} with -g and without stripping (or keep a debug file: objcopy --only-keep-debug, then --add-gnu-debuglink)`);
  } else if (a.unnamedShare > 0) {
    out.push(`build ${name} with -g for file:line and inlined frames`);
  }
  return out;
}
