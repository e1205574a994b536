// The source has no static import cycle: a module's code never runs before a module it imports
// has finished (commands/index.ts -> trend.ts -> analysis-options.ts -> options.ts -> commands/index.ts
// was one, until options.ts took jeprof's mode flags from its caller).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Each module's value imports of other modules (`import type` and dynamic imports run no code at load). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) {
        const text = readFileSync(p, 'utf8');
        const deps = [...text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => resolve(dirname(p), m[1].replace(/\.js$/, '.ts')));
        graph.set(p, deps);
      }
    }
  };
  walk(SRC);
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (n: string) => {
    state.set(n, 1);
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 1) found.push([...stack.slice(stack.indexOf(d)), d].map((p) => relative(SRC, p)));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('src/', () => {
  it('has no static import cycle', () => {
    const graph = importGraph();
    // The walk sees the whole tree: the registry and the CLI's entry are in it.
    expect(graph.has(join(SRC, 'cli/commands/index.ts'))).toBe(true);
    expect(graph.get(join(SRC, 'cli/main.ts'))).toContain(join(SRC, 'cli/commands/index.ts'));
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/c.ts']],
      ['/c.ts', ['/a.ts']],
    ]);
    expect(cycles(g).length).toBe(1);
  });
});
