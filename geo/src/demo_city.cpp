#include "gp/geo/demo_city.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numbers>
#include <string>
#include <utility>

#include "demo_city_names.hpp"
#include "gp/core/error.hpp"

// How the city is built (see docs/user/generate.md for the user's view):
//
// 1. A lattice of nx*ny square cells of side `cell_m` (one cell = one community). Lattice
//    nodes are jittered, and every lattice edge is a polyline whose inner vertices are
//    jittered too; every vertex is a pure function of (seed, lattice position), so the two
//    communities sharing an edge get bit-identical coordinates and tile exactly. One
//    vertical lattice line is the river (a sine meander), one horizontal line the rail
//    (straight). The last row may be partly filled, which makes the district outline
//    irregular.
// 2. Streets are contiguous groups of cells (recursive bisection); the district and
//    streets are unions of cells traced along the same polylines.
// 3. Inside each community, buildings only use an "inner" box `band_m` away from the
//    nominal cell edges. Every boundary vertex lies within jitter_node_m + jitter_edge_m (or
//    the river amplitude) of the nominal edge, both well below band_m, so the inner box is
//    inside the community whatever the jitter. The inner box is cut into parcels by local
//    roads; each parcel holds one use (high-rise compound, low-rise compound, 平房 quarter,
//    school, ...) laid out as a grid of slots, one building per slot, each footprint a
//    (slightly rotated) rectangle that fits inside its slot. Slots are disjoint, so
//    footprints never overlap.
// 4. Households follow the estimation formula of households.hpp (footprint * floors *
//    0.75 / 90 m2, times 0.5 for mixed use) with +-10 % noise; high-rise floors are chosen
//    per community so that the community meets its household target.

namespace gp::geo {
namespace {

using demo::hash_of;
using demo::NameBook;
using demo::Rng;
using demo::unit_interval;

constexpr double cell_m = 700;           // nominal community size (0.49 km2)
constexpr double band_m = 100;           // building-free band along community edges
constexpr double jitter_node_m = 50;     // max lattice node displacement per axis
constexpr double jitter_edge_m = 20;     // max perpendicular displacement of edge vertices
constexpr int edge_subdivisions = 4;     // inner vertices per lattice edge + 1
constexpr double river_amplitude_m = 60; // meander amplitude (< band_m - river width / 2)
constexpr double river_wavelength_m = 1650;
constexpr int river_subdivisions = 8;
constexpr double river_width_m = 40;
constexpr double rail_width_m = 20;
constexpr double arterial_width_m = 40;
constexpr double secondary_width_m = 24;
constexpr double local_road_width_m = 14; // also the gap between parcels
constexpr double parcel_inset_m = 8;      // parcel edge to building slots
constexpr double compound_inset_m = 3;    // parcel edge to compound wall
constexpr double park_inset_m = 4;        // parcel edge to the park forming a hole
constexpr double centre_x = 500000;       // EPSG:4548, near Beijing
constexpr double centre_y = 4420000;
constexpr double households_per_community = 3000;
constexpr double null_household_share = 0.06;
// Household formula shared with the estimator (households.hpp defaults).
constexpr double usable_ratio = 0.75;
constexpr double dwelling_m2 = 90;
constexpr double mixed_residential_share = 0.5;
constexpr int highrise_min_floors = 10;
constexpr int highrise_max_floors = 34;
// Party members (党员): 99.185 million at the end of 2023 (CPC Organization Department,
// statistical bulletin of 2024-06-30) in a population of 1.410 billion: 7.0 %. Residents
// are household_size persons per household (2020 census, as households.hpp).
constexpr double party_member_share = 0.07;
constexpr double household_size = 2.62;
// 党员中心户: a party member's household that keeps in touch with about 15 neighbouring
// households (one per 15 households, never more than the building's party members).
constexpr double households_per_party_household = 15;
// Organisations (驻区单位) in the non-residential buildings: staff = floor area / m2 per
// staff member; party members among staff (assumed: higher in public bodies and schools).
struct OrgProfile {
  double m2_per_staff;
  double party_share;
};
constexpr OrgProfile org_profile(bool school, bool public_service, bool commercial) {
  return school           ? OrgProfile{40, 0.30}
         : public_service ? OrgProfile{30, 0.35}
         : commercial     ? OrgProfile{25, 0.08}
                          : OrgProfile{60, 0.10}; // industrial
}

// Tags separating the random streams.
enum Stream : std::uint64_t {
  node_x = 1,
  node_y,
  edge_v,
  edge_h,
  plan,
  build,
  target,
  roads,
  facility,
  misc,
  party // party members and organisations (after misc: the other streams keep their draws)
};

// ---------------------------------------------------------------------------- lattice

struct Lattice {
  int nx = 1, ny = 1;
  double x0 = 0, y0 = 0;
  int river_i = 0; // vertical lattice line of the river
  int rail_j = 0;  // horizontal lattice line of the rail
  double river_phase = 0;
  std::uint64_t seed = 0;

  double nominal_x(int i) const { return x0 + i * cell_m; }
  double nominal_y(int j) const { return y0 + j * cell_m; }
  double jitter(Stream s, int i, int j, int k, double max) const {
    const double u = unit_interval(
        hash_of(seed, s, static_cast<std::uint64_t>(i) << 32 | static_cast<std::uint32_t>(j),
                static_cast<std::uint64_t>(k)));
    return max * (2 * u - 1);
  }
  double river_x(double y) const {
    return nominal_x(river_i) +
           river_amplitude_m *
               std::sin(2 * std::numbers::pi * (y - y0) / river_wavelength_m + river_phase);
  }

  Point node(int i, int j) const {
    const double y = nominal_y(j) + (j == rail_j ? 0.0 : jitter(node_y, i, j, 0, jitter_node_m));
    const double x =
        i == river_i ? river_x(y) : nominal_x(i) + jitter(node_x, i, j, 0, jitter_node_m);
    return {x, y};
  }

  /// Vertical edge from node (i,j) to node (i,j+1), both ends included.
  std::vector<Point> vertical_edge(int i, int j) const {
    const Point a = node(i, j), b = node(i, j + 1);
    const bool river = i == river_i;
    const int k = river ? river_subdivisions : edge_subdivisions;
    std::vector<Point> pts;
    pts.reserve(static_cast<std::size_t>(k) + 1);
    pts.push_back(a);
    for (int m = 1; m < k; ++m) {
      const double t = static_cast<double>(m) / k;
      const double y = a.y + t * (b.y - a.y);
      const double x =
          river ? river_x(y) : a.x + t * (b.x - a.x) + jitter(edge_v, i, j, m, jitter_edge_m);
      pts.push_back({x, y});
    }
    pts.push_back(b);
    return pts;
  }

  /// Horizontal edge from node (i,j) to node (i+1,j), both ends included.
  std::vector<Point> horizontal_edge(int i, int j) const {
    const Point a = node(i, j), b = node(i + 1, j);
    std::vector<Point> pts;
    pts.reserve(edge_subdivisions + 1);
    pts.push_back(a);
    for (int m = 1; m < edge_subdivisions; ++m) {
      const double t = static_cast<double>(m) / edge_subdivisions;
      const double x = a.x + t * (b.x - a.x);
      const double y =
          a.y + t * (b.y - a.y) + (j == rail_j ? 0.0 : jitter(edge_h, i, j, m, jitter_edge_m));
      pts.push_back({x, y});
    }
    pts.push_back(b);
    return pts;
  }

