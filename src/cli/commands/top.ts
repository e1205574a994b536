// `top` / jeprof --text: flat and cumulative memory per function (or line, address, file).
import { renderTopText, topReport, type TopReport } from '../../report/top.js';
import type { CliIO } from '../io.js';
import { renderTopJson } from '../../report/top-json.js';
import { emit } from '../output.js';
import { analyzeTarget, emitPerTarget, loadSession } from '../pipeline.js';
import { withProgram } from '../series-files.js';
import type { Session, Target } from '../session.js';
import type { JeprofCommand } from './types.js';

/** The top table of one target, as the batch report makes it (the shell's `top` makes its own). */
export function topOfTarget(s: Session, t: Target, io: CliIO): TopReport {
  const a = analyzeTarget(s, t, io);
  return topReport(a.flatCum, a.total, s.units, { sortByCum: s.o.cum, thread: t.thread });
}

export const top: JeprofCommand = {
  kind: 'jeprof',
  name: 'top',
  flag: 'text',
  summary: 'print the top table (jeprof --text): flat and cumulative memory per function',
  example: 'jeprof-ts top ./server --base=jeprof.1234.0.i0.heap jeprof.1234.17.i17.heap',
  async run(o, env) {
    if (!o.json) return emitPerTarget(o, env, (s, t) => renderTopText(topOfTarget(s, t, env.io)));
    // --json is jeprof-ts's: the program may be left out, the first dump's map names it.
    const s = await loadSession({ ...o, jeprofNotices: false, positionals: withProgram(o.positionals, o, env.io) }, env);
    const reports = s.targets.map((t) => topOfTarget(s, t, env.io));
    return emit(o.output, env.io, renderTopJson(reports, o.sampleType, o.thread !== undefined));
  },
};
