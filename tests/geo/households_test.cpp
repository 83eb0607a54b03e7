// Household estimation: the documented formula, floors from levels/height/type, types.

#include <gtest/gtest.h>

#include "gp/geo/households.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "gp/core/error.hpp"
#include "gp/geo/geometry.hpp"
#include "gp/geo/io.hpp"
#include "gp/geo/ops.hpp"
#include "support.hpp"

namespace gp::geo {
namespace {

TEST(Households, FormulaFromLevels) {
  const EstimationParams p;
  const Estimate e = estimate_households({500, 12, 0, "apartments"}, p);
  EXPECT_DOUBLE_EQ(e.floors, 12);
  EXPECT_DOUBLE_EQ(e.households, 500.0 * 12 * 0.75 / 90.0); // 50
}

TEST(Households, FloorsFromHeightRounded) {
  const EstimationParams p;
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 19.7, ""}, p), 7); // 6.57 -> 7
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 3.5, ""}, p), 1);  // 1.17 -> 1
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 1.0, ""}, p), 1);  // at least one floor
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 98, ""}, p), 33);  // 32.67 -> 33
  // Levels beat height.
  EXPECT_DOUBLE_EQ(floors_for({100, 5, 98, ""}, p), 5);
}

TEST(Households, DefaultFloorsByType) {
  const EstimationParams p;
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 0, "highrise"}, p), 18);
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 0, "pingfang"}, p), 1);
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 0, "house"}, p), 2);
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 0, "unknown_type"}, p), 3); // the "" default
}

TEST(Households, OnlyResidentialTypes) {
  const EstimationParams p;
  EXPECT_GT(estimate_households({100, 3, 0, "residential"}, p).households, 0);
  EXPECT_GT(estimate_households({100, 3, 0, "yes"}, p).households, 0);
  EXPECT_EQ(estimate_households({100, 3, 0, "school"}, p).households, 0);
  EXPECT_EQ(estimate_households({100, 3, 0, "commercial"}, p).households, 0);
  EXPECT_EQ(estimate_households({100, 3, 0, "industrial"}, p).households, 0);
  EXPECT_EQ(estimate_households({0, 3, 0, "residential"}, p).households, 0);
  // Mixed use: half the floor area is homes.
  EXPECT_DOUBLE_EQ(estimate_households({100, 4, 0, "mixed"}, p).households,
                   100.0 * 4 * 0.75 * 0.5 / 90.0);
}

TEST(Households, ParametersAreOverridable) {
  EstimationParams p;
  p.dwelling_m2 = 60;
  p.usable_ratio = 0.8;
  p.types.values["school"] = BuildingUse::residential; // a boarding school, say
  EXPECT_DOUBLE_EQ(estimate_households({300, 2, 0, "school"}, p).households, 300.0 * 2 * 0.8 / 60);
  p.storey_height_m = 4;
  EXPECT_DOUBLE_EQ(floors_for({100, 0, 12, ""}, p), 3);
}

// --- Building types (issue 10) -----------------------------------------------------------

std::filesystem::path source_file(const std::string& relative) {
  return gp::testing::source_dir() / relative;
}

TEST(BuildingTypes, BuiltInTableIsTheDocumentedFile) {
  std::ifstream in(source_file("data/building_types.toml"), std::ios::binary);
  ASSERT_TRUE(in) << source_file("data/building_types.toml");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, default_building_types_toml());
}

TEST(BuildingTypes, OsmChineseAndVectorTileValuesAreClassified) {
  const auto& t = BuildingTypes::defaults();
  EXPECT_EQ(classify_building("apartments", {}, t), BuildingUse::residential);
  EXPECT_EQ(classify_building("  House ", {}, t), BuildingUse::residential);
  EXPECT_EQ(classify_building("住宅", {}, t), BuildingUse::residential);
  for (const char* v : {"hotel", "retail", "train_station", "commercial", "school", "商业", "办公",
                        "学校", "酒店", "医院"})
    EXPECT_EQ(classify_building(v, {}, t), BuildingUse::non_residential) << v;
  EXPECT_EQ(classify_building("商住", {}, t), BuildingUse::mixed);
  EXPECT_EQ(classify_building("mixed_use", {}, t), BuildingUse::mixed);
  // building=yes says nothing: the tags decide.
  EXPECT_EQ(classify_building("yes", {{"amenity", "place_of_worship"}}, t),
            BuildingUse::non_residential);
  EXPECT_EQ(classify_building("yes", {{"shop", "bakery"}}, t), BuildingUse::mixed);
  EXPECT_EQ(classify_building("", {{"amenity", ""}}, t), BuildingUse::untyped);
  EXPECT_EQ(classify_building("yes", {}, t), BuildingUse::untyped);
  EXPECT_EQ(classify_building("spaceship", {}, t), BuildingUse::untyped);
  // A type that says something wins over tags.
  EXPECT_EQ(classify_building("apartments", {{"shop", "bakery"}}, t), BuildingUse::residential);
}

