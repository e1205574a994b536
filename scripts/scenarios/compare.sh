#!/usr/bin/env bash
# Runs jeprof and jeprof-ts on the scenarios built by make-scenarios.sh and
# compares their stdout byte for byte.
#
#   scripts/scenarios/compare.sh [OUTDIR [SCENARIO...]]   (default /tmp/jeprof-scenarios, all)
#
# Every command is run as `jeprof --text ARGS` and `node bin/jeprof-ts.js --text ARGS`
# (in parallel, each under `timeout $TIMEOUT`, default 600 s), inside the scenario
# directory, with the program by its absolute path (the path it ran from) and
# profiles by relative name, unless the command says otherwise.
#
# Verdicts, one line per command on stdout and in OUTDIR/_compare/summary.txt:
#   MATCH   stdout identical
#   NONDET  stdout differs, but jeprof's own stdout for that command changes with
#           perl's per-process hash order (PERL_HASH_SEED=1..$NONDET_SEEDS are
#           tried) and one of those seeds reproduces jeprof-ts's output exactly
#   DIFF    stdout differs and no tried seed reproduces jeprof-ts's output
# Files: OUTDIR/_compare/<scenario>/<name>.{jeprof,ts}.{out,err,rc}, <name>.args;
# for NONDET/DIFF also <name>.diff (full unified diff, jeprof first) and
# <name>.diff20 (its first 20 differing lines).
#
# jeprof-ts keeps an on-disk symbol cache; it is pointed at a fresh directory
# (OUTDIR/_compare/ts-cache) for every run of this script, so the first command
# of a run sees a cold cache and the later ones a warm one.
#
# Scenario 6c / 6d: the debug file is copied to /usr/lib/debug/.build-id/xx/yyyy.debug
# (6c) or /usr/lib/debug<program path>.debug (6d) just for that scenario and
# removed again (with every directory this script had to create), also on
# error/interrupt. The exact paths are printed on stderr. An already existing
# target is never overwritten: the script stops instead.
# Scenario 6b: prog.debug (the debuglink target) is renamed away for two
# commands and renamed back (also on error/interrupt).
#
# Exit status: 0 if everything was MATCH, 1 if there was any DIFF or NONDET, 2 on setup errors.
set -uo pipefail

OUT=${1:-/tmp/jeprof-scenarios}
shift || true
ONLY=("$@")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TS="$ROOT/bin/jeprof-ts.js"
JEPROF=${JEPROF:-/usr/bin/jeprof}
TIMEOUT=${TIMEOUT:-600}
NONDET_SEEDS=${NONDET_SEEDS:-8}

die() { echo "compare: FATAL: $*" >&2; exit 2; }
need() { command -v "$1" >/dev/null 2>&1 || die "required tool '$1' not found in PATH"; }
for t in node perl timeout diff cmp md5sum nm addr2line objdump c++filt file realpath; do need "$t"; done
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
export JEPROF_TS_CACHE="$RES/ts-cache"
{
  echo "# compare.sh $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# jeprof: $("$JEPROF" --version 2>&1 | head -1)"
  echo "# jeprof-ts: $ROOT (HEAD $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l) modified paths, dist/cli/main.js $(date -u -r "$ROOT/dist/cli/main.js" +%Y-%m-%dT%H:%M:%SZ))"
} >"$SUMMARY"
cat "$SUMMARY"

