// jeprof's option table and its Getopt::Long spelling rules, so old jeprof command lines work:
// `--`, `-` or `+`, any case, any unique prefix, `--noX`, values after `=` or as the next argument.
import { UsageError } from '../model/errors.js';

export type OptionKind = 'flag' | 'string' | 'int' | 'float';

/** jeprof 5.3's GetOptions table: the only names jeprof's prefix rule matches against. */
const JEPROF_OPTION_KINDS: Record<string, OptionKind> = {
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
};

/**
 * jeprof-ts's own options. They are looked up only when jeprof's table has no match at all, so no
 * option here (or added later) can change what a jeprof prefix means: `--ma` stays maxdegree
 * although map-path also starts with ma, `--no-w` stays no-web.
 */
const OWN_OPTION_KINDS: Record<string, OptionKind> = {
  'map-path': 'string', demo: 'flag', 'no-warnings': 'flag', 'no-cache': 'flag', 'strict-tools': 'flag', output: 'string',
  sample_index: 'string', json: 'flag', 'trim-allocator': 'flag',
};

/** Spellings pinned to one option rather than found by prefix: a later option starting with o cannot make `-o` ambiguous. */
const ALIASES: Record<string, string> = { o: 'output' };

/**
 * Every option: jeprof's, then jeprof-ts's own (marked in the help). jeprof-ts's commands spelled
 * as jeprof modes (`--proto`, `--html`) are not listed here: their flags come from the registry
 * (see ownModeFlags), so such a command is one file and one registry entry.
 */
export const OPTION_KINDS: Record<string, OptionKind> = { ...JEPROF_OPTION_KINDS, ...OWN_OPTION_KINDS };

/** Whether `name` is one of jeprof 5.3's own options. */
export function isJeprofOption(name: string): boolean {
  return name in JEPROF_OPTION_KINDS;
}

/** A name Getopt can match: an option, or its negation (`noX`, `no-X`). */
interface Entry {
  option: string;
  negated: boolean;
}

/**
 * Getopt::Long's table for a GetOptions spec: each name, plus `noX` and `no-X` for flags marked
 * `!` (in jeprof all flags but heapcheck; jeprof-ts's own flags all are).
 */
function getoptTable(kinds: Record<string, OptionKind>): Map<string, Entry> {
  const table = new Map<string, Entry>();
  for (const [option, kind] of Object.entries(kinds)) {
    table.set(option, { option, negated: false });
    if (kind !== 'flag' || option === 'heapcheck') continue;
    table.set(`no${option}`, { option, negated: true });
    table.set(`no-${option}`, { option, negated: true });
  }
  return table;
}

const JEPROF_TABLE = getoptTable(JEPROF_OPTION_KINDS);
const OWN_TABLE = getoptTable(OWN_OPTION_KINDS);
/** OWN_TABLE with the registry's own mode flags, made once per list of them. */
let ownTable = { flags: [] as readonly string[], table: OWN_TABLE };
function ownTableWith(flags: readonly string[]): Map<string, Entry> {
  if (ownTable.flags !== flags) ownTable = { flags, table: getoptTable({ ...OWN_OPTION_KINDS, ...Object.fromEntries(flags.map((f) => [f, 'flag' as const])) }) };
  return ownTable.table;
}

type Found = { entry: Entry; name: string } | { ambiguous: string[] } | undefined;

/** Getopt::Long's FindOption with auto_abbrev: an exact name, else the names it starts, if they are one option. */
function findOption(table: Map<string, Entry>, given: string): Found {
  const exact = table.get(given);
  if (exact) return { entry: exact, name: given };
  const hits = [...table.keys()].filter((n) => n.startsWith(given)).sort();
  if (hits.length === 0) return undefined;
  // `no` and `no-` forms of one negation are one option to Getopt.
  const options = new Set(hits.map((h) => (table.get(h)!.negated ? 'no' : '') + table.get(h)!.option));
  if (options.size > 1) return { ambiguous: hits };
  return { entry: table.get(hits[0])!, name: hits.length === 1 ? hits[0] : [...options][0] };
}

