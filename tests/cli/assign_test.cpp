// End-to-end: `gridplan assign` on a generated city and its plan — pairings, balance table,
// roster — the roster read by `gridplan simulate --roster`, `plan --at-least` floors, and
// the errors and exit codes.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unistd.h>

#include "cli_run.hpp"
#include "gp/geo/io.hpp"
#include "gp/planner/assign.hpp"
#include "gp/planner/plan_file.hpp"
#include "gp/sim/roster.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::CliRun;
using gp::testing::run_gridplan;
using nlohmann::json;
namespace af = gp::planner::assign_file;
namespace pf = gp::planner::plan_file;

/// A small generated city (4 communities) and its plan, made once for the suite.
class AssignCli : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("gridplan-assign-cli-" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    const CliRun g = run_gridplan(
        {"generate", "--out", (*dir_ / "city.gpkg").string(), "--households", "12000", "--quiet"});
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const CliRun p = run_gridplan({"plan", "--city", (*dir_ / "city.gpkg").string(), "--out",
                                   (*dir_ / "plan.gpkg").string(), "--quiet"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
  }
  static std::string path(const std::string& name) { return (*dir_ / name).string(); }
  static fs::path* dir_;
};
fs::path* AssignCli::dir_ = nullptr;

std::string text(const gp::geo::Layer& l, std::size_t row, const char* field) {
  const int i = l.table.find(field);
  if (i < 0) throw std::runtime_error(std::string("no field ") + field);
  return gp::geo::value_text(l.table.rows[row][static_cast<std::size_t>(i)]);
}

TEST_F(AssignCli, PairsEveryCommunityWithSixAndWritesLayersTableAndRoster) {
  const fs::path out = gp::testing::temp_dir();
  const CliRun r =
      run_gridplan({"assign", "--plan", path("plan.gpkg"), "--orgs",
                    path("city.gpkg") + ":organisations", "--capacity", "staff", "--out",
                    (out / "pairing.gpkg").string(), "--table", (out / "pairing.csv").string(),
                    "--cadres-per-org", "2", "--roster", (out / "roster.csv").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);

  const auto areas = gp::geo::read_layer(path("plan.gpkg"), pf::layer::areas);
  const auto cells = gp::geo::read_layer(path("plan.gpkg"), pf::layer::cells);
  const auto orgs = gp::geo::read_layer(path("city.gpkg"), "organisations");
  const std::size_t communities = areas.table.rows.size();
  ASSERT_GE(orgs.table.rows.size(), communities); // enough to pair without repeats
  EXPECT_EQ(j["targets"], communities);
  EXPECT_EQ(j["pairings"], 6 * communities);
  EXPECT_EQ(j["count_min"], 6);
  EXPECT_EQ(j["count_max"], 6);
  EXPECT_EQ(j["unfilled"], 0);

  // The pairing layer: lines from a real organisation to a real community, each pair once.
  const auto lines = gp::geo::read_layer((out / "pairing.gpkg").string(), af::layer::pairings);
  EXPECT_EQ(lines.kind, gp::geo::GeometryKind::line);
  ASSERT_EQ(lines.table.rows.size(), 6 * communities);
  std::set<std::string> org_ids, area_codes;
  for (std::size_t i = 0; i < orgs.table.rows.size(); ++i) org_ids.insert(text(orgs, i, "org_id"));
  for (std::size_t i = 0; i < communities; ++i)
    area_codes.insert(text(areas, i, pf::field::area_code));
  std::set<std::pair<std::string, std::string>> pairs;
  std::map<std::string, int> per_community;
  for (std::size_t i = 0; i < lines.table.rows.size(); ++i) {
    const auto org = text(lines, i, af::field::org_id);
    const auto target = text(lines, i, af::field::target_code);
    EXPECT_TRUE(org_ids.count(org)) << org;
    EXPECT_TRUE(area_codes.count(target)) << target;
    EXPECT_TRUE(pairs.emplace(org, target).second) << org << " " << target;
    ++per_community[target];
    ASSERT_EQ(lines.lines[i].size(), 1u);
    EXPECT_EQ(lines.lines[i][0].size(), 2u);
  }
  for (const auto& [code, n] : per_community) EXPECT_EQ(n, 6) << code;

  // The balance table: one row per community; ideal capacities add up to all the staff.
  const auto balance = gp::geo::read_layer((out / "pairing.gpkg").string(), af::layer::balance);
  ASSERT_EQ(balance.table.rows.size(), communities);
  double staff = 0, ideal = 0;
  for (std::size_t i = 0; i < orgs.table.rows.size(); ++i)
    staff += *gp::geo::value_number(
        orgs.table.rows[i][static_cast<std::size_t>(orgs.table.find("staff"))]);
  for (std::size_t i = 0; i < communities; ++i)
    ideal += std::stod(text(balance, i, af::field::ideal_capacity));
  EXPECT_NEAR(ideal, staff, 1e-6 * staff);

  // The CSV table holds the same pairings.
  const auto table = gp::geo::read_layer((out / "pairing.csv").string(), "");
  EXPECT_EQ(table.table.rows.size(), lines.table.rows.size());

  // The roster: two cadres per organisation, each in a cell of the plan.
  const auto roster = gp::sim::read_roster((out / "roster.csv").string());
  EXPECT_EQ(roster.size(), 2 * orgs.table.rows.size());
  std::set<std::string> cell_codes;
  for (std::size_t i = 0; i < cells.table.rows.size(); ++i)
    cell_codes.insert(text(cells, i, pf::field::cell_code));
  for (const auto& e : roster) {
    EXPECT_TRUE(cell_codes.count(e.cell_code)) << e.cell_code;
    EXPECT_TRUE(org_ids.count(e.agency)) << e.agency;
    EXPECT_EQ(e.worker_type, "cadre");
  }
  EXPECT_EQ(j["cadres"]["pairings"], roster.size());

  // simulate --roster: the cadres join the workers.
  const std::vector<std::string> sim = {
      "simulate", path("plan.gpkg"), "--days", "2",     "--warmup-days",
      "0",        "--replications",  "1",      "--json"};
  const CliRun base = run_gridplan(sim);
  ASSERT_EQ(base.exit_code, 0) << base.err;
  auto with_roster = sim;
  with_roster.insert(with_roster.end(), {"--roster", (out / "roster.csv").string()});
  const CliRun more = run_gridplan(with_roster);
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_EQ(json::parse(more.out)["workers"].get<double>(),
            json::parse(base.out)["workers"].get<double>() + static_cast<double>(roster.size()));
}

TEST_F(AssignCli, ErrorsNameTheFileAndExitCodesFollowTheRules) {
  const fs::path out = gp::testing::temp_dir();
  const std::vector<std::string> base = {"assign",
                                         "--plan",
                                         path("plan.gpkg"),
                                         "--orgs",
                                         path("city.gpkg") + ":organisations",
                                         "--out",
                                         (out / "p.gpkg").string()};
  auto args = base;
  args.insert(args.end(), {"--capacity", "no_such_field"});
  const CliRun missing = run_gridplan(args);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("city.gpkg"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("organisations"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("no_such_field"), std::string::npos) << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1);
  EXPECT_FALSE(fs::exists(out / "p.gpkg"));

  args = base;
  args.insert(args.end(), {"--capacity", "staff", "--roster", (out / "r.csv").string()});
  EXPECT_EQ(run_gridplan(args).exit_code, 1); // --roster without cadres: usage

  args = base;
  args.insert(args.end(), {"--capacity", "staff", "--quiet"});
  ASSERT_EQ(run_gridplan(args).exit_code, 0);
  const CliRun again = run_gridplan(args); // exists, no --overwrite
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--overwrite"), std::string::npos) << again.err;
}

TEST_F(AssignCli, PlanAtLeastReportsCellsBelowTheFloor) {
  const fs::path out = gp::testing::temp_dir();
  // No cell of a few hundred households holds 100,000 party members: every cell is
  // reported, and the plan is still written.
  const CliRun r =
      run_gridplan({"plan", "--city", path("city.gpkg"), "--out", (out / "plan.gpkg").string(),
                    "--at-least", "party_members:100000", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  std::size_t floors = 0;
  for (const auto& v : j["violation_list"])
    if (v["rule"] == "floor") {
      ++floors;
      EXPECT_NE(v["reason"].get<std::string>().find("party_members"), std::string::npos);
    }
  EXPECT_EQ(floors, j["cells"].get<std::size_t>());
  EXPECT_TRUE(fs::exists(out / "plan.gpkg"));
  const CliRun bad = run_gridplan({"plan", "--city", path("city.gpkg"), "--out",
                                   (out / "plan2.gpkg").string(), "--at-least", "party_members"});
  EXPECT_EQ(bad.exit_code, 1);
}

} // namespace
