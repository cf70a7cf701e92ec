#!/usr/bin/env bash
# The scale benchmark of issue 11 ("a living index"): measures noticesearch on
# the laws corpus (1×) and on N altered copies of it (N×, default 50) in one
# run, and writes bench/scale/results-<N>x.md with both columns and the
# issue's targets beside each figure.
#
#   bench/scale.sh [N]          # default 50; SCALE=N works too; N=1 measures 1× only
#
# Per scale it measures, with the CLI and the HTTP API as they are:
#   - indexing: wall time, rate (MB/s of text), peak RSS (/usr/bin/time -v,
#     else VmHWM polled from /proc), size on disk (du) and its ratio to the text;
#   - serve start-up until /readyz answers 200, with the page cache warm (just
#     after indexing) and after dropping it (when the kernel lets us);
#   - serve's anonymous RSS (RssAnon in /proc/PID/status) after the queries;
#   - warm latency: RUNS requests per term of the twenty benchmark terms over
#     one kept-alive connection, the first two discarded; median and p90;
#   - cold latency: the first request of each term after a fresh serve start,
#     over COLD_RUNS starts (page cache dropped before each when possible);
#   - the time from adding 100 new files to seeing them in a running serve.
#
# Environment (all optional):
#   SRC=../shared/corpus/laws   source corpus (the 1× corpus)
#   WORK=/tmp/noticesearch-scale  corpora, indexes, binaries and logs (never the repository)
#   BUILD=commit                commit: build HEAD's committed tree (git archive);
#                               worktree: build the working tree as it is
#   RUNS=30 COLD_RUNS=5         warm requests per term; fresh starts for cold figures
#   ADD_TIMEOUT=60              seconds to wait for the 100 new files to show
#   STARTUP_TIMEOUT=600         seconds to wait for /readyz
#   INDEX_TIMEOUT=10800         seconds indexing may take before it is stopped (the run fails)
#   QUIET_LOAD=0.5 QUIET_WAIT=120  before each scale, wait at most QUIET_WAIT s for
#                               the 1-minute load average to fall below QUIET_LOAD
#   DROP_CACHES=auto            auto: drop the page cache before indexing and before
#                               each cold start if /proc/sys/vm/drop_caches is
#                               writable (root); 0: never
#
# Every wait is bounded; every process it starts it stops, by pid. It deletes
# only what it made under WORK: an index it built (a folder holding
# meta.json) and a folder of new files gencorpus made (holding .gencorpus).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

