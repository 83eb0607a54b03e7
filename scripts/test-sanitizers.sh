#!/usr/bin/env bash
# Tests built with the `asan` preset (AddressSanitizer + UndefinedBehaviorSanitizer, Debug):
# every test must pass with no report (a report aborts the test, so it fails).
#   scripts/test-sanitizers.sh                 the whole suite, through ctest
#   scripts/test-sanitizers.sh robustness geo  only these suites (tests/<suite>/), each
#                                              GoogleTest program run once as a whole
# Optionally (GP_CI_FUZZ_SECONDS=60) each libFuzzer harness then runs that long over its
# seed corpus (bench/fuzz/run.sh). Prints the time each part took.
# LeakSanitizer suppressions (third-party process-lifetime caches only): scripts/lsan.supp.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
# No strict_string_checks: it reports libxkbcommon-x11's legal strndup() of an unterminated
# buffer (Qt's xcb platform, the viewer's Xvfb tests) as a heap-buffer-overflow.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$(pwd)/scripts/lsan.supp:print_suppressions=0"
cmake --preset asan >/dev/null
if [ $# -eq 0 ]; then
  cmake --build --preset asan
  echo "sanitizers: build $(( $(date +%s) - start )) s"
  ctest --test-dir build/asan --output-on-failure -j 2 --timeout 1800
else
  # gridplan too: the end-to-end suites run the built executable.
  cmake --build --preset asan --target gridplan $(printf '%s_tests ' "$@")
  echo "sanitizers: build $(( $(date +%s) - start )) s"
  # As ctest runs them (tests/CMakeLists.txt): from the build folder, Qt offscreen.
  (cd build/asan && for s in "$@"; do
     QT_QPA_PLATFORM=offscreen "./tests/${s}_tests" --gtest_brief=1
   done)
fi
echo "sanitizers: $(( $(date +%s) - start )) s"
if [ "${GP_CI_FUZZ_SECONDS:-0}" -gt 0 ]; then
  fstart=$(date +%s)
  GP_FUZZ_SECONDS=$GP_CI_FUZZ_SECONDS ./bench/fuzz/run.sh
  echo "fuzzing: $(( $(date +%s) - fstart )) s"
fi
