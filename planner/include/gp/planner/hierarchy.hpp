#pragma once
// The administrative hierarchy: district -> street (街道) -> community (社区) -> grid cell.
// Streets and districts are areas (given as polygons, or derived from the communities'
// parent codes); nesting is checked (a community outside its street, a gap between the
// streets of a district) and totals are summed at every level. See docs/user/hierarchy.md.

#include <string>
#include <vector>

#include "gp/geo/model.hpp"

namespace gp::planner {

struct Plan;

/// Service figures of one cell, from a simulation (optional input of build_hierarchy).
struct CellService {
  std::string cell_code;
  double workers = 0;
  double requests = 0;
  double on_time = 0; ///< requests closed within their deadline
};

/// One area of one level and what it holds.
struct LevelTotals {
  geo::AreaLevel level = geo::AreaLevel::community;
  std::string code, name, parent_code;
  bool derived = false; ///< no polygon given: the union of its children (or codes only)
  double area_m2 = 0;
  std::size_t streets = 0, communities = 0, cells = 0, units = 0;
  double households = 0, population = 0;
  double workers = 0, requests = 0, on_time = 0;
  /// on_time / requests, or -1 when no service figures were given.
  double on_time_share() const { return requests > 0 ? on_time / requests : -1.0; }
};

/// A nesting defect. kind: "outside_parent" (a community outside its street, a street
/// outside its district), "gap" (part of a district in none of its streets), "no_parent"
/// (no parent code and none in the code), "unknown_parent" (the parent code names no area
/// of the level above and none could be derived).
struct NestingIssue {
  std::string kind;
  std::string code; ///< the child (or the district, for a gap)
  std::string parent_code;
  double area_m2 = 0; ///< area outside the parent / of the gap
  std::string detail; ///< human-readable, names the values
};

struct Hierarchy {
  std::vector<LevelTotals> districts, streets, communities; ///< each sorted by code
  std::vector<NestingIssue> issues;
};

/// Builds the hierarchy of a dataset and (optionally) its plan. `parents` are street and
/// district areas (level street/district) read from their own layers; areas of those
/// levels in dataset.areas count too. A community's street is its parent_code, else the
/// first 9 digits of its code; a street's district its parent_code, else its first 6
/// digits. Streets and districts named that way but not given are derived (geometry =
/// union of their children). Totals: households, population and units from the dataset's
/// units per community; cells from the plan (0 without one); workers and on-time from
/// `service` by cell code. Nesting is checked only between given polygons; areas below
/// `tolerance_m2` are ignored. Deterministic.
Hierarchy build_hierarchy(const geo::Dataset& dataset, const Plan* plan,
                          const std::vector<geo::Area>& parents,
                          const std::vector<CellService>& service = {}, double tolerance_m2 = 1.0);

/// The hierarchy as pretty JSON: {"districts": [...], "streets": [...], "communities":
/// [...], "issues": [...]} with the LevelTotals fields (on_time_share null when unknown).
std::string hierarchy_json(const Hierarchy& h);
/// Street and district totals as a few lines for a terminal, and the issues.
std::string hierarchy_text(const Hierarchy& h);

} // namespace gp::planner