# ---- temporary changes to the file system: tracked and always undone
CREATED_FILES=()
CREATED_DIRS=()
RENAMED=() # "from|to" pairs to rename back
undo_changes() {
  local i
  for ((i = ${#CREATED_FILES[@]} - 1; i >= 0; i--)); do
    rm -f -- "${CREATED_FILES[i]}" && echo "compare: removed ${CREATED_FILES[i]}" >&2
  done
  for ((i = ${#CREATED_DIRS[@]} - 1; i >= 0; i--)); do
    rmdir -- "${CREATED_DIRS[i]}" 2>/dev/null && echo "compare: removed dir ${CREATED_DIRS[i]}" >&2
  done
  for ((i = ${#RENAMED[@]} - 1; i >= 0; i--)); do
    mv -- "${RENAMED[i]#*|}" "${RENAMED[i]%%|*}" && echo "compare: renamed back ${RENAMED[i]%%|*}" >&2
  done
  CREATED_FILES=()
  CREATED_DIRS=()
  RENAMED=()
}
trap undo_changes EXIT
trap 'undo_changes; exit 130' INT TERM

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

# hide FILE: renames FILE to FILE.hidden until undo_changes
hide() {
  [ -e "$1" ] || die "$1 missing"
  [ -e "$1.hidden" ] && die "$1.hidden already exists"
  mv -- "$1" "$1.hidden" || die "cannot rename $1"
  RENAMED+=("$1|$1.hidden")
}

NMATCH=0
NDIFF=0
NNONDET=0

# classify_nondet R NAME CWD ARGS...: re-runs jeprof with fixed perl hash seeds;
# prints "<first seed reproducing jeprof-ts> <distinct jeprof outputs seen>", or nothing.
classify_nondet() {
  local r=$1 name=$2 cwd=$3 seed hit=""
  shift 3
  for ((seed = 1; seed <= NONDET_SEEDS; seed++)); do
    (cd "$cwd" && PERL_HASH_SEED=$seed PERL_PERTURB_KEYS=0 timeout "$TIMEOUT" "$JEPROF" --text "$@" >"$r/$name.jeprof.seed$seed.out" 2>/dev/null)
    if [ -z "$hit" ] && cmp -s "$r/$name.jeprof.seed$seed.out" "$r/$name.ts.out"; then hit=$seed; fi
  done
  local distinct
  distinct=$(md5sum "$r/$name.jeprof.out" "$r/$name".jeprof.seed*.out | awk '{print $1}' | sort -u | wc -l)
  rm -f "$r/$name".jeprof.seed*.out
  if [ -n "$hit" ]; then echo "$hit $distinct"; fi
}

# run_cmd SCENARIO CWD NAME ARGS...: runs both tools with --text ARGS inside CWD and compares stdout
run_cmd() {
  local scen=$1 cwd=$2 name=$3
  shift 3
  local r="$RES/$scen"
  mkdir -p "$r"
  printf '%q ' "$@" >"$r/$name.args"
  (cd "$cwd" && timeout "$TIMEOUT" "$JEPROF" --text "$@" >"$r/$name.jeprof.out" 2>"$r/$name.jeprof.err"; echo $? >"$r/$name.jeprof.rc") &
  local pj=$!
  (cd "$cwd" && timeout "$TIMEOUT" node "$TS" --text "$@" >"$r/$name.ts.out" 2>"$r/$name.ts.err"; echo $? >"$r/$name.ts.rc") &
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
  else
    diff -u --label "jeprof --text $*" --label "jeprof-ts --text $*" "$r/$name.jeprof.out" "$r/$name.ts.out" >"$r/$name.diff"
    # first 20 differing (+/-) lines, with the hunk headers
    awk 'NR<=2 {print; next} /^@@/ {print; next} /^[-+]/ {print; if (++n >= 20) exit}' "$r/$name.diff" >"$r/$name.diff20"
    local nd
    nd=$(classify_nondet "$r" "$name" "$cwd" "$@")
    if [ -n "$nd" ]; then
      verdict=NONDET
      NNONDET=$((NNONDET + 1))
      note="$note [jeprof itself varies with perl hash order: ${nd#* } distinct outputs in $((NONDET_SEEDS + 1)) runs; PERL_HASH_SEED=${nd%% *} reproduces jeprof-ts]"
    else
      verdict=DIFF
      NDIFF=$((NDIFF + 1))
    fi
  fi
  local line
  line="$verdict $scen $name: (cd $cwd && jeprof --text $*)$note"
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
  local BUILDID_DEBUG BUILDID_TARGET PATH_DEBUG PATH_TARGET DEBUGLINK
  PROG= FINAL= SECOND= BASE= LAST= THREADS= INTERVALS= FOCUS= IGNORE= RETAIN= EXCLUDE=
  BUILDID_DEBUG= BUILDID_TARGET= PATH_DEBUG= PATH_TARGET= DEBUGLINK=
  local k v
  while IFS='=' read -r k v; do
    case $k in
      PROG | FINAL | SECOND | BASE | LAST | THREADS | INTERVALS | FOCUS | IGNORE | RETAIN | EXCLUDE | BUILDID_DEBUG | BUILDID_TARGET | PATH_DEBUG | PATH_TARGET | DEBUGLINK)
        printf -v "$k" '%s' "$v" ;;
      '') ;;
      *) die "unknown key $k in $dir/scenario.env" ;;
    esac
  done <"$dir/scenario.env"
  [ -x "$PROG" ] || die "$PROG missing"
  local scen f s
  scen=$(basename "$dir")
  f=$(basename "$FINAL")
  s=$(basename "$SECOND")
  run() { run_cmd "$scen" "$dir" "$@"; }

  if [ -n "$BUILDID_DEBUG" ]; then install_debug "$BUILDID_DEBUG" "$BUILDID_TARGET"; fi
  if [ -n "$PATH_DEBUG" ]; then install_debug "$PATH_DEBUG" "$PATH_TARGET"; fi

  # the commands asked for
  run default "$PROG" "$f"
  run lines --lines "$PROG" "$f"
  run addresses --addresses "$PROG" "$f"
  run files --files "$PROG" "$f"
  run inuse_objects --inuse_objects "$PROG" "$f"
  run alloc_space --alloc_space "$PROG" "$f"
  run alloc_objects --alloc_objects "$PROG" "$f"
  run show_bytes --show_bytes "$PROG" "$f"
  run cum --cum "$PROG" "$f"
  run sum2 "$PROG" "$f" "$s"
  if [ -n "$BASE" ]; then
    local b l
    b=$(basename "$BASE")
    l=$(basename "${LAST:-$FINAL}")
    run base "--base=$b" "$PROG" "$l"
  fi
  if [ -n "$THREADS" ]; then
    run thread_all '--thread=*' "$PROG" "$f"
  fi

  # more of the same kind
  run second "$PROG" "$s"
  run sum2_objects --inuse_objects "$PROG" "$s" "$f"
  if [ -n "$BASE" ]; then
    run base_final "--base=$b" "$PROG" "$f"
    run base_drop_negative --drop_negative "--base=$b" "$PROG" "$f"
    run base_lines_objects --lines --inuse_objects "--base=$b" "$PROG" "$l"
    run base_alloc_space --alloc_space "--base=$b" "$PROG" "$l"
    if [ -n "$INTERVALS" ]; then
      run base_reverse "--base=$l" "$PROG" "$b"
      run base_reverse_cum --cum "--base=$l" "$PROG" "$b"
    fi
  fi
  if [ -n "$THREADS" ]; then
    run thread_all_manual '--thread=*' "$PROG" "$s"
    run thread_1_lines --thread=1 --lines "$PROG" "$s"
    run thread_all_objects --inuse_objects '--thread=*' "$PROG" "$s"
    run thread_4_base --thread=4 "--base=$f" "$PROG" "$s"
  fi
  [ -n "$FOCUS" ] && run focus "--focus=$FOCUS" "$PROG" "$f"
  [ -n "$IGNORE" ] && run ignore "--ignore=$IGNORE" "$PROG" "$f"
  [ -n "$RETAIN" ] && run retain "--retain=$RETAIN" "$PROG" "$f"
  [ -n "$EXCLUDE" ] && run exclude "--exclude=$EXCLUDE" "$PROG" "$f"
  run lines_cum --lines --cum "$PROG" "$f"
  run addresses_objects --addresses --inuse_objects "$PROG" "$s"
  run files_bytes --files --show_bytes "$PROG" "$s"
  # the program named other ways: relative (abs_path makes it match the
  # mapping), through a symlink (abs_path resolves it), from the parent dir
  run relprog ./prog "$f"
  if [ -L "$dir/prog-link" ]; then run symlink_prog "$dir/prog-link" "$f"; fi
  run_cmd "$scen" "$(dirname "$dir")" parent_cwd_lines --lines "$scen/prog" "$scen/$f"

  if [ -n "$BUILDID_DEBUG" ] || [ -n "$PATH_DEBUG" ]; then
    run byid_default --debug-syms-by-id "$PROG" "$f"
    run byid_lines --debug-syms-by-id --lines "$PROG" "$f"
  fi
  undo_changes
  if [ -n "$BUILDID_DEBUG" ] || [ -n "$PATH_DEBUG" ]; then
    # the same without the installed debug file (the ts cache is warm now)
    run nodebug_default "$PROG" "$f"
    run nodebug_lines --lines "$PROG" "$f"
  fi
  if [ -n "$DEBUGLINK" ]; then
    # the debuglink target taken away (the ts cache is warm now)
    hide "$DEBUGLINK"
    run nodebuglink_default "$PROG" "$f"
    run nodebuglink_lines --lines "$PROG" "$f"
    undo_changes
  fi
}

for dir in "$OUT"/*/; do
  dir=${dir%/}
  [ -f "$dir/scenario.env" ] || continue
  selected "$(basename "$dir")" || continue
  echo "== $(basename "$dir")"
  run_scenario "$dir"
done

echo "compare: $NMATCH MATCH, $NNONDET NONDET, $NDIFF DIFF (summary: $SUMMARY)" | tee -a "$SUMMARY"
[ "$NDIFF" -eq 0 ] && [ "$NNONDET" -eq 0 ]
