#!/usr/bin/env bash
# Peak memory and throughput of `aitag batch` on a generated JSONL input of at
# least SIZE MiB, in which every byte of title and description is classified
# (the AIID incidents repeated). The cargo test tests/cli/batch_memory.rs checks the
# bound on every run; this script measures the release build on inputs of any size.
#
#   scripts/memory.sh [SIZE_MIB=50] [BINARY=target/release/aitag] [extra batch args...]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-50}
bin=${2:-target/release/aitag}
shift $(( $# > 2 ? 2 : $# ))
[ -x "$bin" ] || cargo build --release --locked
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

input=$tmp/big.jsonl
: > "$input"
while [ "$(stat -c %s "$input")" -lt $(( size_mib * 1024 * 1024 )) ]; do
  cat tests/data/aiid/incidents.jsonl >> "$input"
done
records=$(wc -l < "$input")
bytes=$(stat -c %s "$input")

start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$bin" batch -o jsonl "$@" "$input" > "$tmp/out.jsonl" 2> "$tmp/time.txt"
  peak_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
else
  # No GNU time: poll the high-water mark the kernel keeps for the process.
  "$bin" batch -o jsonl "$@" "$input" > "$tmp/out.jsonl" &
  pid=$!
  peak_kib=0
  while kill -0 "$pid" 2>/dev/null; do
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${hwm:-0}" -gt "$peak_kib" ] && peak_kib=$hwm
    sleep 0.05
  done
  wait "$pid"
fi
end=$(date +%s.%N)

out_records=$(wc -l < "$tmp/out.jsonl")
[ "$out_records" -eq "$records" ] || { echo "expected $records output records, got $out_records" >&2; exit 1; }
awk -v b="$bytes" -v r="$records" -v k="$peak_kib" -v s="$start" -v e="$end" 'BEGIN {
  t = e - s
  printf "input %.1f MiB, %d records: peak RSS %.1f MiB, %.1f s, %.0f records/s, %.1f MiB/s\n",
         b / 1048576, r, k / 1024, t, r / t, b / 1048576 / t
}'
