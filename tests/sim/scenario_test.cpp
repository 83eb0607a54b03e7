// Scenario files: the shipped base equals the built-in defaults, inheritance merges key
// by key, and bad input is reported with file and line.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "gp/core/error.hpp"
#include "gp/sim/scenario.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

namespace fs = std::filesystem;

const fs::path kScenarios = ::gp::testing::source_dir() / "data" / "scenarios";

fs::path write(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path p = dir / name;
  std::ofstream(p) << text;
  return p;
}

std::string error_of(const fs::path& p) {
  try {
    load_scenario(p.string());
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Scenario, ShippedBaseEqualsBuiltInDefaults) {
  const Scenario file = load_scenario((kScenarios / "base.toml").string());
  const Scenario def = Scenario::defaults();
  EXPECT_EQ(file.requests_per_household_year, def.requests_per_household_year);
  EXPECT_EQ(file.road_connect_gap_m, def.road_connect_gap_m);
  EXPECT_EQ(file.department_capacity, def.department_capacity);
  EXPECT_EQ(file.department_distribution, def.department_distribution);
  EXPECT_EQ(file.department_cv, def.department_cv);
  EXPECT_EQ(file.hourly_profile, def.hourly_profile);
  EXPECT_EQ(file.weekday_profile, def.weekday_profile);
  ASSERT_EQ(file.categories.size(), def.categories.size());
  for (const auto& c : def.categories) {
    const auto it = std::find_if(file.categories.begin(), file.categories.end(),
                                 [&](const Category& x) { return x.name == c.name; });
    ASSERT_NE(it, file.categories.end()) << c.name;
    EXPECT_EQ(it->share, c.share) << c.name;
    EXPECT_EQ(it->handling_minutes, c.handling_minutes) << c.name;
    EXPECT_EQ(it->handling_cv, c.handling_cv) << c.name;
    EXPECT_EQ(it->deadline_hours, c.deadline_hours) << c.name;
    EXPECT_EQ(it->department_probability, c.department_probability) << c.name;
    EXPECT_EQ(it->department_hours, c.department_hours) << c.name;
  }
  ASSERT_EQ(file.worker_types.size(), def.worker_types.size());
  for (const auto& t : def.worker_types) {
    const WorkerType* f = file.find_type(t.name);
    ASSERT_NE(f, nullptr) << t.name;
    EXPECT_EQ(f->per_cell, t.per_cell) << t.name;
    EXPECT_EQ(f->dispatch_rank, t.dispatch_rank) << t.name;
    EXPECT_EQ(f->shifts, t.shifts) << t.name;
    EXPECT_EQ(f->speed_kmh, t.speed_kmh) << t.name;
    EXPECT_EQ(f->annual_cost_yuan, t.annual_cost_yuan) << t.name;
    EXPECT_EQ(f->handles, t.handles) << t.name;
    EXPECT_EQ(f->does_visits, t.does_visits) << t.name;
    EXPECT_EQ(f->patrol_minutes_per_shift, t.patrol_minutes_per_shift) << t.name;
  }
  for (const auto& s : def.shifts) {
    const auto it = std::find_if(file.shifts.begin(), file.shifts.end(),
                                 [&](const Shift& x) { return x.name == s.name; });
    ASSERT_NE(it, file.shifts.end()) << s.name;
    EXPECT_EQ(it->days, s.days) << s.name;
    EXPECT_EQ(it->start_hour, s.start_hour) << s.name;
    EXPECT_EQ(it->end_hour, s.end_hour) << s.name;
  }
  EXPECT_EQ(file.detour_factor, def.detour_factor);
  EXPECT_EQ(file.visit_period_days, def.visit_period_days);
  EXPECT_EQ(file.visit_minutes_per_household, def.visit_minutes_per_household);
  EXPECT_EQ(file.escalate_at_fraction, def.escalate_at_fraction);
  EXPECT_EQ(file.walk_radius_m, def.walk_radius_m);
  EXPECT_EQ(file.floor_area_m2_per_100_households, def.floor_area_m2_per_100_households);
}

TEST(Scenario, EveryShippedScenarioLoads) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(kScenarios)) {
    if (e.path().extension() != ".toml") continue;
    EXPECT_NO_THROW(load_scenario(e.path().string())) << e.path();
    ++n;
  }
  EXPECT_GE(n, 4);
}

