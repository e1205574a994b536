// The `doctor` subcommand's command line: its own options, its help, and the hand-off to
// src/cli/doctor-run.ts, loaded only when the command runs.
import type { OwnCommand } from './types.js';

const HELP = `
One row per mapping of the dump that holds sampled addresses: the file (found here? the build
that ran? checked against the dump's mapping and its sampled return addresses, as jemalloc's
dumps carry no build id), its symbols (full .symtab, dynamic only, none), its debug information
(in the file, or found by build id, .gnu_debuglink or /usr/lib/debug path, where addr2line and
jeprof look), the share of the profile's bytes with a frame there that has no name, and what
to do. Then how each dump was made: sampling rate, prof_accum, per-thread rows, stacks, depth.
A table at a terminal, tab-separated lines when piped, --json for scripts. It exits 0 even when
much is missing: it is a report.

Examples:
  jeprof-ts doctor ./server jeprof.1234.25.f.heap
  jeprof-ts doctor --map-path=/opt/app=./release ./release/server prod.heap
  jeprof-ts doctor --lib_prefix=/srv/prod-root ./server prod.heap
  jeprof-ts doctor --json ./server x.heap | jq '.mappings[] | select(.unnamedShare > 0)'
`;

export const doctor: OwnCommand = {
  kind: 'own',
  name: 'doctor',
  summary: 'why frames have no names: per mapping, the file, its symbols and debug information, and what to do',
  define(cmd, env, result) {
    cmd
      .usage('[options] <program> <profiles...>')
      .argument('<program>', 'the profiled executable')
      .argument('<profiles...>', 'heap dumps of it (the first one\'s map is checked)')
      .option('--json', 'print one JSON document (schema jeprof-ts/doctor/1)')
      .option('--map-path <FROM=TO,...>', 'files the dump names under FROM are read from TO here')
      .option('--lib_prefix <dirs>', 'look for the dump\'s libraries under these folders (jeprof\'s option)')
      .option('--no-cache', 'do not use the symbol cache')
      .addHelpText('after', HELP)
      .action(async (program: string, profiles: string[], opts: { json?: boolean; mapPath?: string; lib_prefix?: string; cache?: boolean }) => {
        const { runDoctor } = await import('../doctor-run.js');
        result.code = await runDoctor({ positionals: [program, ...profiles], json: opts.json, mapPath: opts.mapPath, libPrefix: opts.lib_prefix, cache: opts.cache }, env.io, env.deps);
      });
  },
};
