// Splits the CLI bundle at its dynamic imports: the code that only some commands run (pprof,
// record, doctor, the shell, execa...) goes to chunk files beside dist/bundle/main.cjs, loaded by
// src/cli/start.ts when a command first imports it, so every run stops reading and deserialising
// it. esbuild's CommonJS output has no code splitting, so this plans the chunks from a metafile
// and gives each build a plugin that turns imports across a chunk boundary into `require`s of
// names start.ts resolves:
//   jeprof-chunk:<chunk>#<module>  the module's namespace, from that chunk's file (loaded once)
//   jeprof-shared:<module>         a module the main bundle holds, from its __shared table
// Modules are named by their path from the repository root, as esbuild's metafile names them.
import { build } from 'esbuild';

const CHUNK = 'jeprof-chunk:';
const SHARED = 'jeprof-shared:';
/** A module this small (compiled) costs every run less than a chunk merged for it costs its commands. */
const SMALL_SHARED_BYTES = 2048;

/** Every module reachable from `entry` (static and dynamic imports), with its imports and format. */
export async function moduleGraph(options, entry) {
  const r = await build({ ...options, entryPoints: [entry], write: false, outfile: 'graph.cjs', metafile: true, logLevel: 'silent' });
  return r.metafile.inputs;
}

/** The modules reachable from `roots` through imports other than dynamic ones. */
function staticClosure(inputs, roots) {
  const seen = new Set();
  const todo = [...roots];
  while (todo.length > 0) {
    const m = todo.pop();
    if (seen.has(m) || !(m in inputs)) continue;
    seen.add(m);
    for (const i of inputs[m].imports) if (i.kind !== 'dynamic-import' && !i.external) todo.push(i.path);
  }
  return seen;
}

/**
 * The plan: main's modules (what `entry` imports statically), and chunks, each the modules only
 * dynamic imports reach. A dynamic import's target and what it alone needs is a chunk; targets
 * whose needs overlap share one chunk, so no module is ever run twice (twice would mean two
 * copies of its classes and its state). `shared` lists main's modules that chunks import.
 */
export function planChunks(inputs, entry) {
  const main = staticClosure(inputs, [entry]);
  const targets = new Set();
  for (const m of Object.keys(inputs)) for (const i of inputs[m].imports) if (i.kind === 'dynamic-import' && !i.external && !main.has(i.path)) targets.add(i.path);
  const closures = [...targets].sort().map((t) => ({ t, all: staticClosure(inputs, [t]) }));
  // A small module of ours that imports nothing outside main and that several targets need goes to main:
  // one string table shared by the HTML report and pprof must not make them one chunk.
  const needs = new Map();
  for (const { all } of closures) for (const m of all) if (!main.has(m)) needs.set(m, (needs.get(m) ?? 0) + 1);
  for (const [m, n] of needs) {
    if (n > 1 && !m.startsWith('node_modules/') && inputs[m].bytes <= SMALL_SHARED_BYTES && inputs[m].imports.every((i) => i.external || i.kind === 'dynamic-import' || main.has(i.path))) main.add(m);
  }
  // Targets whose closures (less main) overlap are merged, until no two chunks share a module.
  let chunks = closures.map(({ t, all }) => ({ entries: [t], modules: new Set([...all].filter((m) => !main.has(m))) }));
  for (let merged = true; merged; ) {
    merged = false;
    for (let a = 0; a < chunks.length && !merged; a++) {
      for (let b = a + 1; b < chunks.length && !merged; b++) {
        if (![...chunks[b].modules].some((m) => chunks[a].modules.has(m))) continue;
        chunks[a] = { entries: [...chunks[a].entries, ...chunks[b].entries], modules: new Set([...chunks[a].modules, ...chunks[b].modules]) };
        chunks = chunks.filter((_, i) => i !== b);
        merged = true;
      }
    }
  }
  // A target that went to main (a small shared module) leaves a chunk of nothing: no file for it.
  // Named after the entry that brings the most modules (record-run, not the colour helper that
  // merged with it): the file's name then says what it mostly holds.
  const own = new Map(closures.map(({ t, all }) => [t, [...all].filter((m) => !main.has(m)).length]));
  const biggest = (entries) => [...entries].sort((a, b) => (own.get(b) ?? 0) - (own.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))[0];
  const named = chunks.filter((c) => c.modules.size > 0).map((c) => ({ ...c, name: chunkName(biggest(c.entries)) }));
  const names = named.map((c) => c.name);
  if (new Set([...names, 'main', 'start']).size !== names.length + 2) throw new Error(`bundle: two chunks, or a chunk and main or start, have one name: ${names.join(', ')}`);
  const chunkOf = new Map();
  for (const c of named) for (const m of c.modules) chunkOf.set(m, c.name);
  const shared = new Set();
  for (const c of named) for (const m of c.modules) for (const i of inputs[m].imports) if (main.has(i.path)) shared.add(i.path);
  return { main, chunks: named, chunkOf, shared: [...shared].sort(), inputs };
}

