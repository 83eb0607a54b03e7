// QGIS itself opens the plan and simulation outputs offscreen (tests/gis/qgis_check.py, PyQGIS):
// every layer is valid, loads the default style gridplan stored, and renders non-blank.
// Skipped with a reason where QGIS's Python bindings are not installed. With
// GP_SCREENSHOT_DIR set, the rendered map is copied there (docs/user/img/gis-qgis.png).

#include <gtest/gtest.h>

#include "gis_util.hpp"

namespace {
namespace fs = std::filesystem;
using gp::gistest::gridplan;
using gp::gistest::quote;

TEST(GisQgis, OpensPlanAndSimulationOutputsStyledAndRendersThem) {
  if (!fs::exists("/usr/bin/python3"))
    GTEST_SKIP() << "needs /usr/bin/python3 with python3-qgis (scripts/install-deps.sh)";
  const auto dir = gp::testing::temp_dir();
  const auto city = dir / "city.gpkg", plan = dir / "plan.gpkg", sim = dir / "simulation.gpkg";
  ASSERT_EQ(gridplan({"generate", "--households", "8000", "--out", city.string(), "-q"}).exit_code,
            0);
  ASSERT_EQ(gridplan({"plan", "--city", city.string(), "--out", plan.string(), "-q"}).exit_code, 0);
  ASSERT_EQ(gridplan({"simulate", plan.string(), "--days", "20", "--replications", "2", "--out",
                      sim.string(), "-q"})
                .exit_code,
            0);
  const auto png = dir / "qgis.png";
  std::string cmd =
      "/usr/bin/python3 " + quote(GP_GIS_TEST_DIR "/qgis_check.py") + " " + quote(png.string());
  for (const auto& uri : {plan.string() + "|layername=areas", plan.string() + "|layername=cells",
                          plan.string() + "|layername=units", sim.string() + "|layername=cells"})
    cmd += " " + quote(uri);
  cmd += " >" + quote((dir / "qgis.out").string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string out = gp::gistest::slurp(dir / "qgis.out");
  if (code == 77) GTEST_SKIP() << "QGIS Python bindings not installed: " << out;
  ASSERT_EQ(code, 0) << out;
  std::cout << out;
  ASSERT_TRUE(fs::exists(png));
  if (const char* shots = std::getenv("GP_SCREENSHOT_DIR"))
    fs::copy_file(png, fs::path(shots) / "gis-qgis.png", fs::copy_options::overwrite_existing);
}

TEST(GisQgis, ProcessingProviderRunsPlanHeadlessWithProgress) {
  if (!fs::exists("/usr/bin/python3"))
    GTEST_SKIP() << "needs /usr/bin/python3 with python3-qgis (scripts/install-deps.sh)";
  const auto dir = gp::testing::temp_dir();
  const auto city = dir / "city.gpkg";
  ASSERT_EQ(gridplan({"generate", "--households", "20000", "--out", city.string(), "-q"}).exit_code,
            0);
  const auto bin = gp::testing::binary_dir() / "apps" / "gridplan";
  const std::string cmd = "/usr/bin/python3 " + quote(GP_GIS_TEST_DIR "/qgis_processing_check.py") +
                          " " + quote(GP_GIS_TEST_DIR "/../..") + " " + quote(bin.string()) + " " +
                          quote(city.string()) + " " + quote(dir.string()) + " >" +
                          quote((dir / "processing.out").string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string out = gp::gistest::slurp(dir / "processing.out");
  if (code == 77) GTEST_SKIP() << "QGIS Python bindings not installed: " << out;
  EXPECT_EQ(code, 0) << out;
  std::cout << out;
}

TEST(GisQgis, OpensAPlanInPostgisWithItsDefaultStyles) {
  GP_REQUIRE_POSTGIS(pg);
  if (!fs::exists("/usr/bin/python3"))
    GTEST_SKIP() << "needs /usr/bin/python3 with python3-qgis (scripts/install-deps.sh)";
  const std::string schema = gp::gistest::unique_schema("qgis");
  ASSERT_EQ(gridplan({"generate", "--households", "5000", "--out", pg, "--schema", schema, "-q"})
                .exit_code,
            0);
  ASSERT_EQ(gridplan({"plan", "--city", pg + " active_schema=" + schema, "--out", pg, "--schema",
                      schema, "--table-prefix", "p_", "-q"})
                .exit_code,
            0);
  // QGIS's own PostgreSQL provider, which reads default styles from layer_styles.
  const std::string conn = pg.substr(3);
  const auto dir = gp::testing::temp_dir();
  std::string cmd = "/usr/bin/python3 " + quote(GP_GIS_TEST_DIR "/qgis_check.py") + " " +
                    quote((dir / "pg.png").string());
  for (const char* table : {"p_areas", "p_cells", "p_units"})
    cmd += " " + quote("postgres:" + conn + " key='fid' table=\"" + schema + "\".\"" + table +
                       "\" (geom)");
  cmd += " >" + quote((dir / "qgis.out").string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string out = gp::gistest::slurp(dir / "qgis.out");
  gp::gistest::drop_schema(pg, schema);
  if (code == 77) GTEST_SKIP() << "QGIS Python bindings not installed: " << out;
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out.find(gp::gistest::password_of(pg)), std::string::npos);
}

} // namespace
