#include "support.hpp"

#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <vector>

namespace gp::testing {
namespace {

struct TempRoot {
  std::filesystem::path root;
  TempRoot() {
    root =
        std::filesystem::temp_directory_path() / ("gridplan-tests-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root);
  }
  ~TempRoot() {
    std::error_code ec;
    if (std::getenv("GP_KEEP_TEST_FILES") == nullptr) std::filesystem::remove_all(root, ec);
  }
};

TempRoot& temp_root() {
  static TempRoot r;
  return r;
}

} // namespace

std::optional<std::filesystem::path> shared_data_dir() {
  std::filesystem::path dir = GP_SHARED_DATA_DIR;
  if (const char* env = std::getenv("GP_SHARED_DATA")) dir = env;
  if (std::filesystem::is_directory(dir)) return std::filesystem::canonical(dir);
  return std::nullopt;
}

std::filesystem::path temp_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "global";
  for (char& c : name)
    if (c == '/') c = '_';
  static std::mutex mutex;
  static int counter = 0;
  std::lock_guard lock(mutex);
  auto dir = temp_root().root / (name + "-" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  return dir;
}

std::filesystem::path binary_dir() {
  return GP_BINARY_DIR;
}

std::filesystem::path source_dir() {
  return GP_SOURCE_DIR;
}

unsigned test_seed(unsigned fallback) {
  if (const char* env = std::getenv("GP_TEST_SEED")) return static_cast<unsigned>(std::atoi(env));
  return fallback;
}

} // namespace gp::testing
