#!/usr/bin/env bash
# Pipelines users run on `aitag batch` output. Run from the repository root:
#   examples/pipelines.sh
# It runs $AITAG if set, else the `aitag` on the PATH (`cargo install --locked
# --path .`), else the one built in this repository (target/release, then
# target/debug). Needs jq (https://jqlang.org) for the JSON steps.
set -euo pipefail
cd "$(dirname "$0")"
if [ -n "${AITAG:-}" ]; then
  aitag=$AITAG
  case $aitag in /*) ;; */*) aitag=$PWD/../$aitag ;; esac
elif command -v aitag > /dev/null; then
  aitag=aitag
elif [ -x ../target/release/aitag ]; then
  aitag=$PWD/../target/release/aitag
elif [ -x ../target/debug/aitag ]; then
  aitag=$PWD/../target/debug/aitag
else
  echo "pipelines.sh: no aitag found; run \`cargo install --locked --path .\` or \`cargo build --release\`" >&2
  exit 2
fi

echo "== ids of the reports tagged security (JSONL filtered with jq)"
"$aitag" batch reports.jsonl | jq -r 'select(any(.tags[]; .tag == "security")) | .id'

echo "== the same with --only, no jq needed"
"$aitag" batch reports.jsonl --only security --output csv | cut -d, -f1,2

echo "== how many reports carry each tag (jq)"
"$aitag" batch reports.jsonl | jq -r '.tags[].tag' | sort | uniq -c | sort -rn

echo "== counts per tag and tags that occur together (--summary, on stderr)"
"$aitag" batch reports.jsonl --summary 2>&1 > /dev/null

echo "== reports whose alignment tag is outer alignment, with the rules that fired"
"$aitag" batch reports.csv \
  | jq -c 'select(any(.tags[]; .tag == "outer-alignment")) | {id, rules: [.tags[].rules[]] | unique}'

echo "== the words that triggered each tag (--explain puts evidence into the JSON)"
"$aitag" batch reports.tsv --explain \
  | jq -r '.id as $id | .tags[] | .tag as $t | .reasons[] | select(.tag == $t)
           | "\($id)\t\($t)\t\([.evidence[].text] | join(", "))"'

echo "== a CSV for a spreadsheet (one confidence column per tag); also: pandas.read_csv('tagged.csv')"
"$aitag" batch reports.txt --output csv > "${TMPDIR:-/tmp}/tagged.csv"
head -4 "${TMPDIR:-/tmp}/tagged.csv"

echo "== plain text, one report per line or per paragraph; stdin works too"
"$aitag" batch --color never --output human reports-wrapped.txt
grep -i robot reports.txt | "$aitag" batch --color never --output human

echo "== a JSON array (pandas to_json(orient='records'), jq -s), with the date column kept"
"$aitag" batch reports.json --keep date --output csv | cut -d, -f1-3
