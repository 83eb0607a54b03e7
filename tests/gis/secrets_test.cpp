// Passwords in connection strings never leave the command line: gp::mask_secrets, and the
// CLI's stdout, stderr, --json and plan_metadata. The PostGIS variants (a real server
// with a real password) are in postgis_test.cpp.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "gis_util.hpp"
#include "gp/core/error.hpp"
#include "gp/core/secrets.hpp"
#include "gp/geo/io.hpp"

namespace {
namespace fs = std::filesystem;
using gp::mask_secrets;
using gp::gistest::gridplan;

TEST(MaskSecrets, LibpqKeyValuePairs) {
  EXPECT_EQ(mask_secrets("PG:dbname=city user=gis password=hunter2 host=db"),
            "PG:dbname=city user=gis password=*** host=db");
  EXPECT_EQ(mask_secrets("PG:password=hunter2"), "PG:password=***");
  // libpq allows spaces around '=' and single-quoted values with \' escapes.
  EXPECT_EQ(mask_secrets("PG:dbname=x password = 'a b\\'c' user=u"),
            "PG:dbname=x password = *** user=u");
  EXPECT_EQ(mask_secrets("PG:dbname=x PASSWORD=Sec|layer=units"),
            "PG:dbname=x PASSWORD=***|layer=units");
  // A bare value runs to white space (';' may be part of a libpq password): masking more
  // than the password is safe, less is not.
  EXPECT_EQ(mask_secrets("MSSQL:server=s;database=d;UID=u;PWD=p4ss;"),
            "MSSQL:server=s;database=d;UID=u;PWD=***");
  EXPECT_EQ(mask_secrets("PG:dbname=x password=a:b: no such layer"),
            "PG:dbname=x password=***: no such layer");
}

TEST(MaskSecrets, UriUserInfo) {
  EXPECT_EQ(mask_secrets("postgresql://gis:hunter2@db.example:5432/city"),
            "postgresql://gis:***@db.example:5432/city");
  EXPECT_EQ(mask_secrets("/vsicurl/https://u:p@host/a.gpkg"), "/vsicurl/https://u:***@host/a.gpkg");
  // No user-info password: unchanged.
  EXPECT_EQ(mask_secrets("https://host/a:b.gpkg"), "https://host/a:b.gpkg");
  EXPECT_EQ(mask_secrets("postgresql://gis@db/city"), "postgresql://gis@db/city");
}

TEST(MaskSecrets, LeavesOtherTextAloneAndIsIdempotent) {
  for (const std::string s :
       {"city.gpkg", "PG:dbname=x user=u", "passwords.gpkg", "my_password=file.gpkg:units",
        "households=300", "", "C:/data/city.gpkg"})
    EXPECT_EQ(mask_secrets(s), s) << s; // "my_password" is not the key "password"
  const std::string once = mask_secrets("PG:dbname=x password=y postgresql://a:b@c/d");
  EXPECT_EQ(mask_secrets(once), once);
  EXPECT_EQ(once.find('y', once.find("password=")), std::string::npos);
}

TEST(MaskSecrets, InputErrorMessagesAreMasked) {
  const gp::InputError e("PG:dbname=x password=hunter2", "units", 3, "bad");
  EXPECT_EQ(std::string(e.what()), "PG:dbname=x password=***: layer 'units': feature 3: bad");
}

/// A connection that fails (nothing listens on port 1): the error names the source,
/// never the password, for every command that reads.
TEST(SecretsCli, FailedConnectionsDoNotPrintThePassword) {
  const std::string pg = "PG:host=127.0.0.1 port=1 dbname=city user=gis password=hunter2";
  const auto out = gp::testing::temp_dir();
  const std::vector<std::vector<std::string>> commands = {
      {"inspect", pg},
      {"inspect", "--json", pg},
      {"plan", "--city", pg, "--out", (out / "p.gpkg").string()},
      {"plan", "--units", pg + "|layer=units", "--out", (out / "p.gpkg").string()},
      {"simulate", pg},
      {"diff", pg, pg},
      {"generate", "--households", "1000", "--out", pg},
      {"plan", "--city", pg, "--out", pg, "--table-prefix", "x_"},
      {"plan", "--city", pg, "--out", pg, "--format", "csv"}, // usage error
  };
  for (const auto& args : commands) {
    const auto r = gridplan(args);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    EXPECT_NE(r.exit_code, 0) << cmd;
    EXPECT_EQ(r.out.find("hunter2"), std::string::npos) << cmd << "\n" << r.out;
    EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << cmd << "\n" << r.err;
    // Errors (2) name the source, masked, on one line; usage errors (1) need not name it.
    if (r.exit_code == 2) {
      EXPECT_NE(r.err.find("password=***"), std::string::npos) << cmd << "\n" << r.err;
      EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << cmd << "\n" << r.err;
    }
  }
}

/// A file source whose name holds a password-like pair exercises the same masking on the
/// success path without a server: plan_metadata, stdout and --json.
TEST(SecretsCli, SuccessfulRunsStoreAndPrintNoPassword) {
  const auto dir = gp::testing::temp_dir();
  const std::string city = (dir / "city password=hunter2.gpkg").string();
  ASSERT_EQ(gridplan({"generate", "--households", "2000", "--out", city, "-q"}).exit_code, 0);
  const std::string plan = (dir / "plan.gpkg").string();
  for (const bool json : {false, true}) {
    std::vector<std::string> args = {"plan", "--city", city, "--out", plan, "--overwrite"};
    if (json) args.insert(args.begin(), "--json");
    const auto r = gridplan(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("hunter2"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
  }
  const auto meta = gp::geo::read_layer(plan, "plan_metadata");
  std::size_t masked = 0;
  for (const auto& row : meta.table.rows)
    for (const auto& v : row) {
      const auto* s = std::get_if<std::string>(&v);
      if (s == nullptr) continue;
      EXPECT_EQ(s->find("hunter2"), std::string::npos) << *s;
      masked += s->find("password=***") != std::string::npos ? 1 : 0;
    }
  EXPECT_GE(masked, 5u); // input_units/areas/compounds/barriers/facilities name the city
  for (const bool json : {false, true}) {
    std::vector<std::string> args = {"inspect", city};
    if (json) args.insert(args.begin(), "--json");
    const auto r = gridplan(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("hunter2"), std::string::npos) << r.out;
    if (json) {
      EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
    }
  }
}

} // namespace
