// `jeprof-ts html` / `--html`: renders the run's HTML report and writes it to -o FILE (whole or
// not at all) or to stdout when that is not a terminal.
import { renderHtmlReport } from '../report/html/render.js';
import type { CommandEnv } from './commands/types.js';
import { htmlInput } from './html-input.js';
import { emit } from './output.js';
import { phaseDone } from './phases.js';
import type { Session } from './session.js';

export async function emitHtml(s: Session, env: CommandEnv): Promise<number> {
  const io = env.io;
  const input = await htmlInput(s, env);
  phaseDone('html-input', io.stderr);
  const page = renderHtmlReport(input);
  phaseDone('html-render', io.stderr);
  const status = emit(s.o.output, io, page);
  if (status === 0 && s.o.output) io.stderr(`jeprof-ts: wrote ${s.o.output} (${Buffer.byteLength(page).toLocaleString('en-US')} bytes); open it in a browser, it makes no requests\n`);
  return status;
}
