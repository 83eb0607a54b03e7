// End-to-end `gridplan compare`: a CSV with one row per metric and scenario columns.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_run.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

fs::path with_inputs() {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_plan(), dir / "plan.gpkg");
  std::ofstream(dir / "a.toml") << "name = \"alpha\"\n";
  std::ofstream(dir / "b.toml") << "name = \"beta\"\n";
  return dir;
}

TEST(CompareCli, CsvNamesBothScenarios) {
  const fs::path dir = with_inputs();
  const auto r = run_gridplan({"compare", "plan.gpkg", "a.toml", "b.toml", "--days", "3",
                               "--warmup-days", "1", "--replications", "2", "--csv", "c.csv", "-q"},
                              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = gp::testing::slurp(dir / "c.csv");
  EXPECT_NE(csv.find("alpha"), std::string::npos);
  EXPECT_NE(csv.find("beta"), std::string::npos);
}

TEST(CompareCli, ExitCodesAndRefusals) {
  const fs::path dir = with_inputs();
  EXPECT_EQ(run_gridplan({"compare", "plan.gpkg"}, dir).exit_code, 1);
  EXPECT_EQ(run_gridplan({"compare", "plan.gpkg", "none.toml"}, dir).exit_code, 2);
  const auto before = gp::testing::snapshot(dir);
  EXPECT_EQ(run_gridplan({"compare", "plan.gpkg", "a.toml", "--csv", "a.toml", "--overwrite"}, dir)
                .exit_code,
            2);
  std::ofstream(dir / "old.csv") << "old";
  const auto with_old = gp::testing::snapshot(dir);
  EXPECT_EQ(run_gridplan({"compare", "plan.gpkg", "a.toml", "--csv", "old.csv"}, dir).exit_code, 2);
  EXPECT_EQ(gp::testing::snapshot(dir), with_old);
  (void)before;
}

} // namespace
