#pragma once
// Running the built `gridplan` executable from the end-to-end tests of tests/cli/.

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"

namespace gp::testing {

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

/// The whole content of a file ("" when absent).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs `gridplan ARGS...` (arguments quoted for the shell), capturing stdout and stderr.
inline CliRun gridplan(const std::vector<std::string>& args) {
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  const std::filesystem::path bin = binary_dir() / "apps" / "gridplan";
  const std::filesystem::path dir = temp_dir();
  std::string cmd = quote(bin.string());
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " >" + quote((dir / "out").string()) + " 2>" + quote((dir / "err").string());
  const int status = std::system(cmd.c_str());
  CliRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  return r;
}

} // namespace gp::testing
