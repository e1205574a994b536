// Validates parsed flags once into a typed RunOptions (jeprof's checks, with its messages).
import type { Granularity } from '../graph/granularity.js';
import { UsageError } from '../model/errors.js';
import type { HeapSampleType } from '../model/profile.js';

/** jeprof's output modes, each selected by its flag (`--text`); the registry has a command for each. */
export type JeprofMode = 'text' | 'collapsed' | 'callgrind' | 'dot' | 'svg' | 'pdf' | 'ps' | 'gif' | 'raw' | 'symbols' | 'interactive' | 'web' | 'gv' | 'evince' | 'list' | 'disasm';
/**
 * A mode flag: one of jeprof 5.3's (a fixed list), or a jeprof-ts command spelled as one (`proto`,
 * `html`), whose flag only its registry entry names.
 */
export type OutputMode = JeprofMode | (string & {});

export interface RunOptions {
  mode: OutputMode;
  /**
   * Positional arguments as typed: the program, then profiles (the first supplies the library map
   * and the threads), or only profiles when the first is a symbolized (--raw) profile.
   */
  positionals: string[];
  base?: string;
  /** --list/--disasm: the routines to print, matched against nm's names with their `<address>` tag. */
  routineRegexp?: RegExp;
  sampleType: HeapSampleType;
  /**
   * The sample type asked for by name (--sample_index=NAME, or a flag such as --alloc_space),
   * else undefined: a pprof profile then shows its default_sample_type (see pprof-load.ts).
   */
  sampleIndex?: string;
  showBytes: boolean;
  dropNegative: boolean;
  cum: boolean;
  granularity: Granularity;
  focus?: RegExp;
  ignore?: RegExp;
  retain?: RegExp;
  exclude?: RegExp;
  /** `*` or a thread uid, as typed. */
  thread?: string;
  libPrefixes: string[];
  addLib?: string;
  /** --tools, else $JEPROF_TOOLS, else ''. */
  tools: string;
  /** --map-path FROM=TO pairs: profile paths under FROM are read from TO on this machine. */
  mapPaths: { from: string; to: string }[];
  warnings: boolean;
  strictTools: boolean;
  /** --debug-syms-by-id: use /usr/lib/debug/.build-id/ debug files for nm too. */
  debugSymsById: boolean;
  /** Call-graph pruning (jeprof's defaults 80, 0.005, 0.001, 8). */
  nodeCount: number;
  nodeFraction: number;
  edgeFraction: number;
  maxDegree: number;
  heapcheck: boolean;
  /** Use the on-disk symbol cache (off with --no-cache). */
  cache: boolean;
  /** -o/--output: write the report to this file (whole or not at all). */
  output?: string;
  /** Run as a subcommand (`jeprof-ts raw`), not jeprof's flag: `raw` then writes the whole symbolized profile. */
  subcommand?: boolean;
  /** jeprof's `Using local file X.` lines on stderr (jeprof-ts's own commands leave them out). */
  jeprofNotices?: boolean;
  /** --json: the report as one JSON document instead of jeprof's text (top). */
  json?: boolean;
  /** The caller reads each dump alone (trend, check): the loader does not add them into one profile. */
  perDump?: boolean;
  /** --trim-allocator: the allocator's own innermost frames dropped (see graph/allocator-trim.ts). */
  trimAllocator?: boolean;
}

/** Raw option values, keyed by jeprof's option names. */
export type RawOptions = Record<string, string | boolean | undefined>;

const HEAP_NAMES: readonly string[] = ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects'];

function regex(name: string, v: string | boolean | undefined): RegExp | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  try {
    return new RegExp(v);
  } catch (e) {
    throw new UsageError(`--${name}=${v}: not a valid regular expression (${(e as Error).message})`);
  }
}

function num(v: string | boolean | undefined, dflt: number): number {
  return typeof v === 'string' && v !== '' ? Number(v) : dflt;
}

/**
 * `modeFlags`: jeprof's mode flags (the registry's MODE_FLAGS), given by the caller that reads a
 * jeprof command line; commands of jeprof-ts's own have no modes. Passed in rather than imported,
 * so this file does not import the registry whose commands import it.
 */
