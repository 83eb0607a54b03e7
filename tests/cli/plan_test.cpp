// End-to-end `gridplan plan`: exit codes, refusals, formats, and the Shapefile round trip.
#include <gtest/gtest.h>

#include <filesystem>
#include <iterator>
#include <map>
#include <regex>
#include <set>

#include "cli_run.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/plan_file.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

/// cell_code of every unit, by unit_id, from a plan's units layer.
std::map<long long, std::string> unit_cells(const gp::geo::Layer& units) {
  const int id = units.table.find("unit_id"), cell = units.table.find("cell_code");
  std::map<long long, std::string> out;
  for (const auto& row : units.table.rows)
    out[std::get<std::int64_t>(row[static_cast<std::size_t>(id)])] =
        std::holds_alternative<std::string>(row[static_cast<std::size_t>(cell)])
            ? std::get<std::string>(row[static_cast<std::size_t>(cell)])
            : "";
  return out;
}

/// The cells each compound's units are in, from a plan's units layer.
std::map<std::string, std::set<std::string>> cells_of_compounds(const gp::geo::Layer& units,
                                                                const std::string& field) {
  const int compound = units.table.find(field), cell = units.table.find("cell_code");
  std::map<std::string, std::set<std::string>> out;
  if (compound < 0) return out;
  for (const auto& row : units.table.rows) {
    const auto& c = row[static_cast<std::size_t>(compound)];
    if (!std::holds_alternative<std::string>(c) || std::get<std::string>(c).empty()) continue;
    out[std::get<std::string>(c)].insert(
        std::get<std::string>(row[static_cast<std::size_t>(cell)]));
  }
  return out;
}

TEST(PlanCli, EveryUnitInACellOfItsPlan) {
  const auto plan = gp::testing::small_plan();
  const auto units = gp::geo::read_layer(plan.string(), "units");
  const auto cells = gp::geo::read_layer(plan.string(), "cells");
  std::set<std::string> codes;
  const int code = cells.table.find("cell_code");
  for (const auto& row : cells.table.rows)
    codes.insert(std::get<std::string>(row[static_cast<std::size_t>(code)]));
  for (const auto& [id, cell] : unit_cells(units)) EXPECT_TRUE(codes.count(cell)) << id;
}

TEST(PlanCli, FloorsAreRecordedAndEveryReaderJudgesThemAsThePlannerDid) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_city(), dir / "city.gpkg");
  // Party members: a floor every cell can hold. Party households (党员中心户): a floor high
  // enough that some cells of the small city may miss it.
  const auto r = run_gridplan({"plan", "--city", "city.gpkg", "--at-least", "party_members:3",
                               "--at-least", "party_households:25", "--out", "p.gpkg", "--json"},
                              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto plan = gp::planner::plan_file::read_plan((dir / "p.gpkg").string());
  ASSERT_EQ(plan.rules.floors.size(), 2u);
  EXPECT_EQ(plan.rules.floors[1].field, "party_households");
  EXPECT_EQ(plan.rules.floors[1].minimum, 25);
  const auto j = gp::planner::plan_file::judge_plan(plan);
  // The judge's floor sums from the file equal the sums of the units' own attribute.
  const auto units = gp::geo::read_layer((dir / "p.gpkg").string(), "units");
  const int ph = units.table.find("party_households"), cell = units.table.find("cell_code");
  std::map<std::string, double> sum;
  for (const auto& row : units.table.rows)
    sum[gp::geo::value_text(row[static_cast<std::size_t>(cell)])] +=
        gp::geo::value_number(row[static_cast<std::size_t>(ph)]).value_or(0);
  std::size_t below = 0;
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    EXPECT_DOUBLE_EQ(j.cells[c].floor_values[1], sum[plan.cells[c].code]);
    EXPECT_GE(j.cells[c].floor_values[0], 3) << plan.cells[c].code; // members: held
    below += sum[plan.cells[c].code] < 25 ? 1 : 0;
  }
  EXPECT_GT(below, 0u); // the floor binds somewhere: the report is exercised
  EXPECT_EQ(j.cells_below_floor, below);
  // The planner reported exactly those cells, each once, as "floor" violations.
  const std::regex floor_rule(R"("rule"\s*:\s*"floor")");
  const auto reported = static_cast<std::size_t>(std::distance(
      std::sregex_iterator(r.out.begin(), r.out.end(), floor_rule), std::sregex_iterator()));
  EXPECT_EQ(reported, below);
}

