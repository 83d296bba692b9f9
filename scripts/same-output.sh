#!/usr/bin/env bash
# Refactor check: runs two aitag binaries side by side on the same inputs and
# reports any difference in stdout, stderr or exit status. A refactor that
# claims "no behaviour change" passes this with no difference.
#
#   scripts/same-output.sh OLD_BINARY NEW_BINARY [WORK_DIR]
#
# Covers what the house issue names (batch --explain, eval, test, taxonomy
# --patterns over the AIID incidents) and the other output formats, classify,
# and a bad-input file, with and without the model.
set -uo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: same-output.sh OLD NEW [WORK_DIR]}
new=${2:?usage: same-output.sh OLD NEW [WORK_DIR]}
work=${3:-$(mktemp -d)}
mkdir -p "$work/old" "$work/new"

aiid=tests/data/aiid/incidents.jsonl
bad="$work/bad.jsonl"
{
    head -n 5 "$aiid"
    printf '{"id": "x1", "text": \n'
    printf '{"id": "x2", "text": ""}\n'
    printf '\xff\xfe not utf-8\n'
    sed -n 6,8p "$aiid"
} > "$bad"

# JSON values of every kind where a record's fields are read: numbers,
# arrays and objects as ids, escapes, repeated keys, values that are not objects.
odd="$work/odd.jsonl"
cat > "$odd" <<'JSON'
{"id": 7, "text": "Hackers stole the model weights."}
{"id": -2.5e3, "title": "Chatbot \"jailbroken\"", "description": "It leaked data\u2014again.\nTwice."}
{"id": [1, {"a": null}], "text": "The robotaxi crashed into a pole."}
{"id": {"k": [true, false]}, "text": "ok", "text": "A deepfake of the mayor spread."}
{"id": true, "text": null, "title": "x"}
{"id": "n", "text": 12}
[1, 2]
"just a string"
42
null
{"id": "deep", "text": "Prompt injection", "extra": [[[[{"x": [1.0, 2e-7, 18446744073709551615, -9223372036854775808]}]]]]}
{"id": "ctl", "text": "tab\there \ud83d\ude00 emoji"}
{"id": "lone", "text": "bad \ud800 surrogate"}
JSON

cases=(
    "odd-jsonl|batch --explain --keep id --keep extra --keep title $odd"
    "odd-jsonl-csv|batch -o csv --keep extra $odd"
    "batch-jsonl-explain|batch --explain $aiid"
    "batch-jsonl|batch $aiid"
    "batch-json-explain|batch -o json --explain $aiid"
    "batch-csv|batch -o csv $aiid"
    "batch-tsv-explain|batch -o tsv --explain $aiid"
    "batch-human|batch -o human --color never $aiid"
    "batch-human-explain|batch -o human --color never --explain $aiid"
    "batch-no-model|batch --no-model --explain $aiid"
    "batch-only|batch --only security --explain $aiid"
    "batch-bad|batch --explain $bad"
    "batch-bad-human|batch -o human --color never $bad"
    "eval-dev|eval --gold tests/data/labels/dev.jsonl $aiid --color never"
    "eval-dev-json|eval --gold tests/data/labels/dev.jsonl $aiid -o json"
    "eval-test-md|eval --gold tests/data/labels/test.jsonl $aiid -o markdown"
    "eval-no-model|eval --gold tests/data/labels/dev.jsonl $aiid --no-model --color never --worst 5"
    "eval-bad|eval --gold tests/data/labels/dev.jsonl $bad --color never"
    "eval-missing-file|eval --gold tests/data/labels/dev.jsonl $bad no-such-file.jsonl"
    "classify-stdin|classify -o json --explain -f tests/data/aiid/incidents.jsonl"
    "test|test --color never"
    "test-json|test -o json"
    "lint|lint"
    "patterns|taxonomy --patterns"
    "patterns-source|taxonomy --patterns --with-source"
    "taxonomy|taxonomy --color never"
    "taxonomy-json|taxonomy -o json"
    "classify|classify --color never Hackers stole the model weights and the chatbot praised a dictator."
    "classify-explain|classify --explain --color never An agent exploited a bug in its reward function to rack up points instead of finishing the race."
    "classify-json|classify -o json --explain Hackers stole the model weights."
    "classify-none|classify --explain --color never The weather was nice today."
)

differ=0
for case in "${cases[@]}"; do
    name=${case%%|*}
    args=${case#*|}
    for side in old new; do
        bin=$old
        [ "$side" = new ] && bin=$new
        # shellcheck disable=SC2086 # the arguments are split on purpose
        NO_COLOR=1 "$bin" $args > "$work/$side/$name.out" 2> "$work/$side/$name.err" < /dev/null
        echo $? > "$work/$side/$name.status"
    done
    for part in out err status; do
        if ! cmp -s "$work/old/$name.$part" "$work/new/$name.$part"; then
            echo "DIFFERENT: $name ($part): diff $work/old/$name.$part $work/new/$name.$part"
            differ=1
        fi
    done
done
count=${#cases[@]}
if [ "$differ" -eq 0 ]; then
    echo "identical: $count cases (stdout, stderr, exit status) in $work"
else
    echo "some of $count cases differ; outputs in $work" >&2
    exit 1
fi
