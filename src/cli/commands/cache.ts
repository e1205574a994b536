// `jeprof-ts cache [clear]`: where the symbol cache is, what it holds and its limit; `clear` empties it.
import type { OwnCommand } from './types.js';

export const cache: OwnCommand = {
  kind: 'own',
  name: 'cache',
  summary: 'show where the symbol cache is, what it holds and its size limit; `cache clear` empties it',
  define(cmd, env, result) {
    cmd
      .argument('[action]', "'clear' to remove every entry (nothing else in the folder)")
      .option('--json', 'print the figures as one JSON document (schema jeprof-ts/cache/1)')
      .addHelpText(
        'after',
        '\nThe cache keeps what nm and addr2line said about each object file ($JEPROF_TS_CACHE, default\n~/.cache/jeprof-ts), so a second run on the same binaries starts no tool. Runs that add to it\nremove the entries used longest ago once it passes $JEPROF_TS_CACHE_SIZE (default 1G).\n\nExamples:\n  jeprof-ts cache\n  jeprof-ts cache clear\n  JEPROF_TS_CACHE=/tmp/syms jeprof-ts cache --json\n',
      )
      .action(async (action: string | undefined, opts: { json?: boolean }) => {
        result.code = await (await import('../cache-command.js')).runCacheCommand(action, !!opts.json, env.io);
      });
  },
};
