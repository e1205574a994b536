// Inputs for the HTML report (HtmlReportInput, src/report/html/types.ts) made without a profile:
// a small hand-made server (scripts/html-demo.mjs, the tests' screenshots) and a large synthetic
// profile shaped like the bench's (24,000 stacks up to 40 deep over 5,000 long C++ names).

const MiB = 1048576;
const KiB = 1024;

/**
 * The `top` report's rows for `stacks`: allocator frames trimmed, flat to the innermost kept
 * frame, cum once per stack per name, by flat descending then name, zero rows left out (jeprof's order).
 * @param {{ frames: string[], value: number, allocatorDepth: number }[][]} series stacks to add, or to subtract after the first
 */
export function topRows(...series) {
  const flat = new Map();
  const cum = new Map();
  series.forEach((stacks, s) => {
    const sign = s === 0 ? 1 : -1;
    for (const st of stacks) {
      const kept = st.frames.slice(0, st.frames.length - st.allocatorDepth);
      if (kept.length === 0) continue;
      const leaf = kept[kept.length - 1];
      flat.set(leaf, (flat.get(leaf) ?? 0) + sign * st.value);
      for (const name of new Set(kept)) cum.set(name, (cum.get(name) ?? 0) + sign * st.value);
    }
  });
  return [...cum.keys()]
    .map((name) => ({ name, flat: flat.get(name) ?? 0, cum: cum.get(name) ?? 0 }))
    .filter((r) => r.flat !== 0 || r.cum !== 0)
    .sort((a, b) => b.flat - a.flat || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const sum = (stacks) => stacks.reduce((t, s) => t + s.value, 0);

const START = ['__libc_start_call_main', 'main'];
const THREAD = ['start_thread', 'Worker::loop()'];
const NEW = ['operator new(unsigned long)', 'malloc'];

/** [current, base] values per path of the demo server, in bytes. */
const DEMO = [
  [[...START, 'Server::run()', 'Server::handle_request(Request const&)', 'Cache::insert(Key const&, Value&&)', 'std::unordered_map<Key, Value, KeyHash>::emplace<Key const&, Value>(Key const&, Value&&)', ...NEW], 5 * MiB, 1 * MiB, 2],
  [[...START, 'Server::run()', 'Server::handle_request(Request const&)', 'JsonParser::parse(std::basic_string_view<char, std::char_traits<char> >)', 'std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_create(unsigned long&, unsigned long)', ...NEW], 3 * MiB, 3 * MiB, 2],
  [[...START, 'Server::run()', 'Server::handle_request(Request const&)', 'Session::Session(int)', 'std::vector<char, std::allocator<char> >::reserve(unsigned long)', ...NEW], 1 * MiB, 2 * MiB, 2],
  [[...START, 'Server::run()', 'Server::accept()', 'Session::Session(int)', 'std::vector<char, std::allocator<char> >::reserve(unsigned long)', ...NEW], 256 * KiB, 256 * KiB, 2],
  [[...START, 'Config::load(char const*)', 'YAML::Node::Node(YAML::Node const&)', ...NEW], 256 * KiB, 256 * KiB, 2],
  [[...START, 'ThreadPool::ThreadPool(unsigned int)', 'pthread_create', 'calloc'], 512 * KiB, 512 * KiB, 1],
  [[...THREAD, 'Compressor::compress(Buffer const&)', 'ZSTD_createCCtx', 'malloc'], 768 * KiB, 0, 1],
  [[...THREAD, 'LegacyBuffer::grow(unsigned long)', 'realloc'], 0, 1536 * KiB, 1],
  [[...START, 'Server::run()', '0x00007f3a1c2b4e10', 'malloc'], 64 * KiB, 64 * KiB, 1],
];

/** The demo's current (col 1) or base (col 2) stacks. */
const stacksOf = (col) => DEMO.filter((d) => d[col] > 0).map((d) => ({ frames: d[0], value: d[col], allocatorDepth: d[3] }));

/**
 * A hand-made report of a small server: a cache that leaks, a parser that holds steady, sessions
 * that shrank, a compressor that is new and a buffer that went away, over six dumps.
 * With `base`, `top` and `total` are the current profile minus the base, as `top --base` prints them.
 * @param {{ base?: boolean, trend?: boolean }} [o]
 */
export function demoInput(o = {}) {
  const cur = stacksOf(1);
  const base = stacksOf(2);
  const dumps = [0, 1, 2, 3, 4, 5].map((i) => `jeprof.4242.${i}.i${i}.heap`);
  const file = dumps[5];
  /** @type {any} */
  const input = {
    program: '/srv/app/bin/server',
    sampleType: 'inuse_space',
    unit: 'bytes',
    samplingRate: 512 * KiB,
    dumps: [{ file, pid: 4242, seq: 5, mtime: '2026-12-03T09:15:00.000Z', total: sum(cur) }],
    total: o.base ? sum(cur) - sum(base) : sum(cur),
    naming: { unnamed: 64 * KiB, reasons: [{ file: '/usr/lib/x86_64-linux-gnu/libplugin.so', value: 64 * KiB, why: 'stripped, and no debug file found under /usr/lib/debug' }] },
    top: o.base ? topRows(cur, base) : topRows(cur),
    stacks: cur,
  };
  if (o.base) input.base = { file: dumps[0], stacks: base };
  if (o.trend) {
    const cache = [1, 1.8, 2.6, 3.4, 4.2, 5].map((m) => Math.round(m * MiB));
    const parse = [3, 3.1, 2.9, 3, 3.05, 3].map((m) => Math.round(m * MiB));
    const session = [2, 1.8, 1.6, 1.4, 1.2, 1].map((m) => Math.round(m * MiB));
    const compress = [0, 0, 0.25, 0.5, 0.75, 0.75].map((m) => Math.round(m * MiB));
    const row = (name, values) => {
      const n = values.length;
      const mean = (n - 1) / 2;
      const avg = values.reduce((a, b) => a + b, 0) / n;
      let num = 0;
      let den = 0;
      values.forEach((v, i) => ((num += (i - mean) * (v - avg)), (den += (i - mean) ** 2)));
      let grew = 0;
      for (let i = 1; i < n; i++) if (values[i] > values[i - 1]) grew++;
      return { name, values, first: values[0], last: values[n - 1], growth: values[n - 1] - values[0], slope: num / den, steady: grew / (n - 1) };
    };
    const rows = [
      row('Cache::insert(Key const&, Value&&)', cache),
      row('Compressor::compress(Buffer const&)', compress),
      row('JsonParser::parse(std::basic_string_view<char, std::char_traits<char> >)', parse),
      row('Session::Session(int)', session),
    ];
    const other = 2 * MiB;
    input.trend = { labels: dumps, totals: dumps.map((_, i) => other + rows.reduce((t, r) => t + r.values[i], 0)), rows };
  }
  return input;
}

/** A small deterministic generator (mulberry32), so every run makes the same profile. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A C++ name of about 100 characters, like a template-heavy program's. */
function cxxName(i, rnd) {
  const ns = ['storage', 'net', 'query', 'index', 'rpc', 'cache', 'codec', 'exec'][i % 8];
  const kinds = ['Builder', 'Reader', 'Writer', 'Planner', 'Pool', 'Table', 'Handler', 'Arena'];
  const k = kinds[Math.floor(rnd() * kinds.length)];
  return `${ns}::detail::${k}${i}<std::unordered_map<std::string, std::vector<Item${i % 97}>>>::step${i % 13}(Context&, unsigned long)`;
}

/**
 * The bench's large profile in HtmlReportInput form: `stacks` stacks between 5 and `maxDepth`
 * frames over `names` function names. As in a real program, each function calls a few others
 * (one of them mostly), and a stack is a walk down that call graph from main, so stacks share
 * their callers as real ones do. Each ends in one or two allocator frames; values from 1 B to
 * 1 MiB. With `base`, a base profile with the same paths, values changed by up to a factor of
 * two and one stack in ten absent from either side; with `trendDumps`, a series of that many
 * dumps in which the top 50 functions grow.
 * @param {{ stacks?: number, maxDepth?: number, names?: number, base?: boolean, trendDumps?: number, seed?: number }} [o]
 */
export function syntheticInput(o = {}) {
  const n = o.stacks ?? 24000;
  const maxDepth = o.maxDepth ?? 40;
  const rnd = random(o.seed ?? 42);
  const names = Array.from({ length: o.names ?? 5000 }, (_, i) => cxxName(i, rnd));
  const callees = names.map(() => Array.from({ length: 2 + Math.floor(rnd() * 6) }, () => Math.floor(rnd() * names.length)));
  const stacks = [];
  for (let i = 0; i < n; i++) {
    const depth = 5 + Math.floor(rnd() * (maxDepth - 4));
    const frames = ['__libc_start_call_main', 'main'];
    let f = Math.floor(rnd() ** 3 * 20);
    while (frames.length < depth - 2) {
      frames.push(names[f]);
      const next = callees[f];
      f = next[Math.floor(rnd() ** 2 * next.length)];
    }
    const alloc = rnd() < 0.7 ? NEW : ['malloc'];
    frames.push(...alloc);
    stacks.push({ frames, value: Math.floor(2 ** (rnd() * 20)), allocatorDepth: alloc.length });
  }
  const base = o.base ? stacks.map((s) => ({ ...s, value: rnd() < 0.1 ? 0 : Math.floor(s.value * (0.5 + rnd())) })).filter((s) => s.value > 0) : [];
  const cur = o.base ? stacks.filter(() => rnd() >= 0.1) : stacks;
  const total = sum(cur);
  /** @type {any} */
  const input = {
    program: '/opt/bench/large/app',
    sampleType: 'inuse_space',
    unit: 'bytes',
    samplingRate: 512 * KiB,
    dumps: [{ file: 'jeprof.9000.0.f.heap', pid: 9000, seq: 0, total }],
    total: total - sum(base),
    naming: { unnamed: 0, reasons: [] },
    top: topRows(cur, base),
    stacks: cur,
  };
  if (o.base) input.base = { file: 'jeprof.9000.base.heap', stacks: base };
  if (o.trendDumps) {
    const t = o.trendDumps;
    const labels = Array.from({ length: t }, (_, i) => `jeprof.9000.${i}.i${i}.heap`);
    const rows = input.top.slice(0, 50).map((r) => {
      const values = labels.map((_, i) => Math.round(r.cum * (0.5 + (0.5 * i) / (t - 1))));
      return { name: r.name, values, first: values[0], last: values[t - 1], growth: values[t - 1] - values[0], slope: (values[t - 1] - values[0]) / (t - 1), steady: 1 };
    });
    input.trend = { labels, totals: labels.map((_, i) => Math.round(total * (0.5 + (0.5 * i) / (t - 1)))), rows };
  }
  return input;
}
