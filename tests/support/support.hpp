#pragma once
// gp::testing: helpers shared by every test suite.

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

namespace gp::testing {

/// ../shared/data (or $GP_SHARED_DATA), or nullopt when the folder is absent.
std::optional<std::filesystem::path> shared_data_dir();

/// A fresh, empty directory unique to the running test, removed at exit of the test program.
std::filesystem::path temp_dir();

/// The build tree (where the gridplan executable is), for end-to-end tests.
std::filesystem::path binary_dir();

/// The source tree (data/, docs/), whatever the working directory.
std::filesystem::path source_dir();

/// Seed for randomised tests: $GP_TEST_SEED if set, else `fallback`.
unsigned test_seed(unsigned fallback = 42);

} // namespace gp::testing

/// Skips the current test with a clear reason when ../shared/data is absent, and binds
/// `var` to the path of `relative` inside it otherwise.
#define GP_REQUIRE_SHARED_DATA(var, relative)                                                      \
  const auto var##_dir_opt = ::gp::testing::shared_data_dir();                                     \
  if (!var##_dir_opt) GTEST_SKIP() << "needs ../shared/data (real-data test); folder absent";      \
  const std::filesystem::path var = *var##_dir_opt / (relative);                                   \
  if (!std::filesystem::exists(var)) GTEST_SKIP() << "needs " << var.string() << " (absent)"
