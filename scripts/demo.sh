#!/usr/bin/env bash
# Command (1) of the README: install dependencies, build, generate the seeded demo city,
# plan its grids, simulate a year of requests over the plan and draw the plan map.
# Outputs go to out/demo/ (re-running replaces them).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
bin=build/release/apps/gridplan
out=out/demo
mkdir -p "$out"

echo "== generate the demo city"
"$bin" generate --seed 1 --out "$out/city.gpkg" --overwrite
echo "== plan grid cells (300-500 households each)"
"$bin" plan --city "$out/city.gpkg" --seed 1 --out "$out/plan.gpkg" --overwrite
echo "== simulate one year of residents' requests (baseline staffing, 20 replications)"
"$bin" simulate "$out/plan.gpkg" --scenario data/scenarios/base.toml --days 365 \
  --replications 20 --seed 1 --out "$out/simulation.gpkg" --overwrite
echo "== compare the baseline with evening and weekend volunteers (paired t-test, 20 replications)"
"$bin" compare "$out/plan.gpkg" data/scenarios/base.toml data/scenarios/more-volunteers.toml \
  --days 365 --replications 20 --seed 1 --csv "$out/comparison.csv" --html "$out/comparison.html" \
  --overwrite
echo "== draw the grid management plan map"
"$bin" render "$out/plan.gpkg" --layer cells --color-by households \
  --out "$out/plan-map.png" --overwrite
"$bin" render "$out/simulation.gpkg" --layer cells --color-by on_time_share \
  --title "按时办结率 On-time share" --out "$out/on-time-map.png" --overwrite

echo
echo "Outputs in $(pwd)/$out:"
echo "  city.gpkg        the generated demo city (district, streets, areas, units, compounds, barriers, facilities)"
echo "  plan.gpkg        grid plan: layers cells, units, areas, plan_metadata (open in QGIS or gridplan-viewer)"
echo "  simulation.gpkg  per-cell simulation results (layer cells) and summary tables"
echo "  comparison.csv   baseline vs more volunteers side by side (also comparison.html)"
echo "  plan-map.png     map of the plan, cells coloured by households"
echo "  on-time-map.png  map of the simulated on-time share per cell"
echo "View interactively: build/release/apps/gridplan-viewer $out/plan.gpkg"