export function buildRunOptions(o: RawOptions, positionals: string[], env: NodeJS.ProcessEnv, stdoutIsTTY = false, modeFlags: readonly OutputMode[] = []): RunOptions {
  const heap = (['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects'] as const).filter((k) => o[k]);
  if (heap.length > 1) throw new UsageError('Specify at most one of --inuse_space, --inuse_objects, --alloc_space, --alloc_objects');
  const sampleIndex = typeof o.sample_index === 'string' && o.sample_index !== '' ? o.sample_index : undefined;
  if (sampleIndex !== undefined && heap.length > 0 && heap[0] !== sampleIndex) throw new UsageError(`--sample_index=${sampleIndex} and --${heap[0]} ask for different values`);
  const gran = (['functions', 'lines', 'addresses', 'files'] as const).filter((k) => o[k]);
  if (gran.length > 1) throw new UsageError('Only specify one output granularity option');
  // An empty --list=/--disasm= is no mode in jeprof.
  const modes = modeFlags.filter((m) => o[m] !== undefined && o[m] !== false && o[m] !== '');
  if (modes.length > 1) throw new UsageError('Only specify one output mode');
  // jeprof's default: the interactive shell at a terminal, else the text report.
  // --json is a report, never the shell.
  const mode: OutputMode = modes[0] ?? (stdoutIsTTY && !o.json ? 'interactive' : 'text');
  if (o.json && mode !== 'text') throw new UsageError(`--json is for the top report (--text), not --${mode}; trend, check and doctor take it too`);
  if (positionals.length === 0) throw new UsageError('Did not specify program');
  if (mode === 'symbols' && positionals.length > 1) throw new UsageError('--symbols takes only the program; addresses and maps come on stdin');
  const mapPaths = [];
  for (const spec of typeof o.mapPath === 'string' ? o.mapPath.split(',') : []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--map-path=${spec}: expected FROM=TO`);
    mapPaths.push({ from: spec.slice(0, eq), to: spec.slice(eq + 1) });
  }
  const libPrefix = typeof o.lib_prefix === 'string' ? o.lib_prefix : '';
  return {
    mode,
    positionals,
    base: typeof o.base === 'string' && o.base !== '' ? o.base : undefined,
    // Go's four names are jeprof's flags: --sample_index=inuse_objects is --inuse_objects.
    sampleType: heap[0] ?? (HEAP_NAMES.includes(sampleIndex as HeapSampleType) ? (sampleIndex as HeapSampleType) : 'inuse_space'),
    sampleIndex: sampleIndex ?? heap[0],
    showBytes: !!o.show_bytes,
    dropNegative: !!o.drop_negative,
    cum: !!o.cum,
    granularity: gran[0] ?? 'functions',
    routineRegexp: mode === 'list' || mode === 'disasm' ? regex(mode, o[mode]) : undefined,
    focus: regex('focus', o.focus),
    ignore: regex('ignore', o.ignore),
    retain: regex('retain', o.retain),
    exclude: regex('exclude', o.exclude),
    thread: typeof o.thread === 'string' ? o.thread : undefined,
    // jeprof strips trailing slashes from each prefix.
    libPrefixes: libPrefix === '' ? [] : libPrefix.split(',').map((p) => p.replace(/\/+$/, '')),
    addLib: typeof o.add_lib === 'string' && o.add_lib !== '' ? o.add_lib : undefined,
    tools: typeof o.tools === 'string' && o.tools !== '' ? o.tools : (env.JEPROF_TOOLS ?? ''),
    mapPaths,
    // commander camel-cases dashed names and reads --no-warnings as warnings=false.
    warnings: o.warnings !== false,
    strictTools: !!o.strictTools,
    debugSymsById: !!o.debugSymsById,
    nodeCount: num(o.nodecount, 80),
    nodeFraction: num(o.nodefraction, 0.005),
    edgeFraction: num(o.edgefraction, 0.001),
    maxDegree: num(o.maxdegree, 8),
    heapcheck: !!o.heapcheck,
    cache: o.cache !== false,
    output: typeof o.output === 'string' && o.output !== '' ? o.output : undefined,
    json: !!o.json,
    trimAllocator: !!o['trim-allocator'] || !!o.trimAllocator,
  };
}
