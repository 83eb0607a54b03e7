// The demo city generator: counts, codes, tiling, building placement, household realism,
// determinism and scaling. Geometry checks use only gp/geo/geometry.hpp (area,
// point-in-polygon), so they do not depend on GEOS.

#include "gp/geo/demo_city.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"

namespace gp::geo {
namespace {

const Layer& layer(const GeneratedCity& city, const std::string& name) {
  for (const auto& l : city.layers)
    if (l.name == name) return l;
  throw std::runtime_error("no layer " + name);
}

std::string text(const Value& v) {
  return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : "";
}
std::int64_t integer(const Value& v) {
  return std::get<std::int64_t>(v);
}
bool is_null(const Value& v) {
  return std::holds_alternative<std::monostate>(v);
}
const Value& cell(const Layer& l, std::size_t row, const std::string& field) {
  const int k = l.table.find(field);
  if (k < 0) throw std::runtime_error("no field " + field + " in " + l.name);
  return l.table.rows[row][static_cast<std::size_t>(k)];
}
bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// Households the estimator gives a building with no count (households.hpp defaults).
double formula_households(const MultiPolygon& g, double floors, const std::string& type) {
  return area(g) * floors * 0.75 / 90 * (type == "mixed" ? 0.5 : 1.0);
}
bool residential(const std::string& type) {
  return type == "highrise" || type == "lowrise" || type == "pingfang" || type == "mixed";
}

/// Total households as a reader sees them: the given field plus the estimate for NULLs.
double observed_households(const GeneratedCity& city) {
  const Layer& units = layer(city, "units");
  double total = 0;
  for (std::size_t r = 0; r < units.table.rows.size(); ++r) {
    const Value& hh = cell(units, r, "households");
    if (!is_null(hh))
      total += static_cast<double>(integer(hh));
    else
      total += formula_households(units.polygons[r],
                                  static_cast<double>(integer(cell(units, r, "floors"))),
                                  text(cell(units, r, "type")));
  }
  return total;
}

/// Indices of the polygons (by bounding box, then point-in-polygon) containing p.
std::vector<std::size_t> containing(const std::vector<MultiPolygon>& polys,
                                    const std::vector<Box>& boxes, Point p) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < polys.size(); ++k)
    if (p.x >= boxes[k].min_x && p.x <= boxes[k].max_x && p.y >= boxes[k].min_y &&
        p.y <= boxes[k].max_y && contains(polys[k], p))
      out.push_back(k);
  return out;
}
std::vector<Box> boxes_of(const std::vector<MultiPolygon>& polys) {
  std::vector<Box> b;
  for (const auto& p : polys) b.push_back(bounds(p));
  return b;
}

class DefaultCity : public ::testing::Test {
protected:
  static void SetUpTestSuite() { city_ = new GeneratedCity(generate_city(CityParams{})); }
  static void TearDownTestSuite() {
    delete city_;
    city_ = nullptr;
  }
  static GeneratedCity* city_;
};
GeneratedCity* DefaultCity::city_ = nullptr;

TEST_F(DefaultCity, HasTheContractLayersAndFields) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"district", {"code", "name"}},
      {"streets", {"code", "name", "parent_code"}},
      {"areas", {"code", "name", "parent_code", "level"}},
      {"compounds", {"compound_id", "name", "kind"}},
      {"units",
       {"building_id", "type", "floors", "height", "households", "compound_id", "name",
        "party_members", "party_households"}},
      {"barriers", {"kind", "name", "width_m"}},
      {"facilities", {"name", "kind", "floor_area_m2"}},
      {"organisations", {"org_id", "name", "kind", "staff", "party_members", "building_id"}}};
  ASSERT_EQ(city_->layers.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const Layer& l = city_->layers[k];
    EXPECT_EQ(l.name, expected[k].first);
    std::vector<std::string> names;
    for (const auto& f : l.table.fields) names.push_back(f.name);
    EXPECT_EQ(names, expected[k].second) << l.name;
    const std::size_t geoms = l.kind == GeometryKind::polygon ? l.polygons.size()
                              : l.kind == GeometryKind::line  ? l.lines.size()
                                                              : l.points.size();
    EXPECT_EQ(geoms, l.table.rows.size()) << l.name;
    for (const auto& row : l.table.rows) ASSERT_EQ(row.size(), l.table.fields.size()) << l.name;
  }
  EXPECT_EQ(layer(*city_, "facilities").kind, GeometryKind::point);
  EXPECT_EQ(layer(*city_, "barriers").kind, GeometryKind::line);
}

