// PostGIS both ways against a real server ($GP_TEST_PG, started by scripts/ci-postgis.sh):
// city -> plan -> simulate -> diff all in the database give the same cells, households
// and per-cell results as the GeoPackage run; --overwrite is one transaction; no password
// reaches plan_metadata, stdout, stderr or --json; under mpirun the ranks read their own
// communities from the database and the plan is the one-process plan byte for byte.
// Skipped with a reason without a server (or without mpirun for that test).

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "gis_util.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"

namespace {
namespace fs = std::filesystem;
using gp::gistest::CliRun;
using gp::gistest::gridplan;
using nlohmann::json;

std::string text_of(const gp::geo::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return {};
}

double number_of(const gp::geo::Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return -1;
}

/// cell_code -> the value of `field` in a layer.
std::map<std::string, double> by_cell(const gp::geo::Layer& l, const std::string& field) {
  const int code = l.table.find("cell_code"), f = l.table.find(field);
  EXPECT_GE(code, 0);
  EXPECT_GE(f, 0) << field;
  std::map<std::string, double> out;
  if (code < 0 || f < 0) return out;
  for (const auto& row : l.table.rows)
    out[text_of(row[static_cast<std::size_t>(code)])] = number_of(row[static_cast<std::size_t>(f)]);
  return out;
}

/// Same keys, values equal to 1e-9 relative: PostgreSQL's float8 text transfer may change
/// the last bit of a double.
void expect_same(const std::map<std::string, double>& a, const std::map<std::string, double>& b,
                 const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (const auto& [k, v] : a) {
    const auto it = b.find(k);
    ASSERT_NE(it, b.end()) << what << ": " << k;
    EXPECT_NEAR(it->second, v, 1e-9 * std::max(1.0, std::abs(v))) << what << ": " << k;
  }
}

void expect_no_password(const CliRun& r, const std::string& password, const std::string& what) {
  ASSERT_FALSE(password.empty());
  EXPECT_EQ(r.out.find(password), std::string::npos) << what << " stdout:\n" << r.out;
  EXPECT_EQ(r.err.find(password), std::string::npos) << what << " stderr:\n" << r.err;
}

class PostGis : public ::testing::Test {
protected:
  void TearDown() override {
    if (auto pg = gp::gistest::test_pg())
      for (const auto& s : schemas_) gp::gistest::drop_schema(*pg, s);
  }
  std::string schema(const std::string& tag) {
    schemas_.push_back(gp::gistest::unique_schema(tag));
    return schemas_.back();
  }
  std::vector<std::string> schemas_;
};

TEST_F(PostGis, CityPlanSimulateDiffInTheDatabaseMatchTheGeoPackageRun) {
  GP_REQUIRE_POSTGIS(pg);
  const std::string password = gp::gistest::password_of(pg);
  const std::string s = schema("roundtrip");
  const auto dir = gp::testing::temp_dir();
  const std::string city_gpkg = (dir / "city.gpkg").string();
  const std::string plan_gpkg = (dir / "plan.gpkg").string();
  const std::string sim_gpkg = (dir / "sim.gpkg").string();
  const std::vector<std::string> sim_args = {"--days", "20", "--replications", "2", "--seed", "7"};

  // The GeoPackage run.
  ASSERT_EQ(gridplan({"generate", "--households", "6000", "--seed", "3", "--out", city_gpkg, "-q"})
                .exit_code,
            0);
  ASSERT_EQ(gridplan({"plan", "--city", city_gpkg, "--out", plan_gpkg, "-q"}).exit_code, 0);
  std::vector<std::string> sim = {"simulate", plan_gpkg, "--out", sim_gpkg, "-q"};
  sim.insert(sim.end(), sim_args.begin(), sim_args.end());
  ASSERT_EQ(gridplan(sim).exit_code, 0);

  // The same in the database: the city, the plan and the results in schema `s`, plan and
  // results told apart by table prefixes.
  auto r = gridplan(
      {"generate", "--households", "6000", "--seed", "3", "--out", pg, "--schema", s, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_password(r, password, "generate");
  const std::string city_pg = pg + " active_schema=" + s;
  r = gridplan(
      {"--json", "plan", "--city", city_pg, "--out", pg, "--schema", s, "--table-prefix", "plan_"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_password(r, password, "plan --json");
  const std::string plan_pg = json::parse(r.out).at("output").get<std::string>();
  EXPECT_NE(plan_pg.find("password=***"), std::string::npos) << plan_pg;
  // The printed address, with the real password, reads the plan back.
  const std::string plan_addr = gp::geo::postgis_address(pg, s, "plan_");
  sim = {"simulate", plan_addr, "--out", pg, "--schema", s, "--table-prefix", "sim_"};
  sim.insert(sim.end(), sim_args.begin(), sim_args.end());
  r = gridplan(sim);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_password(r, password, "simulate");

  // Same cells and households.
  const auto cells_gpkg = gp::geo::read_layer(plan_gpkg, "cells");
  const auto cells_pg = gp::geo::read_layer(plan_addr, "cells");
  const auto hh_gpkg = by_cell(cells_gpkg, "households");
  const auto hh_pg = by_cell(cells_pg, "households");
  ASSERT_GT(hh_gpkg.size(), 5u);
  expect_same(hh_gpkg, hh_pg, "households"); // the _exact field carries full precision
  // ... and the same units in the same cells: diff says so, reading both plans.
  r = gridplan({"--json", "diff", plan_gpkg, plan_addr});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_password(r, password, "diff");
  EXPECT_TRUE(json::parse(r.out).at("empty").get<bool>()) << r.out;
  // The diff written into the database too.
  r = gridplan({"diff", plan_addr, plan_gpkg, "--out", pg, "--schema", s, "--table-prefix", "d_"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto changes = gp::geo::read_layer(gp::geo::postgis_address(pg, s, "d_"), "cell_changes");
  EXPECT_EQ(changes.table.rows.size(), hh_gpkg.size());

  // Same simulation results per cell (deterministic at any thread count).
  const auto res_gpkg = gp::geo::read_layer(sim_gpkg, "cells");
  const auto res_pg = gp::geo::read_layer(gp::geo::postgis_address(pg, s, "sim_"), "cells");
  ASSERT_GE(res_gpkg.table.find("on_time_share"), 0);
  expect_same(by_cell(res_gpkg, "on_time_share"), by_cell(res_pg, "on_time_share"), "on time");

  // No password in any stored metadata row (plan and run).
  for (const auto& [prefix, table] :
       {std::pair{"plan_", "plan_metadata"}, std::pair{"sim_", "run_metadata"}}) {
    const auto meta = gp::geo::read_layer(gp::geo::postgis_address(pg, s, prefix), table);
    ASSERT_FALSE(meta.table.rows.empty()) << table;
    for (const auto& row : meta.table.rows)
      for (const auto& v : row)
        EXPECT_EQ(text_of(v).find(password), std::string::npos) << table << ": " << text_of(v);
  }
}

TEST_F(PostGis, InspectPrintsALayerSyntaxEveryCommandAccepts) {
  GP_REQUIRE_POSTGIS(pg);
  const std::string password = gp::gistest::password_of(pg);
  const std::string s = schema("inspect");
  ASSERT_EQ(
      gridplan({"generate", "--households", "2000", "--out", pg, "--schema", s, "-q"}).exit_code,
      0);
  const std::string city = pg + " active_schema=" + s;
  for (const bool as_json : {false, true}) {
    std::vector<std::string> args = {"inspect", city};
    if (as_json) args.insert(args.begin(), "--json");
    const auto r = gridplan(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_no_password(r, password, "inspect");
    EXPECT_NE(r.out.find("|layer=units"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(":units"), std::string::npos) << "the old PG:...:units form";
  }
  // The printed form (with the real password) and GDAL's tables= both read the units.
  const auto dir = gp::testing::temp_dir();
  for (const std::string& units : {city + "|layer=units", pg + " tables=" + s + ".units"}) {
    const auto r = gridplan({"--json", "plan", "--units", units, "--areas", city + "|layer=areas",
                             "--out", (dir / "p.gpkg").string(), "--overwrite"});
    ASSERT_EQ(r.exit_code, 0) << units << "\n" << r.err;
    expect_no_password(r, password, "plan --units " + units);
    EXPECT_GT(json::parse(r.out).at("cells").get<int>(), 0) << r.out;
  }
}

TEST_F(PostGis, OverwriteIsOneTransactionAndRefusedWithoutTheFlag) {
  GP_REQUIRE_POSTGIS(pg);
  const std::string s = schema("tx");
  const std::string addr = gp::geo::postgis_address(pg, s, "t_");
  using namespace gp::geo;
  auto square = [](double x) {
    return MultiPolygon{Polygon{{{x, 0}, {x + 10, 0}, {x + 10, 10}, {x, 10}, {x, 0}}, {}}};
  };
  Layer cells;
  cells.name = "cells";
  cells.kind = GeometryKind::polygon;
  cells.table.fields = {{"cell_code", FieldType::text}, {"households", FieldType::real}};
  for (int i = 0; i < 3; ++i) {
    cells.table.rows.push_back({std::string("c") + std::to_string(i), 300.0 + i});
    cells.polygons.push_back(square(500000 + 20 * i));
  }
  WriteOptions o;
  o.format = OutputFormat::postgis;
  o.geometry_crs = "EPSG:4548";
  write_layers(addr, {cells}, o);
  EXPECT_THROW(write_layers(addr, {cells}, o), gp::OutputError); // exists, no --overwrite

  // A second write replacing `cells` and adding a layer that cannot be created (two fields
  // of one name) fails half-way: the old `cells` must still be there, unchanged.
  Layer more = cells;
  more.table.rows.resize(1);
  more.polygons.resize(1);
  Layer bad;
  bad.name = "broken";
  bad.kind = GeometryKind::none;
  bad.table.fields = {{"a", FieldType::text}, {"a", FieldType::text}};
  bad.table.rows.push_back({std::string("x"), std::string("y")});
  o.overwrite = true;
  EXPECT_THROW(write_layers(addr, {more, bad}, o), gp::OutputError);
  const Layer after = read_layer(addr, "cells");
  EXPECT_EQ(after.table.rows.size(), 3u);
  EXPECT_EQ(list_layers(addr, {}).size(), 1u); // no `broken` table left behind
  // A write that succeeds replaces it.
  write_layers(addr, {more}, o);
  EXPECT_EQ(read_layer(addr, "cells").table.rows.size(), 1u);
}

TEST_F(PostGis, RebalanceAndMergeReadAndWritePlansInTheDatabase) {
  GP_REQUIRE_POSTGIS(pg);
  const std::string password = gp::gistest::password_of(pg);
  const std::string s = schema("redraw");
  ASSERT_EQ(
      gridplan({"generate", "--households", "5000", "--out", pg, "--schema", s, "-q"}).exit_code,
      0);
  const std::string city = pg + " active_schema=" + s;
  ASSERT_EQ(
      gridplan({"plan", "--city", city, "--out", pg, "--schema", s, "--table-prefix", "p_", "-q"})
          .exit_code,
      0);
  const std::string plan = gp::geo::postgis_address(pg, s, "p_");
  auto r = gridplan({"rebalance", "--city", city, "--existing", plan, "--max", "450", "--out", pg,
                     "--schema", s, "--table-prefix", "rb_"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_password(r, password, "rebalance");
  const std::string redrawn = gp::geo::postgis_address(pg, s, "rb_");
  const auto cells = gp::geo::read_layer(redrawn, "cells");
  EXPECT_GE(cells.table.find("status"), 0);
  EXPECT_GT(cells.table.rows.size(), 0u);
  // Both plans from the database merged into a GeoPackage.
  const auto out = gp::testing::temp_dir() / "merged.gpkg";
  r = gridplan({"merge", plan, redrawn, "--city", city, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_no_password(r, password, "merge");
  const auto meta = gp::geo::read_layer(out.string(), "plan_metadata");
  for (const auto& row : meta.table.rows)
    for (const auto& v : row) EXPECT_EQ(text_of(v).find(password), std::string::npos);
}

TEST_F(PostGis, RanksUnderMpirunReadTheirOwnCommunitiesFromTheDatabase) {
  GP_REQUIRE_POSTGIS(pg);
  const std::string no_mpi = gp::testing::mpi_unavailable();
  if (!no_mpi.empty()) GTEST_SKIP() << no_mpi;
  const std::string password = gp::gistest::password_of(pg);
  const std::string s = schema("ranks");
  const auto dir = gp::testing::temp_dir();
  auto r = gridplan(
      {"generate", "--households", "6000", "--seed", "5", "--out", pg, "--schema", s, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string city_pg = pg + " active_schema=" + s;
  auto args = [&](const std::string& out) {
    return std::vector<std::string>{"plan", "--city", city_pg, "--seed", "2", "--out", out, "-q"};
  };
  const auto one = gp::testing::run_gridplan(args((dir / "one.gpkg").string()), dir);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  auto two_args = args((dir / "two.gpkg").string());
  two_args.insert(two_args.begin(), "--json");
  two_args.pop_back(); // -q
  const auto two = gp::testing::run_gridplan_mpi(2, two_args, dir);
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(gp::gistest::slurp(dir / "one.gpkg"), gp::gistest::slurp(dir / "two.gpkg"));
  EXPECT_EQ(two.out.find(password), std::string::npos);
  EXPECT_EQ(two.err.find(password), std::string::npos);
  const auto j = json::parse(two.out);
  ASSERT_EQ(j["rank_shares"].size(), 2u);
  const auto& other = j["rank_shares"][1];
  EXPECT_GE(other["units_read"].get<double>(), other["units"].get<double>());
  EXPECT_LT(other["units_read"].get<double>(), j["rank_shares"][0]["units_read"].get<double>());
}

} // namespace
