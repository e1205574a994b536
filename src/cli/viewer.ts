// Opens a rendered call graph in a viewer for --web/--gv/--evince, when one is configured.
// execa is loaded on first use: a run answered from the symbol cache never pays its start-up time.
const loadExeca = () => import('execa').then((m) => m.execa);
import type { CliIO } from './io.js';

/**
 * --web uses $BROWSER, --gv `gv`, --evince `evince`. A missing viewer is not an error: the file
 * is written and its path printed already. The viewer runs detached, like jeprof's `&`.
 */
export async function launchViewer(mode: 'web' | 'gv' | 'evince', path: string, io: CliIO): Promise<void> {
  const cmd = mode === 'web' ? io.env.BROWSER : mode;
  if (!cmd) {
    io.stderr('Set $BROWSER to open it in a browser.\n');
    return;
  }
  try {
    const execa = await loadExeca();
    const child = execa(cmd, [path], { detached: true, stdio: 'ignore', reject: false });
    child.unref();
    const r = await Promise.race([child, new Promise((ok) => setTimeout(ok, 200, undefined))]);
    if (r && (r as { failed?: boolean; code?: string }).code === 'ENOENT') io.stderr(`${cmd} not found; open the file yourself.\n`);
  } catch {
    io.stderr(`could not start ${cmd}; open the file yourself.\n`);
  }
}
