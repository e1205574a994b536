#!/usr/bin/env bash
# Makes the benchmark's inputs in bench/out/ (not committed): real programs compiled here and run
# under the real jemalloc with profiling, so jeprof and jeprof-ts read genuine dumps.
#   small:  the seed-leak corpus case (fixtures/corpus/seed-leak), installed at /opt/jeprof-corpus
#   large:  a generated C program with 5,000 functions (-O0 -g, ~3.6 MB with DWARF) that allocates
#           through 24,000 PRNG-chosen call chains up to 40 deep: >20,000 distinct stacks
#   large-new: a second dump of the large program (other stacks, same PCs: bench/gen-dump.mjs)
#   series: a steady leaker dumping every 1 MiB (lg_prof_interval:20): 20+ interval dumps
#   redis:  Debian's redis-server (linked with libjemalloc) under redis-benchmark, a dump every
#           1 MiB allocated, a sample every 8 KiB: 50+ interval dumps of a real program
#   redis-long: the same, a dump every 256 KiB: 200+ interval dumps of one process (issue 22)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=$HERE/out
SRC=$ROOT/scripts/scenarios/src
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
die() { echo "make-inputs: $*" >&2; exit 1; }
for t in gcc setarch jeprof; do command -v "$t" >/dev/null || die "'$t' is missing (apt-get install gcc util-linux libjemalloc-dev)"; done
[ -f "$JEMALLOC" ] || die "$JEMALLOC is missing (apt-get install libjemalloc-dev)"
mkdir -p "$OUT"

# small: the corpus case where its dumps say it lives
mkdir -p /opt/jeprof-corpus/seed-leak
cp -u "$ROOT"/fixtures/corpus/seed-leak/* /opt/jeprof-corpus/seed-leak/ 2>/dev/null || true
chmod +x /opt/jeprof-corpus/seed-leak/app

# large
L=$OUT/large
if [ ! -f "$L/done" ]; then
  rm -rf "$L"; mkdir -p "$L"
  gcc -O1 -o "$L/gen_many" "$SRC/gen_many.c"
  "$L/gen_many" 5000 24000 40 > "$L/many.c"
  gcc -O0 -g -o "$L/prog" "$L/many.c"
  (cd "$L" && MALLOC_CONF="prof:true,prof_final:true,lg_prof_sample:0,prof_prefix:$L/jeprof" LD_PRELOAD=$JEMALLOC setarch x86_64 -R ./prog > /dev/null)
  mv "$L"/jeprof.*.f.heap "$L/final.heap"
  n=$(grep -c '^@' "$L/final.heap")
  [ "$n" -ge 20000 ] || die "large: only $n stacks"
  echo "make-inputs: large: $n stacks, $(stat -c %s "$L/final.heap") bytes, program $(stat -c %s "$L/prog") bytes"
  touch "$L/done"
fi

# large-new: issue 22's "new dump of the same program" (yesterday's binaries, today's dump): a
# second dump of the large program, as many stacks and bytes as final.heap but other call chains
# (bench/gen-dump.mjs from final.heap's own return addresses: final.heap holds 19,980 of the
# program's some 20,000 return addresses, so a real second run could only bring back the same PCs)
N=$OUT/large-new
if [ ! -f "$N/done" ]; then
  rm -rf "$N"; mkdir -p "$N"
  node "$HERE/gen-dump.mjs" "$L/final.heap" "$N/today.heap" "$(grep -c '^@' "$L/final.heap")" "$(stat -c %s "$L/final.heap")" --seed 22 > /dev/null
  echo "make-inputs: large-new: $(grep -c '^@' "$N/today.heap") stacks, $(stat -c %s "$N/today.heap") bytes"
  touch "$N/done"
fi

# series
S=$OUT/series
if [ ! -f "$S/done" ]; then
  rm -rf "$S"; mkdir -p "$S"
  gcc -O1 -g -I"$SRC" -o "$S/prog" "$SRC/leaker.c"
  (cd "$S" && MALLOC_CONF="prof:true,prof_final:true,lg_prof_interval:20,lg_prof_sample:12,prof_prefix:$S/jeprof" LD_PRELOAD=$JEMALLOC setarch x86_64 -R ./prog > /dev/null)
  n=$(ls "$S"/jeprof.*.i*.heap | wc -l)
  [ "$n" -ge 20 ] || die "series: only $n interval dumps"
  i=0
  for f in $(ls "$S"/jeprof.*.i*.heap | sort -t. -k3,3n); do mv "$f" "$S/i$i.heap"; i=$((i + 1)); done
  echo "make-inputs: series: $n interval dumps"
  touch "$S/done"
fi

# bench/out/$1: redis-server under redis-benchmark writing interval dumps, one every 2^$2 bytes
# allocated, in rounds of writes (at most $4) until there are $3 of them; at least $5 or it fails.
redis_series() {
  local R=$OUT/$1 interval=$2 want=$3 rounds=$4 least=$5
  [ -f "$R/done" ] && return
  for t in redis-server redis-benchmark redis-cli; do command -v "$t" >/dev/null || die "'$t' is missing (apt-get install redis-server redis-tools)"; done
  rm -rf "$R"; mkdir -p "$R"
  local port=$((20000 + RANDOM % 20000))
  (cd "$R" && MALLOC_CONF="prof:true,lg_prof_interval:$interval,lg_prof_sample:13,prof_prefix:$R/jeprof" exec redis-server --port "$port" --save '' --appendonly no --daemonize no > "$R/redis.log" 2>&1) &
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  for _ in $(seq "$rounds"); do
    [ "$(ls "$R"/jeprof.*.i*.heap 2>/dev/null | wc -l)" -ge "$want" ] && break
    redis-benchmark -p "$port" -n 10000 -t set,lpush,hset,sadd -d 100 -r 100000 -q > /dev/null
  done
  redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true
  wait
  local n
  n=$(ls "$R"/jeprof.*.i*.heap | wc -l)
  [ "$n" -ge "$least" ] || die "$1: only $n interval dumps"
  echo "make-inputs: $1: $n interval dumps of $(readlink -f "$(command -v redis-server)")"
  touch "$R/done"
}

# redis: the series row (trend against jeprof once per dump), a dump every 1 MiB allocated
redis_series redis 20 60 20 50
# redis-long: issue 22's series target, trend over 200 interval dumps of one process: the same
# server and load, a dump every 256 KiB allocated
redis_series redis-long 18 200 60 200
