#!/usr/bin/env bash
# The hostile-input matrix of issue #12 as a Markdown table on stdout
# (progress on stderr); exit 1 when a case fails. docs/reliability.md holds
# its last output.
#
#   scripts/reliability.sh [BINARY]          (default target/release/aitag)
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/reliability.py "$@"
