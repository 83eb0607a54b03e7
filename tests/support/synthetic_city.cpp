#include "synthetic_city.hpp"

#include <algorithm>
#include <cmath>

#include "gp/geo/crs.hpp"

namespace gp::testing {
namespace {

constexpr double origin_x = 500000;
constexpr double origin_y = 4420000;

bool inside(const geo::MultiPolygon& g, geo::Point p) {
  return geo::contains(g, p);
}

} // namespace

geo::Ring rect_ring(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

geo::Polygon rect_polygon(double x0, double y0, double x1, double y1,
                          const std::vector<geo::Ring>& holes) {
  geo::Polygon p;
  p.outer = rect_ring(x0, y0, x1, y1);
  for (const auto& h : holes) {
    auto r = h;
    std::reverse(r.begin(), r.end()); // holes clockwise
    p.holes.push_back(std::move(r));
  }
  return p;
}

SyntheticCity::SyntheticCity(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 1) {
  ds_.work_crs = geo::crs_to_wkt("EPSG:4548");
  ds_.source_crs = ds_.work_crs;
  ds_.units_source = "synthetic:units";
  ds_.unit_attributes.fields = {{"building_id", geo::FieldType::integer},
                                {"households", geo::FieldType::integer},
                                {"compound_id", geo::FieldType::text},
                                {"type", geo::FieldType::text}};
}

double SyntheticCity::uniform() {
  // splitmix64: deterministic on every platform.
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

std::size_t SyntheticCity::add_area(const std::string& code, geo::MultiPolygon geometry,
                                    const std::string& name) {
  geo::Area a;
  a.code = code;
  a.name = name.empty() ? "community " + code : name;
  a.parent_code = code.substr(0, std::min<std::size_t>(9, code.size()));
  a.level = geo::AreaLevel::community;
  a.geometry = std::move(geometry);
  a.source_fid = static_cast<std::int64_t>(ds_.areas.size() + 1);
  ds_.areas.push_back(std::move(a));
  return ds_.areas.size() - 1;
}

void SyntheticCity::add_building(std::size_t area, geo::Point c, double footprint_m,
                                 double households, const std::string& compound_id,
                                 const std::string& type) {
  geo::Unit u;
  u.source_fid = static_cast<std::int64_t>(ds_.units.size() + 1);
  if (footprint_m > 0) {
    const double h = footprint_m / 2;
    u.geometry = {rect_polygon(c.x - h, c.y - h, c.x + h, c.y + h)};
  }
  u.anchor = c;
  u.households = households;
  u.households_source = geo::ValueSource::given;
  u.population = households * 2.62;
  u.population_source = geo::ValueSource::estimated;
  u.floors = 6;
  u.type = type;
  u.compound_id = compound_id;
  u.area_code = ds_.areas.at(area).code;
  ds_.unit_attributes.rows.push_back(
      {geo::Value{u.source_fid}, geo::Value{static_cast<std::int64_t>(std::llround(households))},
       compound_id.empty() ? geo::Value{} : geo::Value{compound_id}, geo::Value{type}});
  ds_.units.push_back(std::move(u));
}

std::size_t SyntheticCity::add_buildings(std::size_t area, const BuildingGrid& grid,
                                         const geo::MultiPolygon* region) {
  const auto& ag = ds_.areas.at(area).geometry;
  const auto& where = region != nullptr ? *region : ag;
  const auto box = geo::bounds(where);
  std::size_t placed = 0;
  const double half = grid.footprint_m / 2;
  for (double y = box.max_y - grid.spacing_m / 2; y > box.min_y; y -= grid.spacing_m) {
    for (double x = box.min_x + grid.spacing_m / 2; x < box.max_x; x += grid.spacing_m) {
      const geo::Point c{x + (2 * uniform() - 1) * grid.jitter_m,
                         y + (2 * uniform() - 1) * grid.jitter_m};
      const double hh = grid.households_min +
                        std::floor(uniform() * (grid.households_max - grid.households_min + 1));
      bool ok = inside(where, c) && inside(ag, c);
      // The whole footprint (with a 1 m margin) inside the area.
      for (double dx : {-half - 1, half + 1})
        for (double dy : {-half - 1, half + 1})
          ok = ok && inside(ag, geo::Point{c.x + dx, c.y + dy}) &&
               inside(where, geo::Point{c.x + dx, c.y + dy});
      if (!ok) continue;
      add_building(area, c, grid.footprint_m, hh, grid.compound_id, grid.type);
      ++placed;
    }
  }
  return placed;
}

void SyntheticCity::add_parcels(std::size_t area, int nx, int ny, int households_min,
                                int households_max) {
  const auto box = geo::bounds(ds_.areas.at(area).geometry);
  const double w = box.width() / nx, h = box.height() / ny;
  for (int j = 0; j < ny; ++j) {
    for (int i = 0; i < nx; ++i) {
      // Shared edges use identical coordinates so that parcels tile exactly.
      const double x0 = i == 0 ? box.min_x : box.min_x + w * i;
      const double x1 = i == nx - 1 ? box.max_x : box.min_x + w * (i + 1);
      const double y0 = j == 0 ? box.min_y : box.min_y + h * j;
      const double y1 = j == ny - 1 ? box.max_y : box.min_y + h * (j + 1);
      const double hh =
          households_min + std::floor(uniform() * (households_max - households_min + 1));
      geo::Unit u;
      u.source_fid = static_cast<std::int64_t>(ds_.units.size() + 1);
      u.geometry = {rect_polygon(x0, y0, x1, y1)};
      u.anchor = geo::Point{(x0 + x1) / 2, (y0 + y1) / 2};
      u.households = hh;
      u.households_source = geo::ValueSource::given;
      u.population = hh * 2.62;
      u.population_source = geo::ValueSource::estimated;
      u.type = "parcel";
      u.area_code = ds_.areas.at(area).code;
      ds_.unit_attributes.rows.push_back({geo::Value{u.source_fid},
                                          geo::Value{static_cast<std::int64_t>(hh)}, geo::Value{},
                                          geo::Value{std::string("parcel")}});
      ds_.units.push_back(std::move(u));
    }
  }
}

void SyntheticCity::add_barrier(geo::LineString line, geo::BarrierKind kind,
                                const std::string& name) {
  ds_.barriers.push_back(geo::Barrier{kind, name, std::move(line)});
}

void SyntheticCity::add_compound(const std::string& id, geo::MultiPolygon geometry) {
  ds_.compounds.push_back(geo::Compound{id, "compound " + id, std::move(geometry)});
}

geo::Dataset SyntheticCity::dataset() const {
  return ds_;
}

double SyntheticCity::total_households() const {
  double t = 0;
  for (const auto& u : ds_.units) t += u.households;
  return t;
}

// --- Ready-made cities ---------------------------------------------------------------------

namespace {

void square_into(SyntheticCity& city, double ox, double oy, double side, const std::string& code) {
  const auto a = city.add_area(code, {rect_polygon(ox, oy, ox + side, oy + side)});
  city.add_buildings(a, BuildingGrid{});
}

void hole_into(SyntheticCity& city, double ox, double oy, const std::string& code) {
  const double s = 900;
  const auto a = city.add_area(
      code,
      {rect_polygon(ox, oy, ox + s, oy + s, {rect_ring(ox + 300, oy + 300, ox + 600, oy + 600)})},
      "lake community");
  city.add_buildings(a, BuildingGrid{});
}

void multipart_into(SyntheticCity& city, double ox, double oy, const std::string& code) {
  geo::MultiPolygon g{rect_polygon(ox, oy, ox + 700, oy + 700),               // mainland
                      rect_polygon(ox + 900, oy, ox + 1300, oy + 400),        // large island
                      rect_polygon(ox + 900, oy + 600, ox + 1000, oy + 700)}; // small island
  const auto a = city.add_area(code, g, "island community");
  city.add_buildings(a, BuildingGrid{});
  // The small island: 3 buildings, 60 households in all.
  city.add_building(a, {ox + 925, oy + 625}, 12, 20);
  city.add_building(a, {ox + 975, oy + 625}, 12, 20);
  city.add_building(a, {ox + 950, oy + 675}, 12, 20);
}

void big_compound_into(SyntheticCity& city, double ox, double oy, const std::string& code) {
  const auto a =
      city.add_area(code, {rect_polygon(ox, oy, ox + 1000, oy + 1000)}, "compound community");
  // The big compound: north-west quarter, dense high-rise: ~900 households.
  geo::MultiPolygon big{rect_polygon(ox + 20, oy + 520, ox + 400, oy + 980)};
  city.add_compound("BIG", big);
  BuildingGrid g;
  g.spacing_m = 60;
  g.footprint_m = 20;
  g.households_min = 20;
  g.households_max = 30;
  g.compound_id = "BIG";
  g.type = "highrise";
  city.add_buildings(a, g, &big);
  // Ordinary compounds, ~200 households each.
  for (int k = 0; k < 3; ++k) {
    geo::MultiPolygon c{rect_polygon(ox + 500 + k * 160, oy + 560, ox + 640 + k * 160, oy + 960)};
    const std::string id = "C" + std::to_string(k + 1);
    city.add_compound(id, c);
    BuildingGrid cg;
    cg.spacing_m = 45;
    cg.compound_id = id;
    city.add_buildings(a, cg, &c);
  }
  // Loose buildings in the south half.
  geo::MultiPolygon south{rect_polygon(ox, oy, ox + 1000, oy + 480)};
  city.add_buildings(a, BuildingGrid{}, &south);
}

void small_area_into(SyntheticCity& city, double ox, double oy, const std::string& code_big,
                     const std::string& code_small) {
  square_into(city, ox, oy, 700, code_big);
  const auto small = city.add_area(code_small, {rect_polygon(ox + 700, oy, ox + 900, oy + 200)},
                                   "small community");
  // 6 buildings of 25 households: 150 in all, below 300.
  for (int k = 0; k < 6; ++k)
    city.add_building(small, {ox + 740 + (k % 3) * 60.0, oy + 50 + (k / 3) * 100.0}, 12, 25);
}

void barrier_into(SyntheticCity& city, double ox, double oy, const std::string& code) {
  const auto a = city.add_area(code, {rect_polygon(ox, oy, ox + 900, oy + 900)}, "river community");
  city.add_buildings(a, BuildingGrid{});
  city.add_barrier({{ox + 430, oy - 10}, {ox + 470, oy + 450}, {ox + 440, oy + 910}},
                   geo::BarrierKind::river, "river");
  city.add_barrier({{ox - 10, oy + 610}, {ox + 910, oy + 610}}, geo::BarrierKind::road, "road");
}

void points_into(SyntheticCity& city, double ox, double oy, const std::string& code) {
  const auto a = city.add_area(code, {rect_polygon(ox, oy, ox + 800, oy + 800)}, "point community");
  BuildingGrid g;
  g.footprint_m = 0;
  city.add_buildings(a, g);
}

void tiling_into(SyntheticCity& city, double ox, double oy, const std::string& code) {
  const auto a =
      city.add_area(code, {rect_polygon(ox, oy, ox + 1200, oy + 800)}, "parcel community");
  city.add_parcels(a, 24, 16, 5, 15);
}

} // namespace

geo::Dataset square_city(double side_m, std::uint64_t seed) {
  SyntheticCity city(seed);
  square_into(city, origin_x, origin_y, side_m, "110101001001");
  return city.dataset();
}

geo::Dataset city_with_hole(std::uint64_t seed) {
  SyntheticCity city(seed);
  hole_into(city, origin_x, origin_y, "110101001002");
  return city.dataset();
}

geo::Dataset multipart_city(std::uint64_t seed) {
  SyntheticCity city(seed);
  multipart_into(city, origin_x, origin_y, "110101001003");
  return city.dataset();
}

geo::Dataset big_compound_city(std::uint64_t seed) {
  SyntheticCity city(seed);
  big_compound_into(city, origin_x, origin_y, "110101001004");
  return city.dataset();
}

geo::Dataset small_area_city(std::uint64_t seed) {
  SyntheticCity city(seed);
  small_area_into(city, origin_x, origin_y, "110101001005", "110101001006");
  return city.dataset();
}

geo::Dataset barrier_city(std::uint64_t seed) {
  SyntheticCity city(seed);
  barrier_into(city, origin_x, origin_y, "110101001007");
  return city.dataset();
}

geo::Dataset point_city(std::uint64_t seed) {
  SyntheticCity city(seed);
  points_into(city, origin_x, origin_y, "110101001008");
  return city.dataset();
}

geo::Dataset tiling_city(std::uint64_t seed) {
  SyntheticCity city(seed);
  tiling_into(city, origin_x, origin_y, "110101001009");
  return city.dataset();
}

geo::Dataset mixed_city(std::uint64_t seed) {
  SyntheticCity city(seed);
  square_into(city, origin_x, origin_y, 800, "110101001001");
  hole_into(city, origin_x + 2000, origin_y, "110101001002");
  multipart_into(city, origin_x + 4000, origin_y, "110101001003");
  big_compound_into(city, origin_x, origin_y + 2000, "110101001004");
  small_area_into(city, origin_x + 2000, origin_y + 2000, "110101001005", "110101001006");
  barrier_into(city, origin_x + 4000, origin_y + 2000, "110101001007");
  points_into(city, origin_x, origin_y + 4000, "110101001008");
  tiling_into(city, origin_x + 2000, origin_y + 4000, "110101001009");
  return city.dataset();
}

} // namespace gp::testing
