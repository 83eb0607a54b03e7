#pragma once
// Household and population estimation for buildings with no counts.
//
// households = footprint_m2 * floors * usable_ratio / dwelling_m2   (residential types only;
//              times mixed_residential_share for type "mixed")
// floors     = levels field, else max(1, round(height / storey_height_m)),
//              else default_floors[type] (else default_floors[""])
// population = households * household_size
// Defaults and their sources: docs/design/data-model.md.

#include <map>
#include <string>
#include <vector>

namespace gp::geo {

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
  /// Building types counted as residential (OSM building= values and the demo city's).
  /// "yes" (untyped) counts as residential: most untyped buildings in cities are homes.
  std::vector<std::string> residential_types = {"",
                                                "yes",
                                                "residential",
                                                "apartments",
                                                "house",
                                                "detached",
                                                "semidetached_house",
                                                "terrace",
                                                "bungalow",
                                                "dormitory",
                                                "hut",
                                                "highrise",
                                                "lowrise",
                                                "pingfang",
                                                "mixed"};
  /// Mixed-use buildings: share of floor area that is residential.
  double mixed_residential_share = 0.5;
};

struct EstimateInput {
  double footprint_m2 = 0;
  double levels = 0;   ///< 0 = unknown
  double height_m = 0; ///< 0 = unknown
  std::string type;
};

struct Estimate {
  double floors = 0;
  double households = 0; ///< 0 for non-residential types; not rounded
};

/// Households of one building (not rounded; 0 for non-residential types or no footprint).
Estimate estimate_households(const EstimateInput& in, const EstimationParams& params);
/// The floors the estimate uses (rule above); always >= 1 when a default exists.
double floors_for(const EstimateInput& in, const EstimationParams& params);
bool is_residential(const std::string& type, const EstimationParams& params);

} // namespace gp::geo
