// End-to-end `gridplan simulate`: a short run, its results file, exit codes, refusals.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_run.hpp"
#include "gp/geo/io.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

fs::path with_plan() {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_plan(), dir / "plan.gpkg");
  return dir;
}

TEST(SimulateCli, ResultsHaveOneRowPerCell) {
  const fs::path dir = with_plan();
  const auto r = run_gridplan({"simulate", "plan.gpkg", "--days", "5", "--warmup-days", "1",
                               "--replications", "2", "--out", "r.gpkg", "-q"},
                              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(gp::geo::read_layer((dir / "r.gpkg").string(), "cells").table.rows.size(),
            gp::geo::read_layer((dir / "plan.gpkg").string(), "cells").table.rows.size());
}

TEST(SimulateCli, WritesEachBuildingsYearlyWorkload) {
  const fs::path dir = with_plan();
  const auto r = run_gridplan({"simulate", "plan.gpkg", "--days", "20", "--warmup-days", "1",
                               "--replications", "2", "--out", "r.gpkg", "-q"},
                              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto units = gp::geo::read_layer((dir / "r.gpkg").string(), "units");
  const auto plan_units = gp::geo::read_layer((dir / "plan.gpkg").string(), "units");
  ASSERT_EQ(units.table.rows.size(), plan_units.table.rows.size());
  const int w = units.table.find("workload_h");
  const int hh = units.table.find("households");
  const int cell = units.table.find("cell_code");
  ASSERT_GE(w, 0);
  ASSERT_GE(hh, 0);
  ASSERT_GE(cell, 0);
  // Every attribute of the plan's units is kept.
  for (const auto& f : plan_units.table.fields) EXPECT_GE(units.table.find(f.name), 0) << f.name;
  std::size_t residential = 0, busy = 0;
  for (const auto& row : units.table.rows) {
    const double hours = gp::geo::value_number(row[static_cast<std::size_t>(w)]).value_or(-1);
    const double households = gp::geo::value_number(row[static_cast<std::size_t>(hh)]).value_or(0);
    ASSERT_GE(hours, 0);
    const bool in_cell = !gp::geo::value_text(row[static_cast<std::size_t>(cell)]).empty();
    // No requests, visits or patrols are attributed to a unit without households.
    if (!(households > 0) || !in_cell) {
      EXPECT_EQ(hours, 0);
    }
    if (households > 0 && in_cell) {
      ++residential;
      busy += hours > 0 ? 1 : 0;
    }
  }
  // Visits and patrols reach every household's building: all of them carry work.
  EXPECT_GT(residential, 0u);
  EXPECT_EQ(busy, residential);
}

TEST(SimulateCli, ExitCodesAndRefusals) {
  const fs::path dir = with_plan();
  std::ofstream(dir / "s.toml") << "name = \"s\"\n";
  EXPECT_EQ(run_gridplan({"simulate"}, dir).exit_code, 1);
  EXPECT_EQ(run_gridplan({"simulate", "none.gpkg"}, dir).exit_code, 2);
  const auto before = gp::testing::snapshot(dir);
  EXPECT_EQ(
      run_gridplan({"simulate", "plan.gpkg", "-s", "s.toml", "--out", "s.toml", "--overwrite"}, dir)
          .exit_code,
      2);
  EXPECT_EQ(run_gridplan({"simulate", "plan.gpkg", "--out", "r.shp"}, dir).exit_code, 1);
  EXPECT_EQ(gp::testing::snapshot(dir), before);
}

} // namespace
