// End-to-end `gridplan rebalance`: redrawing a plan keeps every unit in a cell.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/plan_file.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

fs::path with_inputs() {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_city(), dir / "city.gpkg");
  fs::copy_file(gp::testing::small_plan(), dir / "plan.gpkg");
  return dir;
}

TEST(RebalanceCli, EveryUnitOfTheCityIsInTheRedrawnPlan) {
  const fs::path dir = with_inputs();
  const auto r = run_gridplan({"rebalance", "--existing", "plan.gpkg:cells", "--city", "city.gpkg",
                               "--out", "r.gpkg", "-q"},
                              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(gp::geo::read_layer((dir / "r.gpkg").string(), "units").table.rows.size(),
            gp::geo::read_layer((dir / "city.gpkg").string(), "units").table.rows.size());
}

/// p10-p90 range of a numeric field of a layer's rows (linear interpolation).
double spread(const gp::geo::Layer& layer, const std::string& field) {
  const int c = layer.table.find(field);
  EXPECT_GE(c, 0) << field;
  std::vector<double> v;
  for (const auto& row : layer.table.rows)
    if (const auto x = gp::geo::value_number(row[static_cast<std::size_t>(c)])) v.push_back(*x);
  std::sort(v.begin(), v.end());
  auto q = [&](double p) {
    const double x = p * static_cast<double>(v.size() - 1);
    const auto i = static_cast<std::size_t>(x);
    return i + 1 >= v.size() ? v[i] : v[i] + (x - static_cast<double>(i)) * (v[i + 1] - v[i]);
  };
  return q(0.9) - q(0.1);
}

TEST(RebalanceCli, ByWorkloadNarrowsTheUtilisationSpread) {
  // A city of about 30 cells; simulate, rebalance by the simulated workload within 5 % of
  // its mean per cell, simulate again with the same seed.
  const fs::path dir = gp::testing::temp_dir();
  auto ok = [&](const std::vector<std::string>& args) {
    const auto r = run_gridplan(args, dir, 300);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  ok({"generate", "--households", "12000", "--seed", "7", "--out", "city.gpkg", "-q"});
  ok({"plan", "--city", "city.gpkg", "--out", "plan.gpkg", "-q"});
  const std::vector<std::string> sim{"--days", "365", "--replications", "4", "--seed", "3", "-q"};
  auto simulate = [&](const std::string& plan, const std::string& out) {
    std::vector<std::string> args{"simulate", plan, "--out", out};
    args.insert(args.end(), sim.begin(), sim.end());
    ok(args);
  };
  simulate("plan.gpkg", "before.gpkg");
  const auto units = gp::geo::read_layer((dir / "before.gpkg").string(), "units");
  const int w = units.table.find("workload_h");
  const int cell = units.table.find("cell_code");
  ASSERT_GE(w, 0);
  double total = 0;
  std::set<std::string> cells;
  for (const auto& row : units.table.rows) {
    total += gp::geo::value_number(row[static_cast<std::size_t>(w)]).value_or(0);
    cells.insert(gp::geo::value_text(row[static_cast<std::size_t>(cell)]));
  }
  cells.erase("");
  ASSERT_GT(cells.size(), 10u);
  const double mean = total / static_cast<double>(cells.size());
  ok({"rebalance", "--existing", "plan.gpkg:cells", "--city", "city.gpkg", "--units",
      "before.gpkg:units", "--balance-field", "workload_h", "--min", std::to_string(0.95 * mean),
      "--max", std::to_string(1.05 * mean), "--out", "by_work.gpkg", "-q"});
  simulate("by_work.gpkg", "after.gpkg");
  const double before =
      spread(gp::geo::read_layer((dir / "before.gpkg").string(), "cells"), "utilisation");
  const double after =
      spread(gp::geo::read_layer((dir / "after.gpkg").string(), "cells"), "utilisation");
  EXPECT_LT(after, before) << "utilisation p10-p90 before " << before << ", after " << after;
  // The plan records the field it was balanced by: the cells' workload sums.
  const auto meta = gp::geo::read_layer((dir / "by_work.gpkg").string(), "plan_metadata");
  bool recorded = false;
  for (const auto& row : meta.table.rows)
    recorded = recorded || (gp::geo::value_text(row[0]) == "balance_field" &&
                            gp::geo::value_text(row[1]) == "workload_h");
  EXPECT_TRUE(recorded);
}

TEST(RebalanceCli, FloorsAreRecordedAndHeldOrReported) {
  const fs::path dir = with_inputs();
  // A floor every cell of the small city can meet, and one no cell can.
  const auto r = run_gridplan({"rebalance", "--existing", "plan.gpkg:cells", "--city", "city.gpkg",
                               "--at-least", "party_members:3", "--at-least", "households:100000",
                               "--out", "r.gpkg", "--json"},
                              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto plan = gp::planner::plan_file::read_plan((dir / "r.gpkg").string());
  ASSERT_EQ(plan.rules.floors.size(), 2u);
  EXPECT_EQ(plan.rules.floors[0].field, "party_members");
  EXPECT_EQ(plan.rules.floors[0].minimum, 3);
  const auto j = gp::planner::plan_file::judge_plan(plan);
  // Every cell is below the impossible floor, and the judge finds it from the file alone.
  EXPECT_EQ(j.cells_below_floor, plan.cells.size());
  std::size_t below_members = 0;
  for (const auto& c : j.cells) below_members += c.floor_values[0] < 3 ? 1 : 0;
  EXPECT_EQ(below_members, 0u);
  // One "floor" violation per cell (households) in the command's report.
  const std::regex floor_rule(R"("rule"\s*:\s*"floor")");
  const auto reported = static_cast<std::size_t>(std::distance(
      std::sregex_iterator(r.out.begin(), r.out.end(), floor_rule), std::sregex_iterator()));
  EXPECT_EQ(reported, plan.cells.size());
  // `diff` judges the plans from their files: the old plan has no floors, the new one
  // carries them.
  const auto d = run_gridplan({"--json", "diff", "plan.gpkg", "r.gpkg"}, dir);
  ASSERT_EQ(d.exit_code, 0) << d.err;
  const std::regex after(R"("judgement_after"\s*:\s*\{[^}]*"cells_below_floor"\s*:\s*(\d+))");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(d.out, m, after)) << d.out.substr(0, 400);
  EXPECT_EQ(std::stoul(m[1].str()), plan.cells.size());
}

TEST(RebalanceCli, ExitCodesAndRefusals) {
  const fs::path dir = with_inputs();
  const auto before = gp::testing::snapshot(dir);
  EXPECT_EQ(run_gridplan({"rebalance", "--city", "city.gpkg", "--out", "r.gpkg"}, dir).exit_code,
            1);
  EXPECT_EQ(
      run_gridplan(
          {"rebalance", "--existing", "none.gpkg", "--city", "city.gpkg", "--out", "r.gpkg"}, dir)
          .exit_code,
      2);
  EXPECT_EQ(run_gridplan({"rebalance", "--existing", "plan.gpkg:cells", "--city", "city.gpkg",
                          "--out", "plan.gpkg", "--overwrite"},
                         dir)
                .exit_code,
            2);
  EXPECT_EQ(gp::testing::snapshot(dir), before);
}

} // namespace