TEST_F(DefaultCity, CountsAndCodes) {
  const CityStats& st = city_->stats;
  const Layer& district = layer(*city_, "district");
  const Layer& streets = layer(*city_, "streets");
  const Layer& areas = layer(*city_, "areas");
  ASSERT_EQ(district.table.rows.size(), 1u);
  const std::string dcode = text(cell(district, 0, "code"));
  EXPECT_EQ(dcode.size(), 6u);
  EXPECT_TRUE(all_digits(dcode));
  EXPECT_TRUE(ends_with(text(cell(district, 0, "name")), "区"));

  EXPECT_EQ(streets.table.rows.size(), 4u);
  std::set<std::string> street_codes, community_codes, community_names;
  for (std::size_t r = 0; r < streets.table.rows.size(); ++r) {
    const std::string code = text(cell(streets, r, "code"));
    EXPECT_EQ(code.size(), 9u);
    EXPECT_TRUE(all_digits(code));
    EXPECT_EQ(code.substr(0, 6), dcode);
    EXPECT_EQ(text(cell(streets, r, "parent_code")), dcode);
    EXPECT_TRUE(ends_with(text(cell(streets, r, "name")), "街道"));
    street_codes.insert(code);
  }
  EXPECT_EQ(street_codes.size(), streets.table.rows.size());

  EXPECT_GE(areas.table.rows.size(), 16u);
  EXPECT_LE(areas.table.rows.size(), 24u);
  for (std::size_t r = 0; r < areas.table.rows.size(); ++r) {
    const std::string code = text(cell(areas, r, "code"));
    const std::string parent = text(cell(areas, r, "parent_code"));
    EXPECT_EQ(code.size(), 12u);
    EXPECT_TRUE(all_digits(code));
    EXPECT_EQ(code.substr(0, 9), parent);
    EXPECT_TRUE(street_codes.count(parent)) << parent;
    EXPECT_EQ(text(cell(areas, r, "level")), "community");
    EXPECT_TRUE(ends_with(text(cell(areas, r, "name")), "社区"));
    community_codes.insert(code);
    community_names.insert(text(cell(areas, r, "name")));
  }
  EXPECT_EQ(community_codes.size(), areas.table.rows.size());
  EXPECT_EQ(community_names.size(), areas.table.rows.size());

  EXPECT_EQ(st.streets, streets.table.rows.size());
  EXPECT_EQ(st.communities, areas.table.rows.size());
  EXPECT_EQ(st.buildings, layer(*city_, "units").table.rows.size());
  EXPECT_EQ(st.compounds, layer(*city_, "compounds").table.rows.size());
  EXPECT_EQ(st.facilities, layer(*city_, "facilities").table.rows.size());
  EXPECT_GE(st.old_quarter_communities, 1u);

  // Coordinates near Beijing in EPSG:4548 (x around 500,000, y around 4,420,000).
  const Box b = bounds(district.polygons[0]);
  EXPECT_GT(b.min_x, 490000);
  EXPECT_LT(b.max_x, 510000);
  EXPECT_GT(b.min_y, 4410000);
  EXPECT_LT(b.max_y, 4430000);
  EXPECT_NEAR(st.area_km2, area(district.polygons[0]) / 1e6, 1e-9);
}

TEST_F(DefaultCity, PartyMembersAreTheDocumentedShareOfResidents) {
  // 7 % of residents (2.62 per household) are party members; one 党员中心户 per about 15
  // households, never more than the building's members; none in non-residential buildings.
  const Layer& units = layer(*city_, "units");
  const auto& st = city_->stats;
  double residents = 0, households = 0;
  std::int64_t members = 0, party_households = 0;
  for (std::size_t r = 0; r < units.table.rows.size(); ++r) {
    const std::int64_t m = integer(cell(units, r, "party_members"));
    const std::int64_t ph = integer(cell(units, r, "party_households"));
    ASSERT_GE(m, 0);
    ASSERT_GE(ph, 0);
    ASSERT_LE(ph, m);
    if (!residential(text(cell(units, r, "type")))) {
      EXPECT_EQ(m, 0);
      continue;
    }
    members += m;
    party_households += ph;
  }
  households = static_cast<double>(st.households); // includes the NULL-field buildings
  residents = households * 2.62;
  EXPECT_EQ(members, st.party_members);
  EXPECT_EQ(party_households, st.party_households);
  // Binomial noise over ~157,000 residents: the share is within 0.2 points of 7 %.
  EXPECT_NEAR(static_cast<double>(members) / residents, 0.07, 0.002);
  EXPECT_NEAR(static_cast<double>(party_households) / households, 1.0 / 15, 0.01);
}

