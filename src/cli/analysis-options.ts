// The options jeprof-ts's own analysis commands (trend, check, html) share: jeprof's value,
// granularity and filter options under their jeprof names, the loader's, allocator trimming and
// colour. Declared per command through commander, so none is read by jeprof's prefix rule.
import type { Command } from 'commander';
import { buildRunOptions, type RawOptions, type RunOptions } from './options.js';
import type { CliIO } from './io.js';

/** Declares the shared options on `cmd`; `trimDefault` says whether allocator frames are trimmed unless asked not to. */
export function addAnalysisOptions(cmd: Command, trimDefault: boolean): Command {
  return cmd
    .option('--inuse_space', 'memory in use at each dump (default)')
    .option('--inuse_objects', 'objects in use at each dump')
    .option('--alloc_space', 'memory allocated up to each dump (needs prof_accum:true)')
    .option('--alloc_objects', 'objects allocated up to each dump (needs prof_accum:true)')
    .option('--functions', 'one row per function (default)')
    .option('--lines', 'one row per source line')
    .option('--files', 'one row per source file')
    .option('--addresses', 'one row per instruction address')
    .option('--cum', 'rows by cumulative value (every stack through the row) instead of flat')
    .option('--focus <regexp>', 'keep only stacks with a frame matching this regexp')
    .option('--ignore <regexp>', 'drop stacks with a frame matching this regexp')
    .option('--retain <regexp>', 'keep only frames whose function matches this regexp')
    .option('--exclude <regexp>', 'remove frames whose function matches this regexp')
    .option(trimDefault ? '--no-trim-allocator' : '--trim-allocator', trimDefault ? "keep the allocator's own innermost frames (jeprof's rows)" : "drop the allocator's own innermost frames, so each leaf is the caller")
    .option('--map-path <FROM=TO,...>', 'files the dumps name under FROM are read from TO here')
    .option('--lib_prefix <dirs>', "look for the dumps' libraries under these folders")
    .option('--tools <prefix>', 'where nm/addr2line live ($JEPROF_TOOLS)')
    .option('--no-cache', 'do not read or write the symbol cache')
    .option('--no-warnings', "do not print jeprof-ts's warnings")
    .option('--color', 'colour even when not at a terminal (FORCE_COLOR)')
    .option('--no-color', 'no colour (NO_COLOR)');
}

/** The shared options as RunOptions (jeprof's checks and messages), for `positionals` [program, ...profiles]. */
export function analysisRunOptions(opts: Record<string, unknown>, positionals: string[], env: NodeJS.ProcessEnv): RunOptions & { trimAllocator: boolean } {
  const raw: RawOptions = {};
  for (const k of ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects', 'functions', 'lines', 'files', 'addresses', 'cum']) raw[k] = opts[k] === true;
  for (const k of ['focus', 'ignore', 'retain', 'exclude', 'mapPath', 'lib_prefix', 'tools']) raw[k] = typeof opts[k] === 'string' ? (opts[k] as string) : undefined;
  raw.cache = opts.cache !== false;
  raw.warnings = opts.warnings !== false;
  raw.text = true;
  return { ...buildRunOptions(raw, positionals, env), jeprofNotices: false, trimAllocator: opts.trimAllocator === true };
}