  /// The building zone of cell (i,j): inside the community whatever the jitter.
  Box inner(int i, int j) const {
    return Box{nominal_x(i) + band_m, nominal_y(j) + band_m, nominal_x(i + 1) - band_m,
               nominal_y(j + 1) - band_m};
  }
};

void append_path(Ring& ring, const std::vector<Point>& pts, bool reversed) {
  const std::size_t n = pts.size();
  for (std::size_t k = 0; k < n; ++k) {
    const Point& p = reversed ? pts[n - 1 - k] : pts[k];
    if (!ring.empty() && ring.back() == p) continue;
    ring.push_back(p);
  }
}

void close_ring(Ring& ring) {
  if (!ring.empty() && !(ring.front() == ring.back())) ring.push_back(ring.front());
}

/// Counter-clockwise ring of one lattice cell.
Ring cell_ring(const Lattice& lat, int i, int j) {
  Ring r;
  append_path(r, lat.horizontal_edge(i, j), false);
  append_path(r, lat.vertical_edge(i + 1, j), false);
  append_path(r, lat.horizontal_edge(i, j + 1), true);
  append_path(r, lat.vertical_edge(i, j), true);
  close_ring(r);
  return r;
}

double signed_area(const Ring& r) {
  if (r.size() < 4) return 0;
  const Point o = r.front();
  double twice = 0;
  for (std::size_t i = 1; i + 1 < r.size(); ++i)
    twice += (r[i].x - o.x) * (r[i + 1].y - o.y) - (r[i + 1].x - o.x) * (r[i].y - o.y);
  return twice / 2;
}

/// Union of a set of lattice cells, traced along the lattice polylines. `member(i,j)` says
/// whether a cell belongs. Pinch points (cells touching at a corner) are split into
/// separate rings by always turning left, so every ring is simple.
template <class Member>
MultiPolygon union_of_cells(const Lattice& lat, const std::vector<std::pair<int, int>>& cells,
                            Member member) {
  // Directed unit boundary edges, interior on the left. dir: 0 E, 1 N, 2 W, 3 S.
  struct Edge {
    int i, j, dir;
    bool used = false;
  };
  auto key = [&](int i, int j) { return static_cast<long long>(j) * (lat.nx + 1) + i; };
  std::vector<Edge> edges;
  for (auto [i, j] : cells) {
    if (!member(i, j - 1)) edges.push_back({i, j, 0});
    if (!member(i + 1, j)) edges.push_back({i + 1, j, 1});
    if (!member(i, j + 1)) edges.push_back({i + 1, j + 1, 2});
    if (!member(i - 1, j)) edges.push_back({i, j + 1, 3});
  }
  std::multimap<long long, std::size_t> by_start;
  for (std::size_t e = 0; e < edges.size(); ++e) by_start.emplace(key(edges[e].i, edges[e].j), e);
  constexpr int di[4] = {1, 0, -1, 0};
  constexpr int dj[4] = {0, 1, 0, -1};

  std::vector<Ring> outers, holes;
  for (std::size_t first = 0; first < edges.size(); ++first) {
    if (edges[first].used) continue;
    Ring ring;
    std::size_t e = first;
    while (true) {
      Edge& ed = edges[e];
      ed.used = true;
      switch (ed.dir) {
      case 0:
        append_path(ring, lat.horizontal_edge(ed.i, ed.j), false);
        break;
      case 1:
        append_path(ring, lat.vertical_edge(ed.i, ed.j), false);
        break;
      case 2:
        append_path(ring, lat.horizontal_edge(ed.i - 1, ed.j), true);
        break;
      default:
        append_path(ring, lat.vertical_edge(ed.i, ed.j - 1), true);
        break;
      }
      const int ni = ed.i + di[ed.dir], nj = ed.j + dj[ed.dir];
      // Prefer left turn, then straight, then right.
      std::size_t next = edges.size();
      for (int turn : {1, 0, 3}) {
        const int want = (ed.dir + turn) % 4;
        auto [lo, hi] = by_start.equal_range(key(ni, nj));
        for (auto it = lo; it != hi; ++it)
          if (!edges[it->second].used && edges[it->second].dir == want) next = it->second;
        if (next != edges.size()) break;
      }
      if (next == edges.size()) break; // back at the start
      e = next;
    }
    close_ring(ring);
    (signed_area(ring) > 0 ? outers : holes).push_back(std::move(ring));
  }
  MultiPolygon result;
  for (auto& o : outers) result.push_back(Polygon{std::move(o), {}});
  for (auto& h : holes) {
    for (auto& poly : result) {
      if (contains(MultiPolygon{Polygon{poly.outer, {}}}, h[0]) ||
          contains(MultiPolygon{Polygon{poly.outer, {}}}, h[1])) {
        poly.holes.push_back(std::move(h));
        break;
      }
    }
  }
  return result;
}

// ------------------------------------------------------------------------------ plans

enum class Use : std::uint8_t {
  highrise,
  lowrise,
  pingfang,
  mixed,
  commercial,
  school,
  industrial,
  public_service,
  park
};

const char* use_type(Use u) {
  switch (u) {
  case Use::highrise:
    return "highrise";
  case Use::lowrise:
    return "lowrise";
  case Use::pingfang:
    return "pingfang";
  case Use::mixed:
    return "mixed";
  case Use::commercial:
    return "commercial";
  case Use::school:
    return "school";
  case Use::industrial:
    return "industrial";
  case Use::public_service:
    return "public";
  case Use::park:
    return "park";
  }
  return "";
}

bool residential(Use u) {
  return u == Use::highrise || u == Use::lowrise || u == Use::pingfang || u == Use::mixed;
}
bool compound_use(Use u) {
  return u == Use::highrise || u == Use::lowrise || u == Use::mixed;
}

/// Building slot size and the gaps between slots, metres.
struct Template {
  double w = 0, d = 0, gap_x = 0, gap_y = 0;
  double max_turn_deg = 0;
};

struct ParcelPlan {
  Box box;    // parcel, between local roads
  Box layout; // where slots go (box minus inset; schools use half)
  Use use = Use::park;
  Template tpl;
  int cols = 0, rows = 0;
  int count = 0; // buildings placed: the first `count` slots in row-major order
  std::uint64_t name_draw = 0;
};

struct CommunityPlan {
  int i = 0, j = 0;
  bool old_quarter = false;
  int park_parcel = -1; // parcel whose park is a hole here and an exclave of a neighbour
  std::vector<ParcelPlan> parcels;
  std::vector<double> cuts_x, cuts_y; // local road centre lines
  double target_draw = 0;             // unnormalised household target
  int slots() const {
    int n = 0;
    for (const auto& p : parcels) n += p.count;
    return n;
  }
};

Template draw_template(Use use, Rng& rng) {
  switch (use) {
  case Use::highrise:
    if (rng.chance(0.55)) // slab
      return {rng.uniform(50, 70), rng.uniform(14, 18), rng.uniform(16, 24), rng.uniform(40, 50),
              3};
    else { // tower
      const double s = rng.uniform(24, 32);
      return {s, s, rng.uniform(22, 30), rng.uniform(26, 34), 6};
    }
  case Use::lowrise:
    return {rng.uniform(40, 60), rng.uniform(10, 13), rng.uniform(8, 12), rng.uniform(18, 22), 3};
  case Use::pingfang:
    return {rng.uniform(11, 16), rng.uniform(7, 10), rng.uniform(3, 5), rng.uniform(4, 6), 6};
  case Use::mixed:
    return {rng.uniform(40, 60), rng.uniform(14, 18), rng.uniform(14, 20), rng.uniform(20, 28), 3};
  case Use::commercial:
    return {rng.uniform(30, 60), rng.uniform(20, 36), rng.uniform(15, 25), rng.uniform(15, 25), 4};
  case Use::school:
    return {rng.uniform(50, 70), rng.uniform(15, 18), 20, 25, 2};
  case Use::industrial:
    return {rng.uniform(60, 110), rng.uniform(30, 55), rng.uniform(15, 25), rng.uniform(15, 25), 2};
  case Use::public_service:
    return {rng.uniform(40, 60), rng.uniform(30, 40), 20, 20, 3};
  case Use::park:
    return {};
  }
  return {};
}

int max_buildings(Use use) {
  switch (use) {
  case Use::commercial:
    return 12;
  case Use::school:
    return 4;
  case Use::public_service:
    return 3;
  case Use::industrial:
    return 8;
  case Use::park:
    return 0;
  default:
    return 1 << 20;
  }
}

void lay_out(ParcelPlan& p, Rng& rng) {
  p.tpl = draw_template(p.use, rng);
  Box b{p.box.min_x + parcel_inset_m, p.box.min_y + parcel_inset_m, p.box.max_x - parcel_inset_m,
        p.box.max_y - parcel_inset_m};
  if (p.use == Use::school) b.min_y = (b.min_y + b.max_y) / 2; // playground in the south half
  p.layout = b;
  if (p.use == Use::park || b.width() <= 0 || b.height() <= 0) {
    p.cols = p.rows = p.count = 0;
    return;
  }
  p.cols = std::max(
      0, static_cast<int>(std::floor((b.width() + p.tpl.gap_x) / (p.tpl.w + p.tpl.gap_x))));
  p.rows = std::max(
      0, static_cast<int>(std::floor((b.height() + p.tpl.gap_y) / (p.tpl.d + p.tpl.gap_y))));
  p.count = std::min(p.cols * p.rows, max_buildings(p.use));
  p.name_draw = rng.bits();
}

/// Expected households per floor of a highrise slot and the fixed households of the others
/// (for checking that a community can reach its target).
double per_floor_households(const Template& t) {
  return t.w * t.d * 0.925 * 0.925 * usable_ratio / dwelling_m2;
}
double fixed_households_estimate(const ParcelPlan& p) {
  const double per_floor = per_floor_households(p.tpl) * p.count;
  switch (p.use) {
  case Use::lowrise:
    return per_floor * 5.5;
  case Use::pingfang:
    return per_floor;
  case Use::mixed:
    return per_floor * 8.5 * mixed_residential_share;
  default:
    return 0;
  }
}

/// Splits [lo, hi] into n parts separated by road gaps; returns part bounds and gap centres.
void split_interval(double lo, double hi, int n, Rng& rng,
                    std::vector<std::pair<double, double>>& parts, std::vector<double>& cuts) {
  const double step = (hi - lo) / n;
  std::vector<double> c;
  for (int k = 1; k < n; ++k) c.push_back(lo + k * step + rng.uniform(-0.12, 0.12) * step);
  double start = lo;
  for (int k = 0; k < n; ++k) {
    const double end = k + 1 < n ? c[static_cast<std::size_t>(k)] - local_road_width_m / 2 : hi;
    parts.emplace_back(start, end);
    if (k + 1 < n) start = c[static_cast<std::size_t>(k)] + local_road_width_m / 2;
  }
  cuts = std::move(c);
}

CommunityPlan plan_community(const Lattice& lat, int i, int j, std::size_t cell, bool old_quarter,
                             bool has_park, std::uint64_t seed) {
  Rng rng(hash_of(seed, plan, cell));
  CommunityPlan cp;
  cp.i = i;
  cp.j = j;
  cp.old_quarter = old_quarter;
  const Box inner = lat.inner(i, j);
  const int px = old_quarter ? 2 : (rng.chance(0.6) ? 2 : 3);
  const int py = old_quarter ? 2 : (rng.chance(0.6) ? 2 : 3);
  std::vector<std::pair<double, double>> xs, ys;
  split_interval(inner.min_x, inner.max_x, px, rng, xs, cp.cuts_x);
  split_interval(inner.min_y, inner.max_y, py, rng, ys, cp.cuts_y);
  for (auto [y_lo, y_hi] : ys)
    for (auto [x_lo, x_hi] : xs) {
      ParcelPlan p;
      p.box = Box{x_lo, y_lo, x_hi, y_hi};
      cp.parcels.push_back(p);
    }
  const int n = static_cast<int>(cp.parcels.size());
  if (has_park) cp.park_parcel = rng.integer(0, n - 1);

  // Uses by the community's character.
  std::vector<Use> uses(static_cast<std::size_t>(n), Use::highrise);
  auto set_random_free = [&](Use u) {
    std::vector<int> free;
    for (int k = 0; k < n; ++k)
      if (k != cp.park_parcel && uses[static_cast<std::size_t>(k)] != Use::highrise)
        free.push_back(k);
    if (free.empty())
      for (int k = 0; k < n; ++k)
        if (k != cp.park_parcel) free.push_back(k);
    uses[static_cast<std::size_t>(
        free[static_cast<std::size_t>(rng.integer(0, static_cast<int>(free.size()) - 1))])] = u;
  };
  if (old_quarter) {
    // Old 平房 quarter with one redeveloped high-rise compound (and sometimes a school).
    for (auto& u : uses) u = Use::pingfang;
    uses[static_cast<std::size_t>(rng.integer(0, n - 1))] = Use::highrise;
    if (rng.chance(0.5)) set_random_free(Use::school);
  } else {
    const double character = rng.uniform();
    for (auto& u : uses) {
      const double r = rng.uniform();
      if (character < 0.6) // residential
        u = r < 0.5 ? Use::highrise : r < 0.85 ? Use::lowrise : Use::mixed;
      else if (character < 0.85) // mixed use
        u = r < 0.35   ? Use::highrise
            : r < 0.55 ? Use::lowrise
            : r < 0.8  ? Use::mixed
                       : Use::commercial;
      else // industrial edge
        u = r < 0.6 ? Use::highrise : Use::lowrise;
    }
    if (character < 0.6) {
      const double r = rng.uniform();
      set_random_free(r < 0.35 ? Use::school : r < 0.7 ? Use::commercial : Use::public_service);
    } else if (character >= 0.85) {
      set_random_free(Use::industrial);
      set_random_free(Use::commercial);
    }
  }
  if (cp.park_parcel >= 0) uses[static_cast<std::size_t>(cp.park_parcel)] = Use::park;
  // Every community keeps at least one high-rise compound: its floors absorb the
  // household target.
  if (std::none_of(uses.begin(), uses.end(), [](Use u) { return u == Use::highrise; })) {
    for (int k = 0; k < n; ++k)
      if (k != cp.park_parcel) {
        uses[static_cast<std::size_t>(k)] = Use::highrise;
        break;
      }
  }
  for (int k = 0; k < n; ++k) {
    cp.parcels[static_cast<std::size_t>(k)].use = uses[static_cast<std::size_t>(k)];
    lay_out(cp.parcels[static_cast<std::size_t>(k)], rng);
  }
  cp.target_draw = old_quarter ? rng.uniform(1700, 2600) : rng.uniform(2000, 4200);

  // Enough high-rise capacity for the target (with a margin for normalisation)?
  for (int guard = 0; guard < n; ++guard) {
    double fixed = 0, flex = 0;
    for (const auto& p : cp.parcels) {
      if (p.use == Use::highrise)
        flex += per_floor_households(p.tpl) * p.count;
      else
        fixed += fixed_households_estimate(p);
    }
    if (fixed + flex * highrise_max_floors >= cp.target_draw * 1.15) break;
    auto it = std::find_if(cp.parcels.begin(), cp.parcels.end(), [](const ParcelPlan& p) {
      return p.use == Use::lowrise || p.use == Use::mixed || p.use == Use::commercial;
    });
    if (it == cp.parcels.end()) break;
    it->use = Use::highrise;
    lay_out(*it, rng);
  }
  return cp;
}

// ----------------------------------------------------------------------------- layout

struct CityLayout {
  Lattice lat;
  std::size_t communities = 0;
  std::vector<std::pair<int, int>> cells; // cell index -> (i, j)
  std::vector<int> street_of;             // cell index -> street
  std::size_t streets = 0;
  std::vector<char> old_quarter;
  long hole_cell = -1, exclave_cell = -1;
  std::vector<CommunityPlan> plans;

