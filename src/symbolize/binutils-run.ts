// Finds and runs GNU nm, addr2line, objdump and c++filt through execa with argument arrays: no
// shell, and every path is made to start with `/` or `./` so a name from a profile can never be read
// as an option. Each run has a time limit; one that fails becomes a problem to report, not a crash.
import { accessSync, closeSync, constants, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropTempDir, makeTempDir } from '../system/temp-files.js';
import { EarlyRuns, killedAfter, toolRunOptions } from './early-runs.js';
// execa is loaded on first use: a run answered from the symbol cache never pays its start-up time.
// Loading it takes tens of milliseconds, so a file that will need a tool starts the load at once
// (warmExeca), while its symbol table is read.
let execaModule: Promise<typeof import('execa')> | undefined;
export const loadExeca = () => (execaModule ??= import('execa')).then((m) => m.execa);
export const warmExeca = () => void loadExeca().catch(() => {});

export type ToolName = 'nm' | 'addr2line' | 'objdump' | 'c++filt';

/** How long one nm, addr2line or objdump run may take before it is killed, by default ($JEPROF_TS_TOOL_TIMEOUT). */
export const TOOL_TIMEOUT_MS = 120_000;

/** Makes a path safe to pass as a file operand (jeprof's `s#^[^/]#./$&#`). */
export function operandPath(path: string): string {
  return path.startsWith('/') ? path : `./${path}`;
}

/**
 * Resolves each tool like jeprof's ConfigureTool: a `tool:path` entry of --tools/JEPROF_TOOLS wins,
 * else the first comma-separated prefix with an executable `prefix+tool`; with no setting, the
 * tool from PATH. Throws when --tools is set and a tool is not found there.
 */
export function resolveTools(tools: string): Record<ToolName, string> {
  const out = {} as Record<ToolName, string>;
  for (const tool of ['nm', 'addr2line', 'objdump', 'c++filt'] as ToolName[]) {
    const esc = tool.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`(,|^)${esc}:([^,]*)`).exec(tools);
    if (m) {
      out[tool] = m[2];
    } else if (tools !== '') {
      const found = tools
        .split(',')
        .filter((p) => !p.includes(':'))
        .map((p) => p + tool)
        .find((p) => isExecutable(p));
      if (!found) throw new Error(`No '${tool}' found with prefix specified by --tools (or $JEPROF_TOOLS) '${tools}'`);
      out[tool] = found;
    } else {
      out[tool] = tool;
    }
  }
  return out;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface RunToolOptions {
  /** The tool's standard input. */
  input?: string | Uint8Array;
  /** A failure is not a problem to report: the caller has another way. */
  quiet?: boolean;
}

export class ToolRunner {
  readonly problems: string[] = [];
  /** Tool runs started before their input was known (see Binutils.prepare). */
  protected readonly early: EarlyRuns;

  constructor(
    protected readonly tools: Record<ToolName, string>,
    /** The tools' working folder: addr2line looks for `.build-id/` debug files there (see debug-search.ts). */
    readonly cwd: string = process.cwd(),
    /** How long one run may take before it is killed (a hung tool costs a warning, not the report). */
    private readonly timeoutMs: number = TOOL_TIMEOUT_MS,
    /** The run's environment, the tools' too (their PATH finds them), with LC_ALL=C for their messages. */
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.env = { ...env, LC_ALL: 'C' };
    this.early = new EarlyRuns(timeoutMs, cwd, this.env);
  }

  private readonly env: NodeJS.ProcessEnv;

  toolPath(tool: ToolName): string {
    return this.tools[tool];
  }

  /** True when `tool args` was started early and waits for its input. */
  startedEarly(tool: ToolName, args: readonly string[]): boolean {
    return this.early.has(this.tools[tool], args);
  }

