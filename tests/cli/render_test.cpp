// End-to-end `gridplan render`: a PNG of the asked size, exit codes, refusals.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_run.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

TEST(RenderCli, PngHasTheAskedSize) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_plan(), dir / "plan.gpkg");
  const auto r = run_gridplan(
      {"render", "plan.gpkg", "--out", "m.png", "--width", "321", "--height", "123", "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string png = gp::testing::slurp(dir / "m.png");
  ASSERT_GT(png.size(), 24u);
  ASSERT_EQ(png.substr(1, 3), "PNG");
  auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned char>(png[at]) << 24) |
           (static_cast<unsigned char>(png[at + 1]) << 16) |
           (static_cast<unsigned char>(png[at + 2]) << 8) | static_cast<unsigned char>(png[at + 3]);
  };
  EXPECT_EQ(be32(16), 321u); // IHDR width
  EXPECT_EQ(be32(20), 123u); // IHDR height
}

TEST(RenderCli, ExitCodesAndRefusals) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_plan(), dir / "plan.gpkg");
  const auto before = gp::testing::snapshot(dir);
  EXPECT_EQ(run_gridplan({"render", "plan.gpkg", "--out", "m.png", "--width", "0"}, dir).exit_code,
            1);
  EXPECT_EQ(run_gridplan({"render", "none.gpkg", "--out", "m.png"}, dir).exit_code, 2);
  EXPECT_EQ(
      run_gridplan({"render", "plan.gpkg", "--out", "plan.gpkg", "--overwrite"}, dir).exit_code, 2);
  EXPECT_EQ(gp::testing::snapshot(dir), before);
}

} // namespace
