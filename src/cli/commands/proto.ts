// `proto` / --proto: the report's stacks as a gzipped pprof profile.proto, for go tool pprof and
// the continuous-profiling systems that read pprof (Pyroscope, Parca).
import { loadSession } from '../pipeline.js';
import type { JeprofCommand } from './types.js';

export const proto: JeprofCommand = {
  kind: 'jeprof',
  name: 'proto',
  flag: 'proto',
  summary: "the report's stacks as a gzipped pprof profile.proto, for go tool pprof, Pyroscope, Parca",
  example: 'jeprof-ts proto ./server x.heap -o heap.pb.gz && go tool pprof -http=:8080 heap.pb.gz',
  async run(o, env) {
    const s = await loadSession(o, env);
    return (await import('../proto-output.js')).emitProto(s, env.io);
  },
};
