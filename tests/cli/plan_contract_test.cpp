// End to end: the planner (`plan --json`), `diff --json`, the viewer's plan panel
// (`gridplan-viewer --print-figures`) and an independent check written here against the
// documented file format (docs/user/plan.md, literal names on purpose) all give the same
// figures for the same plan.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <regex>

#include "cli_run.hpp"
#include "gp/geo/io.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;
using gp::testing::run_gridplan;
using nlohmann::json;

struct Independent {
  std::size_t cells = 0, within = 0, contiguous = 0, cut_edges = 0;
};

double number(const gp::geo::Value& v) {
  return gp::geo::value_number(v).value_or(0);
}

/// Within-bounds and contiguity computed from the plan's layers alone: cell households
/// summed from the units, bounds from the areas layer, pieces by union-find over the
/// unit_adjacency table.
Independent check_file(const std::string& path) {
  using gp::geo::read_layer;
  const auto cells = read_layer(path, "cells");
  const auto units = read_layer(path, "units");
  const auto areas = read_layer(path, "areas");
  const auto adjacency = read_layer(path, "unit_adjacency");
  const int c_code = cells.table.find("cell_code"), c_area = cells.table.find("area_code");
  const int u_cell = units.table.find("cell_code"), u_hh = units.table.find("households");
  const int a_code = areas.table.find("area_code"), a_lo = areas.table.find("lower_bound"),
            a_hi = areas.table.find("upper_bound");
  const int e_a = adjacency.table.find("unit_a"), e_b = adjacency.table.find("unit_b");
  EXPECT_TRUE(c_code >= 0 && c_area >= 0 && u_cell >= 0 && u_hh >= 0 && a_code >= 0 && a_lo >= 0 &&
              a_hi >= 0 && e_a >= 0 && e_b >= 0);
  std::map<std::string, std::pair<double, double>> bounds;
  for (const auto& r : areas.table.rows)
    bounds[gp::geo::value_text(r[static_cast<std::size_t>(a_code)])] = {
        number(r[static_cast<std::size_t>(a_lo)]), number(r[static_cast<std::size_t>(a_hi)])};
  std::map<std::string, double> households;
  std::vector<std::string> unit_cell;
  for (const auto& r : units.table.rows) {
    unit_cell.push_back(gp::geo::value_text(r[static_cast<std::size_t>(u_cell)]));
    households[unit_cell.back()] += number(r[static_cast<std::size_t>(u_hh)]);
  }
  std::vector<std::size_t> parent(unit_cell.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  Independent out;
  for (const auto& r : adjacency.table.rows) {
    const auto a = static_cast<std::size_t>(number(r[static_cast<std::size_t>(e_a)])) - 1;
    const auto b = static_cast<std::size_t>(number(r[static_cast<std::size_t>(e_b)])) - 1;
    if (unit_cell[a].empty() || unit_cell[b].empty()) continue;
    if (unit_cell[a] != unit_cell[b]) {
      ++out.cut_edges;
      continue;
    }
    parent[find(a)] = find(b);
  }
  std::map<std::string, std::size_t> pieces;
  for (std::size_t u = 0; u < unit_cell.size(); ++u)
    if (!unit_cell[u].empty() && find(u) == u) ++pieces[unit_cell[u]];
  for (const auto& r : cells.table.rows) {
    const auto code = gp::geo::value_text(r[static_cast<std::size_t>(c_code)]);
    const auto [lo, hi] = bounds.at(gp::geo::value_text(r[static_cast<std::size_t>(c_area)]));
    const double h = households[code];
    ++out.cells;
    out.within += h >= lo - 1e-9 && h <= hi + 1e-9 ? 1 : 0;
    out.contiguous += pieces[code] <= 1 ? 1 : 0;
  }
  return out;
}

TEST(PlanContractCli, PlannerDiffViewerAndAnIndependentCheckAgree) {
  const auto dir = gp::testing::temp_dir();
  const auto city = (dir / "city.gpkg").string(), plan = (dir / "plan.gpkg").string();
  ASSERT_EQ(
      run_gridplan({"generate", "--buildings", "400", "--seed", "3", "-o", city, "-q"}).exit_code,
      0);
  // Bounds other than the defaults: every reader must use the plan's own.
  const auto run =
      run_gridplan({"plan", "--city", city, "--min", "250", "--max", "450", "-o", plan, "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto planned = json::parse(run.out);
  ASSERT_TRUE(planned.contains("warnings"));

  const auto independent = check_file(plan);
  ASSERT_EQ(independent.cells, planned["cells"].get<std::size_t>());
  const double n = static_cast<double>(independent.cells);
  EXPECT_DOUBLE_EQ(planned["share_within_bounds"].get<double>(),
                   static_cast<double>(independent.within) / n);
  EXPECT_DOUBLE_EQ(planned["share_contiguous"].get<double>(),
                   static_cast<double>(independent.contiguous) / n);
  EXPECT_EQ(planned["cut_edges"].get<std::size_t>(), independent.cut_edges);

  const auto diff = run_gridplan({"diff", plan, plan, "--json"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  const auto d = json::parse(diff.out);
  EXPECT_TRUE(d["empty"].get<bool>());
  EXPECT_DOUBLE_EQ(d["judgement_after"]["share_within_bounds"].get<double>(),
                   planned["share_within_bounds"].get<double>());
  EXPECT_DOUBLE_EQ(d["judgement_after"]["share_contiguous"].get<double>(),
                   planned["share_contiguous"].get<double>());
  EXPECT_EQ(d["judgement_after"]["cut_edges"].get<std::size_t>(), independent.cut_edges);

  // The viewer's plan panel (same process path as the desktop app, offscreen).
  const fs::path viewer = gp::testing::binary_dir() / "apps" / "gridplan-viewer";
  const auto out = dir / "figures.txt";
  const std::string cmd = "QT_QPA_PLATFORM=offscreen '" + viewer.string() + "' --lang en '" + plan +
                          "' --print-figures >'" + out.string() + "' 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const auto text = gp::testing::slurp(out);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(Within bounds: (\d+) of (\d+))"))) << text;
  EXPECT_EQ(std::stoul(m[1]), independent.within);
  EXPECT_EQ(std::stoul(m[2]), independent.cells);
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(Contiguous: (\d+) of)"))) << text;
  EXPECT_EQ(std::stoul(m[1]), independent.contiguous);
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(Cut adjacency edges: (\d+))"))) << text;
  EXPECT_EQ(std::stoul(m[1]), independent.cut_edges);
}

} // namespace
