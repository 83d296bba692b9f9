#!/bin/sh
# Would the built-in model gain from also being fit on the held-out sets?
# (The learned-layer issue allows refitting the shipped model on everything.)
# Each held-out set is added to the training labels in turn, and the model
# is measured on the other held-out set's incidents that neither fit saw,
# beside the built-in model on the same incidents. Summaries only: no record
# of a held-out set is printed.
#
# Usage: scripts/more-labels.sh [path/to/aitag]   (default: target/release/aitag)
set -eu
cd "$(dirname "$0")/.."
AITAG="${1:-target/release/aitag}"
L=tests/data/labels
TAGS=alignment,outer-alignment,competence,governance,resilience,security
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The other set's records whose ids the added set does not label.
python3 - "$L" "$tmp" <<'PY'
import json, sys
labels, tmp = sys.argv[1], sys.argv[2]
def ids(name):
    return {json.loads(l)["id"] for l in open(f"{labels}/{name}.jsonl")}
for added, other in [("test", "project-holdout"), ("project-holdout", "test")]:
    seen = ids(added)
    with open(f"{tmp}/{other}-unseen.jsonl", "w") as out:
        out.writelines(l for l in open(f"{labels}/{other}.jsonl") if json.loads(l)["id"] not in seen)
PY
for pair in test:project-holdout project-holdout:test; do
    added=${pair%%:*}
    other=${pair#*:}
    # The added set goes first: its labels win over a project set's for the ids both label.
    # shellcheck disable=SC2046
    "$AITAG" --no-model fit --first-label-wins --gold "$L/$added.jsonl" \
        $(cat scripts/fit-model.args) -o "$tmp/plus-$added.json" >/dev/null
    n=$(wc -l <"$tmp/$other-unseen.jsonl")
    for model in models/default.json "$tmp/plus-$added.json"; do
        f1=$("$AITAG" --model "$model" eval --gold "$tmp/$other-unseen.jsonl" \
            tests/data/aiid/incidents.jsonl --tags "$TAGS" -o json |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["averages"]["headline"]["macro"]["f1"])')
        case $model in models/*) name="built-in model" ;; *) name="also fit on $added" ;; esac
        printf '%s (%s records not in %s): %-24s macro-F1 %.3f\n' "$other" "$n" "$added" "$name" "$f1"
    done
done