TEST_F(DefaultCity, OrganisationsSitInTheNonResidentialBuildings) {
  const Layer& units = layer(*city_, "units");
  const Layer& orgs = layer(*city_, "organisations");
  EXPECT_EQ(orgs.kind, GeometryKind::point);
  std::map<std::int64_t, std::size_t> row_of;
  for (std::size_t r = 0; r < units.table.rows.size(); ++r)
    row_of[integer(cell(units, r, "building_id"))] = r;
  std::size_t non_residential = 0;
  for (std::size_t r = 0; r < units.table.rows.size(); ++r)
    if (!residential(text(cell(units, r, "type")))) ++non_residential;
  EXPECT_EQ(orgs.table.rows.size(), non_residential);
  EXPECT_EQ(city_->stats.organisations, non_residential);
  std::set<std::string> ids;
  for (std::size_t r = 0; r < orgs.table.rows.size(); ++r) {
    const auto b = row_of.at(integer(cell(orgs, r, "building_id")));
    EXPECT_FALSE(residential(text(cell(units, b, "type"))));
    EXPECT_EQ(text(cell(orgs, r, "kind")), text(cell(units, b, "type")));
    EXPECT_TRUE(contains(units.polygons[b], orgs.points[r])) << "organisation " << r;
    const auto staff = integer(cell(orgs, r, "staff"));
    EXPECT_GE(staff, 5);
    EXPECT_GE(integer(cell(orgs, r, "party_members")), 0);
    EXPECT_LE(integer(cell(orgs, r, "party_members")), staff);
    EXPECT_TRUE(ids.insert(text(cell(orgs, r, "org_id"))).second);
  }
}

TEST_F(DefaultCity, HouseholdsAreRealistic) {
  const CityStats& st = city_->stats;
  EXPECT_NEAR(static_cast<double>(st.households), 60000.0, 6000.0);
  EXPECT_NEAR(observed_households(*city_), 60000.0, 6000.0);

  const Layer& units = layer(*city_, "units");
  const Layer& areas = layer(*city_, "areas");
  const std::vector<Box> area_boxes = boxes_of(areas.polygons);
  std::map<std::size_t, double> per_community;
  std::map<std::string, double> per_compound;
  std::size_t residential_count = 0, null_count = 0;
  std::set<std::string> types;
  std::int64_t given = 0;
  for (std::size_t r = 0; r < units.table.rows.size(); ++r) {
    const std::string type = text(cell(units, r, "type"));
    types.insert(type);
    const double floors = static_cast<double>(integer(cell(units, r, "floors")));
    const double height = std::get<double>(cell(units, r, "height"));
    ASSERT_GE(floors, 1);
    // About 3 m per floor: the estimator's round(height / 3) gives back the floors.
    EXPECT_EQ(std::lround(height / 3.0), static_cast<long>(floors)) << "building row " << r;
    const Value& hh = cell(units, r, "households");
    const double formula = formula_households(units.polygons[r], floors, type);
    double households = 0;
    if (residential(type)) {
      ++residential_count;
      if (is_null(hh)) {
        ++null_count;
        households = formula;
      } else {
        households = static_cast<double>(integer(hh));
        given += integer(hh);
        EXPECT_GE(households, 1);
        // Consistent with floors x footprint (the estimation formula) within noise and rounding.
        EXPECT_LE(std::abs(households - formula), 0.15 * formula + 1)
            << "building row " << r << " " << type;
      }
    } else {
      ASSERT_FALSE(is_null(hh));
      EXPECT_EQ(integer(hh), 0) << type;
    }
    const auto where = containing(areas.polygons, area_boxes, units.polygons[r][0].outer[0]);
    ASSERT_EQ(where.size(), 1u);
    per_community[where[0]] += households;
    const std::string compound = text(cell(units, r, "compound_id"));
    if (!compound.empty()) per_compound[compound] += households;
  }
  EXPECT_EQ(given, st.households_given);
  EXPECT_EQ(null_count, st.null_household_buildings);
  EXPECT_EQ(residential_count, st.residential_buildings);
  const double null_share =
      static_cast<double>(null_count) / static_cast<double>(residential_count);
  EXPECT_GE(null_share, 0.02);
  EXPECT_LE(null_share, 0.15);
  for (const char* t : {"highrise", "lowrise", "pingfang", "mixed", "commercial", "school"})
    EXPECT_TRUE(types.count(t)) << t;

  ASSERT_EQ(per_community.size(), areas.table.rows.size()); // every community has buildings
  for (const auto& [k, hh] : per_community) {
    EXPECT_GE(hh, 1500) << text(cell(areas, k, "name"));
    EXPECT_LE(hh, 6000) << text(cell(areas, k, "name"));
  }
  // Some compounds are too big for one grid cell, so the planner must split them.
  EXPECT_GE(std::count_if(per_compound.begin(), per_compound.end(),
                          [](const auto& e) { return e.second > 500; }),
            3);
}

