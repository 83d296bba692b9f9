#!/bin/sh
# Checks that the README's ```console examples are what aitag prints
# (tests/cli/readme_examples.rs); with --update, rewrites their output from the
# binary instead. Run --update after a change to rules, weights or messages,
# then review `git diff README.md`.
set -eu
cd "$(dirname "$0")/.."
case "${1:-}" in
    --update) AITAG_README_UPDATE=1 cargo test --quiet --test cli readme_examples:: ;;
    "") cargo test --quiet --test cli readme_examples:: ;;
    *) echo "usage: scripts/readme-examples.sh [--update]" >&2; exit 2 ;;
esac
