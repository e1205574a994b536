// `check`, the CI gate, on a real leaking series (seed-leak i0..i7): exit 4 for a limit just
// below the real growth and 0 just above, greppable lines, valid GitHub annotations, the JSON
// verdict against its schema, and usage errors apart from limits (1) and bad dumps (2).
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { installCase, OPT_ROOT } from '../helpers/corpus.js';
import { assertSchema } from '../helpers/schemas.js';

const SEED = `${OPT_ROOT}/seed-leak`;
const DUMPS = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `jeprof.7069.${i}.i${i}.heap`);
const RANGE = `(${DUMPS[0]} -> ${DUMPS[7]})`;
const check = (args: string[]) => runCli(['check', ...args, 'app', ...DUMPS], { cwd: SEED });
const LINE = /^(PASS|FAIL) (growth|total|growth of \/.+\/) -?[\d.]+ (B|KiB|MiB|GiB|objects)( objects)? (<=|>) [\d.]+ (B|KiB|MiB|GiB|objects) \(.+\)$/;

/** The series' real numbers, from trend (whose values the json-vs-jeprof tests hold to jeprof's). */
let growth = 0;
let total = 0;
let leakSome = 0;
beforeAll(async () => {
  installCase('seed-leak');
  const doc = JSON.parse((await runCli(['trend', '--json', 'app', ...DUMPS], { cwd: SEED })).stdout);
  growth = doc.total.growth;
  total = doc.total.last;
  leakSome = doc.rows.find((r: { name: string }) => r.name === 'leak_some').growth;
  // 1.5 MiB of leak over 8 dumps: a limit on either side of it means something.
  expect(growth).toBeGreaterThan(1_500_000);
});

describe('check limits', () => {
  it('--max-growth one byte below the real growth fails (exit 4), one above passes (exit 0)', async () => {
    const below = await check([`--max-growth=${Math.floor(growth) - 1}`]);
    expect(below.code).toBe(4);
    expect(below.stdout.split('\n')[0]).toBe(`FAIL growth 1.5 MiB > 1.5 MiB ${RANGE}`);
    const above = await check([`--max-growth=${Math.ceil(growth) + 1}`]);
    expect(above.code).toBe(0);
    expect(above.stdout).toBe(`PASS growth 1.5 MiB <= 1.5 MiB ${RANGE}\n`);
  });

  it('a failed limit lists the rows that grew most, biggest first, tab-separated', async () => {
    const r = await check(['--max-growth=1M']);
    expect(r.code).toBe(4);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`FAIL growth 1.5 MiB > 1.0 MiB ${RANGE}`);
    expect(lines.slice(1)).toEqual([
      '  +1.1 MiB\tstd::_Rb_tree::_M_emplace_hint_unique',
      '  +192 KiB\tleak_some',
      '  +112 KiB\tstd::__cxx11::basic_string::_M_mutate',
      '  +104 KiB\tstd::vector::_M_realloc_insert',
    ]);
  });

  it('--max-total and --max-growth-of, each its own line, every line greppable', async () => {
    const r = await check([`--max-total=${Math.ceil(total)}`, `--max-growth-of=leak_some=${Math.floor(leakSome) - 1}`, '--max-growth-of=^registry$=0', '--max-growth=2M']);
    expect(r.code).toBe(4);
    const verdicts = r.stdout.split('\n').filter((l) => /^(PASS|FAIL) /.test(l));
    expect(verdicts).toEqual([
      `PASS growth 1.5 MiB <= 2.0 MiB ${RANGE}`,
      `PASS total 1.8 MiB <= 1.8 MiB (${DUMPS[7]})`,
      `FAIL growth of /leak_some/ 192 KiB > 192 KiB ${RANGE}`,
      `PASS growth of /^registry$/ 0 B <= 0 B ${RANGE}`,
    ]);
    for (const l of verdicts) expect(l).toMatch(LINE);
    expect(r.stdout).toContain('  +192 KiB\tleak_some\n');
  });

  it('--max-total one byte below the last dump fails', async () => {
    expect((await check([`--max-total=${Math.floor(total) - 1}`])).code).toBe(4);
  });

  it('SIZE takes K, M, G (1024s) and counts with --inuse_objects', async () => {
    expect((await check([`--max-growth=${Math.ceil(growth / 1024)}K`])).code).toBe(0);
    expect((await check([`--max-growth=${Math.floor(growth / 1024) - 1}K`])).code).toBe(4);
    const objects = JSON.parse((await runCli(['trend', '--json', '--inuse_objects', 'app', ...DUMPS], { cwd: SEED })).stdout).total.growth;
    const r = await check(['--inuse_objects', `--max-growth=${Math.floor(objects) - 1}`]);
    expect(r.code).toBe(4);
    expect(r.stdout.split('\n')[0]).toMatch(/^FAIL growth [\d,]+ objects > [\d,]+ objects /);
  });

  it('--base compares one profile with it', async () => {
    const r = await runCli(['check', '--max-growth=1M', `--base=${DUMPS[0]}`, 'app', DUMPS[7]], { cwd: SEED });
    expect(r.code).toBe(4);
    expect(r.stdout.split('\n')[0]).toBe(`FAIL growth 1.5 MiB > 1.0 MiB ${RANGE}`);
  });
});

