#!/usr/bin/env bash
# Command (1) of the README: install dependencies, build, generate the seeded demo city
# and run the main job on it. Outputs go to out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
bin=build/release/apps/gridplan
out=out/demo
mkdir -p "$out"

"$bin" generate --seed 1 --out "$out/city.gpkg" --overwrite
"$bin" inspect "$out/city.gpkg"

echo
echo "Outputs in $(pwd)/$out:"
echo "  city.gpkg  the generated demo city (layers areas, units, compounds, barriers, facilities)"
