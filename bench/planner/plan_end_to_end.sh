#!/usr/bin/env bash
# End-to-end planning (read, plan, write) of the generated demo city at several sizes,
# against `ogr2ogr -f GPKG` copying the same input layers (the I/O floor), measured in the
# same run. Prints one table row per size: wall time and peak RSS of both, and the ratio.
#
# Usage: bench/planner/plan_end_to_end.sh [SIZES...]     (default: 10000 100000 1000000)
# Env:   GRIDPLAN=path/to/gridplan (default build/release/apps/gridplan)
#        WORK=dir for the generated files (default /tmp/gridplan-bench-plan)
#        PLAN_ARGS="extra flags for gridplan plan" (e.g. "--restarts 1")
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
gridplan=${GRIDPLAN:-$root/build/release/apps/gridplan}
work=${WORK:-/tmp/gridplan-bench-plan}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
mkdir -p "$work"
[ -x "$gridplan" ] || { echo "no gridplan at $gridplan (build it or set GRIDPLAN)" >&2; exit 1; }
command -v ogr2ogr >/dev/null || { echo "ogr2ogr not found (apt-get install gdal-bin)" >&2; exit 1; }

# Runs a command under /usr/bin/time -v; prints "wall_seconds max_rss_mb".
measure() {
  local log=$work/time.log
  /usr/bin/time -v "$@" >"$work/cmd.out" 2>"$log" || { cat "$log" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
         awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  echo "$wall $rss"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| buildings | households | cells | ogr2ogr copy s | ogr2ogr MB | gridplan plan s | plan MB | ratio | plan/s read / plan / write |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  city=$work/city-$n.gpkg
  if [ ! -f "$city" ]; then
    "$gridplan" generate --buildings "$n" --out "$city" --quiet >/dev/null
  fi
  rm -f "$work/copy-$n.gpkg" "$work/plan-$n.gpkg"
  read -r copy_s copy_mb < <(measure ogr2ogr -f GPKG "$work/copy-$n.gpkg" "$city" \
    units areas compounds barriers facilities)
  # shellcheck disable=SC2086
  read -r plan_s plan_mb < <(measure "$gridplan" plan --city "$city" --out "$work/plan-$n.gpkg" \
    --json ${PLAN_ARGS:-})
  summary=$work/cmd.out
  cells=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cells"])' "$summary")
  hh=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(round(j["balance_mean"]*j["cells"]))' "$summary")
  stages=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("%.1f / %.1f / %.1f" % (j["seconds_read"], j["seconds"], j["seconds_write"]))' "$summary")
  ratio=$(awk -v a="$plan_s" -v b="$copy_s" 'BEGIN { printf "%.2f", a / b }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$hh" "$cells" "$copy_s" "$copy_mb" \
    "$plan_s" "$plan_mb" "$ratio" "$stages"
done
