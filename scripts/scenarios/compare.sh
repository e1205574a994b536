#!/usr/bin/env bash
# Runs jeprof and jeprof-ts on the scenarios built by make-scenarios.sh and
# compares their stdout byte for byte.
#
#   scripts/scenarios/compare.sh [OUTDIR [SCENARIO...]]   (default /tmp/jeprof-scenarios, all)
#
# For each command prints `MATCH|DIFF <scenario> <name>: <args>`. Everything is
# kept under OUTDIR/_compare/<scenario>/<name>.{jeprof,ts}.{out,err,rc}; for a
# DIFF also <name>.diff (full unified diff) and <name>.diff20 (its first 20
# differing lines). The summary is OUTDIR/_compare/summary.txt.
# Commands run inside the scenario directory, with the program by its absolute
# path (the path it ran from), profiles by relative name.
#
# Scenario 6c / 6d: the debug file is copied to /usr/lib/debug/.build-id/xx/yyyy.debug
# (6c) or /usr/lib/debug<program path>.debug (6d) just for that scenario, and
# removed again (with every directory this script had to create), also on
# error/interrupt. The exact paths are printed. An already existing target is
# never overwritten: the script stops instead.
#
# Exit status: 0 if everything matched, 1 if there was any DIFF, 2 on setup errors.
set -uo pipefail

OUT=${1:-/tmp/jeprof-scenarios}
shift || true
ONLY=("$@")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TS="$ROOT/bin/jeprof-ts.js"
JEPROF=${JEPROF:-/usr/bin/jeprof}
TIMEOUT=${TIMEOUT:-600}

die() { echo "compare: FATAL: $*" >&2; exit 2; }
need() { command -v "$1" >/dev/null 2>&1 || die "required tool '$1' not found in PATH"; }
for t in node perl timeout diff cmp nm addr2line objdump c++filt file; do need "$t"; done
[ -x "$JEPROF" ] || die "jeprof not found at $JEPROF (apt-get install libjemalloc-dev)"
[ -f "$TS" ] || die "$TS missing"
if [ ! -f "$ROOT/dist/cli/main.js" ]; then
  echo "compare: dist/ missing, building jeprof-ts" >&2
  (cd "$ROOT" && npx tsc -p tsconfig.json) || die "tsc build failed"
fi
[ -d "$OUT" ] || die "$OUT does not exist: run make-scenarios.sh first"
OUT=$(realpath "$OUT")
RES="$OUT/_compare"
rm -rf -- "$RES"
mkdir -p "$RES"
SUMMARY="$RES/summary.txt"
: >"$SUMMARY"

