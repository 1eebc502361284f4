#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer and ThreadSanitizer (issue 9).
# Each sanitizer gets its own scratch path so the instrumented objects never mix
# with the normal debug build. Usage: scripts/test-sanitize.sh [address|thread ...]
# Logs go to .build-<san>/test.log; the script fails if either run fails.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
SWIFT="${SWIFT:-swift}"

sanitizers=("$@")
[ ${#sanitizers[@]} -eq 0 ] && sanitizers=(address thread)

# Stop at the first report; TSan's report of a race is an error, not a warning.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1:abort_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1}"

status=0
# Under ThreadSanitizer the claims' tests (ExperimentsTests) are run as `scorekit reproduce` on
# the main thread instead: inside Swift Testing, whose tests run on Swift-concurrency worker
# threads, TSan's runtime itself crashes (SEGV in __tsan::ExternalAccess at the first inout
# access of SamplerName.record, reached from the C1/C4 tests), while the same code under TSan on
# the main thread runs without a report. That is a runtime problem, not a race in ScoreKit.
tsan_claims=(C1 C4 T3 W1)

for san in "${sanitizers[@]}"; do
    case "$san" in
        address) scratch=.build-asan; skip=() ;;
        thread)  scratch=.build-tsan; skip=(--skip ExperimentsTests) ;;
        *) echo "unknown sanitizer: $san (address or thread)" >&2; exit 2 ;;
    esac
    mkdir -p "$scratch"
    log="$scratch/test.log"
    echo "== $san sanitizer (scratch path $scratch, log $log)"
    if "$SWIFT" build --build-tests --sanitize="$san" --scratch-path "$scratch" >"$log" 2>&1 &&
       "$SWIFT" test --skip-build --sanitize="$san" --scratch-path "$scratch" "${skip[@]}" >>"$log" 2>&1 &&
       { [ "$san" != thread ] || "$scratch/debug/scorekit" reproduce "$(IFS=,; echo "${tsan_claims[*]}")" --quick \
             --out "$scratch/claims" >>"$log" 2>&1; }; then
        echo "   $san: passed"
    else
        echo "   $san: FAILED (see $log)"
        grep -E "ERROR: (AddressSanitizer|ThreadSanitizer)|WARNING: ThreadSanitizer|SUMMARY:" "$log" | head -20
        status=1
    fi
    grep -E "Test run with .* (passed|failed)" "$log" | tail -2
done
exit $status
