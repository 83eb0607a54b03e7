// Default styles stored with the data: the same classes and colours as `gridplan render`
// (checked against the viewer's own classification), QML and SLD well-formed, stored as
// each layer's default in the GeoPackage's layer_styles table and as .qml sidecars.

#include <gtest/gtest.h>

#include <QXmlStreamReader>
#include <random>
#include <set>

#include "gis_util.hpp"
#include "gp/geo/io.hpp"
#include "gp/geo/styles.hpp"
#include "gp/viewer/map_model.hpp"
#include "gp/viewer/theme.hpp"

namespace {
namespace fs = std::filesystem;
using gp::gistest::gridplan;
using gp::gistest::slurp;

gp::geo::Layer cells_with(const std::vector<double>& households, const std::string& field) {
  gp::geo::Layer l;
  l.name = "cells";
  l.kind = gp::geo::GeometryKind::polygon;
  l.style.kind = gp::geo::StyleHint::Kind::classes; // as the plan file / simulator set it
  l.style.field = field;
  l.table.fields = {{"cell_code", gp::geo::FieldType::text}, {field, gp::geo::FieldType::real}};
  for (std::size_t i = 0; i < households.size(); ++i) {
    l.table.rows.push_back({std::string("c") + std::to_string(i), households[i]});
    const double x = 10.0 * static_cast<double>(i);
    l.polygons.push_back({gp::geo::Polygon{{{x, 0}, {x + 5, 0}, {x + 5, 5}, {x, 5}, {x, 0}}, {}}});
  }
  return l;
}

bool well_formed(const std::string& text) {
  QXmlStreamReader r(QString::fromStdString(text));
  while (!r.atEnd()) r.readNext();
  return !r.hasError();
}

TEST(GisStyles, ClassesAndColoursAreThoseOfGridplanRender) {
  std::mt19937_64 rng(gp::testing::test_seed(11));
  for (int trial = 0; trial < 40; ++trial) {
    const int n = 3 + static_cast<int>(rng() % 200);
    const bool deviation = trial % 4 == 3;
    const std::string field = deviation ? "deviation_pct" : "households";
    std::uniform_real_distribution<double> d(deviation ? -40 : 150, deviation ? 35 : 650);
    std::vector<double> values;
    for (int i = 0; i < n; ++i) values.push_back(trial % 5 == 0 ? std::round(d(rng)) : d(rng));
    gp::viewer::MapLayer layer;
    layer.data = cells_with(values, field);
    for (const int classes : {2, 5, 7}) {
      const auto expected = gp::viewer::make_thematic(layer, field, classes);
      const auto got = gp::geo::thematic_classes(values, field, classes);
      ASSERT_EQ(got.size(), expected.classes.size()) << "trial " << trial;
      for (std::size_t k = 0; k < got.size(); ++k) {
        EXPECT_EQ(got[k].upper, expected.classes[k].upper) << trial << "/" << k;
        EXPECT_EQ(got[k].lower, expected.classes[k].lower) << trial << "/" << k;
        EXPECT_EQ(got[k].label, expected.classes[k].label) << trial << "/" << k;
        EXPECT_EQ(got[k].colour, expected.classes[k].colour.name().toStdString())
            << trial << "/" << k;
      }
    }
  }
  for (const std::string code : {"110199001001001", "A", "网格-7", ""})
    EXPECT_EQ(gp::geo::category_colour(code),
              gp::viewer::categorical_colour(code).name().toStdString());
}

TEST(GisStyles, EveryPlanLayerHasAWellFormedQmlAndSld) {
  const auto cells = cells_with({310, 350, 420, 480, 505, 290, 333}, "households");
  const auto style = gp::geo::default_style(cells);
  ASSERT_FALSE(style.qml.empty());
  EXPECT_TRUE(well_formed(style.qml)) << style.qml;
  EXPECT_TRUE(well_formed(style.sld)) << style.sld;
  // One rule per class, a no-data rule; every class colour appears in both documents.
  for (const auto& c :
       gp::geo::thematic_classes({310, 350, 420, 480, 505, 290, 333}, "households")) {
    EXPECT_NE(style.sld.find(c.colour), std::string::npos) << c.colour;
    const int r = std::stoi(c.colour.substr(1, 2), nullptr, 16);
    EXPECT_NE(style.qml.find("v=\"" + std::to_string(r) + ","), std::string::npos) << c.colour;
  }
  auto sim = cells_with({0.8, 0.9, 0.95}, "on_time_share");
  EXPECT_NE(gp::geo::default_style(sim).qml.find("on_time_share"), std::string::npos);
  gp::geo::Layer barriers;
  barriers.name = "barriers";
  barriers.kind = gp::geo::GeometryKind::line;
  EXPECT_TRUE(gp::geo::default_style(barriers).qml.empty());
}

TEST(GisStyles, CategoriesColourEachCodeUpToAThousandThenOutline) {
  // A units layer coloured by cell: a rule per code (its category colour) for a district;
  // a city's tens of thousands of cells would make a style of megabytes, so it is outlined.
  auto units_by = [](std::size_t codes) {
    gp::geo::Layer l;
    l.name = "units";
    l.kind = gp::geo::GeometryKind::polygon;
    l.style.kind = gp::geo::StyleHint::Kind::categories;
    l.style.field = "cell_code";
    l.style.name = "gridplan: units by cell";
    l.table.fields = {{"cell_code", gp::geo::FieldType::text}};
    // Made row by row, as a plan's units are (geo::RowSource): two units per code.
    gp::geo::RowSource source;
    source.rows = 2 * codes;
    source.fill = [](std::size_t r, std::vector<gp::geo::Value>& row) {
      row.assign(1, "c" + std::to_string(r / 2));
    };
    static const gp::geo::MultiPolygon square{
        gp::geo::Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}, {}}};
    source.polygon = [](std::size_t) -> const gp::geo::MultiPolygon& { return square; };
    l.source = std::move(source);
    return l;
  };
  const auto few = gp::geo::default_style(units_by(1000));
  EXPECT_TRUE(well_formed(few.qml));
  EXPECT_TRUE(well_formed(few.sld));
  for (const std::size_t c : {0u, 417u, 999u}) {
    const std::string code = "c" + std::to_string(c);
    EXPECT_NE(few.sld.find("<ogc:Literal>" + code + "</ogc:Literal>"), std::string::npos) << code;
  }
  EXPECT_NE(few.sld.find(gp::geo::category_colour("c417")), std::string::npos);
  const auto many = gp::geo::default_style(units_by(1001));
  EXPECT_TRUE(well_formed(many.qml));
  EXPECT_TRUE(well_formed(many.sld));
  EXPECT_EQ(many.sld.find("<ogc:Literal>c417</ogc:Literal>"), std::string::npos);
  EXPECT_NE(many.qml.find("1001 categories"), std::string::npos);
  EXPECT_LT(many.qml.size() + many.sld.size(), 20000u) << "a few rules, not one per code";
}

