// `mpirun -np N gridplan plan|simulate ...` against the one-process run, byte for byte, on
// the small generated city; the --json rank shares; failures under mpirun (one line, no
// output file); commands that do not spread refuse to run on several ranks. The MPI tests
// skip with the reason when gridplan was built without MPI. The first tests need no MPI:
// the one-process outputs are themselves byte-reproducible, which the comparison rests on.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "gp/geo/demo_city.hpp"
#include "gp/geo/io.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;
using gp::testing::run_gridplan_mpi;
using gp::testing::slurp;

#define GP_REQUIRE_MPI()                                                                           \
  do {                                                                                             \
    const std::string why = gp::testing::mpi_unavailable();                                        \
    if (!why.empty()) GTEST_SKIP() << why;                                                         \
  } while (false)

fs::path with_city() {
  const fs::path dir = gp::testing::temp_dir();
  fs::copy_file(gp::testing::small_city(), dir / "city.gpkg");
  return dir;
}

std::vector<std::string> plan_args(const std::string& out) {
  return {"plan", "--city", "city.gpkg", "--seed", "3", "--out", out, "-q"};
}

std::vector<std::string> simulate_args(const std::string& out) {
  return {"simulate",
          "plan.gpkg",
          "--days",
          "10",
          "--warmup-days",
          "1",
          "--replications",
          "5",
          "--seed",
          "4",
          "--out",
          out,
          "-q"};
}

/// Lines of stderr that gridplan wrote (mpirun adds its own banner around them).
std::vector<std::string> gridplan_lines(const gp::testing::CliRun& r) {
  std::vector<std::string> lines;
  for (const auto& l : r.err_lines())
    if (l.rfind("gridplan", 0) == 0) lines.push_back(l);
  return lines;
}

