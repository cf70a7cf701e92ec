#!/usr/bin/env bash
# The crash test of issue 11 ("a living index"): kills the indexer with
# SIGKILL at random moments and checks each reopened index against clean
# builds. The issue's rule: after `kill -9` at any moment the index opens in
# the previous or the next state, never a mix and never silently empty; and
# the next writer finishes the work and removes what the killed run left.
#
#   bench/crash.sh                 # ROUNDS=20 random kills of `index`, plus the extra rounds below
#   ROUNDS=5 EXTRA=0 bench/crash.sh  # a quick look
#
# The corpus is made from ../shared/corpus/laws (skipped, exit 0, with a
# message, if it is absent) in WORK/corpus, by files spread over part1..part7:
#   state A: the first NA readable files (1,300), those that B deletes ending
#            with the sentence 崩溃测试删除标记。
#   state B: A less every 9th file (deleted), with every 9th file from the
#            5th edited (崩溃测试修改标记。 appended), and NADD (300) more files
#            in new/ (ending with 崩溃测试新增标记。).
# Clean indexes are built once: A1 (state A in one run: one segment), A7 (A
# in seven runs, part1 … part7: seven segments), B1 (state B in one run),
# and the references of every command run to completion without a kill
# (timed, with the moments of its commits, which the kill moments use).
#
# Rounds (each from a fresh copy of a clean index; the corpus stays in B):
#   - ROUNDS (20) of `noticesearch index --index IX corpus`, from A1 and A7
#     in turn (from A7 the update's commit makes 8 segments of one tier,
#     which a merge, a second commit, makes one), killed at a moment drawn
#     uniformly over the time the run takes, every third round drawn from
#     the last part instead, from 400 ms before the first commit to the end;
#   - EXTRA rounds (1 = on): 3 of `noticesearch optimize` (from A1 updated
#     to B: two segments, one with deletions), 3 of `noticesearch remove
#     corpus/part1 … part5` (from B1: the deletions, then the segment more
#     than half deleted rewritten, two commits), killed at random moments;
#     and 4 of `index` killed at an event rather than a moment, as soon as
#     a file is renamed into place (polled every millisecond): from A1, the
#     new segment's .tix (once), its .bleve folder (twice), the last step
#     before the commit; from A7, the .bleve folder of the merge's segment.
# A moment past the end of the run (the run finished first) is drawn again,
# below the run's time, at most three times. The run's time and commits
# are first the reference run's, then those of the latest resumed run that
# did the whole work (other work on the machine may slow every run).
#
# After each kill: `noticesearch check` must pass (exit 0, nothing damaged;
# files left by the killed run are listed as repairable); the index must
# answer exactly as one of the two states it was between (A or B; B or R,
# R = B after the remove) by `crash dump` (bench/crash/main.go: every
# notice with a hash of its metadata, file record and sections, and for
# every query of bench/terms.txt and the three markers the total sections,
# notices and every notice found with its matching sections' count) and by
# `noticesearch search --json` (total and notices per term, for the twenty
# benchmark terms and the markers). Then the same command is run again to
# completion: it must succeed, and the index must answer exactly as the
# next state, `check` must list no problem at all (what the killed run left
# removed), its size must be within 5% of the reference run's, and
# `noticesearch eval` must find every query exact.
#
# Prints a line per round and PASS or FAIL (exit 1), and writes
# bench/crash/results.md. Takes about 20 minutes on 2 cores (30 at a load of
# 10 from others).
#
# Environment (all optional):
#   SRC=../shared/corpus/laws     source corpus
#   WORK=/tmp/noticesearch-crash  corpus, indexes, binaries and logs (never the repository)
#   BUILD=commit                  commit: build HEAD's committed tree (git archive), with
#                                 bench/crash from the working tree; worktree: the working tree
#   ROUNDS=20 EXTRA=1 SEED=<time> rounds of `index`; the extra rounds (0: none); the random seed
#   NA=1300 NADD=300              files of state A; files state B adds
#   RUN_TIMEOUT=600               seconds any one run of noticesearch may take
#   OUT=bench/crash/results.md    the report (OUT= writes none)
#
# Every wait is bounded; every process it starts it stops, by pid (the
# helper kills the run it started). It deletes only what it made under
# WORK: folders holding its mark file .crash-made, and indexes (folders
# holding meta.json) it built.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