TEST(BuildingTypes, NonResidentialGetZeroHouseholdsAndUntypedFollowsTheTable) {
  EstimationParams p;
  EXPECT_EQ(estimate_households({1000, 10, 0, "hotel"}, p).households, 0);
  EXPECT_EQ(estimate_households({1000, 10, 0, "学校"}, p).households, 0);
  EstimateInput tagged{1000, 10, 0, "yes"};
  tagged.use = BuildingUse::non_residential; // e.g. amenity=hospital
  EXPECT_EQ(estimate_households(tagged, p).households, 0);
  EXPECT_DOUBLE_EQ(estimate_households({1000, 10, 0, "yes"}, p).households,
                   1000.0 * 10 * 0.75 / 90.0);
  p.types.untyped = BuildingUse::non_residential; // --untyped non-residential
  EXPECT_EQ(estimate_households({1000, 10, 0, "yes"}, p).households, 0);
  EXPECT_GT(estimate_households({1000, 10, 0, "apartments"}, p).households, 0);
}

TEST(BuildingTypes, AFileReplacesTheListsItNames) {
  const auto path = gp::testing::temp_dir() / "types.toml";
  {
    std::ofstream out(path);
    out << "untyped = \"non_residential\"\nresidential = [\"hotel\", \"宿舍\"]\n";
  }
  const auto t = BuildingTypes::from_file(path.string());
  EXPECT_EQ(t.untyped, BuildingUse::non_residential);
  EXPECT_EQ(classify_building("hotel", {}, t), BuildingUse::residential);
  // "apartments" was in the replaced residential list and is now unknown.
  EXPECT_EQ(classify_building("apartments", {}, t), BuildingUse::untyped);
  EXPECT_EQ(classify_building("office", {}, t), BuildingUse::non_residential); // kept
  {
    std::ofstream out(path);
    out << "colour = \"red\"\n";
  }
  EXPECT_THROW(BuildingTypes::from_file(path.string()), UsageError);
}

// --- Known totals ------------------------------------------------------------------------

Unit unit(const std::string& area, double households, ValueSource source, double side = 10) {
  Unit u;
  u.area_code = area;
  u.households = households;
  u.households_source = source;
  u.population = households * 2.5;
  u.population_source = source;
  u.geometry = {Polygon{{{0, 0}, {side, 0}, {side, side}, {0, side}, {0, 0}}, {}}};
  return u;
}

Dataset two_areas() {
  Dataset ds;
  for (const char* code : {"110101001001", "110101001002"}) {
    Area a;
    a.code = code;
    ds.areas.push_back(a);
  }
  ds.units = {unit("110101001001", 200, ValueSource::given),
              unit("110101001001", 100, ValueSource::estimated),
              unit("110101001001", 300, ValueSource::estimated),
              unit("110101001002", 50, ValueSource::estimated)};
  return ds;
}

TEST(Calibration, EstimatesAreScaledToTheTotalAndGivenCountsKept) {
  auto ds = two_areas();
  ds.areas[0].households_total = 1000;
  calibrate(ds, CalibrationOptions{});
  double sum = 0;
  for (const auto& u : ds.units)
    if (u.area_code == "110101001001") sum += u.households;
  EXPECT_NEAR(sum, 1000, 1e-9);
  EXPECT_DOUBLE_EQ(ds.units[0].households, 200); // given: unchanged
  EXPECT_NEAR(ds.units[1].households / ds.units[2].households, 100.0 / 300.0, 1e-12);
  EXPECT_NEAR(ds.areas[0].scale_factor, 800.0 / 400.0, 1e-12);
  EXPECT_DOUBLE_EQ(ds.areas[0].households_given, 200);
  EXPECT_DOUBLE_EQ(ds.areas[0].households_estimated, 400);
  EXPECT_NEAR(ds.areas[0].households_scaled, 800, 1e-9);
  EXPECT_TRUE(ds.areas[0].calibration_flags.empty());
  // The other area has no total: untouched.
  EXPECT_DOUBLE_EQ(ds.units[3].households, 50);
  EXPECT_DOUBLE_EQ(ds.areas[1].scale_factor, 1);
}

TEST(Calibration, FarFactorsAndExcessiveGivenCountsAreFlagged) {
  auto ds = two_areas();
  ds.areas[0].households_total = 150; // given 200 alone exceed it
  ds.areas[1].households_total = 500; // 50 estimated -> x10
  calibrate(ds, CalibrationOptions{});
  EXPECT_EQ(ds.areas[0].calibration_flags, std::vector<std::string>{"given_exceed_total"});
  EXPECT_DOUBLE_EQ(ds.units[1].households, 100); // left
  EXPECT_EQ(ds.areas[1].calibration_flags, std::vector<std::string>{"scale_far_from_1"});
  EXPECT_NEAR(ds.units[3].households, 500, 1e-9);
  EXPECT_EQ(ds.report.warnings.size(), 2u);
}

