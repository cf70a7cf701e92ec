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
cat BENCHMARKS.md
