// End-to-end `gridplan rebalance`: redrawing a plan keeps every unit in a cell.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_run.hpp"
#include "gp/geo/io.hpp"
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
