#pragma once
// Helpers of the gis suite: running the built gridplan, the PostGIS test server.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"

namespace gp::gistest {

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs the built `gridplan` with `args` (no shell interpretation of the arguments).
inline CliRun gridplan(const std::vector<std::string>& args) {
  const auto bin = gp::testing::binary_dir() / "apps" / "gridplan";
  const auto dir = gp::testing::temp_dir();
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

/// $GP_TEST_PG: "PG:host=... dbname=... user=... password=..." of a PostGIS database the
/// tests may create schemas in (scripts/ci-postgis.sh starts one), or nullopt.
inline std::optional<std::string> test_pg() {
  const char* env = std::getenv("GP_TEST_PG");
  if (env == nullptr || std::string(env).empty()) return std::nullopt;
  return std::string(env);
}

/// The password in a connection string ("" when none).
inline std::string password_of(const std::string& conn) {
  const auto p = conn.find("password=");
  if (p == std::string::npos) return "";
  const auto e = conn.find(' ', p);
  return conn.substr(p + 9, e == std::string::npos ? e : e - p - 9);
}

/// A schema name unique to this test process and `tag`.
inline std::string unique_schema(const std::string& tag) {
  return "gp_test_" + tag + "_" + std::to_string(::getpid());
}

/// Drops `schema` and its rows in public.layer_styles (best effort, with GDAL's ogrinfo) so
/// that a developer's own database is left clean.
inline void drop_schema(const std::string& pg, const std::string& schema) {
  for (const std::string& sql :
       {"DROP SCHEMA IF EXISTS " + schema + " CASCADE",
        "DELETE FROM public.layer_styles WHERE f_table_schema = '" + schema + "'"}) {
    const std::string cmd = "ogrinfo -q " + quote(pg) + " -sql " + quote(sql) + " >/dev/null 2>&1";
    [[maybe_unused]] const int rc = std::system(cmd.c_str());
  }
}

} // namespace gp::gistest

/// Skips the current test with a reason when no PostGIS test server is configured, else
/// binds `var` to its connection string.
#define GP_REQUIRE_POSTGIS(var)                                                                    \
  const auto var##_opt = ::gp::gistest::test_pg();                                                 \
  if (!var##_opt)                                                                                  \
    GTEST_SKIP() << "needs a PostGIS server: set GP_TEST_PG=\"PG:host=... dbname=... user=... "    \
                    "password=...\" or run under scripts/ci-postgis.sh";                           \
  const std::string var = *var##_opt
