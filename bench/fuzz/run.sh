#!/bin/sh
# Builds the libFuzzer harnesses (preset "fuzz": clang, ASan + UBSan) and runs each for
# MINUTES minutes (default 1) on seed corpora made by seeds.sh, one after another
# (the machine is shared). Findings (crash-*, leak-*, timeout-*) land in
# build/fuzz/findings/<harness>/; the corpora grow in build/fuzz/corpus/<harness>/.
# Prints executions and coverage per harness. Exit 1 when any harness found something.
# Usage: run.sh [MINUTES [HARNESS...]] (default: 1 minute, all six harnesses);
# GP_FUZZ_SECONDS=N runs each N seconds instead.
set -eu
minutes=${1:-1}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root} CCACHE_NOHASHDIR=true
cmake --preset fuzz >/dev/null
harnesses="scenario field_mapping metis graph_json plan_loader geojson_units"
[ $# -gt 0 ] && harnesses="$*"
# Only the harnesses (they need core, geo, planner and sim; not Qt).
cmake --build --preset fuzz --target $(for h in $harnesses; do printf '%s_fuzz ' "$h"; done)
out=build/fuzz
seconds=${GP_FUZZ_SECONDS:-$((minutes * 60))}
status=0

# Seed corpora made from the project's own data and a small city gridplan generates
# (bench/fuzz/seeds.sh; the dev build's gridplan, or $GP_GRIDPLAN).
./bench/fuzz/seeds.sh "$out/corpus" "${GP_GRIDPLAN:-build/dev/apps/gridplan}"
for h in $harnesses; do mkdir -p "$out/findings/$h"; done

for h in $harnesses; do
  log="$out/findings/$h/log.txt"
  hstart=$(date +%s)
  if "$out/bench/fuzz/${h}_fuzz" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 \
      -timeout=20 -artifact_prefix="$out/findings/$h/" -print_final_stats=1 \
      "$out/corpus/$h" >"$log" 2>&1; then
    result=clean
  else
    result="FINDING (see $log)"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  # The last status line: "#N ... cov: C ft: F corp: U/S ..." (edges, features, corpus).
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -n 1 || true)
  echo "$h: $runs executions in $(( $(date +%s) - hstart )) s, ${cov:-no coverage line}: $result"
done
exit $status
