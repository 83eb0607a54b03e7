#pragma once
// A seeded, deterministic synthetic city for demos, tests and benchmarks (`gridplan generate`).
//
// One district tiled by streets (街道) tiled by communities (社区), with high-rise and
// low-rise compounds (小区), an old single-storey quarter (平房), mixed-use and
// non-residential buildings, arterial and local roads, a river, a rail line and service
// stations. All coordinates are metres in EPSG:4548 (CGCS2000 / 3-degree Gauss-Kruger
// CM 117E), around x = 500,000, y = 4,420,000 (near Beijing). Layer and field names follow
// the demo-city contract documented in docs/user/generate.md.

#include <cstdint>
#include <string>
#include <vector>

#include "gp/geo/io.hpp"
#include "gp/geo/table.hpp"

namespace gp::geo {

/// The CRS of every generated geometry.
inline constexpr const char* demo_city_crs = "EPSG:4548";

/// What to generate. Exactly one of `households` and `buildings` drives the size:
/// when `buildings` > 0 the city has exactly that many buildings (communities scale so
/// each keeps roughly its default size) and the household total follows; otherwise the
/// city has about `households` households (±10 %, usually within 1 %).
struct CityParams {
  std::uint64_t seed = 1;
  std::int64_t households = 60000; ///< target total, used when buildings == 0; >= 1000
  std::int64_t buildings = 0;      ///< exact building count when > 0; in [50, 2,000,000]
};

/// Limits accepted by generate_city (also checked by the CLI).
inline constexpr std::int64_t demo_city_min_households = 1000;
inline constexpr std::int64_t demo_city_max_households = 50'000'000;
inline constexpr std::int64_t demo_city_min_buildings = 50;
inline constexpr std::int64_t demo_city_max_buildings = 2'000'000;

/// Summary of a generated city.
struct CityStats {
  std::string district_code; ///< 6 digits
  std::string district_name;
  std::size_t streets = 0;
  std::size_t communities = 0;
  std::size_t old_quarter_communities = 0; ///< communities that are mostly 平房
  std::size_t compounds = 0;
  std::size_t buildings = 0;
  std::size_t residential_buildings = 0;    ///< types highrise, lowrise, pingfang, mixed
  std::size_t null_household_buildings = 0; ///< residential buildings written with NULL households
  /// All households the generator placed, including those of buildings whose field is
  /// NULL (their true count follows the estimation formula of households.hpp).
  std::int64_t households = 0;
  std::int64_t households_given = 0; ///< sum of the non-NULL `households` field
  std::size_t facilities = 0;
  std::int64_t party_members = 0;    ///< sum of the units' party_members (7 % of residents)
  std::int64_t party_households = 0; ///< sum of the units' party_households (党员中心户)
  std::size_t organisations = 0;     ///< one per non-residential building (驻区单位)
  double area_km2 = 0;               ///< district area
  double roads_km = 0;               ///< arterial, secondary and local roads
  double river_km = 0;
  double rail_km = 0;
  std::string hole_community;      ///< code of the community with a hole ("" if none)
  std::string multipart_community; ///< code of the two-part community ("" if none)
};

struct GeneratedCity {
  /// In this order: district, streets, areas, compounds, units, barriers, facilities,
  /// organisations.
  std::vector<Layer> layers;
  CityStats stats;
};

/// Generates the city. Same params give identical layers (values and coordinates, bit for
/// bit); different seeds give different cities. Memory is about 0.6 KB per building.
/// Throws gp::UsageError when params are outside the limits above. `progress` may be empty.
GeneratedCity generate_city(const CityParams& params, const ProgressFn& progress = {});

} // namespace gp::geo
