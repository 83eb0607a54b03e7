#!/usr/bin/env bash
# Independent checks of a written plan with GDAL's SQLite/SpatiaLite SQL (not gridplan's own
# code): cells, share within bounds, households total, empty cells, coverage error
# (max over areas of |sum of cell areas - area| / area), overlap ((sum - union) / area) and
# units whose point-on-surface lies outside their own cell (though inside their area).
# Write the plan in a metric CRS (e.g. --out-crs EPSG:32651) so that areas are in m2.
#
# Usage: bench/planner/check_plan.sh PLAN.gpkg
set -euo pipefail
plan=$1
q() { ogrinfo -q -ro "$plan" -dialect SQLite -sql "$1" | awk -F' = ' '/ = /{print $2}'; }
cells=$(q "SELECT COUNT(*) FROM cells")
within=$(q "SELECT AVG(within_bounds) FROM cells")
hh=$(q "SELECT SUM(households) FROM cells")
empty=$(q "SELECT COUNT(*) FROM cells WHERE households <= 0")
cov=$(q "SELECT MAX(ABS(s - a) / a) FROM (SELECT ST_Area(x.geom) AS a, (SELECT SUM(ST_Area(c.geom)) FROM cells c WHERE c.area_code = x.area_code) AS s FROM areas x)")
ovl=$(q "SELECT MAX((s - u) / a) FROM (SELECT ST_Area(x.geom) AS a, (SELECT SUM(ST_Area(c.geom)) FROM cells c WHERE c.area_code = x.area_code) AS s, (SELECT ST_Area(ST_Union(c.geom)) FROM cells c WHERE c.area_code = x.area_code) AS u FROM areas x)")
# Units whose point lies outside their own area (assigned by the reader's tolerance) cannot lie
# in a cell that tiles the area; they are counted apart.
outside=$(q "SELECT COUNT(*) FROM units u JOIN cells c ON u.cell_code = c.cell_code JOIN areas a ON a.area_code = c.area_code WHERE u.geom IS NOT NULL AND NOT ST_Intersects(ST_PointOnSurface(u.geom), c.geom) AND ST_Intersects(ST_PointOnSurface(u.geom), a.geom)")
outside_area=$(q "SELECT COUNT(*) FROM units u JOIN cells c ON u.cell_code = c.cell_code JOIN areas a ON a.area_code = c.area_code WHERE u.geom IS NOT NULL AND NOT ST_Intersects(ST_PointOnSurface(u.geom), a.geom)")
printf 'cells %s  within_bounds %.4f  households %.1f  empty_cells %s  coverage_err %.3g  overlap %.3g  anchors_outside_cell %s  units_outside_area %s\n' \
  "$cells" "$within" "$hh" "$empty" "$cov" "$ovl" "$outside" "$outside_area"