describe('check output formats', () => {
  it('--format=github: the lines, then one ::error workflow command per failed limit, on one line', async () => {
    const r = await check(['--format=github', '--max-growth=1M', '--max-growth-of=leak_some=1G']);
    expect(r.code).toBe(4);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(1);
    // ::error <properties>::<message>: properties key=value split by commas, message escaped (% CR LF).
    const m = /^::error title=([^,:]*)::(.*)$/.exec(annotations[0])!;
    expect(m, annotations[0]).not.toBeNull();
    expect(m[1]).toBe('jeprof-ts check');
    expect(m[2]).not.toMatch(/[\r\n]/);
    expect(m[2]).not.toMatch(/%(?!25|0A|0D)/);
    const message = m[2].replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
    expect(message.split('\n')[0]).toBe(`growth 1.5 MiB > 1.0 MiB ${RANGE}`);
    expect(message).toContain('+1.1 MiB std::_Rb_tree::_M_emplace_hint_unique');
    expect(r.stdout).toContain('PASS growth of /leak_some/');
  });

  it('--json: the verdict as one document valid against check-1', async () => {
    const r = await check(['--json', `--max-growth=${Math.floor(growth) - 1}`, '--max-growth-of=leak=1G']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    assertSchema('check-1', doc);
    expect(doc.pass).toBe(false);
    expect(doc.from).toBe(DUMPS[0]);
    expect(doc.to).toBe(DUMPS[7]);
    expect(doc.results.map((x: { kind: string; pass: boolean; measured: number }) => [x.kind, x.pass, x.measured])).toEqual([
      ['growth', false, growth],
      ['growth-of', true, expect.any(Number)],
    ]);
    expect(doc.results[0].top[0]).toEqual({ name: 'std::_Rb_tree::_M_emplace_hint_unique', growth: 1277952 - 98304 });
    const pass = JSON.parse((await check(['--json', '--max-growth=1G'])).stdout);
    assertSchema('check-1', pass);
    expect(pass.pass).toBe(true);
  });
});

describe('check usage errors: exit 1, one line, told apart from a leak', () => {
  it.each([
    [[], 'check needs a limit: --max-growth, --max-total or --max-growth-of'],
    [['--max-growth=lots'], '--max-growth=lots: not a size (bytes, or a number with K, M or G: 10M)'],
    [['--max-growth-of=leak'], '--max-growth-of=leak: expected REGEXP=SIZE'],
    [['--max-growth-of=(=1M'], '--max-growth-of=(=1M: not a valid regular expression (Invalid regular expression: /(/: Unterminated group)'],
    [['--max-growth=1M', '--format=xml'], '--format=xml: use text or github'],
  ])('%j', async (args, message) => {
    const r = await check(args as string[]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`jeprof-ts: ${message} (see 'jeprof-ts check --help')\n`);
  });

  it('one dump without --base is a usage error; a damaged dump is exit 2', async () => {
    expect((await runCli(['check', '--max-growth=1M', 'app', DUMPS[0]], { cwd: SEED })).code).toBe(1);
    const r = await runCli(['check', '--max-growth=1M', 'app', DUMPS[0], 'app'], { cwd: SEED });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
