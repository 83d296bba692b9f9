#!/usr/bin/env bash
# How ripgrep's time on aitag's exported patterns grows with their number:
# `rg -c -i` over a slice of the bench corpus with the first N patterns of
# `aitag taxonomy --patterns`. Explains why scripts/bench.sh's ripgrep run is
# slow (docs/performance.md). Run scripts/bench.sh once first (it installs
# ripgrep and builds the corpus).
#
#   scripts/rg-scaling.sh [SLICE_MB=2] [COUNTS="500 1000 2000 all"]
set -euo pipefail
cd "$(dirname "$0")/.."
slice_mb=${1:-2}
counts=${2:-"500 1000 2000 all"}
corpus=bench-data/corpus-50mb.txt
[ -s "$corpus" ] || { echo "no $corpus: run scripts/bench.sh first" >&2; exit 2; }
command -v rg >/dev/null || { echo "no rg: run scripts/bench.sh first" >&2; exit 2; }
[ -x target/release/aitag ] || cargo build --release --locked --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c $((slice_mb * 1000000)) "$corpus" >"$tmp/slice.txt"
target/release/aitag taxonomy --patterns >"$tmp/all.txt"
total=$(wc -l <"$tmp/all.txt")
echo "$(rg --version | head -1); ${slice_mb} MB slice; $total patterns"
for n in $counts; do
    [ "$n" = all ] && n=$total
    head -n "$n" "$tmp/all.txt" >"$tmp/some.txt"
    start=$(date +%s.%N)
    rg --regex-size-limit 4G --dfa-size-limit 4G -c -i -f "$tmp/some.txt" "$tmp/slice.txt" >/dev/null || true
    end=$(date +%s.%N)
    awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN { printf "%5d patterns: %6.2f s\n", n, e - s }'
done
