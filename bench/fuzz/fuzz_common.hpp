#pragma once
// Shared by the libFuzzer harnesses: bytes to a private file on tmpfs for readers that
// take a path, and the rule that gp::Error is the only acceptable failure.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace gp::fuzz {

/// A file named `name` in a folder private to this process, holding `size` bytes.
inline std::string bytes_to_file(const std::uint8_t* data, std::size_t size,
                                 const std::string& name) {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path base =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    auto d = base / ("gridplan-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  const auto path = dir / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path.string();
}

} // namespace gp::fuzz

/// Runs `body`; a gp::Error (bad input, reported to the user) is fine, anything else
/// (another exception, a crash, a sanitizer report) is a finding.
#define GP_FUZZ_BODY(...)                                                                          \
  try {                                                                                            \
    __VA_ARGS__;                                                                                   \
  } catch (const gp::Error&) {                                                                     \
  }                                                                                                \
  return 0
