#!/usr/bin/env bash
# Measures noticesearch against SQLite FTS5 and ripgrep on one corpus, in one
# run, and writes BENCHMARKS.md. Traffic stays on loopback and every loop is
# bounded in time.
#
#   bench/run.sh [CORPUS_DIR]      # default ../shared/corpus/laws
#
# Needs sqlite3 (with FTS5) and ripgrep; installs them from Debian if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus/laws}"
if ! command -v rg >/dev/null || ! command -v sqlite3 >/dev/null; then
  apt-get update -qq && apt-get install -y -qq ripgrep sqlite3 >/dev/null
fi
mkdir -p bench/out
go build -o bench/out/noticesearch ./cmd/noticesearch
go run ./bench/compare -corpus "$corpus" -bin bench/out/noticesearch -work bench/out/work -out BENCHMARKS.md
# The analysts' requests (issue 12), in process over the index just built.
{
  echo
  echo "## For analysts"
  echo
  echo "\`go run ./bench/engine -index bench/out/work/ix -analysis -runs 20\` (in process, no HTTP; \"first\" is the first request after opening, which also counts every notice's characters once):"
  echo
  go run ./bench/engine -index bench/out/work/ix -analysis -runs 20
} >>BENCHMARKS.md
# The scale benchmark (bench/scale.sh 50, issue 11) takes an hour of its own
# to rerun; its last results go beside these, with the commit they measured.
if [ -f bench/scale/results-50x.md ]; then
  {
    echo
    echo "## At 50 times the corpus"
    echo
    echo "From \`bench/scale/results-50x.md\`, which \`bench/scale.sh 50\` wrote (it is not rerun by \`bench/run.sh\`):"
    echo
    sed -n '/^Written by/,$p' bench/scale/results-50x.md | sed 's/^#/##/'
  } >>BENCHMARKS.md
fi
cat BENCHMARKS.md
