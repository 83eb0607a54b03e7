#!/usr/bin/env bash
# Compares gridplan's partitioner with gpmetis (Debian package `metis`) on the identical
# graph and balance, in the same run, and prints the figures and ratios.
#
#   bench/planner/compare_metis.sh PARTITION_BENCH GRAPH PARTS TOLERANCE [NCUTS] [-- BENCH_ARGS...]
#
#   PARTITION_BENCH  path of the partition_bench program (build/bench/bench/planner/...)
#   GRAPH            METIS graph file, or a networkx .json (then set WEIGHT=attribute)
#   PARTS            number of parts; TOLERANCE relative, e.g. 0.005 (gpmetis -ufactor=1000*T)
#   NCUTS            tries for the "best of N" gpmetis runs (default 100; 0 skips them)
#
# Columns: cut edges, CPU seconds (gpmetis' own "METIS time"; ours from clock()), heaviest and
# lightest part over the mean, parts outside mean*(1±T), parts that are not connected.
# gpmetis bounds only the heaviest part; gridplan holds both bounds.
set -euo pipefail
bench=${1:?partition_bench path}; graph=${2:?graph}; parts=${3:?parts}; tol=${4:?tolerance}
ncuts=${5:-100}
shift $(( $# >= 5 ? 5 : $# ))
[[ "${1:-}" == "--" ]] && shift
extra=("$@")
command -v gpmetis >/dev/null || { echo "gpmetis not found: apt-get install metis" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
metis="$work/graph.metis"
if [[ "$graph" == *.json ]]; then
  "$bench" "$graph" --weight "${WEIGHT:?set WEIGHT=node attribute for JSON input}" --write-metis "$metis" >/dev/null
else
  ln -s "$(realpath "$graph")" "$metis"
fi
ufactor=$(awk -v t="$tol" 'BEGIN { printf "%d", t * 1000 + 0.5 }')
(( ufactor >= 1 )) || ufactor=1

value() { sed -n "s/^$1=//p" "$2" | head -1; }
row() { # name cut cpu max min oob disconnected
  printf '%-34s %9s %9s %8s %8s %6s %6s\n' "$@"
}
row "method" "cut" "cpu_s" "max/mean" "min/mean" "oob" "disc"

declare -A cut cpu
run_metis() { # name, gpmetis options...
  local name=$1; shift
  (cd "$work" && gpmetis "$@" -ufactor="$ufactor" graph.metis "$parts" >"$work/$name.log" 2>&1) || {
    row "$name" "failed" "" "" "" "" ""; return; }
  local t; t=$(sed -n 's/.*Partitioning:[[:space:]]*\([0-9.]*\) sec.*/\1/p' "$work/$name.log")
  "$bench" "$metis" --evaluate "$work/graph.metis.part.$parts" --parts "$parts" --tolerance "$tol" >"$work/$name.eval"
  cut[$name]=$(value cut_edges "$work/$name.eval"); cpu[$name]=$t
  row "$name" "${cut[$name]}" "$t" "$(value max_ratio "$work/$name.eval")" "$(value min_ratio "$work/$name.eval")" \
      "$(value parts_out_of_bounds "$work/$name.eval")" "$(value disconnected_parts "$work/$name.eval")"
}

"$bench" "$metis" --parts "$parts" --tolerance "$tol" --objective cut-edges "${extra[@]}" >"$work/ours.eval"
cut[ours]=$(value cut_edges "$work/ours.eval"); cpu[ours]=$(value partition_cpu_seconds "$work/ours.eval")
echo "graph: $(value vertices "$work/ours.eval") vertices, $(value edges "$work/ours.eval") edges; parts $parts; tolerance $tol (gpmetis -ufactor=$ufactor)"
row "gridplan partition()" "${cut[ours]}" "${cpu[ours]}" "$(value max_ratio "$work/ours.eval")" \
    "$(value min_ratio "$work/ours.eval")" "$(value parts_out_of_bounds "$work/ours.eval")" \
    "$(value disconnected_parts "$work/ours.eval")"
run_metis "gpmetis" 
run_metis "gpmetis -contig" -contig
if (( ncuts > 0 )); then
  run_metis "gpmetis -ncuts=$ncuts" -ncuts="$ncuts"
  run_metis "gpmetis -contig -ncuts=$ncuts" -contig -ncuts="$ncuts"
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }
echo "ratios (gridplan / gpmetis):"
for name in "gpmetis" "gpmetis -contig" "gpmetis -ncuts=$ncuts" "gpmetis -contig -ncuts=$ncuts"; do
  [[ -n "${cut[$name]:-}" ]] || continue
  printf '  vs %-30s cut %s  cpu %s\n' "$name" "$(ratio "${cut[ours]}" "${cut[$name]}")" "$(ratio "${cpu[ours]}" "${cpu[$name]}")"
done
