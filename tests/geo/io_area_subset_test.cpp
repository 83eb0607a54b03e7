// read_dataset with ReadOptions::only_areas (a rank of a distributed plan reading only its
// own communities' units): each community gets exactly the units of the full read, with
// the same values and relative order, on a metric and on a geographic source; the read
// touches only units near those communities; an empty share reads nothing.

#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <set>

#include "gp/core/error.hpp"
#include "gp/core/ranks.hpp"
#include "gp/geo/demo_city.hpp"
#include "gp/geo/io.hpp"
#include "gp/geo/ops.hpp"
#include "support.hpp"

namespace gp::geo {
namespace {

/// A generated city written to a GeoPackage in `out_crs` ("" = the city's metric CRS).
std::string write_city(const std::string& out_crs) {
  const auto city = generate_city(CityParams{4, 0, 3000});
  const auto path = (gp::testing::temp_dir() / "city.gpkg").string();
  WriteOptions w;
  w.geometry_crs = demo_city_crs;
  w.out_crs = out_crs;
  write_layers(path, city.layers, w);
  return path;
}

/// Indices of each community's units in `ds`, in dataset order.
std::map<std::string, std::vector<std::size_t>> units_by_area(const Dataset& ds) {
  std::map<std::string, std::vector<std::size_t>> out;
  for (std::size_t i = 0; i < ds.units.size(); ++i) out[ds.units[i].area_code].push_back(i);
  return out;
}

void expect_same_unit(const Dataset& a, std::size_t i, const Dataset& b, std::size_t j) {
  const Unit& x = a.units[i];
  const Unit& y = b.units[j];
  EXPECT_EQ(x.source_fid, y.source_fid);
  EXPECT_TRUE(x.geometry == y.geometry) << "fid " << x.source_fid;
  EXPECT_EQ(x.anchor, y.anchor) << "fid " << x.source_fid;
  EXPECT_EQ(x.households, y.households) << "fid " << x.source_fid;
  EXPECT_EQ(x.population, y.population) << "fid " << x.source_fid;
  EXPECT_EQ(x.households_source, y.households_source);
  EXPECT_EQ(x.floors, y.floors);
  EXPECT_EQ(x.type, y.type);
  EXPECT_EQ(x.compound_id, y.compound_id) << "fid " << x.source_fid;
  EXPECT_EQ(x.area_code, y.area_code);
  EXPECT_TRUE(a.unit_attributes.rows[i] == b.unit_attributes.rows[j]) << "fid " << x.source_fid;
}

class AreaSubsetRead : public ::testing::TestWithParam<std::string> {};

TEST_P(AreaSubsetRead, EveryCommunityGetsTheUnitsOfTheFullReadAndLittleElse) {
  const std::string path = write_city(GetParam());
  const auto sources = DatasetSources::city(path);
  const ReadOptions options;
  const Dataset full = read_dataset(sources, options);
  const auto full_units = units_by_area(full);

  // Communities dealt to three "ranks" by units, as a distributed plan deals them.
  std::vector<std::string> codes;
  std::vector<double> sizes;
  for (const auto& a : full.areas) {
    if (a.level != AreaLevel::community) continue;
    codes.push_back(a.code);
    const auto it = full_units.find(a.code);
    sizes.push_back(it == full_units.end() ? 0.0 : static_cast<double>(it->second.size()));
  }
  ASSERT_GT(codes.size(), 6u);
  const int ranks = 3;
  const auto owner = deal_jobs(sizes, ranks);
  std::size_t seen = 0;
  for (int r = 0; r < ranks; ++r) {
    AreaSubset subset;
    for (std::size_t j = 0; j < codes.size(); ++j)
      if (owner[j] == r) subset.codes.push_back(codes[j]);
    subset.work_crs = full.work_crs;
    subset.units_name_compounds = full.report.units_name_compounds;
    ReadOptions o = options;
    o.only_areas = subset;
    const Dataset part = read_dataset(sources, o);
    EXPECT_EQ(part.work_crs, full.work_crs);
    const auto part_units = units_by_area(part);
    const std::set<std::string> mine(subset.codes.begin(), subset.codes.end());
    for (const auto& [code, idx] : part_units)
      EXPECT_TRUE(mine.count(code) != 0) << "rank " << r << " kept a unit of " << code;
    for (const auto& code : subset.codes) {
      const auto f = full_units.find(code);
      const auto p = part_units.find(code);
      const std::size_t n = f == full_units.end() ? 0 : f->second.size();
      ASSERT_EQ(p == part_units.end() ? 0 : p->second.size(), n) << "community " << code;
      for (std::size_t k = 0; k < n; ++k) expect_same_unit(full, f->second[k], part, p->second[k]);
      seen += n;
    }
    // Read: at most the units that meet one of the rank's communities' boxes, grown by
    // the tolerance and margin (plus 1 m for the box's passage through the source CRS).
    // The generated communities are compact, so that is well below the whole layer.
    const double grow = options.assign_tolerance_m + subset.margin_m + 1;
    std::vector<Box> boxes;
    for (const auto& a : full.areas)
      if (mine.count(a.code) != 0) {
        const Box b = bounds(a.geometry);
        boxes.push_back({b.min_x - grow, b.min_y - grow, b.max_x + grow, b.max_y + grow});
      }
    std::size_t near = 0;
    for (const auto& u : full.units) {
      Box ub = u.geometry.empty() ? Box{u.anchor.x, u.anchor.y, u.anchor.x, u.anchor.y}
                                  : bounds(u.geometry);
      near +=
          std::any_of(boxes.begin(), boxes.end(), [&](const Box& b) { return b.intersects(ub); })
              ? 1
              : 0;
    }
    EXPECT_LE(part.report.features_read, near) << "rank " << r;
    EXPECT_LT(part.report.features_read, full.report.features_read) << "rank " << r;
  }
  EXPECT_EQ(seen, full.units.size() - full.report.unassigned.size());
}

INSTANTIATE_TEST_SUITE_P(SourceCrs, AreaSubsetRead, ::testing::Values("", "EPSG:4326"),
                         [](const auto& p) { return p.param.empty() ? "Metric" : "Degrees"; });

TEST(AreaSubsetReadEdge, NoCommunitiesReadsNoUnitsAndIsNoError) {
  const std::string path = write_city("");
  const auto sources = DatasetSources::city(path);
  const Dataset full = read_dataset(sources, {});
  ReadOptions o;
  o.only_areas = AreaSubset{{}, full.work_crs, full.report.units_name_compounds};
  const Dataset none = read_dataset(sources, o);
  EXPECT_TRUE(none.units.empty());
  EXPECT_EQ(none.report.features_read, 0u);
  EXPECT_EQ(none.areas.size(), full.areas.size());
}

TEST(AreaSubsetReadEdge, NeedsAnAreasSource) {
  const std::string path = write_city("");
  DatasetSources sources = DatasetSources::city(path);
  sources.areas.reset();
  ReadOptions o;
  o.only_areas = AreaSubset{{"110105001001"}, "EPSG:4548", false};
  EXPECT_THROW(read_dataset(sources, o), UsageError);
}

} // namespace
} // namespace gp::geo