TEST_F(DefaultCity, CommunitiesTileStreetsTileTheDistrict) {
  const Layer& district = layer(*city_, "district");
  const Layer& streets = layer(*city_, "streets");
  const Layer& areas = layer(*city_, "areas");
  const double district_area = area(district.polygons[0]);
  double streets_sum = 0, areas_sum = 0;
  std::map<std::string, double> by_street;
  for (const auto& g : streets.polygons) streets_sum += area(g);
  for (std::size_t r = 0; r < areas.polygons.size(); ++r) {
    areas_sum += area(areas.polygons[r]);
    by_street[text(cell(areas, r, "parent_code"))] += area(areas.polygons[r]);
  }
  EXPECT_NEAR(streets_sum / district_area, 1.0, 1e-6);
  EXPECT_NEAR(areas_sum / district_area, 1.0, 1e-6);
  for (std::size_t r = 0; r < streets.polygons.size(); ++r)
    EXPECT_NEAR(by_street[text(cell(streets, r, "code"))] / area(streets.polygons[r]), 1.0, 1e-6);

  // No overlaps and no gaps: every sample point of the district lies in exactly one
  // community and one street, and the community's parent is that street; points outside
  // the district lie in none.
  const std::vector<Box> area_boxes = boxes_of(areas.polygons);
  const std::vector<Box> street_boxes = boxes_of(streets.polygons);
  const Box b = bounds(district.polygons[0]);
  std::size_t inside = 0, outside = 0;
  for (int a = 0; a < 240; ++a)
    for (int c = 0; c < 240; ++c) {
      const Point p{b.min_x - 50 + (b.width() + 100) * (a + 0.5) / 240.0 + 0.123,
                    b.min_y - 50 + (b.height() + 100) * (c + 0.5) / 240.0 + 0.0789};
      const auto in_areas = containing(areas.polygons, area_boxes, p);
      const auto in_streets = containing(streets.polygons, street_boxes, p);
      if (contains(district.polygons[0], p)) {
        ++inside;
        ASSERT_EQ(in_areas.size(), 1u) << p.x << " " << p.y;
        ASSERT_EQ(in_streets.size(), 1u) << p.x << " " << p.y;
        EXPECT_EQ(text(cell(areas, in_areas[0], "parent_code")),
                  text(cell(streets, in_streets[0], "code")));
      } else {
        ++outside;
        EXPECT_TRUE(in_areas.empty()) << p.x << " " << p.y;
        EXPECT_TRUE(in_streets.empty());
      }
    }
  EXPECT_GT(inside, 30000u);
  EXPECT_GT(outside, 0u);
}