src_arg=${SRC:-../shared/corpus/laws}
if [ ! -d "$src_arg" ]; then
  echo "crash.sh: skipped: the corpus $src_arg is absent (it lives beside the repository in ../shared)" >&2
  exit 0
fi
src=$(cd "$src_arg" && pwd)
work=${WORK:-/tmp/noticesearch-crash}
build=${BUILD:-commit}
rounds=${ROUNDS:-20}
extra=${EXTRA:-1}
seed=${SEED:-$(date +%s)}
na=${NA:-1300}
nadd=${NADD:-300}
run_timeout=${RUN_TIMEOUT:-600}
out=${OUT-bench/crash/results.md}
case $work in "$repo" | "$repo"/* | / | "") echo "crash.sh: WORK must be outside the repository" >&2; exit 2 ;; esac
for v in rounds extra seed na nadd run_timeout; do
  case ${!v} in '' | *[!0-9]*) echo "crash.sh: $v must be a number, not '${!v}'" >&2; exit 2 ;; esac
done
RANDOM=$seed

log() { printf '%s crash.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now() { echo "${EPOCHREALTIME//[.,]/}"; }
since() { local d=$(($(now) - $1)); printf '%d.%03d' $((d / 1000000)) $((d % 1000000 / 1000)); }
die() { log "$*"; exit 1; }
# t SECONDS CMD...: CMD with a bound on its time.
t() { local s=$1; shift; timeout -k 10 "$s" "$@"; }

# mkmade DIR: a fresh folder of ours (removing an old one only if ours).
mkmade() {
  rmmade "$1"
  mkdir -p "$1"
  : >"$1/.crash-made"
}
# rmmade DIR: removes DIR if it is ours (marked, or an index: meta.json).
rmmade() {
  local d=$1
  case $d in "$work"/*) ;; *) die "refusing to remove $d: not under $work" ;; esac
  [ -e "$d" ] || return 0
  if [ -e "$d/.crash-made" ] || [ -e "$d/meta.json" ]; then
    rm -rf "$d"
  else
    die "$d is not of this script's making (no .crash-made, no meta.json); remove it or choose another WORK"
  fi
}
# newix DIR: an empty folder for an index (removing ours before).
newix() { rmmade "$1"; }
# copyix FROM TO: a copy of a clean index, everything preserved.
copyix() { rmmade "$2"; cp -a "$1" "$2"; }

mkdir -p "$work"
[ -e "$work/.crash-made" ] || [ -z "$(ls -A "$work")" ] || die "$work exists and is not of this script's making; choose another WORK"
: >"$work/.crash-made"
bin_dir=$work/bin
mkdir -p "$bin_dir"

# --- build -----------------------------------------------------------------
commit=$(git rev-parse --short HEAD)
if [ "$build" = worktree ]; then
  log "building the working tree"
  go build -o "$bin_dir/noticesearch" ./cmd/noticesearch
  go build -o "$bin_dir/crash" ./bench/crash
  built_from="the working tree at commit $commit"
  if [ -n "$(git status --porcelain -- cmd indexer search dict go.mod go.sum bundled.go)" ]; then
    commit="$commit+changes"
    built_from="$built_from (with uncommitted changes)"
  fi
else
  # The committed tree alone, so that others' uncommitted edits are not
  # tested; the helper is this working tree's bench/crash, built with the
  # committed packages so that it reads the index as the binary writes it.
  log "building commit $commit"
  tree=$bin_dir/tree
  mkmade "$tree"
  git archive HEAD | tar -x -C "$tree"
  mkdir -p "$tree/bench/crash"
  cp bench/crash/*.go "$tree/bench/crash/"
  (cd "$tree" && go build -o "$bin_dir/noticesearch" ./cmd/noticesearch && go build -o "$bin_dir/crash" ./bench/crash)
  rmmade "$tree"
  built_from="commit $commit (its committed tree, exported with git archive)"
fi
ns=$bin_dir/noticesearch
helper=$bin_dir/crash

# --- queries ---------------------------------------------------------------
mark_del=崩溃测试删除标记
mark_edit=崩溃测试修改标记
mark_add=崩溃测试新增标记
mapfile -t terms < <(awk '/^# the benchmark.s twenty terms/ {on = 1; next} /^#/ {on = 0} on && NF' bench/terms.txt)
[ "${#terms[@]}" -eq 20 ] || die "expected 20 terms in bench/terms.txt, found ${#terms[@]}"
cli_terms=("${terms[@]}" "$mark_del" "$mark_edit" "$mark_add")
queries=$work/queries.txt
{ cat bench/terms.txt; echo "# crash.sh's markers"; echo "$mark_del"; echo "$mark_edit"; echo "$mark_add"; } >"$queries"

# --- corpus ------------------------------------------------------------------
# Everything runs from WORK, with the corpus named "corpus": notices keep
# the path they were given, so every index names the same files alike.
cd "$work"
logs=$work/logs
mkmade "$logs"
log "choosing the files (noticesearch parse: files that are not notices are left out)"
mapfile -t all < <(find "$src" -maxdepth 1 -type f -name '*.md' | sort)
# Files parse rejects would fail every run (exit 1); they are left out.
t 600 "$ns" parse --quiet "${all[@]:0:$((na + nadd + 50))}" >"$logs/parse.out" 2>&1 || true
mapfile -t rejected < <(sed -n 's/^skip \(.*\): .*$/\1/p' "$logs/parse.out")
declare -A skip=()
for f in "${rejected[@]}"; do skip[$f]=1; done
files=()
for f in "${all[@]}"; do
  [ -n "${skip[$f]:-}" ] && continue
  files+=("$f")
  [ "${#files[@]}" -ge $((na + nadd)) ] && break
done
[ "${#files[@]}" -eq $((na + nadd)) ] || die "only ${#files[@]} readable files in $src, $((na + nadd)) wanted"

corpus=$work/corpus
mkmade "$corpus"
deleted=() edited=() added=()
for ((i = 0; i < na; i++)); do
  f=${files[$i]}
  part=part$((i % 7 + 1))
  mkdir -p "$corpus/$part"
  dst=$corpus/$part/$(basename "$f")
  cp -p "$f" "$dst"
  if ((i % 9 == 0)); then
    printf '\n\n%s：本文件在状态B中删除。\n' "$mark_del" >>"$dst"
    deleted+=("$dst")
  elif ((i % 9 == 4)); then
    edited+=("$dst")
  fi
done
log "state A: $na files in $corpus (${#deleted[@]} to be deleted, ${#edited[@]} to be edited, $nadd to be added)"

# --- clean indexes -----------------------------------------------------------
# index_clean IX PATH...: a clean build that must succeed.
index_clean() {
  local ix=$1
  shift
  t "$run_timeout" "$ns" index --index "$ix" "$@" >>"$logs/clean.out" 2>&1 || die "noticesearch index --index $ix $* failed: see $logs/clean.out"
}
ixA1=$work/clean-A1 ixA7=$work/clean-A7 ixB1=$work/clean-B1
newix "$ixA1"
log "clean A1: state A in one run"
t0=$(now)
index_clean "$ixA1" corpus
secs_A1=$(since "$t0")
newix "$ixA7"
log "clean A7: state A in seven runs"
for k in 1 2 3 4 5 6 7; do index_clean "$ixA7" "corpus/part$k"; done

log "state B: deleting ${#deleted[@]}, editing ${#edited[@]}, adding $nadd"
rm -f "${deleted[@]}"
for f in "${edited[@]}"; do printf '\n\n%s：本文件在状态B中修改。\n' "$mark_edit" >>"$f"; done
mkdir -p "$corpus/new"
for ((i = na; i < na + nadd; i++)); do
  dst=$corpus/new/$(basename "${files[$i]}")
  cp -p "${files[$i]}" "$dst"
  printf '\n\n%s：本文件在状态B中新增。\n' "$mark_add" >>"$dst"
  added+=("$dst")
done
newix "$ixB1"
log "clean B1: state B in one run"
t0=$(now)
index_clean "$ixB1" corpus
secs_B1=$(since "$t0")

# dump IX FILE: what IX answers (crash dump); its stderr (generation,
# segments, or the error) in FILE.err.
dump() { t 300 "$helper" dump -index "$1" -terms "$queries" >"$2" 2>"$2.err"; }
# cli IX FILE: total and notices of each CLI term, by noticesearch search.
cli() {
  local ix=$1 f=$2 term body rc
  : >"$f"
  for term in "${cli_terms[@]}"; do
    rc=0
    body=$(t 120 "$ns" search --index "$ix" --json --size 1 "$term" 2>>"$f.err") || rc=$?
    if [ "$rc" != 0 ]; then echo "$term error $rc" >>"$f"; continue; fi
    printf '%s %s %s\n' "$term" "$(grep -o '"total":[0-9]*' <<<"$body" | head -1 | cut -d: -f2)" \
      "$(grep -o '"notices":[0-9]*' <<<"$body" | head -1 | cut -d: -f2)" >>"$f"
  done
}
# checkix IX FILE: noticesearch check --json into FILE; sets check_rc,
# check_damaged, check_repairable.
checkix() {
  check_rc=0
  t 300 "$ns" check --index "$1" --json >"$2" 2>"$2.err" || check_rc=$?
  check_damaged=$(grep -c '"damaged": true' "$2" || true)
  check_repairable=$(grep -c '"damaged": false' "$2" || true)
}
# gen_segs FILE: "gN/sM" from a check --json report.
gen_segs() { printf 'g%s/s%s' "$(grep -o '"generation": [0-9]*' "$1" | grep -o '[0-9]*$')" "$(grep -o '"segments": [0-9]*' "$1" | grep -o '[0-9]*$')"; }
# marker_count DUMP MARKER: notices the marker finds in a dump.
marker_count() { awk -v q="query $2" -F'\t' '$1 == q { sub(/^notices /, "", $3); print $3 }' "$1"; }
size_of() { du -sb "$1" | cut -f1; }

refs=$work/refs
mkmade "$refs"
for s in A1 A7 B1; do
  v=ixA1; [ "$s" = A7 ] && v=ixA7; [ "$s" = B1 ] && v=ixB1
  dump "${!v}" "$refs/$s.dump" || die "crash dump of clean $s failed: $(cat "$refs/$s.dump.err")"
  checkix "${!v}" "$refs/$s.check"
  [ "$check_rc" = 0 ] && [ "$check_damaged" = 0 ] && [ "$check_repairable" = 0 ] || die "clean $s does not check: $(cat "$refs/$s.check" "$refs/$s.check.err")"
done
cmp -s "$refs/A1.dump" "$refs/A7.dump" || die "clean A in one run and in seven answer differently: diff $refs/A1.dump $refs/A7.dump"
cp "$refs/A1.dump" "$refs/A.dump"
cp "$refs/B1.dump" "$refs/B.dump"
cmp -s "$refs/A.dump" "$refs/B.dump" && die "states A and B answer alike"
# The markers find what they should.
n_del=${#deleted[@]} n_edit=${#edited[@]}
for want in "A $mark_del $n_del" "A $mark_edit 0" "A $mark_add 0" "B $mark_del 0" "B $mark_edit $n_edit" "B $mark_add $nadd"; do
  read -r s m n <<<"$want"
  got=$(marker_count "$refs/$s.dump" "$m")
  [ "$got" = "$n" ] || die "in clean $s, $m finds ${got:-nothing} notices, not $n"
done
cli "$ixA1" "$refs/A.cli"
cli "$ixB1" "$refs/B.cli"
grep -q ' error ' "$refs/A.cli" "$refs/B.cli" && die "noticesearch search failed on a clean index: $refs/*.cli"
for s in A B; do
  v=ixA1; [ "$s" = B ] && v=ixB1
  t 600 "$ns" eval --index "${!v}" --terms "$queries" >"$refs/$s.eval" 2>&1 || die "eval is not exact on clean $s: $refs/$s.eval"
done
notices_A=$(head -1 "$refs/A.dump" | cut -d' ' -f2)
notices_B=$(head -1 "$refs/B.dump" | cut -d' ' -f2)
log "clean indexes: A $notices_A notices (A1 in $secs_A1 s), B $notices_B notices (B1 in $secs_B1 s); A1 and A7 answer alike"

# --- reference runs: each command to completion, timed ---------------------
# refrun NAME START CMD...: runs CMD (its --index the copy) to completion
# on a copy of START; keeps the result as refs/NAME.ix, its time in
# T[NAME] (ms) and its commits' moments in C[NAME].
declare -A T C RT RC SIZE NAMES
refrun() {
  local name=$1 start=$2 ix=$work/ref-$1 line
  shift 2
  copyix "$start" "$ix"
  line=$(t $((run_timeout + 30)) "$helper" run -dir "$ix" -timeout "$run_timeout" -- "$ns" "$1" --index "$ix" "${@:2}" 2>"$logs/ref-$name.err" | tail -1)
  case $line in "exited 0 "*) ;; *) die "reference run $name: $line; see $logs/ref-$name.err" ;; esac
  T[$name]=$(cut -d' ' -f3 <<<"$line" | cut -d. -f1)
  C[$name]=$(sed 's/.*commits *//' <<<"$line")
  RT[$name]=${T[$name]} RC[$name]=${C[$name]}
  checkix "$ix" "$refs/$name.check"
  [ "$check_rc" = 0 ] && [ "$check_damaged" = 0 ] && [ "$check_repairable" = 0 ] || die "reference run $name leaves problems: $refs/$name.check"
  SIZE[$name]=$(size_of "$ix")
  NAMES[$name]=$(cd "$ix" && ls | tr '\n' ' ')
  dump "$ix" "$refs/$name.dump" || die "crash dump of reference $name failed"
  log "reference $name: ${T[$name]} ms, commits at ${C[$name]:-none} ms, $(gen_segs "$refs/$name.check"), $((SIZE[$name] / 1048576)) MiB"
}
refrun upd1 "$ixA1" index corpus
cmp -s "$refs/upd1.dump" "$refs/B.dump" || die "A1 updated to B answers differently from clean B: diff $refs/upd1.dump $refs/B.dump"
refrun upd7 "$ixA7" index corpus
cmp -s "$refs/upd7.dump" "$refs/B.dump" || die "A7 updated to B answers differently from clean B"
rm_paths=(corpus/part1 corpus/part2 corpus/part3 corpus/part4 corpus/part5)
if [ "$extra" = 1 ]; then
  refrun opt "$work/ref-upd1" optimize
  cmp -s "$refs/opt.dump" "$refs/B.dump" || die "optimize changed what the index answers"
  refrun rm "$ixB1" remove "${rm_paths[@]}"
  cp "$refs/rm.dump" "$refs/R.dump"
  cmp -s "$refs/R.dump" "$refs/B.dump" && die "the remove changed nothing"
  cli "$work/ref-rm" "$refs/R.cli"
