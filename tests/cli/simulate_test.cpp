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
