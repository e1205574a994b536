// `jeprof-ts check [limits] [program] <dumps...>`: the CI gate. Exit 0 when every limit holds,
// 4 when one is exceeded (1 usage, 2 bad input), so a script can tell a leak from a broken run.
import { UsageError } from '../../model/errors.js';
import { renderCheckGithub, renderCheckJson, renderCheckText, checkLimits, type Limit } from '../../report/check.js';
import { printable } from '../../report/printable.js';
import { addAnalysisOptions, analysisRunOptions } from '../analysis-options.js';
import { emit } from '../output.js';
import { seriesFiles } from '../series-files.js';
import { analyzeSeries } from '../series-run.js';
import type { OwnCommand } from './types.js';

/** `check`'s exit code when a limit is exceeded. */
export const EXIT_LIMIT_EXCEEDED = 4;

const HELP = `
Limits (SIZE is bytes or a number with K, M or G, multiples of 1024: 10M; a count
with --inuse_objects or --alloc_objects):
  --max-growth=SIZE             the total's growth from the first dump to the last
                                (or from --base to the profile)
  --max-total=SIZE              the total at the last dump
  --max-growth-of=REGEXP=SIZE   the growth of the rows whose name matches (repeatable)

Prints one line per limit, PASS or FAIL first, and under a failed one the five rows
that grew most. Allocator frames are trimmed as in trend (--no-trim-allocator keeps
them).

Examples:
  jeprof-ts check --max-growth=10M ./server jeprof.1234.*.i*.heap
  jeprof-ts check --max-growth-of='Cache::insert=2M' --format=github ./server jeprof.*.heap
  jeprof-ts check --max-total=512M --base=before.heap ./server after.heap

Exit codes: 0 every limit holds, 4 a limit is exceeded, 1 usage error, 2 a dump
could not be read.
`;

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** SIZE: bytes, or a number with K, M, G or T (powers of 1024, an optional B or iB after it). */
export function parseSize(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`${what}=${printable(text)}: not a size (bytes, or a number with K, M or G: 10M)`);
  return Number(m[1]) * UNITS[(m[2] ?? '').toUpperCase()];
}

function limitsOf(opts: Record<string, unknown>): Limit[] {
  const limits: Limit[] = [];
  if (typeof opts.maxGrowth === 'string') limits.push({ kind: 'growth', max: parseSize(opts.maxGrowth, '--max-growth') });
  if (typeof opts.maxTotal === 'string') limits.push({ kind: 'total', max: parseSize(opts.maxTotal, '--max-total') });
  for (const spec of (opts.maxGrowthOf as string[] | undefined) ?? []) {
    const eq = spec.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`--max-growth-of=${printable(spec)}: expected REGEXP=SIZE`);
    const pattern = spec.slice(0, eq);
    try {
      new RegExp(pattern);
    } catch (e) {
      throw new UsageError(`--max-growth-of=${printable(spec)}: not a valid regular expression (${(e as Error).message})`);
    }
    limits.push({ kind: 'growth-of', pattern, max: parseSize(spec.slice(eq + 1), '--max-growth-of') });
  }
  if (limits.length === 0) throw new UsageError('check needs a limit: --max-growth, --max-total or --max-growth-of');
  return limits;
}

export const check: OwnCommand = {
  kind: 'own',
  name: 'check',
  summary: 'a CI gate: exit 4 when the memory grew past a limit across a series of dumps (or since --base)',
  define(cmd, env, result) {
    cmd
      .usage('[limits] [options] [program] <dumps...>')
      .argument('[files...]', 'the program (optional: the first dump names it) and the dumps')
      .option('--max-growth <size>', "the total's growth from the first dump to the last")
      .option('--max-total <size>', 'the total at the last dump')
      .option('--max-growth-of <regexp=size>', 'the growth of the rows whose name matches (repeatable)', (v: string, all: string[] = []) => [...all, v])
      .option('--base <dump>', 'compare the profile with this dump instead of a series')
      .option('--format <format>', "'text' (default) or 'github' (adds ::error annotations for GitHub Actions)")
      .option('--json', 'the verdict as one JSON document (schema jeprof-ts/check/1)')
      .option('--allow-mixed', 'take dumps of several processes as one series');
    addAnalysisOptions(cmd, true)
      .addHelpText('after', HELP)
      .action(async (files: string[], opts: Record<string, unknown>) => {
        const io = env.io;
        const limits = limitsOf(opts);
        if (files.length === 0) throw new UsageError('give the dumps: jeprof-ts check [limits] [program] <dumps...>');
        const format = opts.format ?? 'text';
        if (format !== 'text' && format !== 'github') throw new UsageError(`--format=${printable(String(format))}: use text or github`);
        const given = analysisRunOptions(opts, files, io.env);
        // The same options, the positionals put in the series' order (the program found if left out).
        const positionals = seriesFiles(files, given, opts, io, {
          min: 2,
          fewer: 'check compares a series: give two or more dumps, or --base and one',
          base: typeof opts.base === 'string' ? opts.base : undefined,
        });
        const o = { ...given, positionals };
        const report = checkLimits((await analyzeSeries(o, env)).report, limits);
        const text = opts.json ? renderCheckJson(report) : format === 'github' ? renderCheckGithub(report) : renderCheckText(report);
        emit(undefined, io, text);
        result.code = report.pass ? 0 : EXIT_LIMIT_EXCEEDED;
      });
  },
};
