#!/bin/sh
# Refits the built-in model (models/default.json) from the training labels:
# dev.jsonl, project-validation.jsonl, the kinds-validation sets and the
# silence corpus as untagged records, never test.jsonl or
# project-holdout.jsonl (the held-out sets README reports on). Run it after
# any change to the rules or lexicons; tests/cli/model.rs checks that the
# committed file is what this script writes. It then rewrites the start-up
# snapshot (models/default.snapshot: the default engine and model compiled
# ahead of time, src/engine/snapshot.rs), which a test checks the same way.
#
# --also-field title: each labeled incident is also a title-only record
# (titles are headlines). --l2 0.03 --min-precision 0.9: chosen by cross-validation
# (docs/model.md: the figures of the values tried).
#
# Usage: scripts/fit-model.sh [path/to/aitag]   (default: cargo run --release)
set -eu
cd "$(dirname "$0")/.."
if [ $# -ge 1 ]; then
    AITAG="$1"
else
    cargo build --release --quiet
    AITAG=target/release/aitag
fi
python3 scripts/silence-negatives.py
# shellcheck disable=SC2046
"$AITAG" --no-model fit $(cat scripts/fit-model.args) -o models/default.json
# The snapshot embeds the model just written, so it is made by a build of it.
AITAG_UPDATE_SNAPSHOT=1 cargo test --release --locked --quiet --lib \
    engine::snapshot::tests::the_committed_snapshot_is_current
