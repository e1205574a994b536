// The committed src/pprof/gen/profile_pb.ts is what `npm run gen:proto` makes of
// src/pprof/proto/profile.proto now (buf and protoc-gen-es from node_modules, no network).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('generated protobuf code', () => {
  it('is up to date with profile.proto', () => {
    const out = tempDir('jeprof-ts-gen-');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'buf'), ['generate', '-o', out], { cwd: ROOT, stdio: 'pipe' });
    const fresh = readFileSync(join(out, 'src', 'pprof', 'gen', 'profile_pb.ts'), 'utf8');
    expect(fresh, 'run `npm run gen:proto` and commit the result').toBe(readFileSync(join(ROOT, 'src', 'pprof', 'gen', 'profile_pb.ts'), 'utf8'));
    // The fields jeprof-ts adds are there, at 1000 and up.
    expect(fresh).toMatch(/repeated double jeprof_value = 1000;/);
  });
});
