// `npm start` (top --demo) and --map-path: a profile read away from the paths it names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { tempDir } from '../helpers/temp-dir.js';

const SEED = new URL('../../fixtures/corpus/seed-leak/', import.meta.url).pathname;

describe('--demo and --map-path', () => {
  it('prints the leak hunt jeprof printed for the same dumps, from any folder', async () => {
    // The real jeprof's output for --base=i0 i7, run where the dumps say the program is.
    const want = readFileSync(join(SEED, 'refs/text-base.stdout'), 'utf8');
    const r = await runCli(['top', '--demo'], { cwd: tempDir('jeprof-ts-demo-') });
    expect(r.stdout).toBe(want);
    expect(r.stdout).toMatch(/ add_to_map\n/);
    expect(r.code).toBe(0);
  });

  it('without --map-path a moved program cannot be matched to its mapping (jeprof\'s 0x rows)', async () => {
    const r = await runCli(['--text', join(SEED, 'app'), join(SEED, 'jeprof.7069.8.f.heap')]);
    expect(r.stdout).toMatch(/0x0000563efa6621f0\n/);
    expect(r.stdout).not.toMatch(/ main\n/);
  });

  it('with --map-path the moved program gets its names back', async () => {
    const r = await runCli(['--text', `--map-path=/opt/jeprof-corpus/seed-leak=${SEED}`, join(SEED, 'app'), join(SEED, 'jeprof.7069.8.f.heap')]);
    expect(r.stdout).toBe(readFileSync(join(SEED, 'refs/text.stdout'), 'utf8'));
  });
});