/** A chunk's file name from its first entry: dist/cli/pprof-load.js -> pprof-load, node_modules/execa/index.js -> execa. */
function chunkName(entry) {
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(entry);
  return (pkg ? pkg[1] : entry.replace(/^.*\//, '').replace(/\.js$/, '')).replace(/[^a-z0-9]+/gi, '-');
}

/** Source of main's entry: the CLI's exports plus __shared, the namespace of each module chunks import. */
export function mainEntry(plan, entry) {
  const lines = [`export * from './${entry}';`];
  const fields = plan.shared.map((m, i) => {
    // A CommonJS module is shared as its module.exports, which is what its importers require.
    if (plan.inputs[m].format === 'cjs') return `  ${JSON.stringify(m)}: require('./${m}'),`;
    lines.push(`import * as shared${i} from './${m}';`);
    return `  ${JSON.stringify(m)}: shared${i},`;
  });
  return [...lines, 'export const __shared = {', ...fields, '};', ''].join('\n');
}

/** Source of a chunk's entry: __entries, the namespace of each module imported dynamically from outside it. */
export function chunkEntry(chunk) {
  const lines = chunk.entries.map((m, i) => `import * as entry${i} from './${m}';`);
  return [...lines, 'export const __entries = {', ...chunk.entries.map((m, i) => `  ${JSON.stringify(m)}: entry${i},`), '};', ''].join('\n');
}

/**
 * The plugin for one output (`own`: the chunk's name, or undefined for main): an import of a
 * module held elsewhere becomes a `require` of its jeprof-chunk: or jeprof-shared: name.
 */
export function splitPlugin(plan, own, root) {
  return {
    name: 'split-chunks',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.splitting || args.kind === 'entry-point') return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { splitting: true } });
        if (r.errors.length > 0 || r.external || !r.path.startsWith(root + '/')) return undefined;
        const m = r.path.slice(root.length + 1);
        const chunk = plan.chunkOf.get(m);
        if (own !== undefined && plan.main.has(m)) return { path: SHARED + m, external: true };
        if (chunk !== undefined && chunk !== own) {
          if (args.kind !== 'dynamic-import') throw new Error(`bundle: ${args.importer} imports ${m} of chunk ${chunk} statically`);
          return { path: `${CHUNK}${chunk}#${m}`, external: true };
        }
        return undefined;
      });
    },
  };
}

/** Builds main and its chunks into `dir`: main.cjs and <chunk>.cjs. Returns the plan. */
export async function buildSplit(options, entry, dir, root, mainPlugins = []) {
  const plan = planChunks(await moduleGraph(options, entry), entry);
  // Dynamic imports of chunks become require() (start.ts gives chunks no import() of their own).
  const split = { ...options, supported: { 'dynamic-import': false } };
  await build({
    ...split,
    stdin: { contents: mainEntry(plan, entry), resolveDir: root, sourcefile: 'main-entry.js', loader: 'js' },
    outfile: `${dir}/main.cjs`,
    plugins: [splitPlugin(plan, undefined, root), ...mainPlugins],
  });
  for (const c of plan.chunks) {
    await build({
      ...split,
      stdin: { contents: chunkEntry(c), resolveDir: root, sourcefile: `${c.name}-entry.js`, loader: 'js' },
      outfile: `${dir}/${c.name}.cjs`,
      plugins: [splitPlugin(plan, c.name, root)],
    });
  }
  return plan;
}
