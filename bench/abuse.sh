#!/usr/bin/env bash
# Replays hostile clients against a freshly started noticesearch server on
# loopback and prints what it did: costly queries, paging overflow, slow and
# idle connections, oversized requests, a 64-connection mixed load, and a
# SIGTERM with requests in flight (issue 9; see bench/abuse/main.go). The run
# itself lasts at most 60 s; it reports and does not assert.
#
#   bench/abuse.sh [CORPUS_DIR] [abuse flags...]   # default ../shared/corpus/laws
#
# Builds bench/out/noticesearch, indexes CORPUS_DIR into bench/out/abuse.index
# if that index is missing or no longer opens, then runs bench/abuse. A
# running server locks its index: this one is for the abuse run only.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/laws
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  corpus=$1
  shift
fi
ix=bench/out/abuse.index
mkdir -p bench/out
go build -o bench/out/noticesearch ./cmd/noticesearch
if [ ! -e "$ix/meta.json" ] || ! bench/out/noticesearch search --index "$ix" --size 1 一岗双责 >/dev/null 2>&1; then
  echo "abuse.sh: indexing $corpus into $ix" >&2
  # index exits 1 when some files are not notices; the index is still made.
  bench/out/noticesearch index --rebuild --index "$ix" "$corpus" >/dev/null || [ -e "$ix/meta.json" ]
fi
go run ./bench/abuse -bin bench/out/noticesearch -index "$ix" "$@"
