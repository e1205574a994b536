// Leaf addresses spelled in upper case (a dump another tool wrote or a person edited): jeprof keys
// a stack's PCs by their text and lower-cases only the callers it adjusts, so such a leaf is a PC
// of its own, placed by comparing text with the library ranges and printed as written. Every mode
// must print what the real jeprof prints for the seed's final dump so rewritten.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { installCase } from '../helpers/corpus.js';
import { needTool } from '../helpers/need.js';

let where = '';
const APP = '/opt/jeprof-corpus/seed-leak/app';
const HEAP = 'upper-case-leaves.heap';

beforeAll(() => {
  needTool('jeprof', 'libjemalloc-dev');
  where = installCase('seed-leak');
  // Allocator frames off, so the leaf is a frame that stays; it and the second caller in upper case.
  const text = readFileSync(join(where, 'jeprof.7069.8.f.heap'), 'latin1')
    .split('\n')
    .map((line) => {
      if (!line.startsWith('@ ')) return line;
      const a = line.slice(2).split(' ');
      const kept = a.length > 5 ? a.slice(4) : a;
      kept[0] = '0x' + kept[0].slice(2).toUpperCase();
      if (kept.length > 2) kept[2] = '0x' + kept[2].slice(2).toUpperCase();
      return '@ ' + kept.join(' ');
    })
    .join('\n');
  writeFileSync(join(where, HEAP), text);
});

const sorted = (s: string) => s.split('\n').sort();

describe('upper-case leaf addresses', () => {
  it.each(['--text --addresses', '--text', '--text --lines', '--text --files', '--collapsed', '--callgrind', '--dot', '--raw', '--text --focus=F40B6', '--text --base=jeprof.7069.8.f.heap'])('%s: as jeprof', async (mode) => {
    const args = [...mode.split(' '), APP, HEAP];
    const theirs = (() => {
      try {
        return execFileSync('jeprof', args, { cwd: where, stdio: ['ignore', 'pipe', 'ignore'] }).toString('latin1');
      } catch (e) {
        return ((e as { stdout: Buffer }).stdout ?? Buffer.alloc(0)).toString('latin1'); // --raw exits 2
      }
    })();
    const ours = (await runCli(['--no-cache', ...args], { cwd: where })).stdout;
    expect(sorted(ours)).toEqual(sorted(theirs));
    if (mode === '--text --addresses') expect(ours).toContain(' 00007F40B64ADDF9 0x00007F40B64ADDF9 ??:0\n');
  });
});