TEST(PlanCli, UsageErrorIsOneAndBadInputIsTwo) {
  const fs::path dir = gp::testing::temp_dir();
  EXPECT_EQ(run_gridplan({"plan", "--out", "p.gpkg"}, dir).exit_code, 1);
  EXPECT_EQ(run_gridplan({"plan", "--units", "none.gpkg", "--out", "p.gpkg"}, dir).exit_code, 2);
}

TEST(PlanCli, NeverOverItsInputOrAnExistingFile) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_city(), dir / "city.gpkg");
  const auto before = gp::testing::snapshot(dir);
  EXPECT_EQ(run_gridplan({"plan", "--city", "city.gpkg", "--out", "city.gpkg", "--overwrite"}, dir)
                .exit_code,
            2);
  EXPECT_EQ(gp::testing::snapshot(dir), before);
  ASSERT_EQ(run_gridplan({"plan", "--city", "city.gpkg", "--out", "p.gpkg", "-q"}, dir).exit_code,
            0);
  const auto after = gp::testing::snapshot(dir);
  EXPECT_EQ(run_gridplan({"plan", "--city", "city.gpkg", "--out", "p.gpkg", "--seed", "3"}, dir)
                .exit_code,
            2);
  EXPECT_EQ(gp::testing::snapshot(dir), after);
}

// Issue 9: reading gridplan's own Shapefile output back lost the compounds (field names
// cut to 10 characters were not recognised) and the replan split them.
TEST(PlanCli, ShapefileRoundTripKeepsCompoundsAndCells) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_city(), dir / "city.gpkg");
  ASSERT_EQ(run_gridplan({"plan", "--city", "city.gpkg", "--out", "a.gpkg", "-q"}, dir).exit_code,
            0);
  ASSERT_EQ(
      run_gridplan({"plan", "--city", "city.gpkg", "--format", "shp", "--out", "a_shp", "-q"}, dir)
          .exit_code,
      0);
  ASSERT_TRUE(fs::exists(dir / "a_shp" / "units.shp"));
  // Replan from the Shapefile units (with the same areas): compounds are recognised
  // (compound_i) and the cells are the same as planning from the GeoPackage.
  const auto r = run_gridplan({"plan", "--units", "a_shp/units.shp", "--areas", "city.gpkg:areas",
                               "--out", "b.gpkg", "--json", "-q"},
                              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto a = gp::geo::read_layer((dir / "a.gpkg").string(), "units");
  const auto b = gp::geo::read_layer((dir / "b.gpkg").string(), "units");
  ASSERT_EQ(a.table.rows.size(), b.table.rows.size());
  // The compound field came through under its cut name and was used: every compound
  // spans as many cells as when planned from the GeoPackage (where the planner keeps
  // compounds whole unless one is larger than a cell may be).
  const auto a_cells = cells_of_compounds(a, "compound_id");
  const auto b_cells = cells_of_compounds(b, "compound_i");
  ASSERT_FALSE(a_cells.empty());
  ASSERT_EQ(a_cells.size(), b_cells.size());
  for (const auto& [id, cells] : a_cells) {
    ASSERT_TRUE(b_cells.count(id)) << id;
    EXPECT_EQ(b_cells.at(id).size(), cells.size()) << "compound " << id;
  }
  EXPECT_EQ(gp::geo::read_layer((dir / "b.gpkg").string(), "cells").table.rows.size(),
            gp::geo::read_layer((dir / "a.gpkg").string(), "cells").table.rows.size());
}

TEST(PlanCli, NamesAFormatCannotHonourAreRefused) {
  const fs::path dir = gp::testing::temp_dir();
  for (const char* out : {"x.fgb", "x.shp", "x.txt", "x.geojson"}) {
    const auto r =
        run_gridplan({"plan", "--city", gp::testing::small_city().string(), "--out", out}, dir);
    EXPECT_EQ(r.exit_code, 1) << out << ": " << r.err;
    EXPECT_FALSE(fs::exists(dir / out)) << out;
  }
}

} // namespace
