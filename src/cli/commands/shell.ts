// `shell` / jeprof --interactive: jeprof's shell, the default at a terminal.
import { loadSession } from '../pipeline.js';
import type { JeprofCommand } from './types.js';

export const shell: JeprofCommand = {
  kind: 'jeprof',
  name: 'shell',
  flag: 'interactive',
  summary: "jeprof's interactive shell (jeprof --interactive)",
  example: "printf 'top20\\n' | jeprof-ts shell ./server x.heap",
  async run(o, env) {
    const s = await loadSession(o, env);
    return (await import('../interactive.js')).runInteractive(s, env.io);
  },
};