  long cell_at(int i, int j) const {
    if (i < 0 || j < 0 || i >= lat.nx || j >= lat.ny) return -1;
    const long c = static_cast<long>(j) * lat.nx + i;
    return c < static_cast<long>(communities) ? c : -1;
  }
};

void bisect(std::vector<std::size_t> cells, std::size_t parts, const CityLayout& lay,
            int& next_street, std::vector<int>& street_of) {
  if (parts <= 1 || cells.size() <= 1) {
    for (auto c : cells) street_of[c] = next_street;
    ++next_street;
    return;
  }
  int min_i = 1 << 30, max_i = -1, min_j = 1 << 30, max_j = -1;
  for (auto c : cells) {
    min_i = std::min(min_i, lay.cells[c].first);
    max_i = std::max(max_i, lay.cells[c].first);
    min_j = std::min(min_j, lay.cells[c].second);
    max_j = std::max(max_j, lay.cells[c].second);
  }
  const bool by_i = max_i - min_i >= max_j - min_j;
  std::sort(cells.begin(), cells.end(), [&](std::size_t a, std::size_t b) {
    const auto& ca = lay.cells[a];
    const auto& cb = lay.cells[b];
    return by_i ? std::pair(ca.first, ca.second) < std::pair(cb.first, cb.second)
                : std::pair(ca.second, ca.first) < std::pair(cb.second, cb.first);
  });
  const std::size_t left_parts = parts / 2;
  std::size_t cut = static_cast<std::size_t>(
      std::llround(static_cast<double>(cells.size()) * static_cast<double>(left_parts) /
                   static_cast<double>(parts)));
  cut = std::clamp<std::size_t>(cut, 1, cells.size() - 1);
  std::vector<std::size_t> left(cells.begin(), cells.begin() + static_cast<long>(cut));
  std::vector<std::size_t> right(cells.begin() + static_cast<long>(cut), cells.end());
  bisect(std::move(left), left_parts, lay, next_street, street_of);
  bisect(std::move(right), parts - left_parts, lay, next_street, street_of);
}

CityLayout make_layout(std::size_t communities, std::uint64_t seed) {
  CityLayout lay;
  lay.communities = communities;
  Lattice& lat = lay.lat;
  lat.seed = seed;
  lat.nx =
      std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(communities) * 1.25))));
  lat.ny = static_cast<int>((communities + static_cast<std::size_t>(lat.nx) - 1) /
                            static_cast<std::size_t>(lat.nx));
  lat.x0 = centre_x - lat.nx * cell_m / 2;
  lat.y0 = centre_y - lat.ny * cell_m / 2;
  lat.river_i = lat.nx >= 2 ? lat.nx / 2 : 0;
  lat.rail_j = lat.ny >= 2 ? (lat.ny + 1) / 2 : 0;
  lat.river_phase = 2 * std::numbers::pi * unit_interval(hash_of(seed, misc, 1));
  for (std::size_t c = 0; c < communities; ++c)
    lay.cells.emplace_back(static_cast<int>(c % static_cast<std::size_t>(lat.nx)),
                           static_cast<int>(c / static_cast<std::size_t>(lat.nx)));

  // Streets: about 5 communities each (4 streets for the default 20), at most 999.
  lay.streets = std::clamp<std::size_t>(
      static_cast<std::size_t>(std::llround(static_cast<double>(communities) / 5.0)), 1, 999);
  lay.street_of.assign(communities, 0);
  std::vector<std::size_t> all(communities);
  for (std::size_t c = 0; c < communities; ++c) all[c] = c;
  int next = 0;
  bisect(all, lay.streets, lay, next, lay.street_of);
  lay.streets = static_cast<std::size_t>(next);

  // The old 平房 quarter: a contiguous cluster of ~8 % of the communities, grown
  // breadth-first from a cell in the north-west.
  lay.old_quarter.assign(communities, 0);
  const std::size_t old_count =
      communities >= 10
          ? std::max<std::size_t>(
                1, static_cast<std::size_t>(std::llround(0.08 * static_cast<double>(communities))))
          : (communities >= 4 ? 1 : 0);
  if (old_count > 0) {
    int si = lat.nx / 4, sj = (3 * lat.ny) / 4;
    while (lay.cell_at(si, sj) < 0 && sj > 0) --sj;
    std::vector<long> queue{lay.cell_at(si, sj)};
    lay.old_quarter[static_cast<std::size_t>(queue[0])] = 1;
    std::size_t marked = 1;
    for (std::size_t q = 0; q < queue.size() && marked < old_count; ++q) {
      const auto [ci, cj] = lay.cells[static_cast<std::size_t>(queue[q])];
      for (auto [ni, nj] : {std::pair{ci - 1, cj}, {ci + 1, cj}, {ci, cj - 1}, {ci, cj + 1}}) {
        const long n = lay.cell_at(ni, nj);
        if (n < 0 || lay.old_quarter[static_cast<std::size_t>(n)] || marked >= old_count) continue;
        lay.old_quarter[static_cast<std::size_t>(n)] = 1;
        ++marked;
        queue.push_back(n);
      }
    }
  }

  // One community with a hole (a park) that belongs to a neighbour in the same street
  // (which is thereby multipart): the non-old cell nearest the centre with such a neighbour.
  std::vector<std::size_t> by_centre(communities);
  for (std::size_t c = 0; c < communities; ++c) by_centre[c] = c;
  const double ci0 = lat.nx / 2.0 - 0.5, cj0 = lat.ny / 2.0 - 0.5;
  auto centre_distance = [&](std::size_t c) {
    const double dx = lay.cells[c].first - ci0, dy = lay.cells[c].second - cj0;
    return dx * dx + dy * dy;
  };
  std::stable_sort(by_centre.begin(), by_centre.end(), [&](std::size_t a, std::size_t b) {
    return centre_distance(a) < centre_distance(b);
  });
  for (std::size_t c : by_centre) {
    if (lay.old_quarter[c] || lay.hole_cell >= 0) continue;
    const auto [ci, cj] = lay.cells[c];
    for (auto [ni, nj] : {std::pair{ci + 1, cj}, {ci, cj + 1}, {ci - 1, cj}, {ci, cj - 1}}) {
      const long n = lay.cell_at(ni, nj);
      if (n < 0 || lay.old_quarter[static_cast<std::size_t>(n)] ||
          lay.street_of[static_cast<std::size_t>(n)] != lay.street_of[c])
        continue;
      lay.hole_cell = static_cast<long>(c);
      lay.exclave_cell = n;
      break;
    }
  }

  lay.plans.reserve(communities);
  for (std::size_t c = 0; c < communities; ++c)
    lay.plans.push_back(plan_community(lat, lay.cells[c].first, lay.cells[c].second, c,
                                       lay.old_quarter[c] != 0,
                                       static_cast<long>(c) == lay.hole_cell, seed));
  return lay;
}

