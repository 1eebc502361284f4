#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (coverage + AddressSanitizer) and runs each for
# FUZZ_SECONDS (default 60) under a memory limit, starting from Fuzz/corpus/<target>/ (the
# committed seeds) plus anything found earlier in Fuzz/.work/corpus/<target>/.
#
# Usage: scripts/fuzz.sh [target ...]       targets: npy npz safetensors csv gzip config modelfile (default: all)
# Environment: FUZZ_SECONDS, FUZZ_RSS_MB (default 2048), FUZZ_MALLOC_MB (default 256),
#              FUZZ_JOBS (parallel workers per target, default 1).
# Crashes, leaks and timeouts are written to Fuzz/.work/artifacts/<target>/; the script fails
# if any target found one. Turn each into a regression test under Tests/IOTests/Regression*.swift
# with its input in Tests/IOTests/Fixtures/regression/ (config and modelfile findings: in
# Tests/TrainingTests/ConfigurationRegressionTests.swift).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
SWIFT="${SWIFT:-swift}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
RSS_MB="${FUZZ_RSS_MB:-2048}"
MALLOC_MB="${FUZZ_MALLOC_MB:-256}"
JOBS="${FUZZ_JOBS:-1}"

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(npy npz safetensors csv gzip config modelfile)

# swiftc keeps only the last of several -sanitize flags, and SwiftPM's
# `--sanitize=fuzzer --sanitize=address` passes them separately in no fixed order (a build may
# silently lose the coverage instrumentation, and each build recompiles everything). So SwiftPM
# is told only `fuzzer` (it then links libFuzzer's `main` instead of the target's), and the
# combined flag, which comes after SwiftPM's own, is what swiftc applies.
flags=(--package-path Fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)
"$SWIFT" build "${flags[@]}" 2>&1 | grep -E "error|warning: .*Fuzz/|Build complete" || true
bin="$("$SWIFT" build "${flags[@]}" --show-bin-path)"

# Leak checking is off: the Swift runtime's caches look like leaks to LeakSanitizer.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=0}"
status=0
for t in "${targets[@]}"; do
    exe="$bin/fuzz-$t"
    [ -x "$exe" ] || { echo "no fuzz target fuzz-$t (npy npz safetensors csv gzip config modelfile)" >&2; exit 2; }
    work=Fuzz/.work/corpus/$t artifacts=Fuzz/.work/artifacts/$t log=Fuzz/.work/fuzz-$t.log
    mkdir -p "$work" "$artifacts"
    extra=()
    [ -f "Fuzz/dict/$t.dict" ] && extra+=(-dict="Fuzz/dict/$t.dict")
    # -jobs writes each job's output to ./fuzz-N.log: only for parallel runs.
    [ "$JOBS" -gt 1 ] && extra+=(-jobs="$JOBS" -workers="$JOBS")
    echo "== fuzz-$t for ${SECONDS_PER_TARGET}s (log $log)"
    "$exe" "$work" "Fuzz/corpus/$t" "${extra[@]}" \
        -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb="$RSS_MB" -malloc_limit_mb="$MALLOC_MB" \
        -timeout=10 -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    rc=$?
    # The last status line (#runs, coverage, features, corpus) and the final statistics.
    grep -E "^#[0-9]+" "$log" | tail -1
    grep -E "stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log"
    if [ $rc -ne 0 ] || ls "$artifacts" | grep -q .; then
        echo "   fuzz-$t FOUND something: $(ls "$artifacts" | tr '\n' ' ')"
        grep -E "ERROR: |Fatal error|SUMMARY" "$log" | head -5
        status=1
    fi
done
exit $status
