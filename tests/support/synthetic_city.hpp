#pragma once
// gp::testing generators of in-memory geo::Dataset values for tests: communities of many
// shapes (holes, multipart areas, islands), buildings (footprints or points) on jittered
// grids, compounds, barriers, and polygons that tile an area. Deterministic for a seed.
// Coordinates are metres in EPSG:4548 (CGCS2000 / GK CM 117E) near Beijing, like the demo
// city; Dataset::source_crs and work_crs are both that CRS's WKT.

#include <cstdint>
#include <string>
#include <vector>

#include "gp/geo/geometry.hpp"
#include "gp/geo/model.hpp"

namespace gp::testing {

/// An axis-aligned rectangle as a closed counter-clockwise ring.
geo::Ring rect_ring(double x0, double y0, double x1, double y1);
/// A polygon: rectangle, optionally with rectangular holes.
geo::Polygon rect_polygon(double x0, double y0, double x1, double y1,
                          const std::vector<geo::Ring>& holes = {});

struct BuildingGrid {
  double spacing_m = 40;   ///< distance between building centres
  double footprint_m = 16; ///< side of the square footprint (0: point buildings)
  double jitter_m = 6;     ///< random offset of each centre (uniform in ±jitter)
  int households_min = 10; ///< households per building, uniform integer in [min, max]
  int households_max = 40;
  std::string compound_id; ///< compound of every building placed (empty: none)
  std::string type = "lowrise";
};

/// Builds a Dataset step by step.
class SyntheticCity {
public:
  explicit SyntheticCity(std::uint64_t seed = 1);

  /// Adds a community area; returns its index. Code: 12 digits.
  std::size_t add_area(const std::string& code, geo::MultiPolygon geometry,
                       const std::string& name = "");
  /// Fills `region` (defaults to the whole area) with buildings whose centres lie inside
  /// both the region and the area (and outside its holes). Returns how many were placed.
  std::size_t add_buildings(std::size_t area, const BuildingGrid& grid,
                            const geo::MultiPolygon* region = nullptr);
  /// One building at a given centre.
  void add_building(std::size_t area, geo::Point centre, double footprint_m, double households,
                    const std::string& compound_id = "", const std::string& type = "lowrise");
  /// Divides the area's bounding box into nx*ny rectangular parcels (tiling units), each
  /// with the given households range; parcels are clipped to nothing: the area should
  /// be the rectangle itself.
  void add_parcels(std::size_t area, int nx, int ny, int households_min, int households_max);
  void add_barrier(geo::LineString line, geo::BarrierKind kind = geo::BarrierKind::road,
                   const std::string& name = "");
  void add_compound(const std::string& id, geo::MultiPolygon geometry);

  /// The dataset (units in insertion order, unit_attributes: building_id, households,
  /// compound_id, type).
  geo::Dataset dataset() const;
  double total_households() const;

private:
  std::uint64_t state_;
  double uniform(); // [0,1)
  geo::Dataset ds_;
};

// Ready-made cities (all deterministic). Households per building 10..40 unless noted.

/// One square community (side_m) with buildings on a grid.
geo::Dataset square_city(double side_m = 800, std::uint64_t seed = 1);
/// A community with a lake (hole) in the middle: no buildings in the hole.
geo::Dataset city_with_hole(std::uint64_t seed = 1);
/// A multipart community: a mainland, a large island, and a small island whose
/// households are below 300 (it cannot be a cell of its own).
geo::Dataset multipart_city(std::uint64_t seed = 1);
/// A community containing a compound whose households (~900) exceed 500, plus ordinary
/// compounds of ~200 households.
geo::Dataset big_compound_city(std::uint64_t seed = 1);
/// Two communities, one of which has fewer households (~150) than the minimum 300.
geo::Dataset small_area_city(std::uint64_t seed = 1);
/// A square community crossed by a river (north-south) and a road (east-west).
geo::Dataset barrier_city(std::uint64_t seed = 1);
/// Point buildings (no footprints).
geo::Dataset point_city(std::uint64_t seed = 1);
/// Rectangular parcels that tile the community (tiling units).
geo::Dataset tiling_city(std::uint64_t seed = 1);
/// All of the shapes above as separate communities of one dataset.
geo::Dataset mixed_city(std::uint64_t seed = 1);

} // namespace gp::testing
