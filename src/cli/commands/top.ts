// `top` / jeprof --text: flat and cumulative memory per function (or line, address, file).
import { renderTopText, topReport, type TopReport } from '../../report/top.js';
import type { CliIO } from '../io.js';
import { analyzeTarget, emitPerTarget } from '../pipeline.js';
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
  run: (o, env) => emitPerTarget(o, env, (s, t) => renderTopText(topOfTarget(s, t, env.io))),
};
