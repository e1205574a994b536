// `jeprof-ts trend [program] <dumps...>`: every row's value across a series of dumps of one
// process, ranked by how much and how steadily it grew: the leak, not the cache that warmed up.
import { printable } from '../../report/printable.js';
import { addAnalysisOptions, analysisRunOptions } from '../analysis-options.js';
import { emit } from '../output.js';
import { phaseDone } from '../phases.js';
import { seriesFiles } from '../series-files.js';
import { analyzeSeries } from '../series-run.js';
import { demoSeries } from '../demo.js';
import { UsageError } from '../../model/errors.js';
import type { OwnCommand } from './types.js';

const HELP = `
The dumps are put in jemalloc's order, by the sequence number in their names
(jeprof.<pid>.<seq>.i<n>.heap), whatever order the shell gave them; dumps of
different processes are refused (--allow-mixed takes them as one series).
Each dump is read once and every address named once across all of them; each
dump's values are those jeprof reports for it alone (--no-trim-allocator
gives jeprof's rows exactly).

Ranking: rows that grew (last > first) come first, then unchanged ones, then
those that shrank; within each, by slope times steadiness, then growth. The
slope is the least-squares growth per dump over the series; steadiness is the
share of steps from one dump to the next that did not shrink. A leak grows at
every dump and comes first; a cache that warmed up early, or a burst at the end,
grows less steadily or less per dump and comes lower; a row that rose and fell
back did not grow.

At a terminal: a table of the first --limit rows (20), sizes in binary units,
steady growers red, shrinking rows green, a sparkline per row. Piped: one row
per line, tab-separated, a '#' header, sizes in bytes, every row, stable order.

Examples:
  jeprof-ts trend ./server jeprof.1234.*.i*.heap
  jeprof-ts trend jeprof.1234.*.heap | grep add_to_map     # the program from the dump's map
  jeprof-ts trend --lines --json ./server jeprof.1234.*.heap > trend.json

Exit codes: 0 report printed, 1 usage error, 2 a dump could not be read.
`;

const DEMO_NOTE = `
The demo: a C++ program that leaks into a map, a string and a vector, dumped by
jemalloc every 256 KiB (fixtures/corpus/seed-leak). Rows are the callers of the
allocator (its own frames trimmed); --cum ranks callers by everything under them.
  jeprof-ts trend --demo --cum          the same series by cumulative value
  jeprof-ts trend --demo --no-trim-allocator   jeprof's own rows
  jeprof-ts top --demo                  jeprof's report of the first and last dump, byte for byte
`;

export const trend: OwnCommand = {
  kind: 'own',
  name: 'trend',
  summary: 'each row across a series of dumps, ranked by how much and how steadily it grew (the leak hunt)',
  define(cmd, env, result) {
    cmd
      .usage('[options] [program] <dumps...>')
      .argument('[files...]', 'the program (optional: the first dump names it) and the dumps, in any order')
      .option('--json', 'one JSON document (schema jeprof-ts/trend/1)')
      .option('--limit <n>', 'rows in the table at a terminal (default 20; piped and --json: all)')
      .option('--allow-mixed', 'take dumps of several processes as one series')
      .option('-o, --output <file>', 'write the report to this file (whole or not at all)')
      .option('--demo', 'run on the bundled demo series (a real leak: 8 interval dumps)');
    addAnalysisOptions(cmd, true)
      .addHelpText('after', HELP)
      .action(async (given: string[], opts: Record<string, unknown>) => {
        const io = env.io;
        let files = given;
        if (opts.demo) {
          if (given.length > 0) throw new UsageError('--demo brings its own dumps: leave out the files');
          const demo = demoSeries();
          files = demo.files;
          opts.mapPath ??= demo.mapPath;
        }
        if (files.length === 0) throw new UsageError('give the dumps: jeprof-ts trend [program] <dumps...> (or --demo)');
        const limit = typeof opts.limit === 'string' ? Number(opts.limit) : 20;
        if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit=${printable(String(opts.limit))}: give a number of rows`);
        const parsed = analysisRunOptions(opts, files, io.env);
        // The same options, the positionals put in the series' order (the program found if left out).
        const o = { ...parsed, positionals: seriesFiles(files, parsed, opts, io, { min: 1, fewer: 'give the dumps after the program' }) };
        const { report } = await analyzeSeries(o, env);
        if (report.profiles.length < 2) io.stderr('jeprof-ts: note: one dump: its values, but a trend needs two or more\n');
        // The renderers (cli-table3) load with the command, not with every run of jeprof-ts.
        const { renderTrendJson, renderTrendPlain } = await import('../../report/trend.js');
        let text: string;
        if (opts.json) text = renderTrendJson(report);
        else if (io.stdoutIsTTY && !opts.output) {
          const [{ renderTrendTable }, { chalkFor }] = await Promise.all([import('../../report/trend-table.js'), import('../colour.js')]);
          text = renderTrendTable(report, chalkFor(opts as { color?: boolean }, io), limit, io.columns || Number(io.env.COLUMNS) || 120); // a 0-column pty (script, CI) has no width to fit
        } else text = renderTrendPlain(report);
        phaseDone('report', io.stderr);
        result.code = emit(typeof opts.output === 'string' ? opts.output : undefined, io, text);
        if (opts.demo) io.stderr(DEMO_NOTE);
      });
  },
};