# ---- installed debug files: track and always clean up
CREATED_FILES=()
CREATED_DIRS=()
cleanup_debug() {
  local i
  for ((i = ${#CREATED_FILES[@]} - 1; i >= 0; i--)); do
    rm -f -- "${CREATED_FILES[i]}" && echo "compare: removed ${CREATED_FILES[i]}" >&2
  done
  for ((i = ${#CREATED_DIRS[@]} - 1; i >= 0; i--)); do
    rmdir -- "${CREATED_DIRS[i]}" 2>/dev/null && echo "compare: removed dir ${CREATED_DIRS[i]}" >&2
  done
  CREATED_FILES=()
  CREATED_DIRS=()
}
trap cleanup_debug EXIT
trap 'cleanup_debug; exit 130' INT TERM

# install_debug SRC TARGET: copies SRC to TARGET, creating (and recording) missing dirs
install_debug() {
  local src=$1 target=$2 dir
  [ -f "$src" ] || die "debug file $src missing"
  [ -e "$target" ] && die "$target already exists; refusing to overwrite it"
  local -a missing=()
  dir=$(dirname "$target")
  while [ ! -d "$dir" ]; do
    missing=("$dir" "${missing[@]}")
    dir=$(dirname "$dir")
  done
  local m
  for m in "${missing[@]}"; do
    mkdir -- "$m" || die "cannot create $m"
    CREATED_DIRS+=("$m")
    echo "compare: created dir $m" >&2
  done
  cp -- "$src" "$target" || die "cannot copy $src to $target"
  CREATED_FILES+=("$target")
  echo "compare: installed $target" >&2
}

NMATCH=0
NDIFF=0

# run_cmd SCENARIO_DIR NAME ARGS...: runs both tools with --text ARGS and compares stdout
run_cmd() {
  local dir=$1 name=$2
  shift 2
  local scen r
  scen=$(basename "$dir")
  r="$RES/$scen"
  mkdir -p "$r"
  printf '%q ' "$@" >"$r/$name.args"
  (cd "$dir" && timeout "$TIMEOUT" "$JEPROF" --text "$@" >"$r/$name.jeprof.out" 2>"$r/$name.jeprof.err"; echo $? >"$r/$name.jeprof.rc") &
  local pj=$!
  (cd "$dir" && timeout "$TIMEOUT" node "$TS" --text "$@" >"$r/$name.ts.out" 2>"$r/$name.ts.err"; echo $? >"$r/$name.ts.rc") &
  local pt=$!
  wait "$pj" "$pt"
  local rcj rct verdict note=""
  rcj=$(cat "$r/$name.jeprof.rc")
  rct=$(cat "$r/$name.ts.rc")
  [ "$rcj" = 124 ] && note=" [jeprof TIMEOUT]"
  [ "$rct" = 124 ] && note="$note [jeprof-ts TIMEOUT]"
  [ "$rcj" != "$rct" ] && note="$note [exit codes: jeprof=$rcj jeprof-ts=$rct]"
  if cmp -s "$r/$name.jeprof.out" "$r/$name.ts.out"; then
    verdict=MATCH
    NMATCH=$((NMATCH + 1))
    rm -f "$r/$name.diff" "$r/$name.diff20"
  else
    verdict=DIFF
    NDIFF=$((NDIFF + 1))
    diff -u --label "jeprof --text $*" --label "jeprof-ts --text $*" "$r/$name.jeprof.out" "$r/$name.ts.out" >"$r/$name.diff"
    # first 20 differing (+/-) lines, with their hunk headers
    awk 'NR<=2 {print; next} /^@@/ {print; next} /^[-+]/ {print; if (++n >= 20) exit}' "$r/$name.diff" >"$r/$name.diff20"
  fi
  local line
  line="$verdict $scen $name: (cd $dir && jeprof --text $*)$note"
  echo "$line"
  echo "$line" >>"$SUMMARY"
}

selected() {
  [ ${#ONLY[@]} -eq 0 ] && return 0
  local s
  for s in "${ONLY[@]}"; do [ "$1" = "$s" ] && return 0; done
  return 1
}

run_scenario() {
  local dir=$1
  local PROG FINAL SECOND BASE LAST THREADS INTERVALS FOCUS IGNORE RETAIN EXCLUDE
  local BUILDID_DEBUG BUILDID_TARGET PATH_DEBUG PATH_TARGET
  PROG= FINAL= SECOND= BASE= LAST= THREADS= INTERVALS= FOCUS= IGNORE= RETAIN= EXCLUDE=
  BUILDID_DEBUG= BUILDID_TARGET= PATH_DEBUG= PATH_TARGET=
  local k v
  while IFS='=' read -r k v; do
    case $k in
      PROG | FINAL | SECOND | BASE | LAST | THREADS | INTERVALS | FOCUS | IGNORE | RETAIN | EXCLUDE | BUILDID_DEBUG | BUILDID_TARGET | PATH_DEBUG | PATH_TARGET)
        printf -v "$k" '%s' "$v" ;;
      '') ;;
      *) die "unknown key $k in $dir/scenario.env" ;;
    esac
  done <"$dir/scenario.env"
  [ -x "$PROG" ] || die "$PROG missing"
  local f s
  f=$(basename "$FINAL")
  s=$(basename "$SECOND")

  if [ -n "$BUILDID_DEBUG" ]; then install_debug "$BUILDID_DEBUG" "$BUILDID_TARGET"; fi
  if [ -n "$PATH_DEBUG" ]; then install_debug "$PATH_DEBUG" "$PATH_TARGET"; fi

  run_cmd "$dir" default "$PROG" "$f"
  run_cmd "$dir" lines --lines "$PROG" "$f"
  run_cmd "$dir" addresses --addresses "$PROG" "$f"
  run_cmd "$dir" files --files "$PROG" "$f"
  run_cmd "$dir" inuse_objects --inuse_objects "$PROG" "$f"
  run_cmd "$dir" alloc_space --alloc_space "$PROG" "$f"
  run_cmd "$dir" alloc_objects --alloc_objects "$PROG" "$f"
  run_cmd "$dir" show_bytes --show_bytes "$PROG" "$f"
  run_cmd "$dir" cum --cum "$PROG" "$f"
  run_cmd "$dir" second "$PROG" "$s"
  run_cmd "$dir" sum2 "$PROG" "$f" "$s"
  run_cmd "$dir" sum2_objects --inuse_objects "$PROG" "$s" "$f"
  if [ -n "$BASE" ]; then
    local b l
    b=$(basename "$BASE")
    l=$(basename "${LAST:-$FINAL}")
    run_cmd "$dir" base "--base=$b" "$PROG" "$l"
    run_cmd "$dir" base_final "--base=$b" "$PROG" "$f"
    run_cmd "$dir" base_drop_negative --drop_negative "--base=$b" "$PROG" "$f"
    run_cmd "$dir" base_lines_objects --lines --inuse_objects "--base=$b" "$PROG" "$l"
    run_cmd "$dir" base_alloc_space --alloc_space "--base=$b" "$PROG" "$l"
    if [ -n "$INTERVALS" ]; then
      run_cmd "$dir" base_reverse "--base=$l" "$PROG" "$b"
    fi
  fi
  if [ -n "$THREADS" ]; then
    run_cmd "$dir" thread_all '--thread=*' "$PROG" "$f"
    run_cmd "$dir" thread_all_manual '--thread=*' "$PROG" "$s"
    run_cmd "$dir" thread_1_lines --thread=1 --lines "$PROG" "$s"
    run_cmd "$dir" thread_all_objects --inuse_objects '--thread=*' "$PROG" "$s"
    run_cmd "$dir" thread_4_base --thread=4 "--base=$f" "$PROG" "$s"
  fi
  [ -n "$FOCUS" ] && run_cmd "$dir" focus "--focus=$FOCUS" "$PROG" "$f"
  [ -n "$IGNORE" ] && run_cmd "$dir" ignore "--ignore=$IGNORE" "$PROG" "$f"
  [ -n "$RETAIN" ] && run_cmd "$dir" retain "--retain=$RETAIN" "$PROG" "$f"
  [ -n "$EXCLUDE" ] && run_cmd "$dir" exclude "--exclude=$EXCLUDE" "$PROG" "$f"
  run_cmd "$dir" lines_cum --lines --cum "$PROG" "$f"
  run_cmd "$dir" addresses_objects --addresses --inuse_objects "$PROG" "$s"
  run_cmd "$dir" files_bytes --files --show_bytes "$PROG" "$s"
  if [ -n "$BUILDID_DEBUG" ] || [ -n "$PATH_DEBUG" ]; then
    run_cmd "$dir" byid_default --debug-syms-by-id "$PROG" "$f"
    run_cmd "$dir" byid_lines --debug-syms-by-id --lines "$PROG" "$f"
  fi

  cleanup_debug
  # the same scenario without the installed debug file
  if [ -n "$BUILDID_DEBUG" ] || [ -n "$PATH_DEBUG" ]; then
    run_cmd "$dir" nodebug_default "$PROG" "$f"
    run_cmd "$dir" nodebug_lines --lines "$PROG" "$f"
  fi
}

for dir in "$OUT"/*/; do
  dir=${dir%/}
  [ -f "$dir/scenario.env" ] || continue
  selected "$(basename "$dir")" || continue
  echo "== $(basename "$dir")"
  run_scenario "$dir"
done

echo "compare: $NMATCH MATCH, $NDIFF DIFF (summary: $SUMMARY)"
[ "$NDIFF" -eq 0 ]
