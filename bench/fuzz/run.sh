#!/bin/sh
# Builds the libFuzzer harnesses (preset "fuzz": clang, ASan + UBSan) and runs each for
# MINUTES minutes (default 1) on seed corpora from data/ and the tests, one after another
# (the machine is shared). Findings (crash-*, leak-*, timeout-*) land in
# build/fuzz/findings/<harness>/; the corpora grow in build/fuzz/corpus/<harness>/.
# Prints executions per harness. Exit 1 when any harness found something.
set -eu
minutes=${1:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-/work} CCACHE_NOHASHDIR=true
cmake --preset fuzz >/dev/null
harnesses="scenario field_mapping metis graph_json plan_loader geojson_units"
# Only the harnesses (they need core, geo, planner and sim; not Qt).
cmake --build --preset fuzz --target $(for h in $harnesses; do printf '%s_fuzz ' "$h"; done)
out=build/fuzz
seconds=$((minutes * 60))
status=0

seed() { # seed HARNESS FILES...
  h=$1; shift
  mkdir -p "$out/corpus/$h" "$out/findings/$h"
  for f in "$@"; do [ -f "$f" ] && cp -f "$f" "$out/corpus/$h/" || true; done
}
seed scenario data/scenarios/*.toml
seed field_mapping tests/*/cases/*.toml data/scenarios/base.toml
printf 'households = "HU"\n[fields]\npopulation = "POP"\n' >"$out/corpus/field_mapping/min.toml"
printf '3 3 010\n5 2 3\n7 1 3\n9 1 2\n' >"$out/corpus/metis/triangle.metis" 2>/dev/null || {
  mkdir -p "$out/corpus/metis"; printf '3 3 010\n5 2 3\n7 1 3\n9 1 2\n' >"$out/corpus/metis/triangle.metis"; }
mkdir -p "$out/findings/metis"
seed graph_json ../shared/data/us-tracts/NH_tract_dual_graph.json
printf '{"directed":false,"nodes":[{"id":0,"TOTPOP":5},{"id":1,"TOTPOP":7}],"links":[{"source":0,"target":1}]}' \
  >"$out/corpus/graph_json/pair.json"
# A small plan and city made by gridplan itself (the dev build's executable, if built).
bin=build/dev/apps/gridplan
mkdir -p "$out/seed"
if [ ! -f "$out/seed/plan.gpkg" ] && [ -x "$bin" ]; then
  "$bin" generate --buildings 60 --out "$out/seed/city.gpkg" -q --overwrite
  "$bin" plan --city "$out/seed/city.gpkg" --out "$out/seed/plan.gpkg" -q --overwrite
  ogr2ogr -f GeoJSON "$out/seed/units.geojson" "$out/seed/city.gpkg" units -t_srs EPSG:4326 \
    -limit 40 2>/dev/null || true
fi
seed plan_loader "$out/seed/plan.gpkg"
seed geojson_units "$out/seed/units.geojson"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"households":12},"geometry":{"type":"Polygon","coordinates":[[[116.4,39.9],[116.4001,39.9],[116.4001,39.9001],[116.4,39.9]]]}}]}' \
  >"$out/corpus/geojson_units/one.geojson"

for h in $harnesses; do
  log="$out/findings/$h/log.txt"
  if "$out/bench/fuzz/${h}_fuzz" -max_total_time="$seconds" -max_len=262144 -rss_limit_mb=2048 \
      -timeout=20 -artifact_prefix="$out/findings/$h/" -print_final_stats=1 \
      "$out/corpus/$h" >"$log" 2>&1; then
    result=clean
  else
    result="FINDING (see $log)"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  echo "$h: $runs executions in ${minutes} min: $result"
done
exit $status
