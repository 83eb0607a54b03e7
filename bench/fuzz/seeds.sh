#!/bin/sh
# Writes the seed corpora of the libFuzzer harnesses into CORPUS/<harness>/ (run by
# run.sh; nothing is copied from ../shared). Seeds come from the project itself:
#   scenario       data/scenarios/*.toml and a small inherits pair
#   field_mapping  mapping files of the forms documented for --fields
#   metis          `gridplan graph` of a city made by `gridplan generate`, plus a triangle
#   graph_json     that METIS graph rewritten as networkx node-link and adjacency JSON
#   plan_loader    `gridplan plan` of that city (GeoPackage)
#   geojson_units  the city's units as GeoJSON (ogr2ogr, EPSG:4326)
# Usage: seeds.sh CORPUS [GRIDPLAN]; GRIDPLAN (default build/dev/apps/gridplan) makes the
# city, graph and plan; without it those seeds are left out (with a note on stderr).
set -eu
corpus=$1
bin=${2:-build/dev/apps/gridplan}
root=$(cd "$(dirname "$0")/../.." && pwd)
for h in scenario field_mapping metis graph_json plan_loader geojson_units; do
  mkdir -p "$corpus/$h"
done

# --- scenario: the shipped scenarios, and one that inherits (the harness resolves
# `inherits` in an empty folder, so the base name is only parsed).
cp -f "$root"/data/scenarios/*.toml "$corpus/scenario/"
printf 'inherits = "base.toml"\nname = "top"\n[workers.volunteer]\nper_cell = 3\n' \
  >"$corpus/scenario/inherits.toml"

# --- field_mapping: top level, under [fields], Chinese field names.
printf 'households = "HU"\npopulation = "POP"\n' >"$corpus/field_mapping/top.toml"
printf '[fields]\nhouseholds = "HU"\nfloors = "LEVELS"\nheight = "H"\ncode = "CODE"\n' \
  >"$corpus/field_mapping/table.toml"
printf '[fields]\nhouseholds = "户数"\npopulation = "人口"\ncompound = "小区"\nname = "名称"\n' \
  >"$corpus/field_mapping/chinese.toml"
printf 'parent_code = "PC"\nlevel = "LVL"\nfloor_area = "AREA"\ntype = "KIND"\n' \
  >"$corpus/field_mapping/hierarchy.toml"

# --- metis: a triangle with vertex and edge weights.
printf '3 3 011\n5 2 4 3 2\n7 1 4 3 1\n9 1 2 2 1\n' >"$corpus/metis/triangle.metis"
printf '%% a comment line\n2 1\n2\n1\n' >"$corpus/metis/pair.metis"

# --- graph_json: a two-node graph in both layouts.
printf '{"directed":false,"multigraph":false,"graph":{},"nodes":[{"id":0,"pop":5,"x":1.5,"y":"+2"},{"id":1,"pop":7,"x":2,"y":3}],"links":[{"source":0,"target":1,"len":4.5}]}' \
  >"$corpus/graph_json/pair.json"
printf '{"directed":false,"multigraph":false,"graph":{},"nodes":[{"id":"a","pop":5},{"id":"b","pop":"7"}],"adjacency":[[{"id":"b","len":2}],[{"id":"a","len":2}]]}' \
  >"$corpus/graph_json/adjacency.json"

# --- geojson_units: one small square building.
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"households":12},"geometry":{"type":"Polygon","coordinates":[[[116.4,39.9],[116.4001,39.9],[116.4001,39.9001],[116.4,39.9]]]}}]}' \
  >"$corpus/geojson_units/one.geojson"

if [ ! -x "$bin" ]; then
  echo "seeds.sh: $bin not built; no city, plan or graph seeds" >&2
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" generate --buildings 60 --seed 3 --out "$work/city.gpkg" -q
"$bin" plan --city "$work/city.gpkg" --seed 1 --out "$work/plan.gpkg" -q
"$bin" graph --city "$work/city.gpkg" --out "$work/city.metis" -q
"$bin" graph --city "$work/city.gpkg" --edge-weights length --out "$work/length.metis" -q
cp -f "$work/city.metis" "$work/length.metis" "$corpus/metis/"
# 512-byte pages: the plan fits run.sh's -max_len (256 KiB) instead of being cut short.
sqlite3 "$work/plan.gpkg" 'PRAGMA page_size=512; VACUUM;'
cp -f "$work/plan.gpkg" "$corpus/plan_loader/"
ogr2ogr -f GeoJSON "$corpus/geojson_units/city.geojson" "$work/city.gpkg" units \
  -t_srs EPSG:4326 -limit 40 -lco COORDINATE_PRECISION=7

# The unweighted METIS graph as node-link JSON: vertex i (1-based) is node i-1 with its
# weight as "pop"; each edge once (i < j).
awk 'BEGIN { printf "{\"directed\":false,\"multigraph\":false,\"graph\":{},\"nodes\":[" }
     /^%/ { next }
     !header { header = 1; fmt = $3; next }
     { v++; w = (fmt ~ /1.$/) ? $1 : 1; start = (fmt ~ /1.$/) ? 2 : 1
       printf "%s{\"id\":%d,\"pop\":%s}", (v > 1 ? "," : ""), v - 1, w
       for (k = start; k <= NF; k++) if ($k > v) edges = edges sprintf("%s{\"source\":%d,\"target\":%d}", (edges == "" ? "" : ","), v - 1, $k - 1) }
     END { printf "],\"links\":[%s]}", edges }' "$work/city.metis" >"$corpus/graph_json/city.json"