TEST_F(DefaultCity, PolygonsAreValidAndCommunitiesDoNotOverlap) {
  for (const char* name : {"district", "streets", "areas", "compounds"}) {
    const Layer& l = layer(*city_, name);
    for (std::size_t r = 0; r < l.polygons.size(); ++r)
      EXPECT_TRUE(is_valid(l.polygons[r])) << name << " row " << r;
  }
  const Layer& units = layer(*city_, "units");
  for (std::size_t r = 0; r < units.polygons.size(); r += 7)
    EXPECT_TRUE(is_valid(units.polygons[r])) << r;

  // GEOS overlay: neighbouring communities share boundaries but no area.
  const Layer& areas = layer(*city_, "areas");
  const std::vector<Box> boxes = boxes_of(areas.polygons);
  std::size_t neighbours = 0;
  for (std::size_t a = 0; a < areas.polygons.size(); ++a)
    for (std::size_t b = a + 1; b < areas.polygons.size(); ++b) {
      if (!boxes[a].intersects(boxes[b])) continue;
      ++neighbours;
      EXPECT_LT(intersection_area(areas.polygons[a], areas.polygons[b]), 1e-3) << a << " " << b;
    }
  EXPECT_GE(neighbours, areas.polygons.size());
  std::vector<const MultiPolygon*> parts;
  for (const auto& g : areas.polygons) parts.push_back(&g);
  const MultiPolygon merged = union_all(parts);
  const MultiPolygon& district = layer(*city_, "district").polygons[0];
  EXPECT_LT(area(difference(district, merged)), 1.0);
  EXPECT_LT(area(difference(merged, district)), 1.0);
}

TEST_F(DefaultCity, HasACommunityWithAHoleAndAMultipartOne) {
  const Layer& areas = layer(*city_, "areas");
  const CityStats& st = city_->stats;
  ASSERT_FALSE(st.hole_community.empty());
  ASSERT_FALSE(st.multipart_community.empty());
  std::size_t with_holes = 0, multipart = 0;
  for (std::size_t r = 0; r < areas.polygons.size(); ++r) {
    const auto& g = areas.polygons[r];
    const std::string code = text(cell(areas, r, "code"));
    bool holes = false;
    for (const auto& p : g) holes = holes || !p.holes.empty();
    if (holes) {
      ++with_holes;
      EXPECT_EQ(code, st.hole_community);
    }
    if (g.size() > 1) {
      ++multipart;
      EXPECT_EQ(code, st.multipart_community);
      EXPECT_EQ(g.size(), 2u);
    }
  }
  EXPECT_EQ(with_holes, 1u);
  EXPECT_EQ(multipart, 1u);
}

TEST_F(DefaultCity, BuildingsLieInOneCommunityAndTheirCompoundAndDoNotOverlap) {
  const Layer& units = layer(*city_, "units");
  const Layer& areas = layer(*city_, "areas");
  const Layer& compounds = layer(*city_, "compounds");
  const std::vector<Box> area_boxes = boxes_of(areas.polygons);
  std::map<std::string, std::size_t> compound_row;
  std::map<std::string, std::size_t> compound_buildings;
  for (std::size_t r = 0; r < compounds.table.rows.size(); ++r) {
    compound_row[text(cell(compounds, r, "compound_id"))] = r;
    // A compound lies inside one community: all its corners in the same single community.
    std::set<std::size_t> homes;
    for (const Point& p : compounds.polygons[r][0].outer) {
      const auto where = containing(areas.polygons, area_boxes, p);
      ASSERT_EQ(where.size(), 1u);
      homes.insert(where[0]);
    }
    EXPECT_EQ(homes.size(), 1u);
  }
  EXPECT_EQ(compound_row.size(), compounds.table.rows.size()); // ids unique
  std::set<std::int64_t> ids;
  for (std::size_t r = 0; r < units.table.rows.size(); ++r) {
    ids.insert(integer(cell(units, r, "building_id")));
    const MultiPolygon& g = units.polygons[r];
    ASSERT_EQ(g.size(), 1u);
    EXPECT_GT(area(g), 20.0);
    std::set<std::size_t> homes;
    for (const Point& p : g[0].outer) {
      const auto where = containing(areas.polygons, area_boxes, p);
      ASSERT_EQ(where.size(), 1u) << "building row " << r;
      homes.insert(where[0]);
    }
    EXPECT_EQ(homes.size(), 1u) << "building row " << r;
    const std::string cid = text(cell(units, r, "compound_id"));
    if (!cid.empty()) {
      ASSERT_TRUE(compound_row.count(cid)) << cid;
      ++compound_buildings[cid];
      const MultiPolygon& cg = compounds.polygons[compound_row[cid]];
      for (const Point& p : g[0].outer)
        EXPECT_TRUE(contains(cg, p)) << "building row " << r << " " << cid;
      // The compound id starts with the code of the community the building is in.
      EXPECT_EQ(cid.substr(0, 12), text(cell(areas, *homes.begin(), "code")));
    }
  }
  EXPECT_EQ(ids.size(), units.table.rows.size());
  EXPECT_EQ(compound_buildings.size(), compounds.table.rows.size()); // no empty compound

  // Footprints are pairwise disjoint: even their bounding boxes never meet (sweep on x).
  std::vector<std::pair<Box, std::size_t>> boxes;
  for (std::size_t r = 0; r < units.polygons.size(); ++r)
    boxes.emplace_back(bounds(units.polygons[r]), r);
  std::sort(boxes.begin(), boxes.end(),
            [](const auto& a, const auto& b) { return a.first.min_x < b.first.min_x; });
  std::size_t overlaps = 0;
  for (std::size_t a = 0; a < boxes.size(); ++a)
    for (std::size_t c = a + 1; c < boxes.size() && boxes[c].first.min_x <= boxes[a].first.max_x;
         ++c)
      if (boxes[a].first.intersects(boxes[c].first)) ++overlaps;
  EXPECT_EQ(overlaps, 0u);
}

