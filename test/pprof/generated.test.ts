// The committed src/pprof/gen/profile_pb.ts and profile_fields.ts are what `npm run gen:proto`
// makes of src/pprof/proto/profile.proto now (buf and protoc-gen-es from node_modules, no network).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as fields from '../../src/pprof/gen/profile_fields.js';
import * as generated from '../../src/pprof/gen/profile_pb.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Each message's descriptor in the generated code, by message name. */
const schemas = Object.fromEntries(
  Object.entries(generated)
    .filter(([k]) => k.endsWith('Schema'))
    .map(([k, v]) => [k.slice(0, -'Schema'.length), v as { fields: { localName: string; number: number }[] }]),
);

const ROOT = join(import.meta.dirname, '..', '..');

describe('generated protobuf code', () => {
  it('is up to date with profile.proto', () => {
    const out = tempDir('jeprof-ts-gen-');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'buf'), ['generate', '-o', out], { cwd: ROOT, stdio: 'pipe' });
    const fresh = readFileSync(join(out, 'src', 'pprof', 'gen', 'profile_pb.ts'), 'utf8');
    expect(fresh, 'run `npm run gen:proto` and commit the result').toBe(readFileSync(join(ROOT, 'src', 'pprof', 'gen', 'profile_pb.ts'), 'utf8'));
    // The fields jeprof-ts adds are there, at 1000 and up.
    expect(fresh).toMatch(/repeated double jeprof_value = 1000;/);
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'proto-fields.mjs'), out], { cwd: ROOT, stdio: 'pipe' });
    expect(readFileSync(join(out, 'profile_fields.ts'), 'utf8'), 'run `npm run gen:proto` and commit the result').toBe(readFileSync(join(ROOT, 'src', 'pprof', 'gen', 'profile_fields.ts'), 'utf8'));
  });

  it("gives the writer and reader the field numbers of profile_pb.ts's descriptors", () => {
    for (const [name, schema] of Object.entries(schemas)) {
      const numbers = Object.fromEntries(schema.fields.map((f) => [f.localName, f.number]));
      expect((fields as Record<string, unknown>)[`${name}Fields`], name).toEqual(numbers);
    }
    expect(Object.keys(fields)).toHaveLength(Object.keys(schemas).length);
  });
});
