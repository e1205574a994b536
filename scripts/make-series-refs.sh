#!/usr/bin/env bash
# Writes what the real jeprof prints for each dump of the seed-leak and threads series alone (and
# for the reports top --json mirrors) into fixtures/series-refs: the goldens of trend, check and
# top --json. Needs /usr/bin/jeprof (libjemalloc-dev) and the cases at /opt/jeprof-corpus (the
# tests or ../shared/tools/parity put them there). Never written from jeprof-ts's output.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/fixtures/series-refs"
[ -x /usr/bin/jeprof ] || { echo "make-series-refs: /usr/bin/jeprof is missing (apt-get install libjemalloc-dev)" >&2; exit 1; }
for c in seed-leak threads; do
  [ -x "/opt/jeprof-corpus/$c/app" ] || { echo "make-series-refs: /opt/jeprof-corpus/$c/app is missing: install the corpus case there first" >&2; exit 1; }
done
rm -rf "$out" && mkdir -p "$out"
printf 'name\tcase\tcommand\n' > "$out/commands.tsv"
# ref NAME CASE ARGS...: jeprof ARGS run in the case's folder (its dumps are named relative to it).
ref() {
  local name=$1 case=$2; shift 2
  (cd "/opt/jeprof-corpus/$case" && jeprof "$@" 2>/dev/null) > "$out/$name.stdout"
  printf '%s\t%s\tjeprof %s\n' "$name" "$case" "$*" >> "$out/commands.tsv"
}
for c in seed-leak threads; do
  app=/opt/jeprof-corpus/$c/app
  for f in /opt/jeprof-corpus/$c/jeprof.*.heap; do
    d=$(basename "$f")
    ref "$c-bytes-$d" "$c" --text --show_bytes "$app" "$d"
    ref "$c-objects-$d" "$c" --text --inuse_objects "$app" "$d"
    ref "$c-lines-$d" "$c" --text --show_bytes --lines "$app" "$d"
  done
done
app=/opt/jeprof-corpus/seed-leak/app
ref seed-leak-base-i0-i7 seed-leak --text --show_bytes --base=jeprof.7069.0.i0.heap "$app" jeprof.7069.7.i7.heap
ref seed-leak-focus seed-leak --text --show_bytes --focus=leak_some "$app" jeprof.7069.8.f.heap
ref seed-leak-alloc-objects seed-leak --text --alloc_objects "$app" jeprof.7069.8.f.heap
app=/opt/jeprof-corpus/threads/app
ref threads-thread-star threads --text --show_bytes --thread=* "$app" jeprof.30138.10.f.heap
ref threads-thread2-base threads --text --show_bytes --thread=2 --base=jeprof.30138.0.i0.heap "$app" jeprof.30138.8.i8.heap
ref threads-files threads --text --show_bytes --files "$app" jeprof.30138.10.f.heap
echo "make-series-refs: wrote $(($(wc -l < "$out/commands.tsv") - 1)) references to $out" >&2