  /** Runs a tool; undefined when it could not be started (missing) or timed out. */
  async run(tool: ToolName, args: string[], { input, quiet = false }: RunToolOptions = {}): Promise<{ stdout: string; exitCode: number; stderr: string } | undefined> {
    const early = await this.early.give(this.tools[tool], args, input ?? '');
    if (early) return this.outcome(tool, early, quiet);
    // Standard input, output and error all go through files: addr2line flushes after every
    // address, and through a pipe 40,000 addresses are 40,000 chunks for Node's streams, which
    // cost several times the tool's own run; and a tool that leaves a child behind holding a pipe
    // (a wrapper script) would keep the run from ever ending.
    const dir = makeTempDir();
    const fds: number[] = [];
    try {
      writeFileSync(join(dir, 'stdin'), input ?? '');
      fds.push(openSync(join(dir, 'stdin'), 'r'), openSync(join(dir, 'stdout'), 'w'), openSync(join(dir, 'stderr'), 'w'));
      const sub = (await loadExeca())(this.tools[tool], args, {
        ...toolRunOptions(this.cwd, this.env),
        // execa hands a numeric descriptor to the child as it is, making no stream for it (its
        // NoStreamStdioOption), but its option types list only 0, 1 and 2 for these.
        stdin: fds[0] as 0,
        stdout: fds[1] as 1,
        stderr: fds[2] as 2,
      });
      const r = await killedAfter(sub, this.timeoutMs);
      const read = (f: string) => (r.exitCode === undefined ? '' : readFileSync(join(dir, f), 'utf8'));
      return this.outcome(tool, { ...r, stdout: read('stdout'), stderr: read('stderr') }, quiet);
    } catch (e) {
      if (!quiet) this.note(`${this.tools[tool]}: ${(e as Error).message.split('\n')[0]}`);
      return undefined;
    } finally {
      for (const fd of fds) closeSync(fd);
      dropTempDir(dir);
    }
  }

  /** A run's result, or undefined (and a problem noted) when the tool did not start or timed out. */
  private outcome(tool: ToolName, r: { failed: boolean; exitCode?: number; timedOut: boolean; code?: string; shortMessage?: string; stderr: string; stdout: string }, quiet: boolean): { stdout: string; exitCode: number; stderr: string } | undefined {
    if (r.failed && r.exitCode === undefined) {
      const why = r.timedOut ? `timed out after ${this.timeoutMs / 1000} s and was killed ($JEPROF_TS_TOOL_TIMEOUT sets the limit)` : r.code === 'ENOENT' ? 'not found' : (r.shortMessage ?? 'failed');
      if (!quiet) this.note(`${tool === this.tools[tool] ? tool : `${tool} (${this.tools[tool]})`}: ${why}${r.code === 'ENOENT' ? ' (install binutils: apt-get install binutils)' : ''}`);
      return undefined;
    }
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 1 };
  }

  note(problem: string): void {
    if (!this.problems.includes(problem)) this.problems.push(problem);
  }

  /** Tools that failed a run, for addr2lineBroken(). */
  private readonly failed = new Set<ToolName>();

  /** A run of `tool` on `file` that failed or was cut short after `answered` of `asked` answers. */
  failedRun(tool: ToolName, file: string, r: { exitCode: number; stderr: string }, answered: number, asked: number): void {
    this.failed.add(tool);
    const why = r.exitCode !== 0 ? `exited with status ${r.exitCode}` : 'printed output that is not its answers';
    const said = r.stderr.trim().split('\n')[0];
    this.note(`${tool} (${this.tools[tool]}) ${why} on ${file} after ${answered} of ${asked} addresses${said ? ` (${said.slice(0, 120)})` : ''}: the rest are named from its symbol table alone, without file:line`);
  }

  private broken?: Promise<boolean>;

  /** After a failed addr2line run, whether `addr2line --help` fails too (jeprof's test of whether it is installed). */
  addr2lineBroken(): Promise<boolean> {
    if (!this.failed.has('addr2line')) return Promise.resolve(false);
    this.broken ??= this.run('addr2line', ['--help'], { quiet: true }).then((r) => {
      const broken = !r || r.exitCode !== 0;
      if (broken) this.note(`addr2line (${this.tools.addr2line}) fails \`--help\` too: as jeprof does then, every name comes from the symbol tables alone, without file:line or inline frames`);
      return broken;
    });
    return this.broken;
  }
}
