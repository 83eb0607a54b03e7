// End-to-end `gridplan generate`: exit codes, refusals, and the city it writes.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_run.hpp"
#include "gp/geo/io.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

TEST(GenerateCli, WritesTheAskedNumberOfBuildings) {
  const fs::path dir = gp::testing::temp_dir();
  const auto r = run_gridplan({"generate", "--buildings", "250", "--out", "c.gpkg", "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(gp::geo::read_layer((dir / "c.gpkg").string(), "units").table.rows.size(), 250u);
}

TEST(GenerateCli, UsageErrorIsOne) {
  EXPECT_EQ(
      run_gridplan({"generate", "--buildings", "-3", "--out", "c.gpkg"}, gp::testing::temp_dir())
          .exit_code,
      1);
}

TEST(GenerateCli, RefusesAnExistingOutputAndADirectory) {
  const fs::path dir = gp::testing::temp_dir();
  fs::create_directory(dir / "d.gpkg");
  const auto r = run_gridplan({"generate", "--out", "d.gpkg", "--overwrite"}, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(fs::is_directory(dir / "d.gpkg"));
  ASSERT_EQ(
      run_gridplan({"generate", "--buildings", "100", "--out", "c.gpkg", "-q"}, dir).exit_code, 0);
  const auto size = fs::file_size(dir / "c.gpkg");
  EXPECT_EQ(run_gridplan({"generate", "--buildings", "200", "--out", "c.gpkg"}, dir).exit_code, 2);
  EXPECT_EQ(fs::file_size(dir / "c.gpkg"), size);
}

TEST(GenerateCli, BadOutputFolderIsTwo) {
  EXPECT_EQ(
      run_gridplan({"generate", "--out", "no/such/c.gpkg"}, gp::testing::temp_dir()).exit_code, 2);
}

} // namespace
