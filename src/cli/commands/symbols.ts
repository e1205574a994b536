// jeprof --symbols <program>: names for the addresses read from stdin (jeprof's symbol server mode).
import type { JeprofCommand } from './types.js';

export const symbols: JeprofCommand = {
  kind: 'jeprof',
  name: 'symbols',
  flag: 'symbols',
  summary: 'names for the addresses read from stdin, one line out per address in (jeprof --symbols)',
  example: "printf '0x401126\\n' | jeprof-ts symbols ./server",
  async run(o, env) {
    return (await import('../symbols-mode.js')).runSymbolsMode(o, env.io, env.deps);
  },
};
