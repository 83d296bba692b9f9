#!/usr/bin/env bash
# Whole-process performance check of aitag against its targets
# (docs/performance.md). Builds the corpus, runs aitag and ripgrep side by
# side on this machine, prints every figure and ratio (also as the markdown
# table the README's Performance section holds), and exits non-zero when a
# target is missed, so it can serve as a check. Not part of CI's test
# command: it takes a few minutes.
#
#   scripts/bench.sh            # all figures
#   BENCH_RUNS=5 BENCH_RG_RUNS=3 BENCH_CORPUS_MB=50 scripts/bench.sh
#
# Needs: cargo, python3, and (installed with apt-get when missing, as root)
# ripgrep, hyperfine and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${BENCH_RUNS:-3}
CORPUS_MB=${BENCH_CORPUS_MB:-50}
DATA=bench-data
mkdir -p "$DATA"

# --- tools -----------------------------------------------------------------
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "building release" >&2
cargo build --release --locked --quiet
AITAG=$PWD/target/release/aitag

# --- corpus ----------------------------------------------------------------
# AIID incidents, "title. description" one per line, repeated to the size.
make_corpus() { # MB FILE
    python3 - "$1" "$2" <<'EOF'
import json, sys
mb, path = int(sys.argv[1]), sys.argv[2]
lines = []
with open("tests/data/aiid/incidents.jsonl", encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        text = ". ".join(x.strip() for x in (r.get("title") or "", r.get("description") or "") if x.strip())
        lines.append(" ".join(text.split()) + "\n")
block = "".join(lines).encode("utf-8")
with open(path, "wb") as out:
    written = 0
    while written < mb * 1_000_000:
        out.write(block)
        written += len(block)
EOF
}
CORPUS=$DATA/corpus-${CORPUS_MB}mb.txt
CORPUS2=$DATA/corpus-$((2 * CORPUS_MB))mb.txt
[ -s "$CORPUS" ] || make_corpus "$CORPUS_MB" "$CORPUS"
[ -s "$CORPUS2" ] || make_corpus "$((2 * CORPUS_MB))" "$CORPUS2"
MB=$(python3 -c "import os,sys; print(round(os.path.getsize(sys.argv[1]) / 1e6, 1))" "$CORPUS")

PATTERNS=$DATA/patterns.txt
"$AITAG" taxonomy --patterns >"$PATTERNS"
# Some 10,000 patterns compile to more than ripgrep's default 100 MB regex
# limit; raise it (and the DFA's) so that rg runs them all.
RG=(rg --regex-size-limit 4G --dfa-size-limit 4G)
# rg exits 1 for "no match" and 2 for an error: every pattern must be accepted.
rc=0
"${RG[@]}" -c -i -f "$PATTERNS" /dev/null >/dev/null 2>"$DATA/rg-errors.txt" || rc=$?
if [ "$rc" -ge 2 ]; then
    echo "ripgrep rejects the exported patterns:" >&2
    cat "$DATA/rg-errors.txt" >&2
    exit 2
fi

SHORT="An AI chatbot deployed by the city gave tenants wrong legal advice, telling landlords they could refuse housing vouchers. The vendor said the model had not been tested on housing law and no human reviewed answers before they were published to residents online, officials said."

echo "corpus: $CORPUS ($MB MB, $(wc -l <"$CORPUS") lines); $(wc -l <"$PATTERNS") patterns; $(nproc) cores; $RUNS runs each" >&2
MACHINE="$(nproc) cores, $(rg --version | head -1), aitag $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (modified)')"

# --- time ------------------------------------------------------------------
median() { # hyperfine JSON -> median seconds of the one command
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$1"
}
timeit() { # NAME RUNS WARMUP COMMAND... -> median seconds
    local name=$1 runs=$2 warmup=$3
    shift 3
    hyperfine -N --style none --warmup "$warmup" --runs "$runs" --export-json "$DATA/$name.json" "$*" >&2
    median "$DATA/$name.json"
}
# ripgrep needs half a minute or more for the corpus (docs/performance.md
# says why): fewer runs, no warm-up (the corpus is in the page cache after
# it was written).
T_RG=$(timeit rg "${BENCH_RG_RUNS:-2}" 0 "${RG[@]}" -c -i -f "$PATTERNS" "$CORPUS")
T_ALL=$(timeit aitag "$RUNS" 1 "$AITAG" batch --input lines --output jsonl "$CORPUS")
T_J1=$(timeit aitag-j1 "$RUNS" 1 "$AITAG" batch -j 1 --input lines --output jsonl "$CORPUS")
T_J2=$(timeit aitag-j2 "$RUNS" 1 "$AITAG" batch -j 2 --input lines --output jsonl "$CORPUS")

rss_kb() { # FILE -> peak RSS in KB of the batch over it
    /usr/bin/time -f %M "$AITAG" batch --input lines --output jsonl "$1" 2>&1 >/dev/null | tail -1
}
RSS1=$(rss_kb "$CORPUS")
RSS2=$(rss_kb "$CORPUS2")

hyperfine -N -i --style none --warmup 5 --runs 100 --export-json "$DATA/cold.json" \
    "$AITAG classify --color never '$SHORT'" >&2 # -i: exit 1 means untagged
T_COLD=$(median "$DATA/cold.json")

# --- report ----------------------------------------------------------------
python3 - "$MB" "$T_RG" "$T_ALL" "$T_J1" "$T_J2" "$RSS1" "$RSS2" "$T_COLD" "$CORPUS_MB" "$MACHINE" <<'EOF'
import sys
mb, rg, all_, j1, j2, rss1, rss2, cold, cmb, machine = sys.argv[1:]
mb, rg, all_, j1, j2, cold = map(float, (mb, rg, all_, j1, j2, cold))
rss1, rss2, cmb = int(rss1) / 1024, int(rss2) / 1024, int(cmb)
checks = [
    ("batch time / ripgrep time", all_ / rg, "<=", 3.0, "x"),
    ("-j 2 throughput / -j 1 throughput", j1 / j2, ">=", 1.7, "x"),
    (f"peak RSS, {cmb} MB batch", rss1, "<=", 64.0, " MiB"),
    (f"peak RSS growth, {2 * cmb} MB vs {cmb} MB", rss2 - rss1, "<=", max(2.0, 0.1 * rss1), " MiB"),
    ("cold start, classify 300 bytes (median)", cold * 1000, "<=", 10.0, " ms"),
]
print(f"ripgrep -c -i -f PATTERNS      {rg:8.2f} s   {mb / rg:7.1f} MB/s")
print(f"aitag batch (all cores)        {all_:8.2f} s   {mb / all_:7.1f} MB/s")
print(f"aitag batch -j 1               {j1:8.2f} s   {mb / j1:7.1f} MB/s")
print(f"aitag batch -j 2               {j2:8.2f} s   {mb / j2:7.1f} MB/s")
print(f"peak RSS {cmb} MB / {2 * cmb} MB        {rss1:6.1f} / {rss2:.1f} MiB")
print(f"cold start (median)            {cold * 1000:8.2f} ms")
print()
failed = 0
rows = []
for name, value, op, target, unit in checks:
    ok = value <= target if op == "<=" else value >= target
    failed += not ok
    print(f"{'ok  ' if ok else 'MISS'} {name}: {value:.2f}{unit} (target {op} {target:g}{unit})")
    rows.append(f"| {name} | {value:.2f}{unit} | {op} {target:g}{unit} | {'met' if ok else 'missed'} |")
print()
print(f"Markdown ({machine}; {mb:g} MB corpus):")
print()
print("| measure | time | throughput |")
print("|---|--:|--:|")
for name, t in [("ripgrep `-c -i -f PATTERNS`", rg), ("aitag batch, all cores", all_),
                ("aitag batch `-j 1`", j1), ("aitag batch `-j 2`", j2)]:
    print(f"| {name} | {t:.2f} s | {mb / t:.1f} MB/s |")
print()
print("| target | measured | target | |")
print("|---|--:|--:|---|")
print("\n".join(rows))
sys.exit(1 if failed else 0)
EOF
