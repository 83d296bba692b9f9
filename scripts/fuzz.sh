#!/usr/bin/env bash
# Runs each fuzz target for a fixed time and prints one line per target:
# target, seconds, executions, crashes. Needs a nightly toolchain and
# cargo-fuzz (`cargo +nightly install cargo-fuzz`).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 150 s, all)
#
# Seeds come from the repository (taxonomy files, examples); the corpus grows
# in fuzz/corpus/TARGET and crashes land in fuzz/artifacts/TARGET, each of
# which belongs in a regression test (reader inputs in tests/data/fuzz/, which
# tests/cli/properties.rs reads).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-150}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(taxonomy readers classify)

seed() {
    local target=$1 dir=fuzz/corpus/$1
    mkdir -p "$dir"
    [ -n "$(ls -A "$dir")" ] && return
    case $target in
        taxonomy) cp taxonomy/*.yaml taxonomy/*/*.yaml tests/data/eval/taxonomy.yaml "$dir"/ ;;
        readers) cp examples/reports.* "$dir"/ ;;
        classify) cp examples/incident.txt examples/reports.txt "$dir"/ ;;
    esac
    # Files of the same name from different folders: keep them apart.
    local i=0
    for f in "$dir"/*; do mv "$f" "$dir/seed-$i"; i=$((i + 1)); done
}

cargo +nightly fuzz build -O "${targets[@]/#/}" >/dev/null 2>&1 || cargo +nightly fuzz build -O
printf '%-10s %8s %12s %8s\n' target seconds execs crashes
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "fuzz/artifacts/$t"
    log=$(mktemp)
    # -rss_limit_mb: the readers keep up to 16 MiB per record, the engine a
    # few times a text; 2 GiB is far above either and catches a runaway.
    cargo +nightly fuzz run -O "$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 \
        -max_len=65536 -timeout=10 >"$log" 2>&1 || true
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
    printf '%-10s %8s %12s %8s\n' "$t" "$seconds" "${execs:-?}" "$crashes"
    if [ "$crashes" -gt 0 ]; then
        grep -m 5 -E 'panicked|ERROR|SUMMARY' "$log" >&2 || true
    fi
    rm -f "$log"
done
