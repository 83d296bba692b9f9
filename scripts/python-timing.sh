#!/usr/bin/env bash
# Python against the CLI on the AIID incidents (docs/python.md, "Timing"):
# whole processes, each reading the file and tagging every incident, timed by
# hyperfine. Exits 1 when Python takes more than 1.5 times the CLI's time.
#   scripts/python-timing.sh [PYTHON] [AITAG]
# PYTHON must have aitag installed (pip install ./python); AITAG defaults to
# target/release/aitag (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}
aitag=${2:-target/release/aitag}
runs=${TIMING_RUNS:-10}
data=tests/data/aiid/incidents.jsonl
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
py="import aitag; t = aitag.Tagger(); r = aitag.read_records('$data'); t.classify_many([x['text'] for x in r])"
echo "machine: $(nproc) cores; $("$python" --version); commit $(git rev-parse --short HEAD)"
hyperfine -N -w 2 -r "$runs" --export-json "$out/t.json" \
    -n cli "$aitag batch -o jsonl $data" \
    -n python "$python -c \"$py\"" >&2
"$python" - "$out/t.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
cli, py = r["cli"], r["python"]
ratio = py["median"] / cli["median"]
print(f"| | median wall | user + sys |\n|---|---|---|")
for name, x in (("aitag batch -o jsonl", cli), ("Python Tagger + read_records + classify_many", py)):
    print(f"| {name} | {x['median'] * 1000:.0f} ms | {(x['user'] + x['system']) * 1000:.0f} ms |")
print(f"\nPython / CLI (median wall): {ratio:.2f}x (target: at most 1.5x)")
sys.exit(0 if ratio <= 1.5 else 1)
PY
