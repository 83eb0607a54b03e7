// End-to-end `gridplan diff`: a plan against itself has no moves.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

TEST(DiffCli, APlanAgainstItselfMovesNothing) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_plan(), dir / "a.gpkg");
  fs::copy_file(gp::testing::small_plan(), dir / "b.gpkg");
  const auto r = run_gridplan({"diff", "a.gpkg", "b.gpkg", "--json", "-q", "--out", "d.gpkg"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("households_moved").get<double>(), 0.0) << r.out;
  EXPECT_TRUE(fs::exists(dir / "d.gpkg"));
}

TEST(DiffCli, ExitCodesAndRefusals) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_plan(), dir / "a.gpkg");
  const auto before = gp::testing::snapshot(dir);
  EXPECT_EQ(run_gridplan({"diff", "a.gpkg"}, dir).exit_code, 1);
  EXPECT_EQ(run_gridplan({"diff", "a.gpkg", "none.gpkg"}, dir).exit_code, 2);
  EXPECT_EQ(
      run_gridplan({"diff", "a.gpkg", "a.gpkg", "--out", "a.gpkg", "--overwrite"}, dir).exit_code,
      2);
  EXPECT_EQ(gp::testing::snapshot(dir), before);
}

} // namespace
