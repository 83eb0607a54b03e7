// End-to-end `gridplan graph`: a METIS file whose header matches its body.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli_run.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;

TEST(GraphCli, MetisHeaderCountsMatchTheBody) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_city(), dir / "city.gpkg");
  const auto r = run_gridplan({"graph", "--city", "city.gpkg", "--out", "g.metis", "-q"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(gp::testing::slurp(dir / "g.metis"));
  long n = 0, m = 0;
  std::string fmt, line;
  in >> n >> m >> fmt;
  std::getline(in, line);
  long lines = 0, neighbours = 0;
  while (std::getline(in, line)) {
    ++lines;
    std::istringstream l(line);
    long w = 0, v = 0;
    l >> w;
    while (l >> v) ++neighbours;
  }
  EXPECT_EQ(lines, n);
  EXPECT_EQ(neighbours, 2 * m); // each undirected edge listed from both ends
}

TEST(GraphCli, ExitCodesAndRefusals) {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_city(), dir / "city.gpkg");
  EXPECT_EQ(run_gridplan({"graph", "--out", "g.metis"}, dir).exit_code, 1);
  EXPECT_EQ(run_gridplan({"graph", "--units", "none.gpkg", "--out", "g.metis"}, dir).exit_code, 2);
  const auto before = gp::testing::snapshot(dir);
  EXPECT_EQ(run_gridplan({"graph", "--city", "city.gpkg", "--out", "city.gpkg", "--overwrite"}, dir)
                .exit_code,
            2);
  EXPECT_EQ(gp::testing::snapshot(dir), before);
}

} // namespace
