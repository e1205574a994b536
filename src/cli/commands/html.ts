// `html` / --html: the report as one self-contained HTML file (flame graph, top table, the diff
// with --base, the trend of a series), to open from disk, attach to a bug or keep from CI.
import { UsageError } from '../../model/errors.js';
import { loadSession } from '../pipeline.js';
import { withProgram } from '../series-files.js';
import type { JeprofCommand } from './types.js';

export const html: JeprofCommand = {
  kind: 'jeprof',
  name: 'html',
  flag: 'html',
  summary: 'one self-contained HTML file: flame graph, top table, diff with --base, trend of a series',
  example: 'jeprof-ts html ./server --base=jeprof.1234.0.i0.heap jeprof.1234.17.i17.heap -o heap.html',
  async run(o, env) {
    // A page of inline script is no use on a terminal: said before any work is done.
    if (!o.output && env.io.stdoutIsTTY) throw new UsageError('--html writes a file: give -o FILE (e.g. -o heap.html) or redirect stdout');
    // jeprof-ts's own report: the program may be left out, the first dump's map names it.
    const s = await loadSession({ ...o, jeprofNotices: false, positionals: withProgram(o.positionals, o, env.io) }, env);
    return (await import('../html-output.js')).emitHtml(s, env);
  },
};
