// Fails a test loudly, naming the Debian package, when a system tool it runs is missing.
import { execFileSync } from 'node:child_process';

export function needTool(tool: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed: this test needs it (apt-get install ${pkg})`);
  }
}
