// jeprof --raw: the symbol section, then jeprof's death line and exit 2 (what jeprof 5.3 does for
// a local profile); the `raw` subcommand, jeprof-ts's own: the whole symbolized profile, which
// reads back without the program.
import { readFileSync } from 'node:fs';
import { UsageError } from '../../model/errors.js';
import { emit } from '../output.js';
import { loadSession } from '../pipeline.js';
import type { JeprofCommand } from './types.js';

export const raw: JeprofCommand = {
  kind: 'jeprof',
  name: 'raw',
  flag: 'raw',
  summary: 'a symbolized profile, readable later without the program (what jeprof --raw does for remote profiles only)',
  example: 'jeprof-ts raw ./server x.heap > x.raw && jeprof-ts top x.raw',
  async run(o, env) {
    const s = await loadSession(o, env);
    const run = s.run;
    if (run.files.length > 1 || o.base) throw new UsageError('--raw writes one profile: give one profile file and no --base');
    const { renderRaw, renderJeprofRaw, JEPROF_RAW_DEATH } = await import('../../report/raw.js');
    if (o.subcommand) return emit(o.output, env.io, renderRaw(run.programName, run.table.all, run.first.kind, readFileSync(run.firstPath, 'utf8')));
    // jeprof prints the symbol section of a local profile, then dies (exit 2): so does --raw.
    emit(o.output, env.io, renderJeprofRaw(run.programName, run.table.all, run.first.kind));
    env.io.stderr(`${JEPROF_RAW_DEATH}\n`);
    if (o.warnings) env.io.stderr('jeprof-ts: hint: `jeprof-ts raw` writes the whole symbolized profile, which reads back without the program\n');
    return 2;
  },
};