TEST(Calibration, PopulationTotalGivesHouseholdsAndPopulation) {
  auto ds = two_areas();
  ds.areas[1].population_total = 262; // 100 households of 2.62
  calibrate(ds, CalibrationOptions{});
  EXPECT_NEAR(ds.units[3].households, 100, 1e-9);
  EXPECT_NEAR(ds.units[3].population, 262, 1e-9);
}

TEST(Calibration, TotalsTablesByCodeOrNameInCsvAndToml) {
  auto ds = two_areas();
  ds.areas[1].name = "东华门社区";
  const auto dir = gp::testing::temp_dir();
  {
    std::ofstream out(dir / "totals.csv");
    out << "code,户数\n110101001001,900\n";
  }
  {
    std::ofstream out(dir / "totals.toml");
    out << "[areas.\"东华门社区\"]\nhouseholds = 80\npopulation = 200\n";
  }
  apply_area_totals(ds, read_area_totals((dir / "totals.csv").string()));
  apply_area_totals(ds, read_area_totals((dir / "totals.toml").string()));
  EXPECT_DOUBLE_EQ(ds.areas[0].households_total, 900);
  EXPECT_DOUBLE_EQ(ds.areas[1].households_total, 80);
  EXPECT_DOUBLE_EQ(ds.areas[1].population_total, 200);
  calibrate(ds, CalibrationOptions{});
  double sum0 = 0;
  for (const auto& u : ds.units)
    if (u.area_code == "110101001001") sum0 += u.households;
  EXPECT_NEAR(sum0, 900, 1e-9);
  EXPECT_NEAR(ds.units[3].households, 80, 1e-9);
  {
    std::ofstream out(dir / "bad.csv");
    out << "code,households\n999999999999,10\n";
  }
  EXPECT_THROW(apply_area_totals(ds, read_area_totals((dir / "bad.csv").string())), InputError);
  {
    std::ofstream out(dir / "nan.csv");
    out << "code,households\n110101001001,many\n";
  }
  EXPECT_THROW(read_area_totals((dir / "nan.csv").string()), InputError);
}

TEST(Calibration, ReadDatasetDetectsAreaTotalsAndBuildingTypes) {
  // Four buildings in one community whose area layer says 户数 = 120: the hotel gets 0,
  // the others are scaled so that the community holds exactly 120 households.
  const auto dir = gp::testing::temp_dir();
  auto square = [](double x, double y, double d) {
    const auto x0 = std::to_string(x), y0 = std::to_string(y);
    const auto x1 = std::to_string(x + d), y1 = std::to_string(y + d);
    return "[[[" + x0 + "," + y0 + "],[" + x1 + "," + y0 + "],[" + x1 + "," + y1 + "],[" + x0 +
           "," + y1 + "],[" + x0 + "," + y0 + "]]]";
  };
  {
    std::ofstream out(dir / "units.geojson");
    out << R"({"type":"FeatureCollection","features":[)";
    const char* types[] = {"apartments", "hotel", "yes", "住宅"};
    for (int i = 0; i < 4; ++i)
      out << (i ? "," : "") << R"({"type":"Feature","properties":{"building":")" << types[i]
          << R"(","height":30},"geometry":{"type":"Polygon","coordinates":)"
          << square(116.4 + 0.001 * i, 39.9, 0.0004) << "}}";
    out << "]}";
  }
  {
    std::ofstream out(dir / "areas.geojson");
    out << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
        << R"({"code":"110101001001","name":"东华门","户数":120},"geometry":{"type":"Polygon",)"
        << R"("coordinates":)" << square(116.399, 39.899, 0.006) << "}}]}";
  }
  DatasetSources sources;
  sources.units = SourceSpec{(dir / "units.geojson").string(), ""};
  sources.areas = SourceSpec{(dir / "areas.geojson").string(), ""};
  const auto ds = read_dataset(sources, ReadOptions{});
  ASSERT_EQ(ds.units.size(), 4u);
  double sum = 0;
  for (const auto& u : ds.units) sum += u.households;
  EXPECT_NEAR(sum, 120, 1e-9);
  EXPECT_EQ(ds.units[1].use, BuildingUse::non_residential);
  EXPECT_EQ(ds.units[1].households, 0);
  EXPECT_EQ(ds.units[2].use, BuildingUse::untyped);
  EXPECT_EQ(ds.units[3].use, BuildingUse::residential);
  EXPECT_EQ(ds.report.units_non_residential, 1u);
  EXPECT_EQ(ds.report.units_untyped, 1u);
  // One of four equal footprints (same floors) is untyped.
  EXPECT_NEAR(ds.report.untyped_floor_area_share, 0.25, 1e-3);
  ASSERT_EQ(ds.areas.size(), 1u);
  EXPECT_DOUBLE_EQ(ds.areas[0].households_total, 120);
  EXPECT_NE(ds.areas[0].totals_source.find("户数"), std::string::npos);
  // The three residential estimates are equal; the factor maps their sum to 120.
  EXPECT_NEAR(ds.areas[0].households_estimated * ds.areas[0].scale_factor, 120, 1e-9);
}

} // namespace
} // namespace gp::geo
