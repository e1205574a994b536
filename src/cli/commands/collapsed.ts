// `collapsed` / jeprof --collapsed: folded stacks (`root;...;leaf bytes`) for flame graph tools.
import { renderCollapsed } from '../../report/collapsed.js';
import { analyzeTarget, emitPerTarget } from '../pipeline.js';
import type { JeprofCommand } from './types.js';

export const collapsed: JeprofCommand = {
  kind: 'jeprof',
  name: 'collapsed',
  flag: 'collapsed',
  summary: 'folded stacks for flame graphs (jeprof --collapsed)',
  example: 'jeprof-ts collapsed ./server x.heap | flamegraph.pl > heap.svg',
  run: (o, env) => emitPerTarget(o, env, (s, t) => renderCollapsed(analyzeTarget(s, t, env.io).stacks)),
};
