// A dump with more than 65,536 distinct PCs: the run's stack table starts with 16-bit location ids
// and widens to 32 bits partway through the parse (src/model/interner.ts). Every stack must come
// out as it went in, before the widening and after it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const APP = join(ROOT, 'fixtures', 'corpus', 'seed-leak', 'app');

/** Stack i: a leaf of its own, one of 7 callers; its objects' bytes. heap_v2/1 unsamples 48+ byte objects by exactly 1. */
const leaf = (i: number) => 0x10000000 + i * 0x10;
const caller = (i: number) => 0x20000000 + (i % 7) * 0x10 + 1;
const bytes = (i: number) => 64 + (i % 100) * 16;

function writeDump(path: string, stacks: number): number {
  const lines = ['heap_v2/1', '  t*: 0: 0 [0: 0]'];
  let total = 0;
  for (let i = 0; i < stacks; i++) {
    lines.push(`@ 0x${leaf(i).toString(16)} 0x${caller(i).toString(16)}`, `  t*: 1: ${bytes(i)} [1: ${bytes(i)}]`);
    total += bytes(i);
  }
  lines.push('', 'MAPPED_LIBRARIES:', '');
  writeFileSync(path, lines.join('\n'));
  return total;
}

/** `collapsed` of a dump: value by line text (frames as the report names them). */
function collapsed(heap: string, dir: string): Map<string, number> {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'jeprof-ts.js'), 'collapsed', APP, heap], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, JEPROF_TS_CACHE: join(dir, 'symbols') } });
  expect(r.status, r.stderr).toBe(0);
  const out = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('location ids past 16 bits', () => {
  it('a dump of 70,000 leaves reads as its first 60,000 do, and every stack keeps its bytes', { timeout: 120_000 }, () => {
    const dir = tempDir('jeprof-ts-wide-ids-');
    const wide = join(dir, 'wide.heap');
    const narrow = join(dir, 'narrow.heap');
    const total = writeDump(wide, 70_000); // 70,007 distinct PCs: past 65,536
    writeDump(narrow, 60_000); // 60,007: 16 bits all along
    const all = collapsed(wide, dir);
    const first = collapsed(narrow, dir);
    // One line per stack (each leaf is its own), the bytes adding up to the dump's.
    expect(all.size).toBe(70_000);
    expect([...all.values()].reduce((a, b) => a + b, 0)).toBe(total);
    // The first 60,000 stacks, read with 16-bit ids in one run and widened in the other, alike.
    expect(first.size).toBe(60_000);
    for (const [line, v] of first) expect(all.get(line), line).toBe(v);
    // A stack read after the widening: its leaf and its caller, in its line, with its bytes.
    const lastLeaf = leaf(69_999).toString(16);
    const line = [...all.keys()].find((l) => l.includes(lastLeaf));
    expect(line, `a line with ${lastLeaf}`).toBeDefined();
    expect(line).toContain((caller(69_999) - 1).toString(16)); // a return address, minus one as jeprof reads it
    expect(all.get(line!)).toBe(bytes(69_999));
  });
});
