// On demand (`npm run check:elf-all`, minutes; not part of `npm test`): the reader against real
// nm on every ELF file under /usr/lib/x86_64-linux-gnu and /usr/bin, with counts of files
// compared, identical and declined.
import { closeSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { compareWithNm } from '../helpers/elf-compare.js';

const DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/bin'];

function elfFiles(): string[] {
  const seen = new Set<string>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return walk(p);
      try {
        const real = realpathSync(p);
        if (seen.has(real) || !statSync(real).isFile()) return [];
        seen.add(real);
        const fd = openSync(real, 'r');
        const magic = Buffer.alloc(4);
        const n = readSync(fd, magic, 0, 4, 0);
        closeSync(fd);
        return n === 4 && magic.readUInt32BE(0) === 0x7f454c46 ? [real] : [];
      } catch {
        return [];
      }
    });
  return DIRS.flatMap(walk);
}

it('every ELF file on this machine', async () => {
  const counts = { same: 0, differs: 0, fallback: 0 };
  const differences: string[] = [];
  const declined: string[] = [];
  for (const path of elfFiles()) {
    const r = await compareWithNm(path);
    counts[r.status]++;
    if (r.status === 'differs') differences.push(`${path}: ${r.detail}`);
    if (r.status === 'fallback') declined.push(path);
  }
  console.log(`files ${counts.same + counts.differs + counts.fallback}: identical ${counts.same}, different ${counts.differs}, left to nm ${counts.fallback}`);
  console.log(`left to nm:\n  ${declined.join('\n  ')}`);
  expect(differences).toEqual([]);
}, 3_600_000);