std::size_t total_slots(const CityLayout& lay) {
  std::size_t n = 0;
  for (const auto& p : lay.plans) n += static_cast<std::size_t>(p.slots());
  return n;
}

/// Removes `excess` buildings spread over the communities in proportion to their size,
/// each time from the parcel with the most buildings, never emptying a parcel.
void trim(CityLayout& lay, std::size_t excess) {
  const std::size_t total = total_slots(lay);
  auto remove_one = [](CommunityPlan& cp) {
    ParcelPlan* best = nullptr;
    for (auto& p : cp.parcels)
      if (p.count > 1 && (best == nullptr || p.count > best->count)) best = &p;
    if (best == nullptr) return false;
    --best->count;
    return true;
  };
  for (auto& cp : lay.plans) {
    const std::size_t quota =
        excess * static_cast<std::size_t>(cp.slots()) / std::max<std::size_t>(total, 1);
    for (std::size_t k = 0; k < quota && excess > 0; ++k) {
      if (!remove_one(cp)) break;
      --excess;
    }
  }
  while (excess > 0) {
    bool removed = false;
    for (auto& cp : lay.plans) {
      if (excess == 0) break;
      if (remove_one(cp)) {
        --excess;
        removed = true;
      }
    }
    if (!removed) break;
  }
}

