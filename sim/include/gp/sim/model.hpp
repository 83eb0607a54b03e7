#pragma once
// The in-memory model the simulator runs on: cells, buildings (demand points) and
// service stations of one plan. Built from a plan GeoPackage by plan_loader.hpp, or
// directly in memory (tests, benchmarks). Coordinates are in the plan's metric work CRS
// (metres).

#include <cstdint>
#include <string>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::sim {

/// One grid cell (网格).
struct SimCell {
  std::string code;      ///< 15-digit cell code (area code + 3 digits), or any id
  std::string area_code; ///< community (社区) the cell belongs to
  double households = 0; ///< households living in the cell
  geo::Point centroid;   ///< where the cell's workers start each shift (their station)
  /// Cells sharing a boundary with this one (indices into SimPlan::cells), any community.
  /// Dispatch only uses neighbours of the same community.
  std::vector<std::uint32_t> neighbours;
};

/// A building, i.e. a demand point: requests arrive here in proportion to households.
struct SimBuilding {
  geo::Point position;
  double households = 0;
  std::uint32_t cell = 0; ///< index into SimPlan::cells
  /// The plan unit it was read from (index into the plan's units, i.e. unit_id - 1), or
  /// -1 when built in memory. write_result writes workloads back to these units.
  std::int64_t unit = -1;
  /// Cells whose workers may serve this building's requests, most preferred first.
  /// Empty (the usual case): the own cell, then same-community neighbours by distance.
  /// Tests set it to reproduce textbook models (Larson's hypercube).
  std::vector<std::uint32_t> dispatch_order;
};

/// A service station (党群服务站) for the 15-minute service-circle coverage.
struct SimFacility {
  std::string name;
  geo::Point location;
  double floor_area_m2 = 0;
};

struct SimPlan {
  std::vector<SimCell> cells;
  /// May be empty: then each cell gets one building at its centroid with its households.
  std::vector<SimBuilding> buildings;
  std::vector<SimFacility> facilities;
  /// Road centre lines (metres), from the plan's `barriers` layer (kind = 'road'). May be
  /// empty: then travel uses straight-line distance x detour factor.
  std::vector<geo::LineString> roads;

  double total_households() const;
  /// Throws gp::InputError (file "plan") when indices are out of range or values negative.
  void validate() const;
};

} // namespace gp::sim
