// Reading pprof files: recognised by content, foreign and damaged ones, a profile with only
// addresses and build ids symbolized from $PPROF_BINARY_PATH, and --proto's refusals.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { create, toBinary } from '@bufbuild/protobuf';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { decodePprof, encodePprof } from '../helpers/pprof-message.js';
import { FunctionSchema, LineSchema, LocationSchema, MappingSchema, ProfileSchema, SampleSchema, ValueTypeSchema } from '../../src/pprof/gen/profile_pb.js';
import { binaryCandidates } from '../../src/pprof/binary-path.js';
import { looksLikePprof } from '../../src/pprof/sniff.js';
import { readElfInfo } from '../../src/symbolize/elf.js';
import { runCli } from '../helpers/capture.js';
import { installCase } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';

const SEED = '/opt/jeprof-corpus/seed-leak';

describe('pprof input', () => {
  let dir = '';
  let pb = '';
  beforeAll(async () => {
    installCase('seed-leak');
    dir = tempDir('jeprof-ts-pprof-in-');
    pb = join(dir, 'seed.pb.gz');
    expect((await runCli(['proto', 'app', 'jeprof.7069.8.f.heap', '-o', pb], { cwd: SEED })).code).toBe(0);
  });

  it('is told from dumps by its first bytes', () => {
    const dump = readFileSync(join(SEED, 'jeprof.7069.8.f.heap'));
    expect(looksLikePprof(dump.subarray(0, 64))).toBe(false);
    expect(looksLikePprof(Buffer.from('heap profile:   1:   2 [ 3:  4] @ heapprofile\n'))).toBe(false);
    expect(looksLikePprof(Buffer.from('%warn x\n--- symbol\n'))).toBe(false);
    expect(looksLikePprof(readFileSync(join(SEED, 'app')).subarray(0, 64))).toBe(false);
    expect(looksLikePprof(readFileSync(pb).subarray(0, 64))).toBe(true);
    // Not gzipped: a protobuf whose first field is sample_type (1, length-delimited).
    const raw = gunzipSync(readFileSync(pb));
    expect(raw[0]).toBe(0x0a);
    expect(looksLikePprof(raw.subarray(0, 64))).toBe(true);
    expect(looksLikePprof(Buffer.alloc(0))).toBe(false);
    // Damaged dumps that are valid protobuf varints from end to end: `@` is field 8, ' ' its value.
    expect(looksLikePprof(Buffer.from('@ @ @ @ @ @ @ @ @ @ 0x1234\n'))).toBe(false);
    expect(looksLikePprof(Buffer.from('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'))).toBe(false);
    expect(looksLikePprof(Buffer.from('\n'.repeat(40) + 'heap_v2/524288\n'))).toBe(false);
  });

  it('reads an ungzipped .pb the same as the .pb.gz, and picks any sample type by name', async () => {
    const raw = join(dir, 'seed.pb');
    writeFileSync(raw, gunzipSync(readFileSync(pb)));
    const a = await runCli(['top', '--sample_index=alloc_space', pb]);
    const b = await runCli(['top', '--alloc_space', raw]);
    const want = await runCli(['top', '--alloc_space', 'app', 'jeprof.7069.8.f.heap'], { cwd: SEED });
    expect(a.stdout).toBe(want.stdout);
    expect(b.stdout).toBe(want.stdout);
    const missing = await runCli(['top', '--sample_index=cpu', pb]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`Using local file ${pb}.\njeprof-ts: ${pb} has no cpu values; its sample types are alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes (pick one with --sample_index=NAME)\n`);
  });

  it('refuses a CPU profile with one line naming its sample types', async () => {
    const cpu = create(ProfileSchema, {
      stringTable: ['', 'samples', 'count', 'cpu', 'nanoseconds'],
      sampleType: [create(ValueTypeSchema, { type: 1n, unit: 2n }), create(ValueTypeSchema, { type: 3n, unit: 4n })],
      periodType: create(ValueTypeSchema, { type: 3n, unit: 4n }),
      sample: [create(SampleSchema, { locationId: [], value: [1n, 10_000_000n] })],
    });
    const file = join(dir, 'cpu.pb.gz');
    writeFileSync(file, gzipSync(toBinary(ProfileSchema, cpu)));
    const r = await runCli(['top', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`Using local file ${file}.\njeprof-ts: ${file}: not a heap profile: its sample types are samples/count, cpu/nanoseconds (jeprof-ts reads heap profiles: alloc_objects, alloc_space, inuse_objects, inuse_space)\n`);
  });

  it('says in one line, exit 2, that a truncated or damaged file is damaged', async () => {
    const bytes = readFileSync(pb);
    const cases: [string, Uint8Array, RegExp][] = [
      ['cut.pb.gz', bytes.subarray(0, bytes.length >> 1), /damaged gzip data in a pprof profile \(the file ends too early: truncated\)$/],
      ['cut.pb', gunzipSync(bytes).subarray(0, 1000), /damaged pprof profile: /],
      ['noise.pb.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.alloc(200, 0x5a)]), /damaged gzip data in a pprof profile/],
      ['dangling.pb.gz', gzipSync(toBinary(ProfileSchema, create(ProfileSchema, { stringTable: ['', 'inuse_space', 'bytes'], sampleType: [create(ValueTypeSchema, { type: 1n, unit: 2n })], sample: [create(SampleSchema, { locationId: [7n], value: [1n] })] }))), /damaged pprof profile: a sample names location 7, which is not there$/],
    ];
    for (const [name, data, message] of cases) {
      const file = join(dir, name);
      writeFileSync(file, data);
      const r = await runCli(['top', file]);
      expect(r.code, name).toBe(2);
      const lines = r.stderr.split('\n').filter((l) => !l.startsWith('Using local file'));
      expect(lines.filter((l) => l !== ''), name).toHaveLength(1);
      expect(lines[0], name).toMatch(message);
    }
  });

  it('reads ids past 2^32 (pprof allows any), numbering them anew', async () => {
    const L = 2n ** 40n;
    const F = 2n ** 33n;
    const M = 2n ** 35n;
    const p = create(ProfileSchema, {
      stringTable: ['', 'inuse_space', 'bytes', 'main.leaf', 'main.caller', 'x.go', '/bin/x'],
      sampleType: [create(ValueTypeSchema, { type: 1n, unit: 2n })],
      mapping: [create(MappingSchema, { id: M, memoryStart: 0x1000n, memoryLimit: 0x9000n, filename: 6n, hasFunctions: true })],
      function: [create(FunctionSchema, { id: F + 1n, name: 3n, systemName: 3n, filename: 5n }), create(FunctionSchema, { id: F + 2n, name: 4n, systemName: 4n, filename: 5n })],
      location: [
        create(LocationSchema, { id: L + 1n, mappingId: M, address: 0x1100n, line: [create(LineSchema, { functionId: F + 1n, line: 7n })] }),
        create(LocationSchema, { id: L + 2n, mappingId: M, address: 0x1200n, line: [create(LineSchema, { functionId: F + 2n, line: 9n })] }),
      ],
      sample: [create(SampleSchema, { locationId: [L + 1n, L + 2n], value: [100n] }), create(SampleSchema, { locationId: [L + 2n], value: [50n] })],
    });
    const file = join(dir, 'big-ids.pb.gz');
    writeFileSync(file, gzipSync(toBinary(ProfileSchema, p)));
    const r = await runCli(['top', '--show_bytes', file]);
    expect(r.stderr).toBe(`Using local file ${file}.\n`);
    expect(r.stdout).toBe(['Total: 150 B', '     100  66.7%  66.7%      100  66.7% main.leaf', '      50  33.3% 100.0%      150 100.0% main.caller', ''].join('\n'));
    const lines = await runCli(['top', '--show_bytes', '--lines', file]);
    expect(lines.stdout).toMatch(/^ +100 .* main\.leaf x\.go:7$/m);
  });

  it('does not mix dumps and pprof files', async () => {
    const r = await runCli(['top', 'app', 'jeprof.7069.8.f.heap', pb], { cwd: SEED });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`jeprof-ts: ${pb} is a pprof profile and jeprof.7069.8.f.heap a jemalloc dump: they cannot be mixed in one run (convert the dumps with \`jeprof-ts proto\` first) (see 'jeprof-ts top --help')\n`);
  });

  it('names the PCs of an addresses-only profile from binaries found by build id under $PPROF_BINARY_PATH', async () => {
    // jemalloc_pprof's shape: mappings with build ids, PCs with no lines, no functions. The
    // program's path in the file leads nowhere: only its build id finds it.
    const msg = decodePprof(readFileSync(pb), pb);
    for (const l of msg.location) l.line = [];
    msg.function = [];
    // Not jeprof-ts's own any more: its names would be taken as final.
    msg.jeprofKind = 0n;
    for (const m of msg.mapping) m.hasFunctions = m.hasFilenames = m.hasLineNumbers = m.hasInlineFrames = false;
    const app = msg.mapping[0];
    const appName = msg.stringTable[Number(app.filename)];
    expect(appName).toBe(join(SEED, 'app'));
    app.filename = BigInt(msg.stringTable.push('/srv/gone/app') - 1);
    const stripped = join(dir, 'addresses.pb.gz');
    writeFileSync(stripped, encodePprof(msg));
    const id = readElfInfo(join(SEED, 'app'))!.buildId!;
    const binaries = join(dir, 'binaries');
    mkdirSync(join(binaries, id), { recursive: true });
    copyFileSync(join(SEED, 'app'), join(binaries, id, 'app'));
    const want = await runCli(['top', 'app', 'jeprof.7069.8.f.heap'], { cwd: SEED });
    const got = await runCli(['top', '--no-cache', stripped], { env: { PPROF_BINARY_PATH: binaries } });
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toBe(want.stdout);
    // Without the search path the program's PCs stay numbers, and the run says why.
    const lost = await runCli(['top', '--no-cache', stripped], { env: { PPROF_BINARY_PATH: join(dir, 'none') } });
    expect(lost.stderr).toMatch(`warning: /srv/gone/app (build id ${id}): no local copy found`);
    expect(lost.stdout).not.toMatch(/add_to_map/);
  });

  it('looks where pprof looks: build id folders, .build-id, the base name, the path', () => {
    expect(binaryCandidates({ file: '/usr/lib/libx.so', buildId: 'abcdef12' }, ['/b'], (p) => `/mapped${p}`)).toEqual([
      '/b/abcdef12/libx.so', '/b/abcdef12', '/b/.build-id/ab/cdef12', '/b/.build-id/ab/cdef12.debug', '/b/ab/cdef12.debug', '/b/libx.so', '/b/usr/lib/libx.so', '/mapped/usr/lib/libx.so',
    ]);
  });

  it('refuses to write the binary profile to a terminal, in one line (exit 1)', async () => {
    let stderr = '';
    let stdout = '';
    const code = await main(['proto', 'app', 'jeprof.7069.8.f.heap'], {
      stdout: (t) => void (stdout += String(t)),
      stderr: (t) => void (stderr += t),
      env: process.env,
      cwd: SEED,
      stdoutIsTTY: true,
      stdin: Readable.from(['']),
      stdinIsTTY: false,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n').filter((l) => l.startsWith('jeprof-ts:'))).toEqual(["jeprof-ts: --proto writes binary data: give -o FILE (e.g. -o heap.pb.gz) or redirect stdout (see 'jeprof-ts proto --help')"]);
  });
});
