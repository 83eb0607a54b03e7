// Hostile scenario paths and run limits (issue 11): a directory, a FIFO, /dev/zero or an
// oversized file as the scenario or as its `inherits` base is refused with one line naming
// the file, without reading (or blocking on) it; `inherits = "."` is refused; days,
// replications and staff --max have limits with clear messages.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "gp/core/error.hpp"
#include "gp/sim/engine.hpp"
#include "gp/sim/scenario.hpp"
#include "gp/sim/staffing.hpp"
#include "support.hpp"

namespace gp::sim {
namespace {

namespace fs = std::filesystem;

fs::path write(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path p = dir / name;
  std::ofstream(p) << text;
  return p;
}

/// The one-line InputError message for loading `p`, checking it names `file`.
std::string error_of(const fs::path& p, const std::string& file) {
  try {
    load_scenario(p.string());
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_EQ(e.file(), file) << msg;
    return msg;
  }
  ADD_FAILURE() << p << " loaded without error";
  return "";
}

bool has(const std::string& msg, const std::string& fragment) {
  return msg.find(fragment) != std::string::npos;
}

TEST(ScenarioLimits, DirectoryAsScenarioRefused) {
  const fs::path dir = ::gp::testing::temp_dir();
  const std::string msg = error_of(dir, dir.string());
  EXPECT_TRUE(has(msg, "is a directory")) << msg;
}

TEST(ScenarioLimits, DirectoryOrDotAsInheritsRefused) {
  const fs::path dir = ::gp::testing::temp_dir();
  fs::create_directory(dir / "sub");
  const fs::path a = write(dir, "a.toml", "inherits = \".\"\n");
  EXPECT_TRUE(has(error_of(a, a.string()), "line 1: inherits '.': is not a scenario file name"));
  const fs::path b = write(dir, "b.toml", "inherits = \"sub\"\n");
  EXPECT_TRUE(has(error_of(b, b.string()), "is a directory"));
  const fs::path c = write(dir, "c.toml", "inherits = \"\"\n");
  EXPECT_TRUE(has(error_of(c, c.string()), "is not a scenario file name"));
}

TEST(ScenarioLimits, FifoRefusedWithoutBlocking) {
  const fs::path dir = ::gp::testing::temp_dir();
  const fs::path fifo = dir / "fifo.toml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Opening a FIFO with no writer blocks forever: reaching the next line at all is the test.
  EXPECT_TRUE(has(error_of(fifo, fifo.string()), "not a regular file"));
  const fs::path a = write(dir, "a.toml", "inherits = \"fifo.toml\"\n");
  EXPECT_TRUE(has(error_of(a, a.string()), "inherits 'fifo.toml': is not a regular file"));
}

TEST(ScenarioLimits, DevZeroRefused) {
  if (!fs::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
  EXPECT_TRUE(has(error_of("/dev/zero", "/dev/zero"), "not a regular file"));
  const fs::path dir = ::gp::testing::temp_dir();
  const fs::path a = write(dir, "a.toml", "# base\ninherits = \"/dev/zero\"\n");
  EXPECT_TRUE(has(error_of(a, a.string()), "line 2: inherits '/dev/zero': is not a regular file"));
}

TEST(ScenarioLimits, OversizedFileRefused) {
  const fs::path dir = ::gp::testing::temp_dir();
  // A valid TOML file (comments only) one byte over the cap.
  std::string text;
  while (text.size() < kMaxScenarioFileBytes) text += "# padding padding padding padding\n";
  text.resize(kMaxScenarioFileBytes);
  text.back() = '\n';
  const fs::path ok = write(dir, "at-cap.toml", text);
  EXPECT_NO_THROW(load_scenario(ok.string())) << "a file of exactly the cap is read";
  const fs::path big = write(dir, "big.toml", text + "\n");
  EXPECT_TRUE(has(error_of(big, big.string()), "more than the 1048576"));
  const fs::path a = write(dir, "a.toml", "inherits = \"big.toml\"\n");
  EXPECT_TRUE(has(error_of(a, a.string()), "inherits 'big.toml': is 1048577 bytes"));
}

std::string usage_error(const RunOptions& o) {
  try {
    check_run_limits(o);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(RunLimits, DaysReplicationsAndWarmupBounded) {
  RunOptions o;
  EXPECT_EQ(usage_error(o), "(no error)");
  o.days = kMaxDays;
  o.replications = kMaxReplications;
  EXPECT_EQ(usage_error(o), "(no error)");
  o.days = 1e12;
  EXPECT_TRUE(has(usage_error(o), "--days must be > 0 and <= 3650 (got 1000000000000)"))
      << usage_error(o);
  o.days = std::nan("");
  EXPECT_TRUE(has(usage_error(o), "--days")) << usage_error(o);
  o.days = 365;
  o.replications = 2000000000;
  EXPECT_TRUE(has(usage_error(o), "--replications must be >= 1 and <= 10000 (got 2000000000)"))
      << usage_error(o);
  o.replications = 0;
  EXPECT_TRUE(has(usage_error(o), "--replications")) << usage_error(o);
  o.replications = 20;
  o.warmup_days = 1e9;
  EXPECT_TRUE(has(usage_error(o), "--warmup-days")) << usage_error(o);
}

TEST(RunLimits, ScenarioRunDefaultsBounded) {
  const fs::path dir = ::gp::testing::temp_dir();
  const fs::path a = write(dir, "a.toml", "[simulation]\ndays = 1e12\n");
  EXPECT_TRUE(has(error_of(a, a.string()), "line 2"));
  const fs::path b = write(dir, "b.toml", "[simulation]\nreplications = 2000000000\n");
  EXPECT_TRUE(has(error_of(b, b.string()), "line 2"));
}

TEST(RunLimits, StaffMaxBounded) {
  SimPlan plan;
  SimCell c;
  c.code = "c";
  c.area_code = "a";
  c.households = 100;
  plan.cells.push_back(c);
  StaffOptions o;
  o.max_per_cell = 1000000;
  o.run.days = 10;
  o.run.replications = 2;
  try {
    find_staffing(plan, Scenario::defaults(), StaffTarget{}, o);
    ADD_FAILURE() << "--max 1000000 accepted";
  } catch (const UsageError& e) {
    EXPECT_TRUE(has(e.what(), "--max must be >= 1 and <= 100")) << e.what();
  }
}

} // namespace
} // namespace gp::sim
