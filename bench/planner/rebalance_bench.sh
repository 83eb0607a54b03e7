#!/usr/bin/env bash
# Rebalance vs planning from scratch, measured in the same run.
#
#   bench/planner/rebalance_bench.sh [GRIDPLAN] [BUILDINGS] [WORKDIR]
#
# 1. Generate the demo city (BUILDINGS buildings, default 10000) and plan it.
# 2. Perturb it: +15 % households (rounded) in a quarter of the buildings (fid % 4 = 0, given
#    counts only), or with PERTURB=quadrant +15 % in the south-west quarter of the city.
# 3. Rebalance the old plan's cells over the perturbed city, and plan the perturbed city from
#    scratch (same seed).
# 4. Households moved: by rebalance (cell code changed), and by the fresh plan (cells of the
#    fresh plan matched one-to-one to old cells by largest shared households; a household
#    "moved" when its building's new cell is not the match of its old cell). Also the rules:
#    cells within bounds before/after.
# With TAIPEI=1 the same is done on the Taipei footprints (households estimated from height;
# "one district" = buildings west of the median longitude get +20 % height).
set -euo pipefail
GRIDPLAN=${1:-build/release/apps/gridplan}
BUILDINGS=${2:-10000}
WORK=${3:-$(mktemp -d)}
PERTURB=${PERTURB:-quarter}
mkdir -p "$WORK"
cd "$WORK"
t() { /usr/bin/time -f "%e s wall, %U s user, %M KB max RSS" "$@"; }

if [[ "${TAIPEI:-0}" == 1 ]]; then
  SRC=${TAIPEI_SRC:-$(dirname "$0")/../../../shared/data/taipei/taipei-4352-buildings.geojson}
  ogr2ogr -f GPKG -nln units city.gpkg "$SRC" -overwrite
  cp city.gpkg perturbed.gpkg
  MEDIAN=$(python3 - <<'EOF'
import sqlite3
c = sqlite3.connect("city.gpkg")
xs = sorted(r[0] for r in c.execute("SELECT (minx+maxx)/2 FROM rtree_units_geom"))
print(xs[len(xs)//2])
EOF
)
  ogrinfo perturbed.gpkg -q -sql "UPDATE units SET height = height * 1.2 WHERE fid IN (SELECT id FROM rtree_units_geom WHERE (minx+maxx)/2 < $MEDIAN)" >/dev/null
  INPUT_OLD=(--units city.gpkg:units)
  INPUT_NEW=(--units perturbed.gpkg:units)
else
  t "$GRIDPLAN" -q generate --buildings "$BUILDINGS" --seed 7 --out city.gpkg --overwrite
  cp city.gpkg perturbed.gpkg
  if [[ "$PERTURB" == quadrant ]]; then
    read -r MX MY < <(python3 - <<'EOF'
import sqlite3
c = sqlite3.connect("city.gpkg")
r = c.execute("SELECT min(minx), max(maxx), min(miny), max(maxy) FROM rtree_units_geom").fetchone()
print((r[0]+r[1])/2, (r[2]+r[3])/2)
EOF
)
    ogrinfo perturbed.gpkg -q -sql "UPDATE units SET households = ROUND(households * 1.15) WHERE households IS NOT NULL AND fid IN (SELECT id FROM rtree_units_geom WHERE maxx < $MX AND maxy < $MY)" >/dev/null
  else
    ogrinfo perturbed.gpkg -q -sql "UPDATE units SET households = ROUND(households * 1.15) WHERE households IS NOT NULL AND fid % 4 = 0" >/dev/null
  fi
  INPUT_OLD=(--city city.gpkg)
  INPUT_NEW=(--city perturbed.gpkg)
fi

echo "== plan (original)"
t "$GRIDPLAN" -q plan "${INPUT_OLD[@]}" --seed 1 --out plan.gpkg --overwrite
echo "== rebalance (perturbed, existing = original plan's cells)"
t "$GRIDPLAN" --json rebalance "${INPUT_NEW[@]}" --existing plan.gpkg:cells --seed 1 \
  --out rebalanced.gpkg --overwrite > rebalance.json
echo "== plan from scratch (perturbed)"
t "$GRIDPLAN" --json plan "${INPUT_NEW[@]}" --seed 1 --out scratch.gpkg --overwrite > scratch.json
"$GRIDPLAN" --json diff plan.gpkg rebalanced.gpkg > diff_rebalanced.json
"$GRIDPLAN" --json diff plan.gpkg scratch.gpkg > diff_scratch.json

python3 - <<'EOF'
import collections, json, sqlite3
from collections import defaultdict

def units(path):
    c = sqlite3.connect(path)
    return {str(k): (code, hh or 0) for k, code, hh in
            c.execute("SELECT unit_id, cell_code, households FROM units")}

def matched_moved(old, new):
    # One-to-one matching of new cells to old cells by shared households (greedy, largest first).
    shared = defaultdict(float)
    for k, (code_new, hh) in new.items():
        if k in old and old[k][0] and code_new:
            shared[(code_new, old[k][0])] += hh
    match, used = {}, set()
    for (n, o), w in sorted(shared.items(), key=lambda x: (-x[1], x[0])):
        if n not in match and o not in used:
            match[n] = o
            used.add(o)
    return sum(hh for k, (code_new, hh) in new.items()
               if k in old and old[k][0] and match.get(code_new) != old[k][0])

def load(path):
    # libmetis prints "***..." notices on stdout; they are not part of the JSON.
    return json.loads("".join(l for l in open(path) if not l.lstrip().startswith("***")))

old, reb, scr = units("plan.gpkg"), units("rebalanced.gpkg"), units("scratch.gpkg")
total = sum(hh for _, hh in reb.values())
r = load("rebalance.json")
s = load("scratch.json")
d = load("diff_rebalanced.json")
m_reb, m_scr = matched_moved(old, reb), matched_moved(old, scr)
print(f"households (perturbed) {total:.0f}")
print(f"rules broken before rebalance: {r['rebalance']['violations_before']}")
print(f"rebalance: moved {r['rebalance']['households_moved']:.0f} by code, {m_reb:.0f} by matching; "
      f"cells within bounds {r['share_within_bounds']*100:.1f}%, contiguous {r['share_contiguous']*100:.1f}%, "
      f"violations {dict(collections.Counter(v['rule'] for v in r['violation_list']))}, "
      f"cells {r['cells']} (unchanged {r['rebalance']['cells_unchanged']}, changed {len(r['rebalance']['cells_changed'])}, "
      f"new {len(r['rebalance']['cells_new'])}, retired {len(r['rebalance']['retired_codes'])})")
print(f"scratch:   moved {m_scr:.0f} by matching; cells within bounds {s['share_within_bounds']*100:.1f}%, "
      f"violations {dict(collections.Counter(v['rule'] for v in s['violation_list']))}")
print(f"diff plan->rebalanced: households moved {d['households_moved']:.0f}, balance within before "
      f"{d['balance_before']['share_within_bounds']*100:.1f}% after {d['balance_after']['share_within_bounds']*100:.1f}%")
if m_reb > 0:
    print(f"ratio scratch/rebalance (matching): {m_scr / m_reb:.1f}x")
else:
    print("rebalance moved nothing")
EOF
echo "work dir: $WORK"