fi
# refs/STATE.ix for the after-state of each kind of round.
declare -A START PREV NEXT CMDS
START[upd1]=$ixA1 PREV[upd1]=A NEXT[upd1]=B
START[upd7]=$ixA7 PREV[upd7]=A NEXT[upd7]=B
START[opt]=$work/ref-upd1 PREV[opt]=B NEXT[opt]=B
START[rm]=$ixB1 PREV[rm]=B NEXT[rm]=R

# --- the schedule -------------------------------------------------------------
# Each round: KIND HOW, HOW = uniform | end | when:GLOB.
schedule=()
for ((i = 0; i < rounds; i++)); do
  kind=upd1
  ((i % 2 == 1)) && kind=upd7
  how=uniform
  ((i % 3 == 2)) && how=end
  schedule+=("$kind $how")
done
if [ "$extra" = 1 ]; then
  schedule+=("opt uniform" "opt uniform" "opt end" "rm uniform" "rm uniform" "rm end")
  # The merge's segment of upd7: the one segment of its reference's end.
  merged=$(cd "$work/ref-upd7" && ls -d seg-*.bleve | head -1)
  schedule+=("upd1 when:seg-*.tix" "upd1 when:seg-*.bleve" "upd1 when:seg-*.bleve" "upd7 when:$merged")
