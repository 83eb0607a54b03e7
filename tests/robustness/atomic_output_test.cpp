// gp::AtomicOutput and write_file_atomically (core/output_file.hpp): temporaries removed
// on failure and on SIGTERM/SIGINT, stale ones of dead runs removed, a full disk leaves
// the old file intact; and `gridplan generate` onto a full disk.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "cli_run.hpp"
#include "gp/core/error.hpp"
#include "gp/core/output_file.hpp"
#include "support.hpp"

namespace {
namespace fs = std::filesystem;

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicOutput, UncommittedTemporaryIsRemoved) {
  const fs::path dir = gp::testing::temp_dir();
  {
    gp::AtomicOutput out((dir / "a.csv").string(), false);
    std::ofstream(out.temp_path()) << "half";
    std::ofstream(out.temp_path() + "-journal") << "j";
    EXPECT_EQ(fs::path(out.temp_path()).extension(), ".csv");
    EXPECT_EQ(fs::path(out.temp_path()).parent_path(), dir);
  }
  EXPECT_EQ(entries(dir), 0u);
}

TEST(AtomicOutput, CommitReplacesOnlyWithOverwriteAndNeverADirectory) {
  const fs::path dir = gp::testing::temp_dir();
  const auto target = (dir / "a.csv").string();
  gp::write_file_atomically(target, "one", false);
  EXPECT_EQ(gp::testing::slurp(target), "one");
  EXPECT_THROW(gp::write_file_atomically(target, "two", false), gp::OutputError);
  gp::write_file_atomically(target, "two", true);
  EXPECT_EQ(gp::testing::slurp(target), "two");
  fs::create_directory(dir / "d");
  EXPECT_THROW(gp::write_file_atomically((dir / "d").string(), "x", true), gp::OutputError);
  EXPECT_TRUE(fs::is_directory(dir / "d"));
  EXPECT_EQ(entries(dir), 2u); // a.csv and d: no temporaries
}

TEST(AtomicOutput, TwoOutputsOfOneTargetGetDifferentTemporaries) {
  const fs::path dir = gp::testing::temp_dir();
  gp::AtomicOutput a((dir / "x.csv").string(), true), b((dir / "x.csv").string(), true);
  EXPECT_NE(a.temp_path(), b.temp_path());
}

TEST(AtomicOutput, InputsAreComparedAfterResolvingLinks) {
  const fs::path dir = gp::testing::temp_dir();
  std::ofstream(dir / "in.toml") << "x";
  fs::create_symlink("in.toml", dir / "alias.csv");
  fs::create_directory(dir / "sub");
  EXPECT_THROW(
      gp::check_output_path((dir / "alias.csv").string(), {(dir / "in.toml").string()}, true),
      gp::OutputError);
  EXPECT_THROW(gp::check_output_path((dir / "sub" / ".." / "in.toml").string(),
                                     {(dir / "in.toml").string()}, true),
               gp::OutputError);
  EXPECT_NO_THROW(
      gp::check_output_path((dir / "new.csv").string(), {(dir / "in.toml").string()}, false));
}

/// The id of a process that has ended.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

TEST(AtomicOutput, StaleTemporariesOfDeadRunsAreRemovedAtTheNextWrite) {
  const fs::path dir = gp::testing::temp_dir();
  const std::string pid = std::to_string(dead_pid());
  const fs::path stale = dir / (".plan.gpkg.gridplan-tmp-" + pid + "-0.gpkg");
  const fs::path journal = dir / (".plan.gpkg.gridplan-tmp-" + pid + "-0.gpkg-journal");
  const fs::path old_style = dir / (".plan.gpkg.tmp-" + pid + "-0.gpkg"); // earlier versions
  const fs::path alive =
      dir / (".plan.gpkg.gridplan-tmp-" + std::to_string(::getppid()) + "-0.gpkg");
  const fs::path user = dir / ".my-notes";
  for (const auto& p : {stale, journal, old_style, alive, user}) {
    std::ofstream(p) << "x";
    fs::last_write_time(p, fs::file_time_type::clock::now() - std::chrono::hours(2));
  }
  gp::write_file_atomically((dir / "other.csv").string(), "new", false);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_FALSE(fs::exists(journal));
  EXPECT_FALSE(fs::exists(old_style));
  EXPECT_TRUE(fs::exists(alive)) << "a running process's temporary is left alone";
  EXPECT_TRUE(fs::exists(user));
}

/// A child that opens an AtomicOutput, writes into it, tells us, and waits to be killed.
void killed_while_writing(int sig, bool directory) {
  const fs::path dir = gp::testing::temp_dir();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    gp::AtomicOutput out((dir / "big.out").string(), false,
                         directory ? gp::OutputKind::directory : gp::OutputKind::file);
    if (directory)
      std::ofstream(out.temp_path() + "/layer.shp") << "partial";
    else
      std::ofstream(out.temp_path()) << "partial";
    std::ofstream(out.temp_path() + "-journal") << "j";
    (void)!::write(ready[1], "r", 1);
    for (;;) ::pause();
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  EXPECT_GE(entries(dir), 1u);
  ::kill(child, sig);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << "dies of the signal";
  EXPECT_EQ(entries(dir), 0u) << "temporaries left after signal " << sig;
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST(AtomicOutput, TemporaryRemovedOnSigterm) {
  killed_while_writing(SIGTERM, false);
}
TEST(AtomicOutput, TemporaryRemovedOnSigint) {
  killed_while_writing(SIGINT, false);
}
TEST(AtomicOutput, TemporaryDirectoryRemovedOnSigterm) {
  killed_while_writing(SIGTERM, true);
}

/// A 64 KiB tmpfs mounted for the test (root only): a disk that fills up.
class FullDisk : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = gp::testing::temp_dir() / "small";
    fs::create_directory(dir_);
    if (::geteuid() != 0 || ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=64k") != 0)
      GTEST_SKIP() << "needs root to mount a small tmpfs (a full disk); not available here";
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount(dir_.c_str());
  }
  fs::path dir_;
  bool mounted_ = false;
};

TEST_F(FullDisk, WriteFailsAndTheOldFileIsIntact) {
  const auto target = (dir_ / "t.csv").string();
  gp::write_file_atomically(target, "old", false);
  EXPECT_THROW(gp::write_file_atomically(target, std::string(200 * 1024, 'x'), true),
               gp::OutputError);
  EXPECT_EQ(gp::testing::slurp(target), "old");
  EXPECT_EQ(entries(dir_), 1u) << "no temporary left behind";
}

TEST_F(FullDisk, GenerateExitsTwoLeavingTheOldFileAndNoTemporary) {
  std::ofstream(dir_ / "c.gpkg") << "old";
  const auto r = gp::testing::run_gridplan(
      {"generate", "--buildings", "2000", "--out", (dir_ / "c.gpkg").string(), "--overwrite"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err_lines().size(), 1u) << r.err;
  EXPECT_EQ(gp::testing::slurp(dir_ / "c.gpkg"), "old");
  EXPECT_EQ(entries(dir_), 1u);
}

} // namespace
