// The reference corpus in fixtures/corpus: real profiles and what the real jeprof printed for them.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'corpus');
/** Heap files name their program and sources under this folder, so the cases must live there. */
export const OPT_ROOT = '/opt/jeprof-corpus';

export interface Reference {
  case: string;
  name: string;
  /** jeprof's exit code; only success vs failure is compared (jeprof's non-zero codes are Perl accidents). */
  rc: number;
  stable: string;
  args: string[];
  expectedStdout: string;
}

export function caseNames(): string[] {
  return readdirSync(CORPUS).filter((c) => existsSync(join(CORPUS, c, 'refs', 'commands.tsv'))).sort();
}

/** Splits a command line the way the corpus scripts quoted it (POSIX shell words, backslash escapes). */
export function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      cur += s.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

export function references(caseName: string): Reference[] {
  const dir = join(CORPUS, caseName, 'refs');
  const rows = readFileSync(join(dir, 'commands.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => {
    const [name, rc, stable, command] = row.split('\t');
    return {
      case: caseName,
      name,
      rc: Number(rc),
      stable,
      args: shellWords(command).slice(1),
      expectedStdout: readFileSync(join(dir, `${name}.stdout`), 'utf8'),
    };
  });
}

export function modeOf(args: string[]): string {
  const modes = ['text', 'collapsed', 'callgrind', 'dot', 'raw', 'list', 'disasm', 'symbols', 'pdf', 'svg', 'ps', 'gif'];
  for (const a of args) {
    const m = /^--([^=]+)/.exec(a);
    if (m && modes.includes(m[1])) return m[1];
  }
  return 'interactive';
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function copyTree(src: string, dst: string): void {
  mkdirSync(dst, { recursive: true });
  for (const name of readdirSync(src)) {
    const s = join(src, name);
    const d = join(dst, name);
    if (statSync(s).isDirectory()) {
      copyTree(s, d);
    } else if (!existsSync(d) || statSync(d).size !== statSync(s).size || sha256(d) !== sha256(s)) {
      copyFileSync(s, d);
      if (name === 'app') chmodSync(d, 0o755);
    }
  }
}

/**
 * Puts a case at /opt/jeprof-corpus/<case> (where its heap files say its program is), copying only
 * files that differ. Throws with what to do when /opt is not writable.
 */
export function installCase(caseName: string): string {
  const dst = join(OPT_ROOT, caseName);
  try {
    copyTree(join(CORPUS, caseName), dst);
  } catch (e) {
    throw new Error(`cannot install the corpus case at ${dst} (${(e as Error).message}); the golden tests need ${OPT_ROOT} writable: run as root or 'sudo mkdir -p ${OPT_ROOT} && sudo chown $USER ${OPT_ROOT}'`);
  }
  return dst;
}

/** Libraries whose bytes differ from the ones the goldens were made with (their names show in reports). */
export function changedSystemLibraries(caseName: string): string[] {
  const meta = JSON.parse(readFileSync(join(CORPUS, caseName, 'system-libs.json'), 'utf8')) as { system_libraries: Record<string, string> };
  return Object.entries(meta.system_libraries)
    .filter(([path, sum]) => !existsSync(path) || sha256(path) !== sum)
    .map(([path]) => path);
}