TEST(GisStyles, PlansCarryDefaultStylesInLayerStylesAndQmlSidecars) {
  const auto dir = gp::testing::temp_dir();
  const auto city = dir / "city.gpkg", plan = dir / "plan.gpkg";
  ASSERT_EQ(gridplan({"generate", "--households", "3000", "--out", city.string(), "-q"}).exit_code,
            0);
  ASSERT_EQ(gridplan({"plan", "--city", city.string(), "--out", plan.string(), "-q"}).exit_code, 0);
  const auto styles = gp::geo::read_layer(plan.string(), "layer_styles");
  const int name = styles.table.find("f_table_name"), qml = styles.table.find("styleQML"),
            def = styles.table.find("useAsDefault"), sld = styles.table.find("styleSLD");
  ASSERT_GE(name, 0);
  ASSERT_GE(qml, 0);
  ASSERT_GE(def, 0);
  ASSERT_GE(sld, 0);
  std::set<std::string> styled;
  for (const auto& row : styles.table.rows) {
    const auto& n = std::get<std::string>(row[static_cast<std::size_t>(name)]);
    styled.insert(n);
    EXPECT_EQ(std::get<std::int64_t>(row[static_cast<std::size_t>(def)]), 1) << n;
    EXPECT_TRUE(well_formed(std::get<std::string>(row[static_cast<std::size_t>(qml)]))) << n;
    EXPECT_TRUE(well_formed(std::get<std::string>(row[static_cast<std::size_t>(sld)]))) << n;
  }
  EXPECT_EQ(styled, (std::set<std::string>{"cells", "units", "areas"}));
  // The stored cells style is the one default_style makes for the plan's cells with the
  // plan file's hint (households in classes, cells outside the bounds outlined).
  auto cells = gp::geo::read_layer(plan.string(), "cells");
  cells.style = {gp::geo::StyleHint::Kind::classes,
                 "households",
                 "within_bounds",
                 "outside the household bounds",
                 "",
                 "gridplan: households",
                 "cells by households (the classes of gridplan render), cells outside the "
                 "bounds outlined"};
  for (const auto& row : styles.table.rows)
    if (std::get<std::string>(row[static_cast<std::size_t>(name)]) == "cells") {
      EXPECT_EQ(std::get<std::string>(row[static_cast<std::size_t>(qml)]),
                gp::geo::default_style(cells).qml);
    }

  // Shapefiles: a .qml beside each styled layer; --no-styles: none.
  const auto shp = dir / "shp";
  ASSERT_EQ(
      gridplan({"plan", "--city", city.string(), "--out", shp.string(), "--format", "shp", "-q"})
          .exit_code,
      0);
  for (const char* l : {"cells", "units", "areas"}) {
    ASSERT_TRUE(fs::exists(shp / (std::string(l) + ".qml"))) << l;
    EXPECT_TRUE(well_formed(slurp(shp / (std::string(l) + ".qml")))) << l;
  }
  EXPECT_FALSE(fs::exists(shp / "barriers.qml"));
  const auto bare = dir / "bare.gpkg";
  ASSERT_EQ(gridplan({"plan", "--city", city.string(), "--out", bare.string(), "--no-styles", "-q"})
                .exit_code,
            0);
  for (const auto& l : gp::geo::list_layers(bare.string(), {})) EXPECT_NE(l.name, "layer_styles");
}

} // namespace