TEST_F(DefaultCity, BarriersAndFacilities) {
  const Layer& barriers = layer(*city_, "barriers");
  std::map<std::string, std::size_t> kinds;
  for (std::size_t r = 0; r < barriers.table.rows.size(); ++r) {
    ++kinds[text(cell(barriers, r, "kind"))];
    EXPECT_GT(std::get<double>(cell(barriers, r, "width_m")), 0);
    EXPECT_FALSE(text(cell(barriers, r, "name")).empty());
    EXPECT_GE(barriers.lines[r][0].size(), 2u);
  }
  EXPECT_EQ(kinds["river"], 1u);
  EXPECT_EQ(kinds["rail"], 1u);
  EXPECT_GE(kinds["road"], 20u);
  EXPECT_GT(city_->stats.roads_km, 20);
  EXPECT_GT(city_->stats.river_km, 2);

  // The river runs along community boundaries: no building is within 30 m of it.
  const Layer& units = layer(*city_, "units");
  std::size_t river_row = 0;
  for (std::size_t r = 0; r < barriers.table.rows.size(); ++r)
    if (text(cell(barriers, r, "kind")) == "river") river_row = r;
  const LineString& river = barriers.lines[river_row][0];
  for (std::size_t r = 0; r < units.polygons.size(); ++r)
    for (const Point& p : units.polygons[r][0].outer)
      for (std::size_t k = 1; k < river.size(); ++k) {
        const Point a = river[k - 1], b = river[k];
        const double len2 = (b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y);
        const double t =
            std::clamp(((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len2, 0.0, 1.0);
        ASSERT_GT(std::hypot(p.x - a.x - t * (b.x - a.x), p.y - a.y - t * (b.y - a.y)), 30.0);
      }

  const Layer& facilities = layer(*city_, "facilities");
  const Layer& areas = layer(*city_, "areas");
  const std::vector<Box> area_boxes = boxes_of(areas.polygons);
  std::size_t stations = 0;
  for (std::size_t r = 0; r < facilities.table.rows.size(); ++r) {
    EXPECT_GT(std::get<double>(cell(facilities, r, "floor_area_m2")), 0);
    EXPECT_EQ(containing(areas.polygons, area_boxes, facilities.points[r]).size(), 1u);
    if (text(cell(facilities, r, "kind")) == "community_station") ++stations;
  }
  EXPECT_EQ(stations, areas.table.rows.size());
}

bool same_layers(const GeneratedCity& a, const GeneratedCity& b) {
  if (a.layers.size() != b.layers.size()) return false;
  for (std::size_t k = 0; k < a.layers.size(); ++k) {
    const Layer& x = a.layers[k];
    const Layer& y = b.layers[k];
    if (x.name != y.name || x.kind != y.kind || x.table.rows != y.table.rows ||
        x.polygons != y.polygons || x.lines != y.lines || x.points != y.points)
      return false;
  }
  return true;
}

TEST(DemoCity, SameSeedGivesIdenticalLayersOtherSeedsDiffer) {
  const GeneratedCity a = generate_city(CityParams{7, 30000, 0});
  const GeneratedCity b = generate_city(CityParams{7, 30000, 0});
  const GeneratedCity c = generate_city(CityParams{8, 30000, 0});
  EXPECT_TRUE(same_layers(a, b));
  EXPECT_FALSE(same_layers(a, c));
  EXPECT_NE(
      layer(a, "units").table.rows.size() * 1000 + static_cast<std::size_t>(a.stats.households),
      layer(c, "units").table.rows.size() * 1000 + static_cast<std::size_t>(c.stats.households));
}

TEST(DemoCity, BuildingsOptionScalesTheCity) {
  const GeneratedCity city = generate_city(CityParams{3, 0, 100000});
  const CityStats& st = city.stats;
  const Layer& units = layer(city, "units");
  EXPECT_NEAR(static_cast<double>(units.table.rows.size()), 100000.0, 1000.0);
  EXPECT_EQ(st.buildings, units.table.rows.size());
  // Communities keep their size, so their number grows with the buildings.
  const Layer& areas = layer(city, "areas");
  EXPECT_GT(areas.table.rows.size(), 400u);
  EXPECT_LT(areas.table.rows.size(), 1200u);
  const double per = static_cast<double>(st.households) / static_cast<double>(st.communities);
  EXPECT_GT(per, 2000);
  EXPECT_LT(per, 4500);
  double areas_sum = 0;
  for (const auto& g : areas.polygons) areas_sum += area(g);
  EXPECT_NEAR(areas_sum / area(layer(city, "district").polygons[0]), 1.0, 1e-6);
  double streets_sum = 0;
  for (const auto& g : layer(city, "streets").polygons) streets_sum += area(g);
  EXPECT_NEAR(streets_sum / area(layer(city, "district").polygons[0]), 1.0, 1e-6);
  // Every community keeps a realistic household count.
  const std::vector<Box> area_boxes = boxes_of(areas.polygons);
  std::vector<double> per_community(areas.polygons.size(), 0.0);
  for (std::size_t r = 0; r < units.table.rows.size(); ++r) {
    const Value& hh = cell(units, r, "households");
    const double h =
        !is_null(hh) ? static_cast<double>(integer(hh))
                     : formula_households(units.polygons[r],
                                          static_cast<double>(integer(cell(units, r, "floors"))),
                                          text(cell(units, r, "type")));
    const auto where = containing(areas.polygons, area_boxes, units.polygons[r][0].outer[0]);
    ASSERT_EQ(where.size(), 1u);
    per_community[where[0]] += h;
  }
  for (std::size_t k = 0; k < per_community.size(); ++k) {
    EXPECT_GE(per_community[k], 1500) << text(cell(areas, k, "code"));
    EXPECT_LE(per_community[k], 6000) << text(cell(areas, k, "code"));
  }
  std::set<std::string> codes;
  for (std::size_t r = 0; r < areas.table.rows.size(); ++r)
    codes.insert(text(cell(areas, r, "code")));
  EXPECT_EQ(codes.size(), areas.table.rows.size());
}

TEST(DemoCity, SmallAndLargeHouseholdTargets) {
  for (std::int64_t target : {std::int64_t{6000}, std::int64_t{250000}}) {
    const GeneratedCity city = generate_city(CityParams{11, target, 0});
    EXPECT_NEAR(observed_households(city), static_cast<double>(target),
                0.1 * static_cast<double>(target));
    EXPECT_NEAR(static_cast<double>(city.stats.households), static_cast<double>(target),
                0.1 * static_cast<double>(target));
  }
  const GeneratedCity tiny = generate_city(CityParams{5, 0, 50});
  EXPECT_EQ(tiny.stats.buildings, 50u);
  EXPECT_EQ(layer(tiny, "areas").table.rows.size(), 1u);
}

TEST(DemoCity, RejectsParametersOutOfRange) {
  EXPECT_THROW(generate_city(CityParams{1, 10, 0}), UsageError);
  EXPECT_THROW(generate_city(CityParams{1, 60000, 10}), UsageError);
  EXPECT_THROW(generate_city(CityParams{1, 60000, demo_city_max_buildings + 1}), UsageError);
}

} // namespace
} // namespace gp::geo
