#pragma once
// Household and population estimation for buildings with no counts.
//
// households = footprint_m2 * floors * usable_ratio / dwelling_m2   (residential types only;
//              times mixed_residential_share for type "mixed")
// floors     = levels field, else max(1, round(height / storey_height_m)),
//              else default_floors[type] (else default_floors[""])
// population = households * household_size
// Defaults and their sources: docs/design/data-model.md.
//
// What is a home: each building's use (residential / non-residential / mixed / untyped) comes
// from its type by a building-type table (data/building_types.toml, built in, overridable).
// Known totals: calibrate() scales the estimated households of each area so that the area's
// known total is met (given counts are never changed).

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gp/geo/model.hpp"

namespace gp::geo {

/// Which type values (and, for OpenStreetMap, which tags) mean which use.
struct BuildingTypes {
  /// Type value (lower-case ASCII, trimmed; Chinese as is) -> use.
  std::map<std::string, BuildingUse> values;
  /// Tag key (amenity, shop, ...) -> use of an untyped building carrying it (OSM).
  std::map<std::string, BuildingUse> tags;
  /// Use of untyped buildings (no type, "yes", or a value not in `values`).
  BuildingUse untyped = BuildingUse::residential;

  /// The built-in table (the text of data/building_types.toml, parsed once).
  static const BuildingTypes& defaults();
  /// The defaults with the lists and keys a TOML file names replaced (format as in
  /// data/building_types.toml). Throws UsageError naming the file and line.
  static BuildingTypes from_file(const std::string& path);
  /// Parses TOML text; `origin` names it in errors. Throws UsageError.
  static BuildingTypes parse(const std::string& text, const std::string& origin,
                             const BuildingTypes& base);
};

/// The built-in table's TOML text (identical to data/building_types.toml).
const std::string& default_building_types_toml();

/// "residential" | "non_residential" | "mixed" | "untyped".
const char* building_use_name(BuildingUse use);
/// Parses a use name ("non-residential" also accepted); throws UsageError otherwise.
BuildingUse parse_building_use(const std::string& name);

/// The use of a building: its type value looked up in the table; when the type says
/// nothing (empty, "yes", unknown), the first OSM tag key in `tags` (key, value) found in
/// the table's tags; else BuildingUse::untyped.
BuildingUse classify_building(const std::string& type,
                              const std::vector<std::pair<std::string, std::string>>& tags,
                              const BuildingTypes& table);

struct EstimationParams {
  double household_size = 2.62; ///< persons per household, China 2020 census
  double storey_height_m = 3.0;
  double usable_ratio = 0.75; ///< share of gross floor area inside dwellings (套内)
  double dwelling_m2 = 90.0;  ///< floor area of one dwelling (m2)
  /// Floors assumed when neither levels nor height is known, by building type.
  std::map<std::string, double> default_floors = {{"", 3},
                                                  {"yes", 3},
                                                  {"residential", 6},
                                                  {"apartments", 12},
                                                  {"house", 2},
                                                  {"detached", 2},
                                                  {"semidetached_house", 2},
                                                  {"terrace", 2},
                                                  {"bungalow", 1},
                                                  {"dormitory", 6},
                                                  {"hut", 1},
                                                  {"highrise", 18},
                                                  {"lowrise", 6},
                                                  {"pingfang", 1},
                                                  {"mixed", 8}};
  /// Building types: which are homes. Untyped buildings count as residential by default
  /// (most untyped buildings in cities are homes); `types.untyped` changes that.
  BuildingTypes types = BuildingTypes::defaults();
  /// Mixed-use buildings: share of floor area that is residential.
  double mixed_residential_share = 0.5;
};

struct EstimateInput {
  double footprint_m2 = 0;
  double levels = 0;   ///< 0 = unknown
  double height_m = 0; ///< 0 = unknown
  std::string type;
  /// Use when already classified (e.g. from OSM tags); untyped = classify `type` here.
  BuildingUse use = BuildingUse::untyped;
};

struct Estimate {
  double floors = 0;
  double households = 0; ///< 0 for non-residential types; not rounded
};

/// Households of one building (not rounded; 0 for non-residential types or no footprint).
Estimate estimate_households(const EstimateInput& in, const EstimationParams& params);
/// The floors the estimate uses (rule above); always >= 1 when a default exists.
double floors_for(const EstimateInput& in, const EstimationParams& params);
/// True unless the type's use (by params.types, untyped -> types.untyped) is non-residential.
bool is_residential(const std::string& type, const EstimationParams& params);

/// A known total for one area, from a totals table.
struct AreaTotal {
  std::string key;        ///< area code or name
  double households = -1; ///< -1 = not given
  double population = -1; ///< -1 = not given
  std::string origin;     ///< "FILE row N" / "FILE [areas.KEY]", for messages
};

/// Reads a totals table: CSV (header row; a key column named code/area_code/编码/区划代码
/// or name/名称, and households/户数/总户数 and/or population/人口/常住人口) or TOML
/// (`[areas."KEY"]` tables with `households = N` and/or `population = N`). Throws
/// InputError naming the file and row for a missing column or a non-numeric value.
std::vector<AreaTotal> read_area_totals(const std::string& path);

/// Sets the totals of the dataset's areas from a table, matching each key against area
/// codes first, then names. Throws InputError naming the file and row for a key that
/// matches no area (or several by name).
void apply_area_totals(Dataset& dataset, const std::vector<AreaTotal>& totals);

/// Calibration thresholds: a scale factor outside [low, high] is flagged.
struct CalibrationOptions {
  double household_size = 2.62; ///< converts a population total into households
  double flag_low = 0.33;
  double flag_high = 3.0;
};

/// For every community with a known total (households, else population / household_size):
/// the estimated households of its units are scaled so that the area's sum equals the
/// total; given counts are never changed. When the given counts alone exceed the total,
/// nothing is scaled and the area is flagged "given_exceed_total". Estimated population
/// follows the scaled households (and is scaled to a known population total the same way).
/// Fills the areas' calibration facts and adds one warning per flagged area.
void calibrate(Dataset& dataset, const CalibrationOptions& options);

} // namespace gp::geo
