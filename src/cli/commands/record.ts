// The `record` subcommand's command line: its own options (not jeprof's), its help, and the hand-off
// to src/cli/record-run.ts, loaded only when the command runs.
import type { OwnCommand } from './types.js';

const HELP = `
It finds the jemalloc to use: a copy linked into the program (Rust's tikv-jemallocator too, whose
options variable is _RJEM_MALLOC_CONF), else a libjemalloc.so it links, else Debian's
/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 through LD_PRELOAD; and it checks that one was built
with profiling. Options go into MALLOC_CONF (or _RJEM_MALLOC_CONF):
  prof:true,prof_prefix:<out>/jeprof,prof_final:true,lg_prof_interval:30
A value you already set is kept, and record says what it combined. stdin, stdout and stderr stay
the command's; Ctrl-C, SIGTERM and SIGHUP reach it, and record exits with its status (128+n when
signal n killed it). Then, on stderr: the dumps, the leak hunt, and the commands to dig further
(jeprof-ts trend, top, html, collapsed and doctor, and jeprof's --text).

The leak hunt, with two or more interval dumps, is their trend: each call site ranked by how
much and how steadily it grew, after the Total row; a table of the first 15 when stderr is a
terminal, else trend's tab-separated lines (a '#' header, Total, then 15 rows). With one interval
dump or none, it is top of what the final dump (or the last one) holds.

Examples:
  jeprof-ts record -- ./server --port 8080
  jeprof-ts record --interval=64M --out=/tmp/heap -- ./server
  jeprof-ts record --leak -- ./batch-job input.txt       # every allocation, what is left at exit
  MALLOC_CONF=narenas:2 jeprof-ts record -- ./server     # your options are kept
`;

export const record: OwnCommand = {
  kind: 'own',
  name: 'record',
  summary: 'run a command with jemalloc heap profiling on, then show what grew (the leak hunt)',
  define(cmd, env, result) {
    cmd
      .usage('[options] -- <command> [args...]')
      .argument('<command...>', 'the program to run and its arguments')
      .option('--out <dir>', 'folder for the dumps (default: a fresh jeprof-ts-<pid>/ here)')
      .option('--interval <size>', 'a dump each time this much more was allocated, rounded to a power of two (64M, 1G; default 1G)')
      .option('--sample <n>', 'lg_prof_sample: one sample per 2^n bytes allocated on average (default 19, 512 KiB)')
      .option('--leak', 'sample every allocation and dump at exit with prof_leak (slow; for a leak left at exit)')
      .passThroughOptions()
      .addHelpText('after', HELP)
      .action(async (command: string[], opts: { out?: string; interval?: string; sample?: string; leak?: boolean }) => {
        const { runRecord } = await import('../record-run.js');
        result.code = await runRecord({ command, out: opts.out, interval: opts.interval, sample: opts.sample, leak: opts.leak }, env.io);
      });
  },
};
