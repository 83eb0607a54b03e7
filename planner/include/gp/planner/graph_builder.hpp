#pragma once
// Building one area's unit adjacency graph from geometry, and the piece of the area each
// unit owns (its "region"). Cells are unions of regions, so they tile the area exactly.
//
// Two kinds of units (docs/design/planner.md, "Geometry and output"):
//  - buildings (footprints or points): region = Voronoi partition of the area seeded by
//    each footprint's anchor and a few of its boundary vertices, clipped to the area, so
//    regions cover open space too; adjacency = shared region boundary (length in metres).
//  - tiling polygons (parcels, blocks, tracts): region = the polygon itself; adjacency =
//    shared polygon boundary.
// All geometry in the dataset's metric work CRS (metres).

#include <cstdint>
#include <string>
#include <vector>

#include "gp/geo/geometry.hpp"
#include "gp/geo/model.hpp"
#include "gp/geo/ops.hpp"
#include "gp/planner/graph.hpp"

namespace gp::planner {

enum class UnitKind {
  automatic, ///< tiling when the units cover most of the area (see GraphBuildOptions)
  buildings, ///< Voronoi regions around footprints/points
  tiling,    ///< the unit polygons are the regions
};

/// "auto" | "buildings" | "tiling"; throws gp::UsageError otherwise.
UnitKind parse_unit_kind(const std::string& name);
const char* unit_kind_name(UnitKind kind);

struct GraphBuildOptions {
  UnitKind kind = UnitKind::automatic;
  /// Automatic detection: tiling when every unit has a footprint and the footprints cover
  /// at least this share of the area (of their convex hull when the area is derived).
  double tiling_coverage = 0.75;
  /// Boundary vertices of a footprint used as Voronoi seeds besides its anchor (spread
  /// evenly along the outer ring), so the region follows the footprint's shape.
  int boundary_seeds = 4;
  /// Derived areas (no area polygon): each unit's region is its Voronoi cell cut to the
  /// unit's convex hull grown by this distance (16-gon); the area is their union.
  double derived_reach_m = 50;
  /// Shared boundaries shorter than this (metres) are not adjacency (corner contacts).
  double min_shared_m = 0.01;
  /// Connected components of the graph whose total weight is below this are joined to
  /// the nearest other component by a "bridge" edge (islands too small for a cell of
  /// their own). 0 = never; infinity = join everything into one component.
  double join_components_below = 0;
};

/// One area's graph and geometry. Vertex v is dataset unit `units[v]`.
struct AreaGraph {
  UnitGraph graph;
  std::vector<std::uint32_t> units;
  /// Per vertex: the part of the area the unit owns (may be empty, e.g. a duplicate
  /// point; such a unit is linked to the unit whose region contains its anchor).
  std::vector<geo::MultiPolygon> regions;
  /// The area as planned: the given polygon, or the derived one (union of regions).
  geo::MultiPolygon area;
  bool derived_area = false;
  bool tiling = false;
  /// Group index -> compound id (graph.group[v] indexes this).
  std::vector<std::string> group_names;
  /// Connected components before joining, and the number of bridge edges added.
  std::uint32_t components = 0;
  std::size_t bridges = 0;
  /// Per vertex: component index before joining (0-based, by lowest vertex).
  std::vector<std::uint32_t> component;
};

/// Values per unit used as vertex weights: weight[v] = balance[units[v]] and
/// secondary[k][v] = secondary[k][units[v]].
struct UnitValues {
  std::vector<double> balance;
  std::vector<std::vector<double>> secondary;
};

/// Numeric values of a field for every unit of the dataset: "households" and "population"
/// come from the model (estimated where missing); any other name from the units' original
/// attributes (NULL = 0). Throws gp::UsageError when the field does not exist and
/// gp::InputError (naming the feature) when a value is not numeric.
std::vector<double> unit_field_values(const geo::Dataset& dataset, const std::string& field);

/// Builds the graph of `units` (dataset indices) inside `area` (nullptr: derive the area
/// from the units). `barriers` may be null. Deterministic; uses GEOS through gp::geo.
AreaGraph build_area_graph(const geo::Dataset& dataset, const std::vector<std::uint32_t>& units,
                           const geo::MultiPolygon* area, const UnitValues& values,
                           const geo::LineIndex* barriers, const GraphBuildOptions& options);

/// Convex hull of points (counter-clockwise closed ring; empty for fewer than 3 distinct
/// points that are not collinear).
geo::Ring convex_hull(std::vector<geo::Point> points);

} // namespace gp::planner
