#!/usr/bin/env bash
# Builds jemalloc heap-profile scenarios for comparing jeprof with jeprof-ts.
#
#   scripts/scenarios/make-scenarios.sh [OUTDIR]      (default /tmp/jeprof-scenarios)
#
# Each scenario gets OUTDIR/<name>/ with the program (run from that absolute
# path, so its own mapping in MAPPED_LIBRARIES is recognised), its heap files
# and a scenario.env that compare.sh reads. Programs run without ASLR
# (setarch -R) so addresses, and hence profiles, are reproducible run to run.
# Heap files are renamed jeprof.<pid>.<seq>.<kind>.heap -> jeprof.<seq>.<kind>.heap.
# Re-runs give the same heap files except for the inode numbers in
# MAPPED_LIBRARIES and, in 5-threads, the anonymous thread-stack mappings.
#
# Nothing is written outside OUTDIR. Scenario 6c's build-id debug file and
# 6d's path debug file are only kept in OUTDIR; compare.sh installs them under
# /usr/lib/debug for the duration of that comparison and removes them again.
set -euo pipefail

OUT=${1:-/tmp/jeprof-scenarios}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$HERE/src
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2

die() { echo "make-scenarios: FATAL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "required tool '$1' not found in PATH"; }
for t in gcc g++ objcopy strip readelf nm setarch realpath sed sort awk; do need "$t"; done
[ -f "$JEMALLOC" ] || die "$JEMALLOC missing (apt-get install libjemalloc-dev / libjemalloc2)"
[ -f /usr/include/jemalloc/jemalloc.h ] || die "/usr/include/jemalloc/jemalloc.h missing (apt-get install libjemalloc-dev)"
setarch x86_64 -R true 2>/dev/null || die "setarch -R (disable ASLR) does not work here"

mkdir -p "$OUT"
OUT=$(realpath "$OUT")
echo "make-scenarios: output in $OUT"
# compile from a fixed directory: DW_AT_comp_dir (and so the build ids) must not
# depend on where the script was started from
cd "$SRC"

CFLAGS_COMMON=(-g -Wall -Wno-unused-result -I"$SRC")

# fresh_dir NAME: (re)creates OUT/NAME and prints its path
fresh_dir() {
  local d="$OUT/$1"
  rm -rf -- "$d"
  mkdir -p "$d"
  echo "$d"
}

# run_prof DIR MALLOC_CONF PRELOAD(yes|no) CMD...: runs CMD inside DIR without ASLR
run_prof() {
  local dir=$1 conf=$2 preload=$3
  shift 3
  local -a envs=(MALLOC_CONF="$conf")
  [ "$preload" = yes ] && envs+=(LD_PRELOAD="$JEMALLOC")
  (cd "$dir" && env "${envs[@]}" setarch x86_64 -R "$@" >"$dir/run.stdout" 2>"$dir/run.stderr") \
    || die "program failed in $dir (see $dir/run.stderr)"
  if grep '<jemalloc>' "$dir/run.stderr" | grep -qv -e 'Leak approximation summary' -e 'Run jeprof on dump output'; then
    cat "$dir/run.stderr" >&2
    die "jemalloc complained in $dir"
  fi
}

# strip_pids DIR: jeprof.<pid>.<seq>.<kind>.heap -> jeprof.<seq>.<kind>.heap
strip_pids() {
  local dir=$1 f base n=0
  for f in "$dir"/jeprof.*.heap; do
    [ -e "$f" ] || continue
    base=$(basename "$f")
    mv -- "$f" "$dir/$(echo "$base" | sed -E 's/^jeprof\.[0-9]+\./jeprof./')"
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || die "no heap files written in $dir"
}

# heaps DIR PATTERN: heap files matching PATTERN, sorted by sequence number
heaps() {
  (cd "$1" && ls -1 $2 2>/dev/null | sort -t. -k2,2n | sed "s|^|$1/|")
}

# write_env DIR key=value...: scenario.env for compare.sh
write_env() {
  local dir=$1
  shift
  : >"$dir/scenario.env"
  local kv
  for kv in "$@"; do printf '%s\n' "$kv" >>"$dir/scenario.env"; done
}

conf_full() { echo "prof:true,prof_leak:true,prof_final:true,lg_prof_sample:0,prof_prefix:$1/jeprof"; }

# final_env DIR key=value...: after a run with manual (m) and final (f) dumps, scenario.env
# naming the program, the last final dump (FINAL) and the first manual one (SECOND, and BASE
# when a key says BASE=SECOND), plus the given keys
final_env() {
  local d=$1 m f kv
  shift
  strip_pids "$d"
  m=$(heaps "$d" 'jeprof.*.m*.heap' | head -1); f=$(heaps "$d" 'jeprof.*.f.heap' | tail -1)
  local -a extra=()
  for kv in "$@"; do [ "$kv" = BASE=SECOND ] && extra+=("BASE=$m") || extra+=("$kv"); done
  write_env "$d" "PROG=$d/prog" "FINAL=$f" "SECOND=$m" "${extra[@]}"
}

# ---------------------------------------------------------------- 1
build_cpp_inline() {
  local d; d=$(fresh_dir 1-cpp-inline-pie)
  g++ -O2 -fPIE -pie -std=c++17 "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/cpp_inline.cc" -ldl
  run_prof "$d" "$(conf_full "$d")" yes "$d/prog"
  final_env "$d" "FOCUS=make_names" "IGNORE=std::map" "RETAIN=main|make_|count_|fill_" "EXCLUDE=std::"
}

# ---------------------------------------------------------------- 2
build_c_nopie() {
  local d; d=$(fresh_dir 2-c-nopie)
  gcc -O2 -fno-pie -no-pie "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/c_nopie.c" -ldl
  run_prof "$d" "$(conf_full "$d")" yes "$d/prog"
  final_env "$d" "FOCUS=is_odd" "IGNORE=tree_build" "RETAIN=main|build_string|is_even" "EXCLUDE=is_odd|grow"
}

# ---------------------------------------------------------------- 3
build_sampled() {
  local d; d=$(fresh_dir 3-sampled-accum)
  gcc -O1 "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/sampled.c" -ldl
  run_prof "$d" "prof:true,prof_accum:true,prof_leak:true,prof_final:true,prof_prefix:$d/jeprof" yes "$d/prog"
  final_env "$d" "BASE=SECOND" "FOCUS=alloc_big" "IGNORE=churn" "RETAIN=alloc_|main" "EXCLUDE=keep_mixed"
}

# ---------------------------------------------------------------- 4
build_shlib() {
  local d; d=$(fresh_dir 4-shlib-plugin)
  g++ -O2 -fPIC -shared "${CFLAGS_COMMON[@]}" -Wl,-soname,libfoo.so.1 -o "$d/libfoo.so.1.2.3" "$SRC/libfoo.cc"
  ln -s libfoo.so.1.2.3 "$d/libfoo.so.1"
  ln -s libfoo.so.1 "$d/libfoo.so"
  gcc -O1 -fPIC -shared "${CFLAGS_COMMON[@]}" -o "$d/plugin_keep.so" "$SRC/plugin_keep.c"
  gcc -O1 -fPIC -shared "${CFLAGS_COMMON[@]}" -o "$d/plugin_gone.so" "$SRC/plugin_gone.c"
  gcc -O1 "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/shlib_main.c" -L"$d" -lfoo -Wl,-rpath,"$d" -ldl
  run_prof "$d" "$(conf_full "$d")" yes "$d/prog"
  final_env "$d" "FOCUS=plugin" "IGNORE=foo::" "RETAIN=foo|plugin|main" "EXCLUDE=std::"
  grep -q "$d/libfoo.so.1.2.3" "$d"/jeprof.*.f.heap || die "libfoo not in the map of the final dump"
}

# ---------------------------------------------------------------- 5
build_threads() {
  local d; d=$(fresh_dir 5-threads)
  gcc -O1 "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/threads.c" -ljemalloc -lpthread
  run_prof "$d" "$(conf_full "$d")" no "$d/prog" "$d/manual.heap"
  strip_pids "$d"
  [ -s "$d/manual.heap" ] || die "manual dump missing in $d"
  local f
  f=$(heaps "$d" 'jeprof.*.f.heap' | tail -1)
  write_env "$d" "PROG=$d/prog" "FINAL=$f" "SECOND=$d/manual.heap" "THREADS=1" "FOCUS=path_deep" \
    "IGNORE=path_buffers" "RETAIN=path_|main|worker" "EXCLUDE=strdup"
}

# ---------------------------------------------------------------- 6
# 6a strip --strip-debug (symtab kept, no lines); 6b strip --strip-all + debuglink
# to prog.debug beside it; 6c strip-all, debug file only reachable by build id
# (installed by compare.sh); 6d non-PIE strip-all, debug file at
# /usr/lib/debug<path>.debug (installed by compare.sh).
build_stripped() {
  local d dbg
  d=$(fresh_dir 6a-strip-debug)
  gcc -O2 -DVARIANT=1 "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/stripped.c" -ldl
  strip --strip-debug "$d/prog"
  run_prof "$d" "$(conf_full "$d")" yes "$d/prog"
  strip_pids "$d"
  write_env "$d" "PROG=$d/prog" "FINAL=$(heaps "$d" 'jeprof.*.f.heap' | tail -1)" \
    "SECOND=$(heaps "$d" 'jeprof.*.m*.heap' | head -1)" "FOCUS=make_record" "IGNORE=fill_tables" \
    "RETAIN=fill|main" "EXCLUDE=make_"

  d=$(fresh_dir 6b-strip-all-debuglink)
  gcc -O2 -DVARIANT=2 "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/stripped.c" -ldl
  objcopy --only-keep-debug "$d/prog" "$d/prog.debug"
  strip --strip-all "$d/prog"
  (cd "$d" && objcopy --add-gnu-debuglink=prog.debug prog)
  run_prof "$d" "$(conf_full "$d")" yes "$d/prog"
  strip_pids "$d"
  write_env "$d" "PROG=$d/prog" "FINAL=$(heaps "$d" 'jeprof.*.f.heap' | tail -1)" \
    "SECOND=$(heaps "$d" 'jeprof.*.m*.heap' | head -1)" "FOCUS=make_record" "IGNORE=fill_tables" \
    "RETAIN=fill|main" "EXCLUDE=make_" "DEBUGLINK=$d/prog.debug"

  d=$(fresh_dir 6c-strip-all-buildid)
  gcc -O2 -DVARIANT=3 -Wl,--build-id=sha1 "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/stripped.c" -ldl
  objcopy --only-keep-debug "$d/prog" "$d/prog.buildid-debug"
  strip --strip-all "$d/prog"
  local id
  id=$(readelf -n "$d/prog" | awk '/Build ID:/ {print $3}')
  [ -n "$id" ] || die "no build id in $d/prog"
  run_prof "$d" "$(conf_full "$d")" yes "$d/prog"
  strip_pids "$d"
  write_env "$d" "PROG=$d/prog" "FINAL=$(heaps "$d" 'jeprof.*.f.heap' | tail -1)" \
    "SECOND=$(heaps "$d" 'jeprof.*.m*.heap' | head -1)" "FOCUS=make_record" "IGNORE=fill_tables" \
    "RETAIN=fill|main" "EXCLUDE=make_" \
    "BUILDID_DEBUG=$d/prog.buildid-debug" "BUILDID_TARGET=/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"

  d=$(fresh_dir 6d-strip-all-nopie-pathdebug)
  gcc -O2 -DVARIANT=4 -fno-pie -no-pie "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/stripped.c" -ldl
  objcopy --only-keep-debug "$d/prog" "$d/prog.path-debug"
  strip --strip-all "$d/prog"
  run_prof "$d" "$(conf_full "$d")" yes "$d/prog"
  strip_pids "$d"
  write_env "$d" "PROG=$d/prog" "FINAL=$(heaps "$d" 'jeprof.*.f.heap' | tail -1)" \
    "SECOND=$(heaps "$d" 'jeprof.*.m*.heap' | head -1)" "FOCUS=make_record" "IGNORE=fill_tables" \
    "RETAIN=fill|main" "EXCLUDE=make_" \
    "PATH_DEBUG=$d/prog.path-debug" "PATH_TARGET=/usr/lib/debug$d/prog.debug"
}

# ---------------------------------------------------------------- 7
build_many() {
  local d; d=$(fresh_dir 7-many-stacks)
  gcc -O1 -o "$d/gen_many" "$SRC/gen_many.c"
  "$d/gen_many" 400 24000 40 >"$d/many.c"
  gcc -O0 -g -o "$d/prog" "$d/many.c"
  run_prof "$d" "$(conf_full "$d")" yes "$d/prog"
  strip_pids "$d"
  local f n
  f=$(heaps "$d" 'jeprof.*.f.heap' | tail -1)
  n=$(grep -c '^@' "$f")
  echo "make-scenarios: 7-many-stacks: $n stacks in $(basename "$f")"
  [ "$n" -gt 20000 ] || die "only $n stacks in $f"
  write_env "$d" "PROG=$d/prog" "FINAL=$f" "SECOND=$f" "FOCUS=f12_w" "IGNORE=a_rather_long" \
    "RETAIN=f1[0-9]_w|main" "EXCLUDE=_w\$"
}

# ---------------------------------------------------------------- 8
build_intervals() {
  local d; d=$(fresh_dir 8-intervals)
  gcc -O1 "${CFLAGS_COMMON[@]}" -o "$d/prog" "$SRC/leaker.c"
  run_prof "$d" "prof:true,prof_accum:true,prof_final:true,lg_prof_interval:20,lg_prof_sample:12,prof_prefix:$d/jeprof" yes "$d/prog"
  strip_pids "$d"
  local first last f n
  first=$(heaps "$d" 'jeprof.*.i*.heap' | head -1)
  last=$(heaps "$d" 'jeprof.*.i*.heap' | tail -1)
  f=$(heaps "$d" 'jeprof.*.f.heap' | tail -1)
  n=$(heaps "$d" 'jeprof.*.i*.heap' | wc -l)
  echo "make-scenarios: 8-intervals: $n interval dumps"
  [ "$n" -ge 15 ] || die "only $n interval dumps in $d"
  local mid
  mid=$(heaps "$d" 'jeprof.*.i*.heap' | sed -n "$((n / 2))p")
  write_env "$d" "PROG=$d/prog" "FINAL=$f" "SECOND=$mid" "BASE=$first" "LAST=$last" "INTERVALS=1" \
    "FOCUS=leak_page" "IGNORE=leak_small" "RETAIN=leak|main" "EXCLUDE=phase"
}

build_cpp_inline
build_c_nopie
build_sampled
build_shlib
build_threads
build_stripped
build_many
build_intervals

# a symlink to each program (compare.sh names the program through it too)
for d in "$OUT"/*/; do
  if [ -f "$d/scenario.env" ]; then ln -sfn prog "$d/prog-link"; fi
done

echo "make-scenarios: done"
for d in "$OUT"/*/; do
  [ -f "$d/scenario.env" ] || continue
  echo "  $d: $(cd "$d" && ls -1 | grep -c '\.heap$') heap files"
done
