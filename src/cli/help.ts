// --help text: what each option does, and worked examples of the common jobs.

export const OPTION_HELP: Record<string, string> = {
  text: 'print the top table (the default when stdout is not a terminal)',
  inuse_space: 'memory in use at the dump, in MB (default)',
  inuse_objects: 'objects in use at the dump',
  alloc_space: 'memory allocated over the run (needs prof_accum:true)',
  alloc_objects: 'objects allocated over the run (needs prof_accum:true)',
  show_bytes: 'print bytes instead of MB',
  base: 'subtract this profile first: what grew between two dumps',
  drop_negative: 'with --base: treat stacks that shrank as zero',
  cum: 'sort by cumulative instead of flat value',
  functions: 'one row per function (default)',
  lines: 'one row per source line',
  addresses: 'one row per instruction address',
  files: 'one row per source file',
  focus: 'keep only stacks with a frame matching this regexp (name, file:line or address)',
  ignore: 'drop stacks with a frame matching this regexp',
  retain: 'keep only frames whose function matches this regexp',
  exclude: 'remove frames whose function matches this regexp',
  thread: 'per-thread report for this jemalloc thread id, or * for each thread',
  lib_prefix: 'comma-separated directories to look for the profile\'s libraries under',
  add_lib: 'also read symbols from this library, at its link-time addresses',
  tools: 'where nm/addr2line live: a prefix, or tool:path pairs, comma-separated ($JEPROF_TOOLS)',
  'map-path': 'FROM=TO[,...]: read files the profile names under FROM from TO (profiles from another machine)',
  'strict-tools': 'fail (exit 2) when nm/addr2line are missing or fail, instead of printing addresses',
  'no-warnings': 'do not print jeprof-ts\'s warnings about damaged input or missing tools',
  sample_index: 'the sample type to report by name (pprof profiles: any of theirs; alloc_space is --alloc_space)',
  demo: 'run on the bundled demo profile (a real leak, two dumps)',
  json: 'top: the rows as one JSON document (schema jeprof-ts/top/1; values unrounded)',
  'trim-allocator': "drop the allocator's own innermost frames (libjemalloc's, operator new...), so each leaf is the caller",
  'no-cache': 'do not read or write the symbol cache ($JEPROF_TS_CACHE, default ~/.cache/jeprof-ts)',
  output: 'write the report to this file (-o FILE), whole or not at all, instead of stdout',
};

export const HELP_EXAMPLES = `
Examples:
  # What holds memory at the final dump (MALLOC_CONF=prof:true,prof_final:true)
  jeprof-ts top ./server jeprof.1234.0.f.heap

  # What grew between the first and the last interval dump (lg_prof_interval)
  jeprof-ts top ./server --base=jeprof.1234.0.i0.heap jeprof.1234.17.i17.heap

  # jeprof's own spelling works unchanged
  jeprof-ts --text --inuse_objects ./server jeprof.1234.0.f.heap

  # The profile came from another machine: binary copied to ./build
  jeprof-ts top --map-path=/srv/app=./build ./build/server jeprof.1234.0.f.heap

  # Run a program with profiling on and hunt its leak in one command
  jeprof-ts record -- ./server --port 8080

  # Why do some frames print as addresses?
  jeprof-ts doctor ./server jeprof.1234.0.f.heap

Options may use one dash or two, any unique prefix (--inuse_o), and come after the files.

Environment:
  JEPROF_TS_CACHE   where the symbol cache lives (default ~/.cache/jeprof-ts)
  JEPROF_TS_CACHE_SIZE  the cache's size limit (default 1G; e.g. 500M, 4G): runs that add to it
                    remove the entries least recently used, down to 80% of the limit
  JEPROF_TOOLS      where nm/addr2line/c++filt/objdump live, as --tools
  JEPROF_TS_PHASES  1: print each phase's time, memory and page faults on stderr (where a slow run goes)
  JEPROF_TS_SPLIT_BYTES  a dump of this many bytes or more (default 67108864, 64 MiB) is
                    parsed by two threads at once, unless --thread is given

Exit codes:
  0  report printed (also when it is empty)
  1  usage error: bad option, missing or wrong file argument
  2  a profile could not be read, a required tool failed, or the report could not be
     written (one line says which and where)
  3  internal error (a bug: please report it with the stack trace)
`;
