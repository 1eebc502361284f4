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
# Under ThreadSanitizer the claims' tests (ExperimentsTests) are left out, and the quick claims
# whose code paths they cover are run through `scorekit reproduce` instead (C1, T3). Reason:
# TSan's runtime itself crashes (SEGV reading a wild address in __tsan::ExternalAccess, i.e. in
# the check Swift emits for an inout access) at the inout `noise` argument of
# SamplerName.record, on the second recorded Euler run of C4 (`scorekit reproduce C4 --quick`
# under a TSan build, on the main thread too; C1's three runs pass). That is a fault of the
# instrumentation, not a race report, and this toolchain has no flag to turn the inout checks off.
tsan_claims=(C1 T3)

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
