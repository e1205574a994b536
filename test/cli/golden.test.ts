// CLI goldens: one .md file per invocation under test/cli/golden/ (command, exit code, stdout, stderr).
//
// These snapshots hold jeprof-ts's OWN texts only: --help, --version, usage errors, bad-input
// errors and warnings, the cache command. The project's rule is that golden files come from the
// real jeprof, never from our own output, so a report in jeprof's spelling is never stored here:
// for those commands the test runs /usr/bin/jeprof with the same argv and compares stdout with its
// bytes (and that both succeed or both fail); the .md then only says it did. Refresh with
// `npx vitest run test/cli/golden.test.ts -u` and review the diff like code.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Captured } from '../helpers/capture.js';
import { needTool } from '../helpers/need.js';
import { tempDir } from '../helpers/temp-dir.js';
import { contractViolations, rawControl } from '../reliability/contract.js';
import { ROOT } from '../reliability/mutations.js';
import { COMMANDS } from '../../src/cli/commands/index.js';

interface GoldenCase {
  /** The golden file: test/cli/golden/<name>.md. */
  name: string;
  /** argv after `jeprof-ts`; `$TMP` stands for this run's temp folder. Fixture paths are relative to the repo (the cwd). */
  args: string[];
  /** Extra environment, shown before the command. */
  env?: Record<string, string>;
  /** jeprof's spelling: /usr/bin/jeprof gets the same argv, its stdout must be ours byte for byte, and both fail or neither. */
  jeprof?: boolean;
}

// Every command of the registry has its --help held here: a new command cannot come without one.
const SUBCOMMANDS = COMMANDS.map((c) => c.name);
const TINY = 'fixtures/bin/tiny';
const TWO = 'fixtures/heap/two-stacks.heap';
const EDGE_APP = 'fixtures/corpus/edge-cases/app';
const EDGES = 'fixtures/corpus/edge-cases/edges';

const CASES: GoldenCase[] = [
  { name: 'help', args: ['--help'] },
  { name: 'version', args: ['--version'] },
  ...SUBCOMMANDS.map((sub) => ({ name: `help-${sub}`, args: [sub, '--help'] })),

  // Usage errors (exit 1, one line). jeprof fails on each of the jeprof-spelled ones too.
  { name: 'usage-unknown-option', args: ['--bogus', TINY, TWO], jeprof: true },
  { name: 'usage-ambiguous-prefix', args: ['--in', TINY, TWO], jeprof: true },
  { name: 'usage-two-modes', args: ['--text', '--dot', TINY, TWO], jeprof: true },
  { name: 'usage-missing-program', args: [], jeprof: true },
  { name: 'usage-missing-program-subcommand', args: ['top'] },
  { name: 'usage-missing-profile', args: ['--text', TINY], jeprof: true },
  { name: 'usage-program-is-directory', args: ['--text', 'fixtures', TWO], jeprof: true },
  { name: 'usage-program-not-found', args: ['--text', 'fixtures/bin/no-such-program', TWO] },
  { name: 'usage-profile-not-found', args: ['--text', TINY, 'fixtures/heap/no-such.heap'] },
  { name: 'usage-option-needs-value', args: ['--text', TINY, TWO, '--base'], jeprof: true },
  { name: 'usage-flag-with-value', args: ['--cum=1', TINY, TWO], jeprof: true },
  { name: 'usage-not-a-number', args: ['--dot', '--nodecount=many', TINY, TWO], jeprof: true },
  { name: 'usage-list-without-regexp', args: ['list'] },
  { name: 'usage-check-without-limit', args: ['check', TINY, TWO, TWO] },
  { name: 'usage-trend-without-dumps', args: ['trend'] },
  { name: 'usage-cache-unknown-action', args: ['cache', 'bogus'], env: { JEPROF_TS_CACHE: '$TMP/cache-none' } },
  { name: 'usage-cache-unknown-option', args: ['cache', '--bogus'], env: { JEPROF_TS_CACHE: '$TMP/cache-none' } },
  { name: 'usage-cache-did-you-mean', args: ['cache', '--json=3'], env: { JEPROF_TS_CACHE: '$TMP/cache-none' } },
  // An escape sequence typed (or pasted) as an option must not reach the terminal raw.
  { name: 'usage-cache-control-characters', args: ['cache', '--\x1b]0;title\x07'], env: { JEPROF_TS_CACHE: '$TMP/cache-none' } },
  { name: 'usage-cache-size-not-a-size', args: ['--text', TINY, TWO], env: { JEPROF_TS_CACHE: '$TMP/cache-none', JEPROF_TS_CACHE_SIZE: 'lots' } },

  // Bad input: exit 2 and one line naming the file, after jeprof's `Using local file` lines.
  { name: 'bad-input-empty-file', args: ['--text', EDGE_APP, `${EDGES}/empty.heap`], jeprof: true },
  { name: 'bad-input-binary-file', args: ['--text', EDGE_APP, `${EDGES}/binary-elf.bin`], jeprof: true },
  { name: 'bad-input-not-a-profile', args: ['--text', EDGE_APP, `${EDGES}/not-a-profile.txt`], jeprof: true },
  // seed-leak's final dump cut 8 bytes in, inside its header line `heap_v2/1`.
  { name: 'bad-input-truncated-in-header', args: ['--text', EDGE_APP, '$TMP/truncated.heap'], jeprof: true },
  // A dump cut later is still a report, as jeprof prints it; jeprof-ts adds its warnings.
  { name: 'bad-input-truncated-mid-stack', args: ['--text', EDGE_APP, `${EDGES}/truncated-mid-stack.heap`], jeprof: true },

  // The symbol cache command, on folders of this run.
  { name: 'cache-empty', args: ['cache'], env: { JEPROF_TS_CACHE: '$TMP/cache-none' } },
  { name: 'cache-empty-json', args: ['cache', '--json'], env: { JEPROF_TS_CACHE: '$TMP/cache-none' } },
  { name: 'cache-clear-empty', args: ['cache', 'clear'], env: { JEPROF_TS_CACHE: '$TMP/cache-none' } },
  { name: 'cache-default-place', args: ['cache'], env: { JEPROF_TS_CACHE: '', XDG_CACHE_HOME: '$TMP/xdg' } },
  { name: 'cache-size-set', args: ['cache'], env: { JEPROF_TS_CACHE: '$TMP/cache-none', JEPROF_TS_CACHE_SIZE: '500M' } },
  { name: 'cache-not-a-folder', args: ['cache'], env: { JEPROF_TS_CACHE: '$TMP/cache-file' } },
];

