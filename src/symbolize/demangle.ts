// What `nm --demangle` does to a name (bfd_demangle), as text to and from one c++filt run.
//   .._ZN3FooC2Ev@@V1  ->  prefix `..`, c++filt gets `_ZN3FooC2Ev`, suffix `@@V1` kept: ..Foo::Foo()@@V1

/** c++filt's options for nm's DMGL_PARAMS|DMGL_ANSI: -i drops DMGL_VERBOSE, -n keeps the leading `_`. */
export const CXXFILT_ARGS: readonly string[] = ['-i', '-n'];

/** c++filt reads a word into a 32767-byte buffer and cuts longer ones. */
const MAX_WORD = 32766;

/** c++filt demangles each run of these characters on its own: a name must be one run. */
const WORD = /^[A-Za-z0-9_$.]+$/;

interface Parts {
  prefix: string;
  base: string;
  suffix: string;
}

/** bfd_demangle strips leading `.`/`$` and everything from the first `@`, and puts both back. */
function split(name: string): Parts {
  let p = 0;
  while (name[p] === '.' || name[p] === '$') p++;
  const at = name.indexOf('@', p);
  const end = at < 0 ? name.length : at;
  return { prefix: name.slice(0, p), base: name.slice(p, end), suffix: name.slice(end) };
}

/**
 * Whether libiberty's cplus_demangle (auto style) could change the name: Itanium C++ `_Z`, Rust
 * `_R`/`_ZN`, and `_GLOBAL_` constructor names. Anything else nm prints as it is.
 */
export function mayDemangle(name: string): boolean {
  const { base } = split(name);
  return base.startsWith('_Z') || base.startsWith('_R') || base.startsWith('_GLOBAL_');
}

/**
 * c++filt's standard input for names that mayDemangle, or undefined when one cannot pass through
 * c++filt's word splitting unchanged (then nm itself has to demangle).
 */
export function demanglerInput(names: readonly string[]): string | undefined {
  let input = '';
  for (const n of names) {
    const { base } = split(n);
    if (base.length > MAX_WORD || !WORD.test(base)) return undefined;
    input += base + '\n';
  }
  return input;
}

/** Each name as nm --demangle prints it, from c++filt's output for demanglerInput(names). */
export function demanglerResult(names: readonly string[], output: string): Map<string, string> | undefined {
  const lines = output.split('\n');
  if (lines.length !== names.length + 1 || lines[names.length] !== '') return undefined;
  const out = new Map<string, string>();
  names.forEach((n, i) => {
    const { prefix, suffix } = split(n);
    out.set(n, prefix + lines[i] + suffix);
  });
  return out;
}