/// Runs `args_for("one.gpkg")` as one process and `mpirun -np 2 gridplan --json
/// args_for("two.gpkg")` (without -q) in `dir`, expects both to succeed with the same output
/// bytes, and returns the two-rank summary (null after a failure, which is reported).
nlohmann::json
alone_and_on_two_ranks(const std::function<std::vector<std::string>(const std::string&)>& args_for,
                       const fs::path& dir) {
  const auto alone = run_gridplan(args_for("one.gpkg"), dir);
  EXPECT_EQ(alone.exit_code, 0) << alone.err;
  auto args = args_for("two.gpkg");
  args.insert(args.begin(), "--json");
  std::erase(args, std::string("-q"));
  const auto r = run_gridplan_mpi(2, args, dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (alone.exit_code != 0 || r.exit_code != 0) return {};
  EXPECT_EQ(slurp(dir / "one.gpkg"), slurp(dir / "two.gpkg"));
  return nlohmann::json::parse(r.out);
}

/// A two-rank plan's --json shares: the root read the whole units layer (it writes every
/// unit), rank 1 at least its own units and less than the whole layer (its communities'
/// boxes; the geo tests bound it by the units meeting them).
void expect_only_the_root_reads_everything(const nlohmann::json& j) {
  ASSERT_EQ(j["rank_shares"].size(), 2u);
  const auto& root = j["rank_shares"][0];
  const auto& other = j["rank_shares"][1];
  EXPECT_GE(root["units_read"].get<double>(), j["units"].get<double>());
  EXPECT_GE(other["units_read"].get<double>(), other["units"].get<double>());
  EXPECT_LT(other["units_read"].get<double>(), root["units_read"].get<double>());
}

TEST(OneProcess, PlanAndSimulationFilesAreByteReproducible) {
  const fs::path dir = with_city();
  ASSERT_EQ(run_gridplan(plan_args("a.gpkg"), dir).exit_code, 0);
  ASSERT_EQ(run_gridplan(plan_args("b.gpkg"), dir).exit_code, 0);
  EXPECT_EQ(slurp(dir / "a.gpkg"), slurp(dir / "b.gpkg"));
  EXPECT_FALSE(slurp(dir / "a.gpkg").empty());
  fs::copy_file(dir / "a.gpkg", dir / "plan.gpkg");
  ASSERT_EQ(run_gridplan(simulate_args("s1.gpkg"), dir).exit_code, 0);
  ASSERT_EQ(run_gridplan(simulate_args("s2.gpkg"), dir).exit_code, 0);
  EXPECT_EQ(slurp(dir / "s1.gpkg"), slurp(dir / "s2.gpkg"));
}

TEST(OneProcess, PlanBytesDoNotDependOnTheCpusTheProcessMayUse) {
  // GDAL builds a GeoPackage's R-tree in a background thread when the process may use
  // several CPUs, and the pages then differ from a run bound to one CPU (as mpirun binds
  // ranks): gridplan builds it in line. GDAL's option makes its thread start at the first
  // feature, so the small city would show the difference.
  if (std::system("taskset -c 0 true >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "taskset (util-linux) cannot pin this process to CPU 0 here";
  const fs::path dir = with_city();
  const std::string env = "OGR_GPKG_THREADED_RTREE_AT_FIRST_FEATURE=YES";
  ASSERT_EQ(gp::testing::run_gridplan_under(env, "", plan_args("all.gpkg"), dir).exit_code, 0);
  ASSERT_EQ(
      gp::testing::run_gridplan_under(env, "taskset -c 0", plan_args("one.gpkg"), dir).exit_code,
      0);
  EXPECT_EQ(slurp(dir / "all.gpkg"), slurp(dir / "one.gpkg"));
}

TEST(OneProcess, JsonSaysOneRankDidEverything) {
  const fs::path dir = with_city();
  const auto r = run_gridplan({"--json", "plan", "--city", "city.gpkg", "--out", "p.gpkg"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ranks"], 1);
  ASSERT_EQ(j["rank_shares"].size(), 1u);
  EXPECT_EQ(j["rank_shares"][0]["communities"], j["areas"]);
  EXPECT_EQ(j["rank_shares"][0]["units"], j["units_planned"]);
  EXPECT_GE(j["rank_shares"][0]["units_read"].get<double>(), j["units"].get<double>());
}

TEST(Mpi, PlanOnTwoRanksIsTheOneProcessPlanByteForByte) {
  GP_REQUIRE_MPI();
  const fs::path dir = with_city();
  // The summary is printed once (by rank 0) and shows the work spread over both ranks.
  const auto j = alone_and_on_two_ranks(plan_args, dir);
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["ranks"], 2);
  ASSERT_EQ(j["rank_shares"].size(), 2u);
  int communities = 0;
  double units = 0;
  for (int k = 0; k < 2; ++k) {
    const auto& s = j["rank_shares"][static_cast<std::size_t>(k)];
    EXPECT_EQ(s["rank"], k);
    EXPECT_GT(s["communities"].get<int>(), 0) << "rank " << k << " planned nothing";
    EXPECT_GE(s["seconds"].get<double>(), 0);
    communities += s["communities"].get<int>();
    units += s["units"].get<double>();
  }
  EXPECT_EQ(communities, j["areas"].get<int>());
  EXPECT_EQ(units, j["units_planned"].get<double>());
  expect_only_the_root_reads_everything(j);
}

TEST(Mpi, RanksReadingTheirCommunitiesOfAGeographicSourceThroughAFilterGiveTheSameBytes) {
  GP_REQUIRE_MPI();
  // The city in degrees: each rank's boxes go from the metric work CRS back to the
  // source's; --where adds an attribute filter to the spatial ones.
  const fs::path dir = gp::testing::temp_dir();
  const auto city = gp::geo::generate_city(gp::geo::CityParams{7, 0, 600});
  gp::geo::WriteOptions w;
  w.geometry_crs = gp::geo::demo_city_crs;
  w.out_crs = "EPSG:4326";
  gp::geo::write_layers((dir / "city.gpkg").string(), city.layers, w);
  auto args = [](const std::string& out) {
    return std::vector<std::string>{"plan",
                                    "--units",
                                    "city.gpkg:units",
                                    "--areas",
                                    "city.gpkg:areas",
                                    "--compounds",
                                    "city.gpkg:compounds",
                                    "--barriers",
                                    "city.gpkg:barriers",
                                    "--where",
                                    "fid % 5 <> 0",
                                    "--seed",
                                    "2",
                                    "--out",
                                    out,
                                    "-q"};
  };
  const auto j = alone_and_on_two_ranks(args, dir);
  ASSERT_FALSE(j.is_null());
  expect_only_the_root_reads_everything(j);
}

TEST(Mpi, AnAreasLayerWithoutCommunitiesGivesTheOneProcessPlanOnTwoRanks) {
  GP_REQUIRE_MPI();
  // Areas all of street level: the plan's one area is derived from every unit, so every
  // rank reads everything (no community to read by).
  const fs::path dir = gp::testing::temp_dir();
  const auto city = gp::geo::generate_city(gp::geo::CityParams{5, 0, 200});
  std::vector<gp::geo::Layer> layers;
  for (const auto& l : city.layers)
    if (l.name == "units" || l.name == "streets") layers.push_back(l);
  ASSERT_EQ(layers.size(), 2u);
  for (auto& l : layers) {
    if (l.name != "streets") continue;
    l.table.fields.push_back({"level", gp::geo::FieldType::text});
    for (auto& row : l.table.rows) row.emplace_back(std::string("street"));
  }
  gp::geo::WriteOptions w;
  w.geometry_crs = gp::geo::demo_city_crs;
  gp::geo::write_layers((dir / "city.gpkg").string(), layers, w);
  auto args = [](const std::string& out) {
    return std::vector<std::string>{
        "plan", "--units", "city.gpkg:units", "--areas", "city.gpkg:streets", "--out", out, "-q"};
  };
  const auto j = alone_and_on_two_ranks(args, dir);
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["areas"], 1);
}

TEST(Mpi, SimulationOnTwoRanksIsTheOneProcessResultByteForByte) {
  GP_REQUIRE_MPI();
  const fs::path dir = with_city();
  fs::copy_file(gp::testing::small_plan(), dir / "plan.gpkg");
  const auto j = alone_and_on_two_ranks(simulate_args, dir);
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["ranks"], 2);
  ASSERT_EQ(j["rank_shares"].size(), 2u);
  EXPECT_EQ(j["rank_shares"][0]["replications"].get<int>() +
                j["rank_shares"][1]["replications"].get<int>(),
            5);
}

TEST(Mpi, BadInputEndsEveryRankWithOneLineAndNoOutput) {
  GP_REQUIRE_MPI();
  const fs::path dir = with_city();
  const auto before = gp::testing::snapshot(dir);
  const auto r = run_gridplan_mpi(
      2, {"plan", "--city", "city.gpkg", "--balance-field", "no_such_field", "--out", "p.gpkg"},
      dir);
  EXPECT_NE(r.exit_code, 0);
  const auto lines = gridplan_lines(r);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_NE(lines[0].find("no_such_field"), std::string::npos) << lines[0];
  EXPECT_EQ(gp::testing::snapshot(dir), before) << "no output, no temporary file";

  const auto missing = run_gridplan_mpi(2, {"simulate", "none.gpkg", "-q"}, dir);
  EXPECT_NE(missing.exit_code, 0);
  ASSERT_EQ(gridplan_lines(missing).size(), 1u) << missing.err;
  EXPECT_NE(gridplan_lines(missing)[0].find("none.gpkg"), std::string::npos);
}

TEST(Mpi, CommandsThatDoNotSpreadRefuseSeveralRanks) {
  GP_REQUIRE_MPI();
  const fs::path dir = with_city();
  const auto before = gp::testing::snapshot(dir);
  const auto r = run_gridplan_mpi(2, {"generate", "--buildings", "60", "--out", "g.gpkg"}, dir);
  EXPECT_NE(r.exit_code, 0);
  const auto lines = gridplan_lines(r);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_NE(lines[0].find("without mpirun"), std::string::npos) << lines[0];
  EXPECT_EQ(gp::testing::snapshot(dir), before);
  // One rank is one process: allowed.
  EXPECT_EQ(run_gridplan_mpi(1, {"inspect", "city.gpkg", "-q"}, dir).exit_code, 0);
}

} // namespace