let tmp = '';
const expand = (s: string) => s.replaceAll('$TMP', tmp);
const scrub = (s: string) => s.replaceAll(tmp, '$TMP');

beforeAll(() => {
  tmp = tempDir('jeprof-ts-golden-');
  writeFileSync(join(tmp, 'truncated.heap'), readFileSync(join(ROOT, 'fixtures/corpus/seed-leak/jeprof.7069.8.f.heap')).subarray(0, 8));
  writeFileSync(join(tmp, 'cache-file'), 'not a folder\n');
  // Commander wraps help to the terminal's width when stdout is one; the goldens are at its
  // default of 80 columns, as any piped run prints them.
  if (process.stdout.isTTY) process.stdout.isTTY = false;
});

function runJeprof(args: string[]): { code: number | null; stdout: string } {
  const r = spawnSync('/usr/bin/jeprof', args, { cwd: ROOT, encoding: 'latin1', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout ?? '' };
}

const fence = (text: string) => ['```text', text.endsWith('\n') ? text.slice(0, -1) : text + '\n(no newline at the end)', '```'];

/** A word as a POSIX shell would take it back: bare, in quotes, or as $'...' with \x escapes for control characters. */
function shellWord(w: string): string {
  if (/^[\w/.,=:+@%$-]+$/.test(w)) return w; // $TMP: the placeholder for the temp folder
  if (!/[\x00-\x1f\x7f']/.test(w)) return `'${w}'`;
  return `$'${w.replace(/[\x00-\x1f\x7f'\\]/g, (ch) => '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0'))}'`;
}

/** The golden text of one run: the command as typed, its exit code, stdout and stderr. */
function renderGolden(c: GoldenCase, r: Captured): string {
  const env = Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${shellWord(v)} `);
  const stdout =
    r.stdout === ''
      ? ['(empty)']
      : c.jeprof
        ? [`(${r.stdout.split('\n').length - 1} lines, the same bytes as /usr/bin/jeprof's stdout for this command: compared by the test, not stored, as goldens come from jeprof)`]
        : fence(scrub(r.stdout));
  return [`# ${env.join('')}jeprof-ts ${c.args.map(shellWord).join(' ')}`.trimEnd(), '', `exit code: ${r.code}`, '', '## stdout', '', ...stdout, '', '## stderr', '', ...(r.stderr === '' ? ['(empty)'] : fence(scrub(r.stderr))), ''].join('\n');
}

describe('CLI goldens (jeprof-ts\'s own texts)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, expand(v)]));
    const args = c.args.map(expand);
    const r = await runCli(args, { cwd: ROOT, env });
    if (c.jeprof) {
      needTool('/usr/bin/jeprof', 'libjemalloc-dev');
      const want = runJeprof(args);
      expect(r.stdout, 'stdout is jeprof\'s').toBe(want.stdout);
      expect(r.code === 0, `jeprof exited ${want.code}, jeprof-ts ${r.code}`).toBe(want.code === 0);
    }
    // README's contract: a report, or exit 1 or 2 with ONE `jeprof-ts: ` line after the `Using
    // local file` lines and nothing on stdout; never a stack trace or a raw control character.
    expect(contractViolations(r)).toEqual([]);
    expect(rawControl(r.stderr)).toBeUndefined();
    await expect(renderGolden(c, r)).toMatchFileSnapshot(`golden/${c.name}.md`);
  });
});
