#!/usr/bin/env bash
# Speed-up of `gridplan plan` and `gridplan simulate` over MPI ranks (mpirun -np N) against
# one process, on the generated demo city, in the same run; checks that every output is
# byte for byte the one-process output. One thread per rank, so N ranks use N cores (on a
# machine with fewer cores, ranks beyond them are oversubscribed: --oversubscribe).
#
# Usage: bench/planner/mpi_speedup.sh [BUILDINGS] [RANKS...]   (default: 100000 1 2 4)
# Env:   GRIDPLAN=path/to/gridplan (default build/bench/apps/gridplan; built with MPI)
#        WORK=dir for the generated files (default /tmp/gridplan-bench-mpi)
#        SIM_BUILDINGS=size of the city simulated (default 10000: its plan, made first)
#        SIM_ARGS="flags for simulate" (default "--replications 16 --days 180 --warmup-days 7")
#        MPIRUN="mpirun --oversubscribe" (as root, OMPI_ALLOW_RUN_AS_ROOT* are set below)
#        REPEAT=runs of each configuration, the fastest kept (default 1)
# Prints one row per command and rank count: wall and CPU (user+sys, all ranks) seconds,
# peak RSS of the largest rank, speed-up and efficiency (speed-up / ranks) against the
# one-process run, and whether the output is identical.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
gridplan=${GRIDPLAN:-$root/build/bench/apps/gridplan}
work=${WORK:-/tmp/gridplan-bench-mpi}
buildings=${1:-100000}
shift $(( $# >= 1 ? 1 : 0 ))
ranks=("$@")
[ ${#ranks[@]} -eq 0 ] && ranks=(1 2 4)
sim_args=${SIM_ARGS:---replications 16 --days 180 --warmup-days 7}
sim_buildings=${SIM_BUILDINGS:-10000}
mpirun=${MPIRUN:-mpirun --oversubscribe}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$work"
[ -x "$gridplan" ] || { echo "no gridplan at $gridplan (build it or set GRIDPLAN)" >&2; exit 1; }

# Runs a command REPEAT times under /usr/bin/time -v; prints "wall_s cpu_s max_rss_mb" of
# the fastest run (on a shared machine the fastest is the least disturbed); its stdout stays
# in $work/cmd.out.
measure() {
  local best="" line
  for ((k = 0; k < ${REPEAT:-1}; ++k)); do
    line=$(measure_once "$@")
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
      best=$line
      cp "$work/cmd.once" "$work/cmd.out"
    fi
  done
  echo "$best"
}

measure_once() {
  local log=$work/time.log
  /usr/bin/time -v "$@" >"$work/cmd.once" 2>"$log" || { cat "$log" >&2; exit 1; }
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "%.2f %.2f %.0f\n", wall, cpu, rss }' "$log"
}

city=$work/city-$buildings.gpkg
[ -f "$city" ] || "$gridplan" generate --buildings "$buildings" --out "$city" --quiet >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); plan: city of $buildings buildings; simulate: plan of $sim_buildings buildings, $sim_args"
printf '| command | ranks | wall s | CPU s | max RSS MB/rank | speed-up | efficiency | identical |\n'
printf '|---|---|---|---|---|---|---|---|\n'

row() { # command ranks wall cpu rss base_wall identical
  awk -v c="$1" -v n="$2" -v w="$3" -v cpu="$4" -v rss="$5" -v b="$6" -v same="$7" 'BEGIN {
    s = b / w; printf "| %s | %s | %.1f | %.1f | %s | %.2f | %.2f | %s |\n", c, n, w, cpu, rss, s, s / (n == "1 (no mpirun)" ? 1 : n), same }'
}

shares=() # each rank's share (from --json), printed after the table

# plan: one process (no mpirun), then N ranks.
rm -f "$work/plan-1.gpkg"
read -r base_wall cpu rss < <(measure "$gridplan" plan --city "$city" --out "$work/plan-1.gpkg" \
  --threads 1 --quiet --overwrite)
row plan "1 (no mpirun)" "$base_wall" "$cpu" "$rss" "$base_wall" yes
for n in "${ranks[@]}"; do
  out=$work/plan-np$n.gpkg
  rm -f "$out"
  # shellcheck disable=SC2086
  read -r wall cpu rss < <(measure $mpirun -np "$n" "$gridplan" --json plan --city "$city" \
    --out "$out" --threads 1 --overwrite)
  same=$(cmp -s "$work/plan-1.gpkg" "$out" && echo yes || echo NO)
  row plan "$n" "$wall" "$cpu" "$rss" "$base_wall" "$same"
  shares+=("plan np $n: $(python3 -c 'import json,sys; print("; ".join("rank %d %d communities %d units %.1f s" % (s["rank"], s["communities"], s["units"], s["seconds"]) for s in json.load(open(sys.argv[1]))["rank_shares"]))' "$work/cmd.out")")
done

# simulate: the plan of a city of SIM_BUILDINGS (the simulator's time grows much faster
# than the number of cells: see bench/README.md), made first and not timed.
sim_city=$work/city-$sim_buildings.gpkg
sim_plan=$work/sim-plan-$sim_buildings.gpkg
[ -f "$sim_city" ] || "$gridplan" generate --buildings "$sim_buildings" --out "$sim_city" --quiet >/dev/null
[ -f "$sim_plan" ] || "$gridplan" plan --city "$sim_city" --out "$sim_plan" --quiet
rm -f "$work/sim-1.gpkg"
# shellcheck disable=SC2086
read -r base_wall cpu rss < <(measure "$gridplan" simulate "$sim_plan" --out "$work/sim-1.gpkg" \
  --threads 1 --quiet --overwrite $sim_args)
row simulate "1 (no mpirun)" "$base_wall" "$cpu" "$rss" "$base_wall" yes
for n in "${ranks[@]}"; do
  out=$work/sim-np$n.gpkg
  rm -f "$out"
  # shellcheck disable=SC2086
  read -r wall cpu rss < <(measure $mpirun -np "$n" "$gridplan" --json simulate "$sim_plan" \
    --out "$out" --threads 1 --overwrite $sim_args)
  same=$(cmp -s "$work/sim-1.gpkg" "$out" && echo yes || echo NO)
  row simulate "$n" "$wall" "$cpu" "$rss" "$base_wall" "$same"
  shares+=("simulate np $n: $(python3 -c 'import json,sys; print("; ".join("rank %d %d replications %.1f s" % (s["rank"], s["replications"], s["seconds"]) for s in json.load(open(sys.argv[1]))["rank_shares"]))' "$work/cmd.out")")
done
echo
echo "rank shares (--json rank_shares):"
for line in "${shares[@]}"; do echo "  $line"; done
