// jeprof's option table and its Getopt::Long spelling rules, so old jeprof command lines work:
// one or two dashes, any unique prefix, `--noX`, values after `=` or as the next argument.
import { UsageError } from '../model/errors.js';

export type OptionKind = 'flag' | 'string' | 'int' | 'float';

/** Every jeprof 5.3 option, plus jeprof-ts's own (marked in the help). */
export const OPTION_KINDS: Record<string, OptionKind> = {
  help: 'flag', version: 'flag', cum: 'flag', base: 'string', seconds: 'int', add_lib: 'string',
  lib_prefix: 'string', functions: 'flag', lines: 'flag', addresses: 'flag', files: 'flag',
  text: 'flag', callgrind: 'flag', list: 'string', disasm: 'string', symbols: 'flag', gv: 'flag',
  evince: 'flag', web: 'flag', dot: 'flag', ps: 'flag', pdf: 'flag', svg: 'flag', gif: 'flag',
  raw: 'flag', collapsed: 'flag', interactive: 'flag', nodecount: 'int', nodefraction: 'float',
  edgefraction: 'float', maxdegree: 'int', focus: 'string', thread: 'string', ignore: 'string',
  scale: 'int', heapcheck: 'flag', retain: 'string', exclude: 'string', inuse_space: 'flag',
  inuse_objects: 'flag', alloc_space: 'flag', alloc_objects: 'flag', show_bytes: 'flag',
  drop_negative: 'flag', total_delay: 'flag', contentions: 'flag', mean_delay: 'flag',
  tools: 'string', test: 'flag', debug: 'flag', 'debug-syms-by-id': 'flag', test_stride: 'int',
  // jeprof-ts extensions
  'map-path': 'string', demo: 'flag', 'no-warnings': 'flag', 'no-cache': 'flag', 'strict-tools': 'flag', output: 'string',
  proto: 'flag', sample_index: 'string',
};

/** Flags that Getopt's `!` suffix lets you negate as --noX / --no-X. `heapcheck` has no `!`. */
const NEGATABLE = new Set(Object.keys(OPTION_KINDS).filter((k) => OPTION_KINDS[k] === 'flag' && k !== 'heapcheck'));

function resolveName(given: string): string {
  const names = Object.keys(OPTION_KINDS);
  if (given in OPTION_KINDS) return given;
  const matches = names.filter((n) => n.startsWith(given));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UsageError(`Option ${given} is ambiguous (${matches.sort().join(', ')})`);
  throw new UsageError(`Unknown option: ${given}`);
}

/**
 * Rewrites argv into canonical `--name` / `--name=value` items and positionals, in order.
 * Negated flags are dropped with their earlier occurrences (last one wins, as in Getopt).
 */
export function normalizeJeprofArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const rawName = eq >= 0 ? body.slice(0, eq) : body;
    const inlineValue = eq >= 0 ? body.slice(eq + 1) : undefined;
    let name: string;
    let negated = false;
    try {
      name = resolveName(rawName);
    } catch (e) {
      const m = /^no-?(.+)$/.exec(rawName);
      if (!m) throw e;
      name = resolveName(m[1]);
      if (!NEGATABLE.has(name)) throw e;
      negated = true;
    }
    const kind = OPTION_KINDS[name];
    if (kind === 'flag') {
      if (inlineValue !== undefined) throw new UsageError(`Option ${name} does not take an argument`);
      for (let j = out.length - 1; j >= 0; j--) if (out[j] === `--${name}`) out.splice(j, 1);
      if (!negated) out.push(`--${name}`);
      continue;
    }
    let value = inlineValue;
    // Getopt::Long refuses `--opt=` with nothing after it (a separate '' argument is accepted).
    if (value === '') throw new UsageError(`Option ${name} requires an argument`);
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`Option ${name} requires an argument`);
      value = argv[++i];
    }
    if (kind === 'int' && !/^[-+]?\d+$/.test(value)) throw new UsageError(`Value "${value}" invalid for option ${name} (number expected)`);
    if (kind === 'float' && !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
      throw new UsageError(`Value "${value}" invalid for option ${name} (real number expected)`);
    }
    out.push(`--${name}=${value}`);
  }
  return out;
}
