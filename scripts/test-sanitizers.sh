#!/usr/bin/env bash
# The second CI step (called by .ci/run after the main tests): the whole test suite built
# with the `asan` preset (AddressSanitizer + UndefinedBehaviorSanitizer, Debug) must pass
# with no report. Optionally (GP_CI_FUZZ_SECONDS=60) each libFuzzer harness runs that long.
# Prints the time each part took.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# GDAL, PROJ and Qt keep process-lifetime caches that LeakSanitizer reports as leaks.
export LSAN_OPTIONS="suppressions=$(pwd)/scripts/lsan.supp:print_suppressions=0"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --test-dir build/asan --output-on-failure -j 2 --timeout 1800
echo "sanitizers: $(( $(date +%s) - start )) s"
if [ "${GP_CI_FUZZ_SECONDS:-0}" -gt 0 ]; then
  fstart=$(date +%s)
  ./bench/fuzz/run.sh "$(( (GP_CI_FUZZ_SECONDS + 59) / 60 ))"
  echo "fuzzing: $(( $(date +%s) - fstart )) s"
fi