// --------------------------------------------------------------------------- building

struct Building {
  MultiPolygon footprint;
  Use use = Use::park;
  int floors = 0;
  double height = 0;
  std::int64_t households = 0;
  bool households_null = false;
  std::string compound_id;
  std::string name;
  Point centre;
};

Polygon rotated_rect(Point c, double w, double d, double turn) {
  const double cs = std::cos(turn), sn = std::sin(turn);
  Ring r;
  const std::array<std::pair<double, double>, 4> corners = {
      std::pair{-w / 2, -d / 2}, {w / 2, -d / 2}, {w / 2, d / 2}, {-w / 2, d / 2}};
  for (auto [u, v] : corners) r.push_back({c.x + u * cs - v * sn, c.y + u * sn + v * cs});
  r.push_back(r.front());
  return Polygon{std::move(r), {}};
}

Value text_or_null(const std::string& s) {
  return s.empty() ? Value{} : Value{s};
}

double round_to(double v, double step) {
  return std::round(v / step) * step;
}

} // namespace

GeneratedCity generate_city(const CityParams& params, const ProgressFn& progress) {
  auto report = [&](double f, const std::string& label) {
    if (progress) progress(f, label);
  };
  const bool by_buildings = params.buildings > 0;
  if (by_buildings &&
      (params.buildings < demo_city_min_buildings || params.buildings > demo_city_max_buildings))
    throw UsageError("--buildings must be between " + std::to_string(demo_city_min_buildings) +
                     " and " + std::to_string(demo_city_max_buildings));
  if (!by_buildings && (params.households < demo_city_min_households ||
                        params.households > demo_city_max_households))
    throw UsageError("--households must be between " + std::to_string(demo_city_min_households) +
                     " and " + std::to_string(demo_city_max_households));
  const std::uint64_t seed = params.seed;
  report(0, "planning");

  // --- how many communities
  CityLayout lay;
  if (!by_buildings) {
    const auto n = std::max<std::size_t>(
        1, static_cast<std::size_t>(
               std::llround(static_cast<double>(params.households) / households_per_community)));
    lay = make_layout(n, seed);
  } else {
    // Plans are cheap: search the smallest community count whose capacity reaches the
    // requested buildings (capacity grows roughly linearly with the count), then trim the
    // excess. lo: largest count known too small; hi: smallest count known large enough.
    const auto want = static_cast<std::size_t>(params.buildings);
    std::size_t lo = 0, hi = 0; // hi == 0: none known yet
    std::size_t n = std::max<std::size_t>(1, want / 130);
    for (int iter = 0; iter < 40; ++iter) {
      lay = make_layout(n, seed);
      const std::size_t have = total_slots(lay);
      const double per = static_cast<double>(have) / static_cast<double>(n);
      if (have < want)
        lo = std::max(lo, n);
      else
        hi = hi == 0 ? n : std::min(hi, n);
      if (have >= want && (static_cast<double>(have - want) <=
                               std::max(0.02 * static_cast<double>(want), 1.5 * per) ||
                           n == lo + 1))
        break;
      std::size_t next = static_cast<std::size_t>(std::llround(static_cast<double>(want) / per));
      next = std::max(next, lo + 1);
      if (hi != 0) next = std::min(next, hi);
      if (next == n) next = have < want ? n + 1 : (n > lo + 1 ? n - 1 : n);
      if (next == n) break;
      n = next;
    }
    if (total_slots(lay) < want) {
      // Not converged (capacity is not exactly monotone): grow until it suffices.
      n = std::max(n, hi);
      lay = make_layout(n, seed);
      while (total_slots(lay) < want) lay = make_layout(++n, seed);
    }
    const std::size_t have = total_slots(lay);
    if (have > want) trim(lay, have - want);
  }
  const Lattice& lat = lay.lat;
  const std::size_t communities = lay.communities;

  // --- household targets
  std::vector<double> targets(communities);
  double draw_sum = 0;
  for (std::size_t c = 0; c < communities; ++c) draw_sum += lay.plans[c].target_draw;
  for (std::size_t c = 0; c < communities; ++c)
    targets[c] = by_buildings
                     ? lay.plans[c].target_draw
                     : lay.plans[c].target_draw * static_cast<double>(params.households) / draw_sum;

  // --- codes and names
  NameBook names(seed);
  GeneratedCity city;
  CityStats& st = city.stats;
  st.district_code = NameBook::district_code();
  st.district_name = NameBook::district();
  std::vector<std::vector<std::size_t>> street_cells(lay.streets);
  for (std::size_t c = 0; c < communities; ++c)
    street_cells[static_cast<std::size_t>(lay.street_of[c])].push_back(c);
  for (auto& sc : street_cells)
    std::sort(sc.begin(), sc.end(), [&](std::size_t a, std::size_t b) {
      // North to south, west to east, as communities are usually numbered.
      return std::pair(-lay.cells[a].second, lay.cells[a].first) <
             std::pair(-lay.cells[b].second, lay.cells[b].first);
    });
  auto three = [](std::size_t k) {
    std::string s = std::to_string(k);
    return std::string(3 - s.size(), '0') + s;
  };
  std::vector<std::string> street_code(lay.streets), street_name(lay.streets);
  std::vector<std::string> comm_code(communities), comm_name(communities), comm_stem(communities);
  std::vector<std::size_t> order; // cells in code order
  std::size_t community_counter = 0;
  for (std::size_t s = 0; s < lay.streets; ++s) {
    street_code[s] = st.district_code + three(s + 1);
    street_name[s] = names.street(s);
    for (std::size_t k = 0; k < street_cells[s].size(); ++k) {
      const std::size_t c = street_cells[s][k];
      comm_code[c] = street_code[s] + three(k + 1);
      comm_stem[c] = names.community_stem(community_counter++);
      comm_name[c] = comm_stem[c] + "社区";
      order.push_back(c);
    }
  }

  // --- layers: district, streets, areas
  auto make_layer = [](const char* name, GeometryKind kind, std::vector<Field> fields) {
    Layer l;
    l.name = name;
    l.kind = kind;
    l.table.fields = std::move(fields);
    return l;
  };
  using F = FieldType;
  Layer district =
      make_layer("district", GeometryKind::polygon, {{"code", F::text}, {"name", F::text}});
  Layer streets = make_layer("streets", GeometryKind::polygon,
                             {{"code", F::text}, {"name", F::text}, {"parent_code", F::text}});
  Layer areas = make_layer(
      "areas", GeometryKind::polygon,
      {{"code", F::text}, {"name", F::text}, {"parent_code", F::text}, {"level", F::text}});
  Layer compounds = make_layer("compounds", GeometryKind::polygon,
                               {{"compound_id", F::text}, {"name", F::text}, {"kind", F::text}});
  Layer units = make_layer("units", GeometryKind::polygon,
                           {{"building_id", F::integer},
                            {"type", F::text},
                            {"floors", F::integer},
                            {"height", F::real},
                            {"households", F::integer},
                            {"compound_id", F::text},
                            {"name", F::text},
                            {"party_members", F::integer},
                            {"party_households", F::integer}});
  Layer barriers = make_layer("barriers", GeometryKind::line,
                              {{"kind", F::text}, {"name", F::text}, {"width_m", F::real}});
  Layer facilities = make_layer("facilities", GeometryKind::point,
                                {{"name", F::text}, {"kind", F::text}, {"floor_area_m2", F::real}});
  Layer organisations = make_layer("organisations", GeometryKind::point,
                                   {{"org_id", F::text},
                                    {"name", F::text},
                                    {"kind", F::text},
                                    {"staff", F::integer},
                                    {"party_members", F::integer},
                                    {"building_id", F::integer}});

  {
    district.polygons.push_back(
        union_of_cells(lat, lay.cells, [&](int i, int j) { return lay.cell_at(i, j) >= 0; }));
    district.table.rows.push_back({st.district_code, st.district_name});
    st.area_km2 = area(district.polygons.back()) / 1e6;
  }
  for (std::size_t s = 0; s < lay.streets; ++s) {
    std::vector<std::pair<int, int>> cells;
    for (std::size_t c : street_cells[s]) cells.push_back(lay.cells[c]);
    const int sid = static_cast<int>(s);
    streets.polygons.push_back(union_of_cells(lat, cells, [&](int i, int j) {
      const long c = lay.cell_at(i, j);
      return c >= 0 && lay.street_of[static_cast<std::size_t>(c)] == sid;
    }));
    streets.table.rows.push_back({street_code[s], street_name[s], st.district_code});
  }
  report(0.05, "communities");
  for (std::size_t c : order) {
    const auto [i, j] = lay.cells[c];
    MultiPolygon g{Polygon{cell_ring(lat, i, j), {}}};
    auto park_ring = [&](long cell) {
      const CommunityPlan& hp = lay.plans[static_cast<std::size_t>(cell)];
      const Box& b = hp.parcels[static_cast<std::size_t>(hp.park_parcel)].box;
      return Ring{{b.min_x + park_inset_m, b.min_y + park_inset_m},
                  {b.max_x - park_inset_m, b.min_y + park_inset_m},
                  {b.max_x - park_inset_m, b.max_y - park_inset_m},
                  {b.min_x + park_inset_m, b.max_y - park_inset_m},
                  {b.min_x + park_inset_m, b.min_y + park_inset_m}};
    };
    if (static_cast<long>(c) == lay.hole_cell) {
      Ring hole = park_ring(lay.hole_cell);
      std::reverse(hole.begin(), hole.end()); // holes clockwise
      g[0].holes.push_back(std::move(hole));
      st.hole_community = comm_code[c];
    }
    if (static_cast<long>(c) == lay.exclave_cell) {
      g.push_back(Polygon{park_ring(lay.hole_cell), {}});
      st.multipart_community = comm_code[c];
    }
    areas.polygons.push_back(std::move(g));
    areas.table.rows.push_back({comm_code[c], comm_name[c],
                                street_code[static_cast<std::size_t>(lay.street_of[c])],
                                std::string("community")});
  }

  // --- buildings, compounds, local roads, facilities (community by community, code order)
  const std::size_t expected_buildings = total_slots(lay);
  units.table.rows.reserve(expected_buildings);
  units.polygons.reserve(expected_buildings);
  std::int64_t next_building_id = 1;
  std::vector<Point> street_centre(lay.streets);
  std::vector<char> street_centre_set(lay.streets, 0);
  std::size_t done = 0;
  std::vector<Building> bs;
  for (std::size_t c : order) {
    const CommunityPlan& cp = lay.plans[c];
    Rng rng(hash_of(seed, build, c));
    bs.clear();
    int compound_no = 0;
    double fixed = 0, flex_per_floor = 0;
    std::vector<double> base; // households per floor of each building (residential)
    for (std::size_t k = 0; k < cp.parcels.size(); ++k) {
      const ParcelPlan& p = cp.parcels[k];
      if (p.count == 0) continue;
      std::string compound_id, parcel_name;
      const std::uint64_t nd = p.name_draw;
      switch (p.use) {
      case Use::highrise:
        parcel_name = names.highrise_compound(nd);
        break;
      case Use::lowrise:
        parcel_name = names.lowrise_compound(nd);
        break;
      case Use::mixed:
        parcel_name = names.mixed_compound(nd);
        break;
      case Use::pingfang:
        parcel_name = names.hutong(nd);
        break;
      case Use::commercial:
        parcel_name = names.commercial(nd);
        break;
      case Use::school:
        parcel_name = names.school(nd);
        break;
      case Use::industrial:
        parcel_name = names.industrial(nd);
        break;
      case Use::public_service:
        parcel_name = comm_stem[c] + names.public_service(nd).substr(6);
        break;
      case Use::park:
        break;
      }
      if (compound_use(p.use)) {
        compound_id = comm_code[c] + "-" + std::to_string(++compound_no);
        const Box& b = p.box;
        const double e = compound_inset_m;
        compounds.polygons.push_back(MultiPolygon{Polygon{Ring{{b.min_x + e, b.min_y + e},
                                                               {b.max_x - e, b.min_y + e},
                                                               {b.max_x - e, b.max_y - e},
                                                               {b.min_x + e, b.max_y - e},
                                                               {b.min_x + e, b.min_y + e}},
                                                          {}}});
        compounds.table.rows.push_back({compound_id, parcel_name, std::string(use_type(p.use))});
      }
      const Template& t = p.tpl;
      const double used_w = p.cols * t.w + (p.cols - 1) * t.gap_x;
      const double used_h = p.rows * t.d + (p.rows - 1) * t.gap_y;
      const double ox = p.layout.min_x + (p.layout.width() - used_w) / 2;
      const double oy = p.layout.min_y + (p.layout.height() - used_h) / 2;
      for (int s = 0; s < p.count; ++s) {
        const int row = s / p.cols, col = s % p.cols;
        const Point slot{ox + col * (t.w + t.gap_x) + t.w / 2,
                         oy + row * (t.d + t.gap_y) + t.d / 2};
        double w = t.w * rng.uniform(0.85, 1.0), d = t.d * rng.uniform(0.85, 1.0);
        const double turn = rng.uniform(-1, 1) * t.max_turn_deg * std::numbers::pi / 180;
        const double ex = w * std::cos(turn) + d * std::abs(std::sin(turn));
        const double ey = w * std::abs(std::sin(turn)) + d * std::cos(turn);
        const double scale = std::min({1.0, t.w / ex, t.d / ey}) * (1 - 1e-9);
        w *= scale;
        d *= scale;
        const Point centre{slot.x + rng.uniform(-0.5, 0.5) * (t.w - ex * scale),
                           slot.y + rng.uniform(-0.5, 0.5) * (t.d - ey * scale)};
        Building b;
        b.footprint = MultiPolygon{rotated_rect(centre, w, d, turn)};
        b.centre = centre;
        b.use = p.use;
        b.compound_id = compound_id;
        b.name = p.count > 1 || compound_use(p.use) ? parcel_name + std::to_string(s + 1) +
                                                          (p.use == Use::pingfang ? "号" : "号楼")
                                                    : parcel_name;
        switch (p.use) {
        case Use::highrise:
          b.floors = 0;
          break; // set below
        case Use::lowrise:
          b.floors = rng.integer(4, 7);
          break;
        case Use::pingfang:
          b.floors = 1;
          break;
        case Use::mixed:
          b.floors = rng.integer(5, 12);
          break;
        case Use::commercial:
          b.floors = rng.chance(0.7) ? rng.integer(1, 4) : rng.integer(8, 25);
          break;
        case Use::school:
          b.floors = rng.integer(3, 5);
          break;
        case Use::industrial:
          b.floors = rng.integer(1, 2);
          break;
        case Use::public_service:
          b.floors = rng.integer(3, 8);
          break;
        case Use::park:
          break;
        }
        double per_floor = 0;
        if (residential(p.use)) {
          per_floor = w * d * usable_ratio / dwelling_m2 * rng.uniform(0.9, 1.1) *
                      (p.use == Use::mixed ? mixed_residential_share : 1.0);
          b.households_null = rng.chance(null_household_share);
          if (p.use == Use::highrise)
            flex_per_floor += per_floor;
          else {
            b.households = std::max<std::int64_t>(1, std::llround(per_floor * b.floors));
            fixed += static_cast<double>(b.households);
          }
        }
        base.push_back(per_floor);
        bs.push_back(std::move(b));
      }
    }
    // High-rise floors meet the community's household target.
    const double floors_needed = flex_per_floor > 0 ? (targets[c] - fixed) / flex_per_floor
                                                    : static_cast<double>(highrise_min_floors);
    for (std::size_t k = 0; k < bs.size(); ++k) {
      Building& b = bs[k];
      if (b.use == Use::highrise) {
        b.floors = std::clamp(static_cast<int>(std::lround(floors_needed + rng.uniform(-2.5, 2.5))),
                              highrise_min_floors, highrise_max_floors);
        b.households = std::max<std::int64_t>(1, std::llround(base[k] * b.floors));
      }
      b.height = round_to(b.floors * 3.0 + rng.uniform(0.2, 1.2), 0.1);
    }
    // Rows.
    Point station = Point{(lat.inner(cp.i, cp.j).min_x + lat.inner(cp.i, cp.j).max_x) / 2,
                          (lat.inner(cp.i, cp.j).min_y + lat.inner(cp.i, cp.j).max_y) / 2};
    bool station_set = false;
    std::vector<Point> non_residential;
    for (auto& b : bs) {
      const bool res = residential(b.use);
      if (!res) non_residential.push_back(b.centre);
      if (!station_set && !res) {
        station = b.centre;
        station_set = true;
      }
      ++st.buildings;
      if (res) {
        ++st.residential_buildings;
        st.households += b.households;
        if (b.households_null)
          ++st.null_household_buildings;
        else
          st.households_given += b.households;
      }
      Value hh = res ? (b.households_null ? Value{} : Value{b.households}) : Value{std::int64_t{0}};
      // Party members: binomial(residents, share) by its normal approximation, drawn from a
      // stream of their own keyed by the building so no other value changes.
      const std::int64_t building_id = next_building_id++;
      Rng prng(hash_of(seed, party, static_cast<std::uint64_t>(building_id)));
      std::int64_t members = 0, party_households = 0;
      if (res) {
        const double n = static_cast<double>(b.households) * household_size;
        const double mean = n * party_member_share;
        const double sd = std::sqrt(mean * (1 - party_member_share));
        members = std::max<std::int64_t>(0, std::llround(mean + sd * prng.normal()));
        // Expected households / 15 (x0.8-1.2), rounded at random so that small houses (平房,
        // 1-2 households) still add up to the right share.
        const double expected = static_cast<double>(b.households) / households_per_party_household *
                                prng.uniform(0.8, 1.2);
        const double whole = std::floor(expected);
        party_households = std::min<std::int64_t>(
            members, static_cast<std::int64_t>(whole) + (prng.chance(expected - whole) ? 1 : 0));
        st.party_members += members;
        st.party_households += party_households;
      } else if (b.use != Use::park) {
        const OrgProfile prof = org_profile(b.use == Use::school, b.use == Use::public_service,
                                            b.use == Use::commercial);
        const double floor_area = geo::area(b.footprint) * b.floors;
        const auto staff = std::max<std::int64_t>(
            5, std::llround(floor_area / prof.m2_per_staff * prng.uniform(0.8, 1.2)));
        const auto org_members =
            std::min<std::int64_t>(staff, std::llround(static_cast<double>(staff) *
                                                       prof.party_share * prng.uniform(0.8, 1.2)));
        organisations.points.push_back(b.centre);
        organisations.table.rows.push_back({Value{"O" + std::to_string(building_id)}, Value{b.name},
                                            std::string(use_type(b.use)), Value{staff},
                                            Value{org_members}, Value{building_id}});
      }
      units.table.rows.push_back({Value{building_id}, std::string(use_type(b.use)),
                                  Value{std::int64_t{b.floors}}, Value{b.height}, std::move(hh),
                                  text_or_null(b.compound_id), std::move(b.name), Value{members},
                                  Value{party_households}});
      units.polygons.push_back(std::move(b.footprint));
    }
    if (!station_set && !bs.empty()) station = bs[bs.size() / 2].centre;

    // Local roads along the parcel gaps, ending inside the community.
    const Box inner = lat.inner(cp.i, cp.j);
    int lane = 0;
    for (double x : cp.cuts_x) {
      barriers.lines.push_back({{{x, inner.min_y - 40}, {x, inner.max_y + 40}}});
      barriers.table.rows.push_back({std::string("road"),
                                     comm_stem[c].substr(0, 6) +
                                         demo::chinese_number(static_cast<std::size_t>(++lane)) +
                                         "巷",
                                     Value{local_road_width_m}});
    }
    for (double y : cp.cuts_y) {
      barriers.lines.push_back({{{inner.min_x - 40, y}, {inner.max_x + 40, y}}});
      barriers.table.rows.push_back({std::string("road"),
                                     comm_stem[c].substr(0, 6) +
                                         demo::chinese_number(static_cast<std::size_t>(++lane)) +
                                         "巷",
                                     Value{local_road_width_m}});
    }
    st.roads_km += (static_cast<double>(cp.cuts_x.size()) * (inner.height() + 80) +
                    static_cast<double>(cp.cuts_y.size()) * (inner.width() + 80)) /
                   1000;

    // Facilities: a 党群服务站 in every community, a health station in some, a street
    // centre in the first community of each street that has a non-residential building.
    Rng frng(hash_of(seed, facility, c));
    facilities.points.push_back(station);
    facilities.table.rows.push_back({comm_name[c] + "党群服务站", std::string("community_station"),
                                     Value{round_to(frng.uniform(300, 800), 10)}});
    if (frng.chance(0.4) && !bs.empty()) {
      const Point p = non_residential.size() > 1 ? non_residential[1] : bs[bs.size() / 3].centre;
      facilities.points.push_back(p);
      facilities.table.rows.push_back({comm_name[c] + "卫生服务站", std::string("health_station"),
                                       Value{round_to(frng.uniform(150, 500), 10)}});
    }
    const auto s = static_cast<std::size_t>(lay.street_of[c]);
    if (!street_centre_set[s] && (!non_residential.empty() || c == street_cells[s].back())) {
      street_centre[s] = non_residential.empty() ? station : non_residential.back();
      street_centre_set[s] = 1;
      facilities.points.push_back(street_centre[s]);
      facilities.table.rows.push_back({street_name[s] + "党群服务中心",
                                       std::string("street_center"),
                                       Value{round_to(frng.uniform(1000, 3000), 10)}});
    }
    if (cp.old_quarter) ++st.old_quarter_communities;
    if ((++done & 63) == 0)
      report(0.05 + 0.9 * static_cast<double>(done) / static_cast<double>(communities),
             "buildings");
  }
  report(0.95, "roads");

  // --- arterial and secondary roads along lattice lines, the river and the rail
  auto line_length = [](const LineString& l) {
    double len = 0;
    for (std::size_t k = 1; k < l.size(); ++k)
      len += std::hypot(l[k].x - l[k - 1].x, l[k].y - l[k - 1].y);
    return len;
  };
  Rng rrng(hash_of(seed, roads, 0));
  std::size_t ns_count = 0, ew_count = 0;
  for (int i = 0; i <= lat.nx; ++i) {
    if (i == lat.river_i) continue;
    const bool arterial = i % 2 == 0;
    if (!arterial && !rrng.chance(0.5)) continue;
    LineString l;
    for (int j = 0; j < lat.ny; ++j) append_path(l, lat.vertical_edge(i, j), false);
    st.roads_km += line_length(l) / 1000;
    barriers.lines.push_back({std::move(l)});
    barriers.table.rows.push_back({std::string("road"),
                                   names.road_north_south(ns_count++, arterial),
                                   Value{arterial ? arterial_width_m : secondary_width_m}});
  }
  for (int j = 0; j <= lat.ny; ++j) {
    if (j == lat.rail_j) continue;
    const bool arterial = j % 2 == 0;
    if (!arterial && !rrng.chance(0.5)) continue;
    LineString l;
    for (int i = 0; i < lat.nx; ++i) append_path(l, lat.horizontal_edge(i, j), false);
    st.roads_km += line_length(l) / 1000;
    barriers.lines.push_back({std::move(l)});
    barriers.table.rows.push_back({std::string("road"), names.road_east_west(ew_count++, arterial),
                                   Value{arterial ? arterial_width_m : secondary_width_m}});
  }
  {
    // The river continues 400 m beyond the district at both ends.
    LineString l;
    for (double y = lat.nominal_y(0) - 400; y < lat.node(lat.river_i, 0).y; y += 100)
      l.push_back({lat.river_x(y), y});
    for (int j = 0; j < lat.ny; ++j) append_path(l, lat.vertical_edge(lat.river_i, j), false);
    const double top = lat.node(lat.river_i, lat.ny).y;
    for (double y = top + 100; y <= lat.nominal_y(lat.ny) + 400; y += 100)
      l.push_back({lat.river_x(y), y});
    st.river_km = line_length(l) / 1000;
    barriers.lines.push_back({std::move(l)});
    barriers.table.rows.push_back({std::string("river"), names.river(), Value{river_width_m}});
  }
  {
    LineString l;
    const double y = lat.nominal_y(lat.rail_j);
    l.push_back({lat.nominal_x(0) - 400, y});
    for (int i = 0; i <= lat.nx; ++i) l.push_back(lat.node(i, lat.rail_j));
    l.push_back({lat.nominal_x(lat.nx) + 400, y});
    st.rail_km = line_length(l) / 1000;
    barriers.lines.push_back({std::move(l)});
    barriers.table.rows.push_back({std::string("rail"), names.rail(), Value{rail_width_m}});
  }

  st.streets = lay.streets;
  st.communities = communities;
  st.compounds = compounds.table.rows.size();
  st.facilities = facilities.table.rows.size();
  city.layers.reserve(7);
  city.layers.push_back(std::move(district));
  city.layers.push_back(std::move(streets));
  city.layers.push_back(std::move(areas));
  city.layers.push_back(std::move(compounds));
  city.layers.push_back(std::move(units));
  city.layers.push_back(std::move(barriers));
  city.layers.push_back(std::move(facilities));
  st.organisations = organisations.table.rows.size();
  city.layers.push_back(std::move(organisations));
  report(1, "done");
  return city;
}

} // namespace gp::geo
