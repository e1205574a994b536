// `callgrind` / jeprof --callgrind: the profile for KCachegrind and callgrind_annotate.
import { extractCalls, renderCallgrind } from '../../report/callgrind.js';
import { analyzeTarget, emitPerTarget } from '../pipeline.js';
import type { JeprofCommand } from './types.js';

export const callgrind: JeprofCommand = {
  kind: 'jeprof',
  name: 'callgrind',
  flag: 'callgrind',
  summary: 'callgrind format for KCachegrind (jeprof --callgrind)',
  example: 'jeprof-ts callgrind -o heap.callgrind ./server x.heap',
  run: (o, env) => emitPerTarget(o, env, (s, t) => renderCallgrind(extractCalls(analyzeTarget(s, t, env.io).stacks))),
};