scale=${1:-${SCALE:-50}}
case $scale in '' | *[!0-9]* | 0) echo "scale.sh: scale must be a positive integer, not '$scale'" >&2; exit 2 ;; esac
src=$(cd "${SRC:-../shared/corpus/laws}" && pwd)
work=${WORK:-/tmp/noticesearch-scale}
build=${BUILD:-commit}
runs=${RUNS:-30}
cold_runs=${COLD_RUNS:-5}
add_timeout=${ADD_TIMEOUT:-60}
startup_timeout=${STARTUP_TIMEOUT:-600}
index_timeout=${INDEX_TIMEOUT:-10800}
quiet_load=${QUIET_LOAD:-0.5}
quiet_wait=${QUIET_WAIT:-120}
drop=${DROP_CACHES:-auto}
out=bench/scale/results-${scale}x.md
case $work in "$repo" | "$repo"/*) echo "scale.sh: WORK must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$work/bin"

# The twenty benchmark terms: the block of bench/terms.txt under its
# "# the benchmark's twenty terms" comment, the list bench/compare uses.
mapfile -t terms < <(awk '/^# the benchmark.s twenty terms/ {on = 1; next} /^#/ {on = 0} on && NF' bench/terms.txt)
if [ "${#terms[@]}" -ne 20 ]; then
  echo "scale.sh: expected 20 terms in bench/terms.txt, found ${#terms[@]}" >&2
  exit 1
fi

log() { printf '%s scale.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# now: microseconds since the epoch (bash's own clock, no process started).
now() { echo "${EPOCHREALTIME//[.,]/}"; }
# since T: seconds elapsed since T (microseconds from now), 3 decimals.
since() { local d=$(($(now) - $1)); printf '%d.%03d' $((d / 1000000)) $((d % 1000000 / 1000)); }
# over T SECONDS: whether more than SECONDS have passed since T.
over() { (($(now) - $1 > $2 * 1000000)); }
# calc EXPR: floating-point arithmetic (or a comparison, giving 1 or 0)
# through awk; the parentheses keep > from being read as a redirection.
calc() { awk "BEGIN { printf \"%s\", ($1) }"; }
# pct P: the P-quantile (0..1) of the numbers on stdin, as bench/compare
# takes it (sorted, index min(n-1, floor(P*n))).
pct() { sort -g | awk -v p="$1" '{ a[NR] = $1 } END { if (NR == 0) { print "nan"; exit } i = int(p * NR); if (i > NR - 1) i = NR - 1; print a[i + 1] }'; }
# urlenc S: percent-encodes every byte of S.
urlenc() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n' | sed 's/../%&/g'; }
mib() { calc "$1 / 1048576"; }

can_drop=no
if [ "$drop" != 0 ] && [ -w /proc/sys/vm/drop_caches ] && sync && echo 1 >/proc/sys/vm/drop_caches 2>/dev/null; then
  can_drop=yes
fi
# drop_cache: empties the page cache (file pages only: echo 1) when allowed.
drop_cache() { if [ "$can_drop" = yes ]; then sync; echo 1 >/proc/sys/vm/drop_caches; fi; }

# wait_quiet: waits (at most QUIET_WAIT s) for the 1-minute load average to
# fall below QUIET_LOAD, since other work on this small machine skews every
# figure; the report gives the load and the CPU others used while indexing.
wait_quiet() {
  local t0
  t0=$(now)
  while [ "$(calc "$(cut -d' ' -f1 /proc/loadavg) >= $quiet_load")" = 1 ] && ! over "$t0" "$quiet_wait"; do
    sleep 5
  done
  if [ "$(calc "$(cut -d' ' -f1 /proc/loadavg) >= $quiet_load")" = 1 ]; then
    log "load average still $(cut -d' ' -f1 /proc/loadavg) after ${quiet_wait} s; measuring anyway"
  fi
}
# cpu_busy: CPU time spent by everything on the machine so far, in clock ticks.
cpu_busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
clk_tck=$(getconf CLK_TCK)

# --- processes we start, stopped on any exit ------------------------------
serve_pid=
index_pid=
cleanup() {
  if [ -n "$index_pid" ]; then kill "$index_pid" 2>/dev/null || true; fi
  if [ -n "$serve_pid" ]; then stop_serve; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build -----------------------------------------------------------------
commit=$(git rev-parse --short HEAD)
if [ "$build" = worktree ]; then
  bin=$work/bin/noticesearch-worktree
  log "building the working tree into $bin"
  go build -o "$bin" ./cmd/noticesearch
  built_from="the working tree at commit $commit (uncommitted changes included)"
  if [ -n "$(git status --porcelain)" ]; then commit="$commit+changes"; fi
else
  # git archive gives the committed tree alone: the developer's uncommitted
  # edits are neither measured nor able to break the build.
  bin=$work/bin/noticesearch-$commit
  if [ ! -x "$bin" ]; then
    log "building commit $commit into $bin"
    tree=$work/build/$commit
    rm -rf "$tree" && mkdir -p "$tree"
    git archive HEAD | tar -x -C "$tree"
    (cd "$tree" && go build -o "$bin" ./cmd/noticesearch)
  fi
  built_from="commit $commit (its committed tree, exported with git archive)"
fi
gencorpus=$work/bin/gencorpus
go build -o "$gencorpus" ./bench/scale/gencorpus

# --- serve -----------------------------------------------------------------
# start_serve LOGPREFIX [PATH...]: starts serve on a free loopback port with
# the result cache off and waits until /readyz answers 200. Sets serve_pid,
# base and startup (seconds from launch to ready).
start_serve() {
  local logp=$1
  shift
  local t0
  t0=$(now)
  "$bin" serve --index "$ix" --cache 0 --addr 127.0.0.1:0 "$@" >"$logp.out" 2>"$logp.err" &
  serve_pid=$!
  base=
  while :; do
    if [ -z "$base" ]; then
      base=$(sed -n 's|^noticesearch: serving on \(http://[^ ]*\)/$|\1|p' "$logp.out" | head -1)
    fi
    if [ -n "$base" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/readyz" || true)" = 200 ]; then
      break
    fi
    if ! kill -0 "$serve_pid" 2>/dev/null; then
      log "serve exited before it was ready; its log:"
      cat "$logp.err" >&2
      serve_pid=
      exit 1
    fi
    if over "$t0" "$startup_timeout"; then
      log "serve not ready after $startup_timeout s"
      exit 1
    fi
    sleep 0.01
  done
  startup=$(since "$t0")
}

# stop_serve: SIGTERM, then SIGKILL if it is still there after 30 s.
stop_serve() {
  local i
  kill -TERM "$serve_pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=
}

# status_kib FIELD: a field of serve's /proc/PID/status, in KiB.
status_kib() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$serve_pid/status"; }

# search_counts QUERY: "total notices" of a search (one hit, no highlighting),
# counted exactly (track_total_hits=true), not as lower bounds past 10,000.
search_counts() {
  local body
  body=$(curl -s --max-time 10 "$base/api/search?size=1&highlight=false&track_total_hits=true&q=$(urlenc "$1")" || true)
  printf '%s %s\n' "$(grep -o '"total":[0-9]*' <<<"$body" | head -1 | cut -d: -f2)" \
    "$(grep -o '"notices":[0-9]*' <<<"$body" | head -1 | cut -d: -f2)"
}

# first_queries FILE: the first request of each term, one curl each (a new
# connection, as a first visitor's), appended to FILE as "term ms".
first_queries() {
  local t
  for t in "${terms[@]}"; do
    printf '%s %s\n' "$t" "$(curl -s -o /dev/null -w '%{time_total}' --max-time 60 "$base/api/search?size=10&q=$(urlenc "$t")" | awk '{ printf "%.3f", $1 * 1000 }')" >>"$1"
  done
}

# --- one scale -------------------------------------------------------------
# R[scale,key] holds every figure, for the report.
declare -A R

measure() {
  local s=$1 corpus ixlog t0 i t
  log "=== ${s}×"
  wait_quiet
  R[$s,load]=$(cut -d' ' -f1-3 /proc/loadavg)
  corpus=$work/corpus-${s}x
  ix=$work/ix-${s}x
  ixlog=$work/logs-${s}x
  mkdir -p "$ixlog"

  # The corpus: 1× is the source itself, reached through a link so that
  # new files can be added beside it; N× is N altered copies.
  if [ "$s" = 1 ]; then
    mkdir -p "$corpus"
    [ -L "$corpus/laws" ] || ln -s "$src" "$corpus/laws"
    R[$s,corpus]="\`${SRC:-../shared/corpus/laws}\` itself"
  else
    log "writing $s altered copies into $corpus"
    "$gencorpus" -src "$src" -copies "$s" -out "$corpus"
    R[$s,corpus]="$s altered copies (\`gencorpus -copies $s\`)"
  fi
  # New files left by an interrupted run go (only a folder gencorpus made).
  for d in "$corpus"/added-*; do
    [ -e "$d" ] || continue
    if grep -q '^mode=add$' "$d/.gencorpus" 2>/dev/null; then rm -rf "$d"; else
      log "$d was not made by gencorpus -add; remove it or choose another WORK"
      exit 1
    fi
  done
  read -r "R[$s,files]" "R[$s,text]" < <(find -L "$corpus" -type f -name '*.md' -not -path '*/.*' -printf '%s\n' | awk '{ n++; b += $1 } END { print n + 0, b + 0 }')

  # Indexing, from an empty index folder.
  if [ -e "$ix" ]; then
    if [ -e "$ix/meta.json" ]; then rm -rf "$ix"; else
      log "$ix exists and is not an index; remove it or choose another WORK"
      exit 1
    fi
  fi
  drop_cache
  log "indexing $corpus (${R[$s,files]} files, $(mib "${R[$s,text]}") MiB)"
  t0=$(now)
  local busy0
  busy0=$(cpu_busy)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$ixlog/index.time" timeout "$index_timeout" "$bin" index --index "$ix" "$corpus" >"$ixlog/index.out" 2>"$ixlog/index.err" || true
    R[$s,index_secs]=$(since "$t0")
    R[$s,index_rss]=$(awk -F': ' '/Maximum resident set size/ { print $2 * 1024 }' "$ixlog/index.time")
    R[$s,rss_how]="\`/usr/bin/time -v\`, maximum resident set size"
    # CPU the rest of the machine used meanwhile: all busy time less the
    # indexer's own user and system time.
    R[$s,index_cpu]=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.1f", t }' "$ixlog/index.time")
    R[$s,others_cpu]=$(calc "($(cpu_busy) - $busy0) / $clk_tck - ${R[$s,index_cpu]}")
  else
    timeout "$index_timeout" "$bin" index --index "$ix" "$corpus" >"$ixlog/index.out" 2>"$ixlog/index.err" &
    index_pid=$!
    local hwm=0 v
    while kill -0 "$index_pid" 2>/dev/null; do
      # index_pid is timeout's; the indexer is its child.
      v=$(for p in $(cat /proc/"$index_pid"/task/*/children 2>/dev/null); do
        awk '$1 == "VmHWM:" { print $2 }' "/proc/$p/status" 2>/dev/null
      done | sort -n | tail -1)
      [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
      sleep 0.1
    done
    wait "$index_pid" || true
    index_pid=
    R[$s,index_secs]=$(since "$t0")
    R[$s,index_rss]=$((hwm * 1024))
    R[$s,rss_how]='VmHWM polled every 0.1 s from /proc/PID/status'
  fi
  if [ ! -e "$ix/meta.json" ] || ! grep -q '^indexed' "$ixlog/index.out"; then
    log "indexing failed or did not finish within $index_timeout s:"
    cat "$ixlog/index.out" "$ixlog/index.err" >&2
    exit 1
  fi
  R[$s,index_report]=$(grep -m1 '^indexed' "$ixlog/index.out" | sed "s|$work/||" || true)
  # "skipped N files:" and their reasons, counted: "skipped 4 files (4 × no body …)".
  R[$s,index_skipped]=$(awk '/^skipped/ { on = 1; head = $0; sub(/:$/, "", head); next }
    on && /^  / { r = $0; sub(/.*": /, "", r); n[r]++; next } { on = 0 }
    END { if (head != "") { s = head " ("; sep = ""; for (r in n) { s = s sep n[r] " × " r; sep = "; " } print s ")" } }' "$ixlog/index.out")
  R[$s,rate]=$(calc "${R[$s,text]} / 1000000 / ${R[$s,index_secs]}")
  R[$s,disk]=$(du -sb "$ix" | cut -f1)
  log "indexed in ${R[$s,index_secs]} s, peak RSS $(mib "${R[$s,index_rss]}") MiB, $(mib "${R[$s,disk]}") MiB on disk"

  # Warm: the page cache holds the index just written.
  start_serve "$ixlog/serve-warm"
  R[$s,startup_warm]=$startup
  log "serve ready in $startup s (page cache warm); warm queries"
  : >"$ixlog/first-warm.txt"
  first_queries "$ixlog/first-warm.txt"
  : >"$ixlog/warm.txt"
  for t in "${terms[@]}"; do
    local u args=()
    u="$base/api/search?size=10&q=$(urlenc "$t")"
    for ((i = 0; i < runs + 2; i++)); do args+=(-o /dev/null "$u"); done
    # One curl, one kept-alive connection; the first two requests warm up.
    curl -s --max-time 120 -w '%{time_total}\n' "${args[@]}" | tail -n +3 | awk -v t="$t" '{ printf "%s %.3f\n", t, $1 * 1000 }' >>"$ixlog/warm.txt"
    read -r "R[$s,total,$t]" "R[$s,notices,$t]" < <(search_counts "$t")
  done
  R[$s,rss_anon]=$(($(status_kib RssAnon) * 1024))
  R[$s,serve_hwm]=$(($(status_kib VmHWM) * 1024))
  R[$s,rss_file]=$(($(status_kib RssFile) * 1024))
  stop_serve

  # Cold: a fresh start each time, the page cache dropped before it when
  # the kernel lets us; the first request of each term.
  : >"$ixlog/cold.txt"
  : >"$ixlog/startup-cold.txt"
  for ((i = 1; i <= cold_runs; i++)); do
    drop_cache
    start_serve "$ixlog/serve-cold-$i"
    echo "$startup" >>"$ixlog/startup-cold.txt"
    first_queries "$ixlog/cold.txt"
    stop_serve
  done
  R[$s,startup_cold_med]=$(pct 0.5 <"$ixlog/startup-cold.txt")
  R[$s,startup_cold_max]=$(pct 1 <"$ixlog/startup-cold.txt")
  log "cold starts: median ${R[$s,startup_cold_med]} s, max ${R[$s,startup_cold_max]} s"

  # Per term: median and p90; over terms: the median of the medians and
  # the worst p90 (as in BENCHMARKS.md).
  local kind
  for kind in warm cold; do
    for t in "${terms[@]}"; do
      R[$s,$kind,med,$t]=$(awk -v t="$t" '$1 == t { print $2 }' "$ixlog/$kind.txt" | pct 0.5)
      R[$s,$kind,p90,$t]=$(awk -v t="$t" '$1 == t { print $2 }' "$ixlog/$kind.txt" | pct 0.9)
    done
    R[$s,$kind,med]=$(for t in "${terms[@]}"; do echo "${R[$s,$kind,med,$t]}"; done | pct 0.5)
    R[$s,$kind,p90]=$(for t in "${terms[@]}"; do echo "${R[$s,$kind,p90,$t]}"; done | pct 1)
    R[$s,$kind,p90term]=$(for t in "${terms[@]}"; do echo "${R[$s,$kind,p90,$t]} $t"; done | sort -g | tail -1 | cut -d' ' -f2)
  done

  live_add "$s" "$corpus" "$ixlog"
}

# reap_add_index SCALE T0: once the index run of live_add has ended, its
# exit status in add_rc and its time in R[SCALE,add_index_secs].
reap_add_index() {
  if [ -n "$index_pid" ] && ! kill -0 "$index_pid" 2>/dev/null; then
    R[$1,add_index_secs]=$(since "$2")
    add_rc=0
    wait "$index_pid" || add_rc=$?
    add_rc="exit $add_rc"
    index_pid=
  fi
}

# live_add SCALE CORPUS LOGDIR: the time from adding 100 files to seeing
# them in a running serve. serve is given the corpus folder as its PATH, so
# that a serve that watches the folders it indexes may see the new files by
# itself. The new files go into CORPUS/added-K, K a copy number no file has;
# `noticesearch index` is run on them beside the running serve (the way to
# add files with the CLI); then the marker 副本第K份 is searched every 0.2 s
# until the 100 notices show or ADD_TIMEOUT passes: "not supported yet" if
# they never do (when the index is locked by the serve, or the serve never
# reloads it).
live_add() {
  local s=$1 corpus=$2 ixlog=$3 k adddir marker t0 n=0 seen='' ifirst=''
  add_rc=
  k=$((s + 1))
  adddir=$corpus/added-$(printf %03d "$k")
  marker="副本第${k}份"
  log "live add: serve with PATH $corpus"
  start_serve "$ixlog/serve-add" "$corpus"
  R[$s,startup_path]=$startup
  read -r _ n < <(search_counts "$marker")
  if [ "${n:-0}" != 0 ]; then
    log "$marker already finds $n notices before the files are added"
    exit 1
  fi
  "$gencorpus" -src "$src" -add 100 -copy "$k" -out "$adddir"
  t0=$(now)
  "$bin" index --index "$ix" "$adddir" >"$ixlog/add-index.out" 2>"$ixlog/add-index.err" &
  index_pid=$!
  while ! over "$t0" "$add_timeout"; do
    reap_add_index "$s" "$t0"
    read -r _ n < <(search_counts "$marker")
    if [ "${n:-0}" -ge 100 ]; then
      seen=$(since "$t0")
      break
    fi
    sleep 0.2
  done
  # The index run, if still going: once the files showed it may finish
  # within what is left of ADD_TIMEOUT; otherwise, or past it, it is stopped.
  while [ -n "$index_pid" ] && ! over "$t0" "$add_timeout"; do
    reap_add_index "$s" "$t0"
    sleep 0.2
  done
  if [ -n "$index_pid" ]; then
    kill "$index_pid" 2>/dev/null || true
    wait "$index_pid" 2>/dev/null || true
    index_pid=
    add_rc="still running after ${add_timeout} s, stopped"
  fi
  ifirst=$(grep -v '^$' "$ixlog/add-index.err" | head -1 | sed "s|$work/||g" || true)
  R[$s,add_index]="\`noticesearch index\` on the new files beside the serve: ${add_rc}${R[$s,add_index_secs]:+ after ${R[$s,add_index_secs]} s}${ifirst:+, \"$ifirst\"}"
  R[$s,add_seen]=${seen:-}
  R[$s,add_count]=${n:-0}
  stop_serve
  if grep -q '^mode=add$' "$adddir/.gencorpus" 2>/dev/null; then rm -rf "$adddir"; fi
  if [ -n "$seen" ]; then
    log "live add: 100 new files seen after $seen s"
  else
    log "live add: not seen within $add_timeout s (${n:-0} of 100); ${R[$s,add_index]}"
  fi
}

# --- the report --------------------------------------------------------------
# verdict OK: "pass" or "**fail**".
verdict() { if [ "$1" = 1 ]; then echo pass; else echo '**fail**'; fi; }

report() {
  local scales=("$@") s t cpu header sep row
  cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
  local gib=1073741824
  {
    echo "# Scale benchmark, ${scale}× (issue 11)"
    echo
    echo "Written by \`bench/scale.sh $scale\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $built_from, $(nproc) cores ($cpu), $(go version | cut -d' ' -f3), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) of memory."
    echo
    for s in "${scales[@]}"; do
      echo "- ${s}×: ${R[$s,corpus]}, ${R[$s,files]} files, $(mib "${R[$s,text]}" | xargs printf '%.1f') MiB of text; load average before it ${R[$s,load]}${R[$s,index_cpu]:+; indexing used $(printf '%.1f' "${R[$s,index_cpu]}") CPU-s, the rest of the machine $(printf '%.1f' "${R[$s,others_cpu]}") CPU-s meanwhile (of $(calc "$(nproc) * ${R[$s,index_secs]}" | xargs printf '%.0f'))}. Index report: ${R[$s,index_report]:-none}${R[$s,index_skipped]:+; ${R[$s,index_skipped]}}."
    done
    echo
    echo "Targets are issue 11's, set for 50×; each figure says whether it meets its target at that scale. Runs on this machine vary by up to 30% (BENCHMARKS.md)."
    echo
    header="| |"
    sep="|---|"
    for s in "${scales[@]}"; do header="$header ${s}× |"; sep="$sep---|"; done
    echo "$header target at 50× |"
    echo "$sep---|"

    row() { # row LABEL TARGET CELL...
      local label=$1 target=$2
      shift 2
      local line="| $label |" c
      for c in "$@"; do line="$line $c |"; done
      echo "$line $target |"
    }
    local cells=() one=1
    cells=(); for s in "${scales[@]}"; do cells+=("$(printf '%.1f s' "${R[$s,index_secs]}")"); done
    row "index wall time" "—" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do
      local r; r=$(calc "${R[$s,rate]} / ${R[$one,rate]}")
      if [ "$s" = 1 ]; then cells+=("$(printf '%.2f MB/s' "${R[$s,rate]}")"); else
        cells+=("$(printf '%.2f MB/s (%.2f× the 1× rate) %s' "${R[$s,rate]}" "$r" "$(verdict "$(calc "$r >= 0.8")")")"); fi
    done
    row "index rate" "≥ 0.8× the 1× rate" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do cells+=("$(printf '%.0f MiB %s' "$(mib "${R[$s,index_rss]}")" "$(verdict "$(calc "${R[$s,index_rss]} <= 1.5 * $gib")")")"); done
    row "peak RSS while indexing" "≤ 1.5 GiB" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do
      local x; x=$(calc "${R[$s,disk]} / ${R[$s,text]}")
      cells+=("$(printf '%.1f MiB (%.2f× text) %s' "$(mib "${R[$s,disk]}")" "$x" "$(verdict "$(calc "$x <= 2")")")")
    done
    row "index on disk" "≤ 2× the text" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do cells+=("$(printf '%.2f s %s' "${R[$s,startup_warm]}" "$(verdict "$(calc "${R[$s,startup_warm]} <= 2")")")"); done
    row "serve start-up until /readyz answers, page cache warm" "≤ 2 s" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do cells+=("$(printf '%.2f s (max %.2f s) %s' "${R[$s,startup_cold_med]}" "${R[$s,startup_cold_max]}" "$(verdict "$(calc "${R[$s,startup_cold_med]} <= 2")")")"); done
    row "serve start-up, $cold_label, median of $cold_runs starts" "≤ 2 s" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do cells+=("$(printf '%.0f MiB %s' "$(mib "${R[$s,rss_anon]}")" "$(verdict "$(calc "${R[$s,rss_anon]} <= $gib")")")"); done
    row "serve anonymous RSS (RssAnon) after the queries" "≤ 1 GiB" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do cells+=("$(printf '%.2f ms %s' "${R[$s,warm,med]}" "$(verdict "$(calc "${R[$s,warm,med]} <= 5")")")"); done
    row "warm: median of the terms' median latency" "≤ 5 ms" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do cells+=("$(printf '%.2f ms (%s) %s' "${R[$s,warm,p90]}" "${R[$s,warm,p90term]}" "$(verdict "$(calc "${R[$s,warm,p90]} <= 50")")")"); done
    row "warm: worst term's p90 latency" "≤ 50 ms" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do cells+=("$(printf '%.2f ms' "${R[$s,cold,med]}")"); done
    row "cold: median of the terms' median latency" "— (none set)" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do cells+=("$(printf '%.2f ms (%s) %s' "${R[$s,cold,p90]}" "${R[$s,cold,p90term]}" "$(verdict "$(calc "${R[$s,cold,p90]} <= 50")")")"); done
    row "cold: worst term's p90 latency" "≤ 50 ms (the worst-p90 target read as covering cold queries too)" "${cells[@]}"
    cells=(); for s in "${scales[@]}"; do
      if [ -n "${R[$s,add_seen]}" ]; then
        cells+=("$(printf '%.1f s %s' "${R[$s,add_seen]}" "$(verdict "$(calc "${R[$s,add_seen]} <= 10")")")")
      else
        cells+=("not supported yet: ${R[$s,add_count]} of 100 seen after ${add_timeout} s **fail**")
      fi
    done
    row "100 new files searchable in a running serve" "≤ 10 s" "${cells[@]}"
    echo
    echo "Beside the targets: after the queries serve's file-backed RSS (RssFile: the index's files mapped in memory, which the kernel can drop) was $(for s in "${scales[@]}"; do printf '%.0f MiB at %s×, ' "$(mib "${R[$s,rss_file]}")" "$s"; done | sed 's/, $//') and its peak RSS (VmHWM) $(for s in "${scales[@]}"; do printf '%.0f MiB at %s×, ' "$(mib "${R[$s,serve_hwm]}")" "$s"; done | sed 's/, $//'); serve started with the corpus folder as PATH (it re-checks every file, all unchanged) was ready in $(for s in "${scales[@]}"; do printf '%.2f s at %s×, ' "${R[$s,startup_path]}" "$s"; done | sed 's/, $//')."
    echo
    echo "The first request of each term after a start with the page cache warm (the start just after indexing): $(for s in "${scales[@]}"; do printf 'median %.2f ms, worst %.2f ms at %s×; ' "$(cut -d' ' -f2 "$work/logs-${s}x/first-warm.txt" | pct 0.5)" "$(cut -d' ' -f2 "$work/logs-${s}x/first-warm.txt" | pct 1)" "$s"; done | sed 's/; $//')."
    echo
    echo "Adding 100 files to a running serve: $(for s in "${scales[@]}"; do printf '%s× %s; ' "$s" "${R[$s,add_index]}"; done | sed 's/; $//'). Where the new files did not show within ${add_timeout} s, the figure says \"not supported yet\"."
    echo
    echo "Per term: sections found (total; notices in brackets; at N× also the sections over 1×'s) and latency, median / p90 in ms. Warm is $runs requests on one kept-alive connection after two discarded; cold is the first request of the term (its own connection) after a fresh serve start, over $cold_runs starts; the terms are asked in bench/terms.txt's order, so ${terms[0]}'s cold figure is also the first request the server answers after it starts."
    echo
    header="| term |"
    sep="|---|"
    for s in "${scales[@]}"; do header="$header ${s}× hits |"; sep="$sep---|"; done
    for s in "${scales[@]}"; do header="$header ${s}× warm |"; sep="$sep---|"; done
    for s in "${scales[@]}"; do header="$header ${s}× cold |"; sep="$sep---|"; done
    echo "$header"
    echo "$sep"
    for t in "${terms[@]}"; do
      row="| $t |"
      for s in "${scales[@]}"; do
        row="$row ${R[$s,total,$t]:-?} (${R[$s,notices,$t]:-?})"
        if [ "$s" != 1 ] && [ "${R[1,total,$t]:-0}" -gt 0 ]; then row="$row $(printf '%.2f×' "$(calc "${R[$s,total,$t]:-0} / ${R[1,total,$t]}")")"; fi
        row="$row |"
      done
      for s in "${scales[@]}"; do row="$row $(printf '%.2f / %.2f' "${R[$s,warm,med,$t]}" "${R[$s,warm,p90,$t]}") |"; done
      for s in "${scales[@]}"; do row="$row $(printf '%.2f / %.2f' "${R[$s,cold,med,$t]}" "${R[$s,cold,p90,$t]}") |"; done
      echo "$row"
    done
    echo
    echo "How it was measured (\`bench/scale.sh\`, all on loopback, the result cache off: \`--cache 0\`, as BENCHMARKS.md measures the engine):"
    echo
    echo "- corpus: \`go run ./bench/scale/gencorpus -src SRC -copies N -out DIR\` (each copy's notices carry 「（副本第K份）」, another region and years shifted back by 1 + (K−1) mod 10; see its doc comment); text is the sum of the .md files' sizes."
    echo "- index: \`noticesearch index --index IX DIR\` into an empty folder, ${cache_label_index}; wall time by the script, rate = text bytes / 10⁶ / wall time, peak RSS by ${R[1,rss_how]:-${R[$scale,rss_how]}}; disk = \`du -sb IX\`."
    echo "- start-up: from launching \`noticesearch serve --index IX --cache 0 --addr 127.0.0.1:0\` to the first 200 from \`/readyz\` (polled every 10–20 ms)."
    echo "- latency: \`curl\` \`time_total\` of \`/api/search?size=10&q=TERM\` (highlighting on, one hit per notice), the twenty terms of bench/terms.txt; RssAnon and VmHWM from \`/proc/PID/status\` after the warm queries."
    echo "- cold: $cold_note"
    echo "- new files: serve started as \`noticesearch serve --index IX --cache 0 --addr 127.0.0.1:0 DIR\`; \`go run ./bench/scale/gencorpus -add 100 -copy K -out DIR/added-K\` writes 100 files spread over the source as copy K (K = N + 1, a number no other file has); the clock starts once they are written, \`noticesearch index --index IX DIR/added-K\` runs beside the server, and \`/api/search?q=副本第K份\` is polled every 0.2 s until it finds 100 notices or ${add_timeout} s pass."
  } >"$out"
}

if [ "$can_drop" = yes ]; then
  cold_label="page cache dropped"
  cache_label_index="the page cache dropped first (the corpus is read from disk)"
  cold_note="before each of the $cold_runs fresh starts the page cache was dropped (\`sync; echo 1 > /proc/sys/vm/drop_caches\`), so the index files were read from disk; cold = the first request of each term after that start."
else
  cold_label="page cache not dropped"
  cache_label_index="the page cache as it was (it could not be dropped)"
  cold_note="the page cache could not be dropped (/proc/sys/vm/drop_caches not writable, or DROP_CACHES=0), so the index files were in memory; cold = only the first request of each term after each of $cold_runs fresh starts."
fi

scales=(1)
[ "$scale" != 1 ] && scales+=("$scale")
t_all=$(now)
for s in "${scales[@]}"; do measure "$s"; done
report "${scales[@]}"
log "done in $(since "$t_all") s; wrote $out"
cat "$out"
