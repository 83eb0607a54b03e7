#include "gp/geo/households.hpp"

#include <algorithm>
#include <cmath>

namespace gp::geo {

bool is_residential(const std::string& type, const EstimationParams& params) {
  return std::find(params.residential_types.begin(), params.residential_types.end(), type) !=
         params.residential_types.end();
}

double floors_for(const EstimateInput& in, const EstimationParams& params) {
  if (in.levels > 0) return in.levels;
  if (in.height_m > 0 && params.storey_height_m > 0)
    return std::max(1.0, std::round(in.height_m / params.storey_height_m));
  if (auto it = params.default_floors.find(in.type); it != params.default_floors.end())
    return it->second;
  if (auto it = params.default_floors.find(""); it != params.default_floors.end())
    return it->second;
  return 1;
}

Estimate estimate_households(const EstimateInput& in, const EstimationParams& params) {
  Estimate e;
  e.floors = floors_for(in, params);
  if (!is_residential(in.type, params) || in.footprint_m2 <= 0 || params.dwelling_m2 <= 0) return e;
  double share = 1.0;
  if (in.type == "mixed") share = params.mixed_residential_share;
  e.households = in.footprint_m2 * e.floors * params.usable_ratio * share / params.dwelling_m2;
  return e;
}

} // namespace gp::geo
