#!/usr/bin/env bash
# `make bench`: ScoreKit's kernels next to numpy on the same shapes, measured in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release -Xswiftc -cross-module-optimization --product ScoreKitBench >/dev/null
bin="$(swift build -c release -Xswiftc -cross-module-optimization --show-bin-path)/ScoreKitBench"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$bin" > "$out"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import threadpoolctl' 2>/dev/null || python3 -m pip install -q threadpoolctl >/dev/null 2>&1 || true
    python3 scripts/bench.py "$out"
else
    cat "$out"
fi
