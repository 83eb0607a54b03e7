// End-to-end `gridplan staff`: a per-cell CSV, exit codes, never over its plan.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli_run.hpp"
#include "gp/geo/io.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

TEST(StaffCli, CsvHasOneRowPerCell) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_plan(), dir / "plan.gpkg");
  const auto r = run_gridplan({"staff", "plan.gpkg", "--days", "3", "--warmup-days", "1",
                               "--replications", "1", "--max", "2", "--csv", "s.csv", "-q"},
                              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(gp::testing::slurp(dir / "s.csv"));
  std::size_t lines = 0;
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) ++lines;
  const auto cells = gp::geo::read_layer((dir / "plan.gpkg").string(), "cells").table.rows.size();
  EXPECT_EQ(lines, cells + 1); // header + one row per cell
}

// Issue 9: `staff plan.gpkg --csv plan.gpkg --overwrite` replaced its own input plan.
TEST(StaffCli, NeverOverwritesItsPlan) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_plan(), dir / "plan.gpkg");
  const auto before = gp::testing::snapshot(dir);
  EXPECT_EQ(
      run_gridplan({"staff", "plan.gpkg", "--csv", "plan.gpkg", "--overwrite"}, dir).exit_code, 2);
  EXPECT_EQ(gp::testing::snapshot(dir), before);
  EXPECT_EQ(run_gridplan({"staff"}, dir).exit_code, 1);
  EXPECT_EQ(run_gridplan({"staff", "none.gpkg"}, dir).exit_code, 2);
}

} // namespace
