#pragma once
// Flags shared by `plan` and `graph`: where the units/areas/... come from, how to read
// them, and the planning parameters.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "gp/geo/io.hpp"
#include "gp/geo/model.hpp"
#include "gp/planner/plan.hpp"

namespace gp::cli {

struct PlanInputFlags {
  std::string units, areas, compounds, barriers, facilities, city;
  std::string where, encoding, src_crs, work_crs;
  std::string balance_field = "households";
  double min = 300, max = 500;
  int cells = 0;
  double tolerance = 0.005;
  std::uint64_t seed = 1;
  std::string objective = "compact";
  bool hard_barriers = false;
  std::string unit_kind = "auto";
  std::vector<std::string> secondary; ///< NAME[:WEIGHT]
  std::vector<std::string> at_least;  ///< FIELD:N hard floors (PlanOptions::floors)
  unsigned threads = 0;
  int restarts = 0;
  double effort = 1;
  double time_limit = 0;
  /// Field mapping (as `inspect --fields`), single roles (--field ROLE=NAME), known area
  /// totals and building types.
  std::string fields_file;
  std::vector<std::string> field_roles; ///< ROLE=NAME
  std::string area_households, area_population, area_totals;
  std::string building_types, untyped;
  bool no_calibration = false;
  std::string code_scheme;        ///< "" (area code + 3 digits), beijing15 or cjt349
  std::string streets, districts; ///< hierarchy polygons, SRC[:LAYER] ("" = city's layers)

  /// Registers the input, reading and planning flags on `cmd`.
  void add_to(CLI::App& cmd);
  /// The sources named by the flags; throws UsageError when there are no units.
  geo::DatasetSources sources() const;
  geo::ReadOptions read_options() const;
  planner::PlanOptions plan_options() const;
  /// Paths of every input file (never written to) and "role=path" rows for metadata,
  /// with SHA-256 checksums.
  std::vector<std::string> input_paths() const;
  planner::MetadataRows input_metadata() const;
};

} // namespace gp::cli
