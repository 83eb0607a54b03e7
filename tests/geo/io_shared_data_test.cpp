// read_dataset and list_layers on every GIS file of ../shared/data: the counts and totals
// documented in its README.

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "gp/geo/crs.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "support.hpp"

namespace gp::geo {
namespace {

double total_households(const Dataset& ds) {
  double s = 0;
  for (const auto& u : ds.units) s += u.households;
  return s;
}

double total_population(const Dataset& ds) {
  double s = 0;
  for (const auto& u : ds.units) s += u.population;
  return s;
}

Dataset read_one(const std::filesystem::path& p, ReadOptions opt = {}) {
  return read_dataset(DatasetSources::detect(SourceSpec::parse(p.string())), opt);
}

TEST(IoSharedData, TaipeiBuildingsAreAllReadAndEstimatedFromHeight) {
  GP_REQUIRE_SHARED_DATA(path, "taipei/taipei-4352-buildings.geojson");
  const Dataset ds = read_one(path);
  EXPECT_EQ(ds.report.features_read, 13268u);
  EXPECT_EQ(ds.units.size() + ds.report.dropped_empty + ds.report.duplicate_units, 13268u);
  EXPECT_EQ(ds.report.duplicate_units, 4u); // exact duplicate footprints in the source
  EXPECT_EQ(ds.unit_attributes.rows.size(), ds.units.size());
  // The README says all polygons are valid: nothing should need repair.
  EXPECT_EQ(ds.report.repaired_invalid, 0u);
  // EPSG:4326 source: the work CRS is UTM zone 51N (Taipei, 121.5E).
  EXPECT_EQ(crs_short_name(ds.work_crs), "EPSG:32651");
  // No household field: every unit is estimated from its height, and the model's value
  // equals the documented formula computed by hand from footprint and height.
  const EstimationParams p;
  const int h = ds.unit_attributes.find("height");
  ASSERT_GE(h, 0);
  double hand_total = 0;
  for (std::size_t i = 0; i < ds.units.size(); ++i) {
    const Unit& u = ds.units[i];
    EXPECT_EQ(u.households_source, ValueSource::estimated);
    const double height = std::get<double>(ds.unit_attributes.rows[i][static_cast<std::size_t>(h)]);
    const double floors = std::max(1.0, std::round(height / 3.0));
    const double hh = area(u.geometry) * floors * 0.75 / 90.0;
    hand_total += hh;
    ASSERT_NEAR(u.households, hh, 1e-9 * std::max(1.0, hh)) << "unit " << i;
    ASSERT_DOUBLE_EQ(u.floors, floors);
    ASSERT_NEAR(u.population, hh * p.household_size, 1e-9 * std::max(1.0, hh));
  }
  EXPECT_NEAR(total_households(ds), hand_total, 1e-6 * hand_total);
  EXPECT_EQ(ds.report.households_estimated, ds.units.size());
  // One derived area (no area layer): the convex hull holding every building.
  ASSERT_EQ(ds.areas.size(), 1u);
  EXPECT_EQ(ds.areas[0].code.size(), 12u);
  EXPECT_TRUE(ds.report.unassigned.empty());
  for (const auto& u : ds.units) ASSERT_EQ(u.area_code, ds.areas[0].code);
}

TEST(IoSharedData, BeijingSubdistrictsKeepTheirPopulation) {
  GP_REQUIRE_SHARED_DATA(path, "beijing/beijing-subdistricts-worldpop.gpkg");
  const Dataset ds = read_one(path);
  EXPECT_EQ(ds.units.size(), 331u);
  EXPECT_DOUBLE_EQ(total_population(ds), 20755648.0);
  for (const auto& u : ds.units) {
    EXPECT_EQ(u.population_source, ValueSource::given);
    // Households derived from population by the household size (2.62).
    EXPECT_EQ(u.households_source, ValueSource::estimated);
    EXPECT_NEAR(u.households * 2.62, u.population, 1e-6 * std::max(1.0, u.population));
  }
  EXPECT_EQ(crs_short_name(ds.work_crs), "EPSG:32650");
  // Chinese names arrive as UTF-8: 'township' is the name field.
  bool found = false;
  for (const auto& u : ds.units) found = found || u.name == "建外街道";
  EXPECT_TRUE(found);
}

TEST(IoSharedData, NewHampshireTractsHaveCensusHouseholds) {
  GP_REQUIRE_SHARED_DATA(path, "us-tracts/NH_tract.shp");
  const Dataset ds = read_one(path);
  EXPECT_EQ(ds.units.size(), 295u);
  const int pop = ds.unit_attributes.find("DP0010001");
  const int hh = ds.unit_attributes.find("DP0130001");
  ASSERT_GE(pop, 0);
  ASSERT_GE(hh, 0);
  double pop_sum = 0, hh_sum = 0;
  for (const auto& row : ds.unit_attributes.rows) {
    pop_sum += static_cast<double>(std::get<std::int64_t>(row[static_cast<std::size_t>(pop)]));
    hh_sum += static_cast<double>(std::get<std::int64_t>(row[static_cast<std::size_t>(hh)]));
  }
  EXPECT_DOUBLE_EQ(total_population(ds), pop_sum);
  EXPECT_DOUBLE_EQ(total_households(ds), hh_sum);
  EXPECT_EQ(ds.report.households_estimated, 0u);
  EXPECT_EQ(ds.report.population_estimated, 0u);
  // 2010 census: New Hampshire had 1,316,470 residents.
  EXPECT_DOUBLE_EQ(pop_sum, 1316470.0);
  // Tracts tile the state: the derived area is their union and holds every tract.
  ASSERT_EQ(ds.areas.size(), 1u);
  EXPECT_TRUE(ds.report.unassigned.empty());
  double tract_area = 0;
  for (const auto& u : ds.units) tract_area += area(u.geometry);
  EXPECT_NEAR(area(ds.areas[0].geometry), tract_area, 1e-3 * tract_area);
}

TEST(IoSharedData, MonacoOsmBuildingsAdminAreasAndBarriers) {
  GP_REQUIRE_SHARED_DATA(path, "osm/monaco-2016.osm.pbf");
  const Dataset ds = read_one(path);
  // 23,370 building ways + 3 relations; OGR assembles 23,336 building multipolygons.
  EXPECT_EQ(ds.report.features_read, 23336u);
  EXPECT_EQ(ds.units.size() + ds.report.dropped_empty + ds.report.duplicate_units, 23336u);
  // The finest admin level present (10) gives Monaco's 9 quartiers as communities.
  std::size_t communities = 0;
  for (const auto& a : ds.areas) communities += a.level == AreaLevel::community ? 1 : 0;
  EXPECT_EQ(communities, 9u);
  // Units in France are outside every quartier: listed, not dropped.
  std::size_t assigned = 0;
  for (const auto& u : ds.units) assigned += u.area_code.empty() ? 0 : 1;
  EXPECT_EQ(assigned + ds.report.unassigned.size(), ds.units.size());
  EXPECT_GT(assigned, 1000u);
  EXPECT_FALSE(ds.barriers.empty());
  // Building types come from the building= tag.
  bool typed = false;
  for (const auto& u : ds.units) typed = typed || u.type == "apartments";
  EXPECT_TRUE(typed);
}

TEST(IoSharedData, MonacoAdminLevelCanBeChosen) {
  GP_REQUIRE_SHARED_DATA(path, "osm/monaco-2016.osm.pbf");
  ReadOptions opt;
  opt.admin_level = 8;
  const Dataset ds = read_one(path, opt);
  // 11 communes carry admin_level 8, but the extract cuts the French ones: only the 4
  // whose rings close (Beausoleil, Cap-d'Ail, La Turbie, Monaco) become polygons in OGR.
  EXPECT_EQ(ds.areas.size(), 4u);
}

TEST(IoSharedData, GraphJsonIsExplainedNotMisread) {
  GP_REQUIRE_SHARED_DATA(path, "graphs/arkansas-blockgroups-2020.json");
  try {
    (void)list_layers(path.string(), {});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("graph"), std::string::npos) << e.what();
    EXPECT_EQ(e.file(), path.string());
  }
  GP_REQUIRE_SHARED_DATA(nh, "us-tracts/NH_tract_dual_graph.json");
  EXPECT_THROW((void)list_layers(nh.string(), {}), InputError);
}

TEST(IoSharedData, ListLayersRecognisesFields) {
  GP_REQUIRE_SHARED_DATA(path, "us-tracts/NH_tract.shp");
  const auto layers = list_layers(path.string(), {});
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(layers[0].feature_count, 295);
  EXPECT_EQ(layers[0].crs, "EPSG:4269");
  const auto& r = layers[0].recognised;
  auto role = [&](const std::string& name) {
    for (const auto& [k, v] : r)
      if (k == name) return v;
    return std::string();
  };
  EXPECT_EQ(role("population"), "DP0010001");
  EXPECT_EQ(role("households"), "DP0130001");
  EXPECT_EQ(role("code"), "GEOID10");
}

} // namespace
} // namespace gp::geo