/** The option a name given on the command line means: jeprof's table first, jeprof-ts's only if jeprof knows no such name. */
function resolveOption(given: string, starter: string, ownFlags: readonly string[]): { entry: Entry; name: string } {
  // A bare `+` names nothing (Getopt tries no abbreviation of an empty name).
  if (given === '') throw new UsageError(`Missing option after ${starter}`);
  // Getopt ignores case (ignorecase is on by default), and says the name in lower case.
  const lower = given.toLowerCase();
  let found = findOption(JEPROF_TABLE, lower);
  if (found === undefined && lower in ALIASES) found = { entry: { option: ALIASES[lower], negated: false }, name: ALIASES[lower] };
  if (found === undefined) found = findOption(ownTableWith(ownFlags), lower);
  if (found === undefined) throw new UsageError(`Unknown option: ${lower}`);
  if ('ambiguous' in found) throw new UsageError(`Option ${lower} is ambiguous (${found.ambiguous.join(', ')})`);
  return found;
}

/** Getopt's integer: sign, digits and underscores (`1_000`), which it strips. */
const GETOPT_INT = /^[-+]?_*[0-9][0-9_]*$/;
/** Getopt's real: a digit or point first, a fraction needs a digit (`.5`, not `1.`), underscores allowed. */
const GETOPT_FLOAT = /^[-+]?(?=[0-9.])[0-9_]*(\.[0-9_]+)?([eE][-+]?[0-9_]+)?$/;

/** A real Getopt accepted, as Perl reads it as a number: its longest numeric start (`._` is `.`, 0 to Perl). */
function perlReal(text: string): string {
  const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.replace(/_/g, ''));
  return m ? m[0] : '0';
}

/**
 * Rewrites argv into canonical `--name` / `--name=value` items and positionals, in order.
 * Negated flags are dropped with their earlier occurrences (last one wins, as in Getopt).
 */
export function normalizeJeprofArgs(argv: readonly string[], ownFlags: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    // Getopt::Long's default prefixes: `--`, `-` and (getopt_compat) `+`; a lone `-` is a file.
    const starter = /^(--|-|\+)/.exec(arg)?.[0];
    if (starter === undefined || arg === '-') {
      out.push(arg);
      continue;
    }
    const body = arg.slice(starter.length);
    // A value follows the first `=` past the name's first character (Getopt's index($opt, '=', 1)).
    const eq = body.indexOf('=', 1);
    const given = eq > 0 ? body.slice(0, eq) : body;
    const inlineValue = eq > 0 ? body.slice(eq + 1) : undefined;
    const { entry, name: spelled } = resolveOption(given, starter, ownFlags);
    const name = entry.option;
    const kind = OPTION_KINDS[name] ?? 'flag';
    if (kind === 'flag') {
      if (inlineValue !== undefined) throw new UsageError(`Option ${spelled} does not take an argument`);
      for (let j = out.length - 1; j >= 0; j--) if (out[j] === `--${name}`) out.splice(j, 1);
      if (!entry.negated) out.push(`--${name}`);
      continue;
    }
    let value = inlineValue;
    // Getopt::Long refuses `--opt=` with nothing after it (a separate '' argument is accepted).
    if (value === '') throw new UsageError(`Option ${spelled} requires an argument`);
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`Option ${spelled} requires an argument`);
      value = argv[++i];
    }
    if (kind === 'int') {
      if (!GETOPT_INT.test(value)) throw new UsageError(`Value "${value}" invalid for option ${spelled} (number expected)`);
      value = value.replace(/_/g, '');
    }
    if (kind === 'float') {
      if (!GETOPT_FLOAT.test(value)) throw new UsageError(`Value "${value}" invalid for option ${spelled} (real number expected)`);
      value = perlReal(value);
    }
    out.push(`--${name}=${value}`);
  }
  return out;
}