fi

# rand N: a random integer in [0, N) into r (no subshell: bash reseeds
# RANDOM in subshells, and SEED would no longer repeat a run's moments).
rand() { r=$((((RANDOM << 15) | RANDOM) % ($1 > 0 ? $1 : 1))); }
# moment KIND HOW: the milliseconds to kill at, into at.
moment() {
  local kind=$1 how=$2 total=${T[$1]} first lo
  if [ "$how" = end ]; then
    first=${C[$kind]%%,*}
    first=${first%%.*}
    lo=$((first - 400))
    ((lo < 0)) && lo=0
    rand $((total - lo + 1))
    at=$((lo + r))
  else
    rand $((total + 1))
    at=$r
  fi
}

# --- rounds -----------------------------------------------------------------
declare -a ROW
declare -A FOUND
fails=0
rdir=$work/round
t_all=$(now)
n=0
for entry in "${schedule[@]}"; do
  n=$((n + 1))
  read -r kind how <<<"$entry"
  prev=${PREV[$kind]} next=${NEXT[$kind]}
  case $kind in
    upd1 | upd7) cmd=(index --index "$rdir" corpus) ;;
    opt) cmd=(optimize --index "$rdir") ;;
    rm) cmd=(remove --index "$rdir" "${rm_paths[@]}") ;;
  esac
  problems=()
  t_used=${T[$kind]}
  # The killed run, from a fresh copy; a moment past the run's end is
  # drawn again below the time the run took.
  tries=0 limit=
  while :; do
    tries=$((tries + 1))
    copyix "${START[$kind]}" "$rdir"
    if [ "${how#when:}" != "$how" ]; then
      killarg=(-kill-when "${how#when:}")
      at_label=${how#when:}
    else
      moment "$kind" "$how"
      if [ -n "$limit" ]; then rand "$limit"; at=$r; fi
      killarg=(-kill-after "$at")
      at_label=$how
    fi
    line=$(t $((run_timeout + 30)) "$helper" run "${killarg[@]}" -dir "$rdir" -timeout "$run_timeout" -- "$ns" "${cmd[@]}" >"$logs/round-$n.run.out" 2>"$logs/round-$n.run.err"; tail -1 "$logs/round-$n.run.out")
    case $line in
      killed*) break ;;
      "exited "*)
        if ((tries >= 3)) || [ "${how#when:}" != "$how" ]; then break; fi
        limit=$(($(cut -d' ' -f3 <<<"$line" | cut -d. -f1) * 95 / 100))
        log "round $n: the run ended (${line%% commits*}) before the kill; drawing again below $limit ms"
        ;;
      *) break ;;
    esac
  done
  killed_at=$(cut -d' ' -f2 <<<"$line")
  commits=$(sed 's/.*commits *//' <<<"$line")
  case $line in
    killed*) what="killed at $killed_at ms" ;;
    "exited "*) what="not killed: $(cut -d' ' -f1-2 <<<"$line") at $(cut -d' ' -f3 <<<"$line") ms"; problems+=("the run ended before the kill") ;;
    *) what="$line"; problems+=("run: $line") ;;
  esac
  left=$(comm -13 <(ls "${START[$kind]}") <(ls "$rdir") | tr '\n' ' ')

  # The index as the kill left it.
  checkix "$rdir" "$logs/round-$n.check1"
  gs1=$(gen_segs "$logs/round-$n.check1")
  c1="ok"
  if [ "$check_rc" != 0 ] || [ "$check_damaged" != 0 ]; then
    c1="**exit $check_rc, $check_damaged damaged**"
    problems+=("check after the kill: exit $check_rc, $check_damaged damaged")
  fi
  rep1=$check_repairable
  found=error
  if dump "$rdir" "$logs/round-$n.dump1"; then
    found=mix
    for s in "$prev" "$next"; do
      if cmp -s "$logs/round-$n.dump1" "$refs/$s.dump"; then found=$s; break; fi
    done
  fi
  case $found in
    error) problems+=("the killed index does not open: $(head -c 300 "$logs/round-$n.dump1.err")") ;;
    mix) problems+=("the killed index answers as neither $prev nor $next (diff $logs/round-$n.dump1 $refs/$prev.dump)") ;;
  esac
  cli1=-
  if [ "$found" = "$prev" ] || [ "$found" = "$next" ]; then
    cli "$rdir" "$logs/round-$n.cli1"
    if cmp -s "$logs/round-$n.cli1" "$refs/$found.cli"; then cli1=same; else cli1="**differs**"; problems+=("noticesearch search after the kill differs from clean $found: diff $logs/round-$n.cli1 $refs/$found.cli"); fi
  fi

  # The same command again, to completion.
  line2=$(t $((run_timeout + 30)) "$helper" run -dir "$rdir" -timeout "$run_timeout" -- "$ns" "${cmd[@]}" >"$logs/round-$n.resume.out" 2>"$logs/round-$n.resume.err"; tail -1 "$logs/round-$n.resume.out")
  rc2=$(cut -d' ' -f2 <<<"$line2")
  resume="exit $rc2 in $(cut -d' ' -f3 <<<"$line2" | cut -d. -f1) ms"
  case $line2 in
    "exited 0 "*) ;;
    "exited 1 "*)
      # remove again after the remove committed: its paths name no notice any more.
      if [ "$kind" = rm ] && [ "$found" = R ] && ! grep -v 'no notice of this path\|^removed 0 notices\|^exited ' "$logs/round-$n.resume.out" | grep -q .; then
        resume="$resume (nothing left to remove)"
      else
        problems+=("the resumed run failed: $(grep -v '^exited\|^$' "$logs/round-$n.resume.err" | head -1)")
        resume="**$resume: $(grep -v '^$' "$logs/round-$n.resume.err" | head -1 | sed "s|$work/||g" | cut -c1-160)**"
      fi
      ;;
    *) problems+=("the resumed run: $line2"); resume="**$line2**" ;;
  esac
  # A failed resume is tried once more, to see whether the index recovers.
  if [ "$line2" != "${line2#exited}" ] && [ "${line2#exited 0 }" = "$line2" ] && ! [ "$kind" = rm ] && [ "$found" != error ]; then
    line3=$(t $((run_timeout + 30)) "$helper" run -dir "$rdir" -timeout "$run_timeout" -- "$ns" "${cmd[@]}" >"$logs/round-$n.resume2.out" 2>"$logs/round-$n.resume2.err"; tail -1 "$logs/round-$n.resume2.out")
    resume="$resume; again: exit $(cut -d' ' -f2 <<<"$line3")"
  fi
  # A resumed run that did all the work (as many commits as the
  # reference's) is the newest measure of the run, for the next moments:
  # other work on the machine may slow every run down.
  commits2=$(sed 's/.*commits *//' <<<"$line2")
  if [ "${line2#exited 0 }" != "$line2" ] && [ "$(tr -cd , <<<"$commits2")" = "$(tr -cd , <<<"${C[$kind]}")" ] && [ -n "$commits2" ]; then
    T[$kind]=$(cut -d' ' -f3 <<<"$line2" | cut -d. -f1)
    C[$kind]=$commits2
  fi
  checkix "$rdir" "$logs/round-$n.check2"
  gs2=$(gen_segs "$logs/round-$n.check2")
  c2=ok
  if [ "$check_rc" != 0 ] || [ "$check_damaged" != 0 ] || [ "$check_repairable" != 0 ]; then
    c2="**exit $check_rc, $check_damaged damaged, $check_repairable left**"
    problems+=("check after the resumed run: exit $check_rc, $check_damaged damaged, $check_repairable repairable: $(grep -o '"part": "[^"]*"' "$logs/round-$n.check2" | tr '\n' ' ')")
  fi
  final=error
  if dump "$rdir" "$logs/round-$n.dump2"; then
    final=mix
    for s in "$next" "$prev"; do
      if cmp -s "$logs/round-$n.dump2" "$refs/$s.dump"; then final=$s; break; fi
    done
  fi
  [ "$final" = "$next" ] || problems+=("after the resumed run the index answers as $final, not $next")
  cli2=-
  if [ "$final" = "$next" ]; then
    cli "$rdir" "$logs/round-$n.cli2"
    if cmp -s "$logs/round-$n.cli2" "$refs/$next.cli"; then cli2=same; else cli2="**differs**"; problems+=("noticesearch search after the resumed run differs from clean $next"); fi
  fi
  size=$(size_of "$rdir")
  ref_size=${SIZE[$kind]}
  size_pct=$(awk -v a="$size" -v b="$ref_size" 'BEGIN { printf "%+.1f", (a - b) * 100 / b }')
  if awk -v a="$size" -v b="$ref_size" 'BEGIN { exit !((a - b) * 100 / b > 5 || (b - a) * 100 / b > 5) }'; then
    problems+=("size $size bytes, the reference run's $ref_size ($size_pct%)")
    size_pct="**$size_pct%**"
  else
    size_pct="$size_pct%"
  fi
  ev=-
  if [ "$final" != error ]; then
    if t 600 "$ns" eval --index "$rdir" --terms "$queries" >"$logs/round-$n.eval" 2>&1; then ev=exact; else ev="**$(tail -1 "$logs/round-$n.eval")**"; problems+=("eval: $(tail -1 "$logs/round-$n.eval")"); fi
  fi

  verdict=pass
  if [ "${#problems[@]}" -gt 0 ]; then
    verdict=FAIL
    fails=$((fails + 1))
    printf '%s\n' "${problems[@]}" >"$logs/round-$n.problems"
    # The index is kept for a look.
    rmmade "$work/failed-$n"
    mv "$rdir" "$work/failed-$n"
  fi
  FOUND[$found]=$((${FOUND[$found]:-0} + 1))
  ROW[$n]="| $n | $kind | $at_label | $what | $t_used | ${commits:--} | ${left:--} | $c1 (${rep1} repairable) $gs1 | **$found** | $cli1 | $resume | $c2 $gs2 | $final | $cli2 | $size_pct | $ev | $verdict |"
  echo "${ROW[$n]}" >>"$logs/rows.md"
  log "round $n/${#schedule[@]} $kind $at_label: $what (run $t_used ms), found $found ($gs1, check $c1, $rep1 left, cli $cli1); resumed: $resume -> $final ($gs2, check $c2, cli $cli2, size $size_pct, eval $ev): $verdict"
  for p in "${problems[@]}"; do log "  round $n: $p"; done
done
rmmade "$rdir"
secs_rounds=$(since "$t_all")

# --- report -----------------------------------------------------------------
result=PASS
[ "$fails" = 0 ] || result=FAIL
summary="$result: $((${#schedule[@]} - fails)) of ${#schedule[@]} rounds pass (seed $seed); states found after the kill: $(for s in A B R mix error; do if [ -n "${FOUND[$s]:-}" ]; then printf '%s %s, ' "$s" "${FOUND[$s]}"; fi; done | sed 's/, $//')"
log "$summary; rounds took $secs_rounds s"
cmdline="bench/crash.sh"
for v in ROUNDS EXTRA SEED NA NADD BUILD; do
  if [ -n "${!v:-}" ]; then cmdline="$v=${!v} $cmdline"; fi
done
if [ -n "$out" ]; then
  cd "$repo"
  {
    echo "# Crash test (issue 11)"
    echo
    echo "Written by \`$cmdline\` (seed $seed; \`SEED=$seed bench/crash.sh\` draws the same moments) on $(date -u '+%Y-%m-%d %H:%M UTC'), $built_from, $(nproc) cores, $(go version | cut -d' ' -f3); the rounds took $secs_rounds s."
    echo
    echo "**$summary.**"
    echo
    echo "Corpus: $na files of \`${src_arg}\` as state A ($notices_A notices), state B deletes ${#deleted[@]}, edits ${#edited[@]} and adds $nadd ($notices_B notices). Clean A in one run took $secs_A1 s, clean B $secs_B1 s. Runs to completion without a kill (the references): $(for k in upd1 upd7 opt rm; do if [ -n "${RT[$k]:-}" ]; then printf '%s %s ms (commits at %s ms; ends %s), ' "$k" "${RT[$k]}" "${RC[$k]}" "$(gen_segs "$work/refs/$k.check")"; fi; done | sed 's/, $//')."
    echo
    echo "Kinds: **upd1** \`noticesearch index --index IX corpus\` from clean A in one segment (one commit); **upd7** the same from clean A in seven segments (the update's commit, then a merge of eight segments, a second commit); **opt** \`noticesearch optimize\` from A1 updated to B (two segments into one); **rm** \`noticesearch remove corpus/part1 … part5\` from clean B (the deletions, then the segment more than half deleted rewritten). Moment: *uniform* over the run's time, *end* from 400 ms before its first commit to its end, or a file of the new segment appearing (polled every ms). States: A, B (clean builds), R (B after the remove run to completion); gN/sM = generation and segments."
    echo
    echo "| # | kind | moment | kill | full run (ms) | commits seen before the kill (ms) | files new since the start (committed or left) | check after the kill | state found | search (CLI) | same command again | check after | state after | search after | size vs reference | eval | verdict |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for ((i = 1; i <= n; i++)); do echo "${ROW[$i]}"; done
    echo
    echo "Each round copies a clean index (\`cp -a\`), runs the command with the corpus in state B under \`bench/crash\` (\`crash run\`, which sends SIGKILL at the moment), then: \`noticesearch check --json\` (exit 0, nothing damaged); \`crash dump\` (every live notice with a SHA-256 of its metadata, file record and sections; and for each of the $(grep -cv '^#\|^$' "$queries") queries of bench/terms.txt plus the three markers the total sections, notices and every notice found with its count of matching sections, paged with one hit per notice) compared byte for byte with the clean states' dumps; \`noticesearch search --json --size 1\` (total and notices) for the twenty benchmark terms and the markers 崩溃测试删除标记 (only in files B deletes), 崩溃测试修改标记 (only in B's edits) and 崩溃测试新增标记 (only in B's new files) compared with the clean states'. Then the same command runs to completion and the checks are repeated, with \`check\` listing no problem at all (files left by the killed run removed), the folder's size within 5% of the reference run's, and \`noticesearch eval --terms\` exact."
  } >"$out"
  log "wrote $out"
fi
[ "$fails" = 0 ]