TEST(Scenario, InheritanceOverridesKeyByKey) {
  const fs::path dir = ::gp::testing::temp_dir();
  write(dir, "base.toml",
        "[workers.full_time]\nper_cell = 1\nspeed_kmh = 5\n[dispatch]\nmax_neighbours = 3\n");
  write(dir, "mid.toml", "inherits = \"base.toml\"\n[workers.full_time]\nspeed_kmh = 15\n");
  const fs::path top =
      write(dir, "top.toml",
            "inherits = \"mid.toml\"\nname = \"top\"\n[workers.volunteer]\nper_cell = 3\n"
            "[cells.\"110101001001001\"]\nfull_time = 2\n");
  const Scenario s = load_scenario(top.string());
  EXPECT_EQ(s.name, "top");
  EXPECT_EQ(s.find_type("full_time")->per_cell, 1);             // from base
  EXPECT_EQ(s.find_type("full_time")->speed_kmh, 15);           // from mid
  EXPECT_EQ(s.find_type("full_time")->annual_cost_yuan, 96000); // built-in default
  EXPECT_EQ(s.find_type("volunteer")->per_cell, 3);             // from top
  EXPECT_EQ(s.max_neighbours, 3);
  EXPECT_EQ(s.cell_overrides.at("110101001001001").at("full_time"), 2);

  const Scenario shipped = load_scenario((kScenarios / "more-volunteers.toml").string());
  EXPECT_EQ(shipped.find_type("volunteer")->per_cell, 2);
  EXPECT_EQ(shipped.find_type("full_time")->per_cell, 1);
}

TEST(Scenario, DepartmentsOfTheirOwn) {
  const fs::path dir = ::gp::testing::temp_dir();
  const fs::path file =
      write(dir, "departments.toml",
            "[departments]\ncapacity = 50\n[departments.capacity_of]\n\"城管\" = 12\n"
            "housing = 0\n[categories.livelihood]\ndepartment = \"城管\"\n");
  const Scenario s = load_scenario(file.string());
  EXPECT_EQ(s.department_capacity, 50);
  EXPECT_EQ(s.department_capacities.at("城管"), 12);
  EXPECT_EQ(s.department_capacities.at("housing"), 0);
  for (const auto& c : s.categories)
    EXPECT_EQ(c.department, c.name == "livelihood" ? "城管" : "") << c.name;
  const fs::path typo = write(dir, "typo.toml",
                              "[departments.capacity_of]\nhousing = 3\n"
                              "[categories.livelihood]\ndepartment = \"housnig\"\n");
  EXPECT_THROW(load_scenario(typo.string()), InputError);
}

TEST(Scenario, BadValueNamesFileAndLine) {
  const fs::path dir = ::gp::testing::temp_dir();
  write(dir, "base.toml", "[workers.full_time]\nper_cell = 1\n");
  const fs::path p =
      write(dir, "bad.toml", "inherits = \"base.toml\"\n\n[workers.volunteer]\nper_cell = -2\n");
  const std::string msg = error_of(p);
  EXPECT_NE(msg.find("bad.toml"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("workers.volunteer.per_cell"), std::string::npos) << msg;
}

TEST(Scenario, ErrorInBaseFileNamesTheBase) {
  const fs::path dir = ::gp::testing::temp_dir();
  write(dir, "base.toml", "[travel]\n\ndetour_factor = \"far\"\n");
  const fs::path p = write(dir, "child.toml", "inherits = \"base.toml\"\n");
  const std::string msg = error_of(p);
  EXPECT_NE(msg.find("base.toml: line 3: travel.detour_factor: must be a number"),
            std::string::npos)
      << msg;
}

TEST(Scenario, UnknownKeyIsATypo) {
  const fs::path dir = ::gp::testing::temp_dir();
  const fs::path p = write(dir, "typo.toml", "[workers.full_time]\nper_cel = 2\n");
  const std::string msg = error_of(p);
  EXPECT_NE(msg.find("line 2: unknown key 'workers.full_time.per_cel'"), std::string::npos) << msg;
}

TEST(Scenario, SyntaxErrorAndBadReferencesReported) {
  const fs::path dir = ::gp::testing::temp_dir();
  EXPECT_NE(error_of(write(dir, "syntax.toml", "a = 1\n[demand\n")).find("line 2"),
            std::string::npos);
  EXPECT_NE(error_of(write(dir, "shift.toml", "[workers.full_time]\nshifts = [\"night\"]\n"))
                .find("unknown shift 'night'"),
            std::string::npos);
  EXPECT_NE(error_of(write(dir, "time.toml", "[shifts.x]\nstart = \"8h30\"\n")).find("line 2"),
            std::string::npos);
  EXPECT_NE(
      error_of(write(dir, "missing.toml", "inherits = \"nowhere.toml\"\n")).find("cannot open"),
      std::string::npos);
  write(dir, "loop_a.toml", "inherits = \"loop_b.toml\"\n");
  EXPECT_NE(error_of(write(dir, "loop_b.toml", "inherits = \"loop_a.toml\"\n"))
                .find("inherits from itself"),
            std::string::npos);
  EXPECT_NE(error_of(write(dir, "profile.toml", "[demand]\nhourly_profile = [1, 2]\n"))
                .find("24 numbers"),
            std::string::npos);
}

} // namespace
} // namespace gp::sim
