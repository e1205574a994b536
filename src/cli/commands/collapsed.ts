// `collapsed` / jeprof --collapsed: folded stacks (`root;...;leaf bytes`) for flame graph tools.
import { collapsedChunks } from '../../report/collapsed.js';
import { emitPerTarget, targetStacks } from '../pipeline.js';
import type { JeprofCommand } from './types.js';

export const collapsed: JeprofCommand = {
  kind: 'jeprof',
  name: 'collapsed',
  flag: 'collapsed',
  summary: 'folded stacks for flame graphs (jeprof --collapsed)',
  example: 'jeprof-ts collapsed ./server x.heap | flamegraph.pl > heap.svg',
  run: (o, env) => emitPerTarget(o, env, (s, t) => collapsedChunks(targetStacks(s, t, env.io))),
};
