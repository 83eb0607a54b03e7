// The cadre roster: read from a CSV, its errors name the file and the row, and applying it
// adds one worker of its type per row to its cell (a shift makes a derived worker type).

#include "gp/sim/roster.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "gp/core/error.hpp"
#include "gp/sim/engine.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

namespace fs = std::filesystem;

fs::path write_csv(const std::string& name, const std::string& text) {
  const fs::path p = gp::testing::temp_dir() / name;
  std::ofstream(p) << text;
  return p;
}

SimPlan two_cells() {
  SimPlan plan;
  plan.cells.push_back({"110199001001001", "110199001001", 300, {0, 0}, {1}});
  plan.cells.push_back({"110199001001002", "110199001001", 400, {500, 0}, {0}});
  return plan;
}

int count_of(const std::vector<std::vector<int>>& counts, const Scenario& s, std::size_t cell,
             const std::string& type) {
  for (std::size_t t = 0; t < s.worker_types.size(); ++t)
    if (s.worker_types[t].name == type) return counts[cell][t];
  return -1;
}

TEST(Roster, ReadsRowsAndAddsWorkersOnTopOfPerCell) {
  const auto path = write_csv("roster.csv", "cadre_id,name,agency,cell_code,worker_type,shift\n"
                                            "a,甲,O1,110199001001001,,\n"
                                            "b,乙,O1,110199001001001,cadre,\n"
                                            "c,丙,O2,110199001001002,full_time,\n"
                                            "d,丁,O2,110199001001002,cadre,weekend_day\n");
  const auto roster = read_roster(path.string());
  ASSERT_EQ(roster.size(), 4u);
  EXPECT_EQ(roster[0].cadre_id, "a");
  EXPECT_EQ(roster[0].name, "甲");
  EXPECT_EQ(roster[0].worker_type, "cadre"); // empty: the default type
  EXPECT_EQ(roster[3].shift, "weekend_day");

  Scenario s = Scenario::defaults();
  const SimPlan plan = two_cells();
  const auto before = scenario_cell_counts(plan, s);
  const std::size_t types_before = s.worker_types.size();
  apply_roster(s, roster, plan, path.string());
  EXPECT_NO_THROW(s.validate());
  const auto after = scenario_cell_counts(plan, s);
  EXPECT_EQ(count_of(after, s, 0, "cadre"), count_of(before, s, 0, "cadre") + 2);
  EXPECT_EQ(count_of(after, s, 1, "cadre"), count_of(before, s, 1, "cadre"));
  EXPECT_EQ(count_of(after, s, 1, "full_time"), count_of(before, s, 1, "full_time") + 1);
  EXPECT_EQ(count_of(after, s, 0, "full_time"), count_of(before, s, 0, "full_time"));
  // The weekend cadre is a derived type serving that shift only, in its cell only.
  ASSERT_EQ(s.worker_types.size(), types_before + 1);
  const WorkerType* weekend = s.find_type("cadre@weekend_day");
  ASSERT_NE(weekend, nullptr);
  EXPECT_EQ(weekend->shifts, std::vector<std::string>{"weekend_day"});
  EXPECT_EQ(count_of(after, s, 1, "cadre@weekend_day"), 1);
  EXPECT_EQ(count_of(after, s, 0, "cadre@weekend_day"), 0);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const gp::InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Roster, ErrorsNameTheFileAndTheRow) {
  const auto dup =
      write_csv("dup.csv", "cadre_id,cell_code\na,110199001001001\na,110199001001002\n");
  const std::string e1 = error_of([&] { read_roster(dup.string()); });
  EXPECT_NE(e1.find("dup.csv"), std::string::npos) << e1;
  EXPECT_NE(e1.find("feature 2"), std::string::npos) << e1;
  EXPECT_NE(e1.find("appears twice"), std::string::npos) << e1;

  const auto nocell = write_csv("nocell.csv", "cadre_id,name\na,x\n");
  EXPECT_NE(error_of([&] { read_roster(nocell.string()); }).find("cell_code"), std::string::npos);

  const SimPlan plan = two_cells();
  for (const auto& [row, what] :
       std::vector<std::pair<std::string, std::string>>{{"a,999,cadre,", "not in the plan"},
                                                        {"a,110199001001001,chef,", "chef"},
                                                        {"a,110199001001001,cadre,noon", "noon"}}) {
    const auto p = write_csv("bad.csv", "cadre_id,cell_code,worker_type,shift\n" + row + "\n");
    Scenario s = Scenario::defaults();
    const auto roster = read_roster(p.string());
    const std::string e = error_of([&] { apply_roster(s, roster, plan, p.string()); });
    EXPECT_NE(e.find("bad.csv"), std::string::npos) << e;
    EXPECT_NE(e.find(what), std::string::npos) << e;
  }
}

} // namespace
} // namespace gp::sim
