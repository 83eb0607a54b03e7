// One area's planning outcome as bytes, for the ranks of a distributed run (make_plan with
// PlanOptions::ranks): every field of the area, its cells, violations and adjacency travels
// bit for bit, so the root assembles the same plan as a single process would.

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gp/core/bytes.hpp"
#include "gp/core/error.hpp"
#include "plan_internal.hpp"

namespace gp::planner::detail {
namespace {

void put_ring(ByteWriter& w, const geo::Ring& ring) {
  w.put(static_cast<std::uint64_t>(ring.size()));
  for (const auto& p : ring) {
    w.put(p.x);
    w.put(p.y);
  }
}

geo::Ring get_ring(ByteReader& r) {
  geo::Ring ring(r.get<std::uint64_t>());
  for (auto& p : ring) {
    p.x = r.get<double>();
    p.y = r.get<double>();
  }
  return ring;
}

void put_geometry(ByteWriter& w, const geo::MultiPolygon& g) {
  w.put(static_cast<std::uint64_t>(g.size()));
  for (const auto& polygon : g) {
    put_ring(w, polygon.outer);
    w.put(static_cast<std::uint64_t>(polygon.holes.size()));
    for (const auto& h : polygon.holes) put_ring(w, h);
  }
}

geo::MultiPolygon get_geometry(ByteReader& r) {
  geo::MultiPolygon g(r.get<std::uint64_t>());
  for (auto& polygon : g) {
    polygon.outer = get_ring(r);
    polygon.holes.resize(r.get<std::uint64_t>());
    for (auto& h : polygon.holes) h = get_ring(r);
  }
  return g;
}

void put_strings(ByteWriter& w, const std::vector<std::string>& v) {
  w.put(static_cast<std::uint64_t>(v.size()));
  for (const auto& s : v) w.put(s);
}

std::vector<std::string> get_strings(ByteReader& r) {
  std::vector<std::string> v(r.get<std::uint64_t>());
  for (auto& s : v) s = r.get_string();
  return v;
}

void put_size(ByteWriter& w, std::size_t n) {
  w.put(static_cast<std::uint64_t>(n));
}
std::size_t get_size(ByteReader& r) {
  return static_cast<std::size_t>(r.get<std::uint64_t>());
}
void put_bool(ByteWriter& w, bool b) {
  w.put(static_cast<std::uint8_t>(b));
}
bool get_bool(ByteReader& r) {
  return r.get<std::uint8_t>() != 0;
}

void put_area(ByteWriter& w, const PlanArea& a) {
  w.put(a.code);
  w.put(a.name);
  put_geometry(w, a.geometry);
  put_bool(w, a.derived);
  put_bool(w, a.tiling);
  w.put(std::vector<std::uint64_t>(a.cells.begin(), a.cells.end()));
  put_size(w, a.units);
  for (const double v : {a.households, a.population, a.balance, a.area_m2, a.cells_area_m2})
    w.put(v);
  w.put(a.components);
  put_size(w, a.bridges);
  put_size(w, a.graph_edges);
  put_size(w, a.cut_edges);
  for (const double v :
       {a.cut_length_m, a.lower_bound, a.upper_bound, a.households_total, a.population_total})
    w.put(v);
  w.put(a.totals_source);
  for (const double v :
       {a.households_given, a.households_estimated, a.households_scaled, a.scale_factor})
    w.put(v);
  put_strings(w, a.flags);
  w.put(a.untyped_floor_area_share);
  put_size(w, a.cells_oversized);
}

PlanArea get_area(ByteReader& r) {
  PlanArea a;
  a.code = r.get_string();
  a.name = r.get_string();
  a.geometry = get_geometry(r);
  a.derived = get_bool(r);
  a.tiling = get_bool(r);
  const auto cells = r.get_vector<std::uint64_t>();
  a.cells.assign(cells.begin(), cells.end());
  a.units = get_size(r);
  for (double* v : {&a.households, &a.population, &a.balance, &a.area_m2, &a.cells_area_m2})
    *v = r.get<double>();
  a.components = r.get<std::uint32_t>();
  a.bridges = get_size(r);
  a.graph_edges = get_size(r);
  a.cut_edges = get_size(r);
  for (double* v :
       {&a.cut_length_m, &a.lower_bound, &a.upper_bound, &a.households_total, &a.population_total})
    *v = r.get<double>();
  a.totals_source = r.get_string();
  for (double* v :
       {&a.households_given, &a.households_estimated, &a.households_scaled, &a.scale_factor})
    *v = r.get<double>();
  a.flags = get_strings(r);
  a.untyped_floor_area_share = r.get<double>();
  a.cells_oversized = get_size(r);
  return a;
}

void put_cell(ByteWriter& w, const Cell& c) {
  w.put(c.code);
  w.put(c.area_code);
  put_size(w, c.area_index);
  put_geometry(w, c.geometry);
  w.put(c.units);
  for (const double v : {c.households, c.population, c.balance}) w.put(v);
  w.put(c.secondary);
  for (const double v : {c.area_m2, c.perimeter_m, c.polsby_popper, c.deviation_pct}) w.put(v);
  put_bool(w, c.within_bounds);
  put_bool(w, c.contiguous);
  put_size(w, c.parts);
  put_bool(w, c.oversized);
}

Cell get_cell(ByteReader& r) {
  Cell c;
  c.code = r.get_string();
  c.area_code = r.get_string();
  c.area_index = get_size(r);
  c.geometry = get_geometry(r);
  c.units = r.get_vector<std::uint32_t>();
  for (double* v : {&c.households, &c.population, &c.balance}) *v = r.get<double>();
  c.secondary = r.get_vector<double>();
  for (double* v : {&c.area_m2, &c.perimeter_m, &c.polsby_popper, &c.deviation_pct})
    *v = r.get<double>();
  c.within_bounds = get_bool(r);
  c.contiguous = get_bool(r);
  c.parts = get_size(r);
  c.oversized = get_bool(r);
  return c;
}

} // namespace

std::string pack_outcome(const AreaOutcome& o) {
  ByteWriter w;
  put_area(w, o.area);
  put_size(w, o.cells.size());
  for (const auto& c : o.cells) put_cell(w, c);
  put_size(w, o.violations.size());
  for (const auto& v : o.violations)
    for (const auto* s : {&v.cell_code, &v.area_code, &v.rule, &v.reason, &v.cause}) w.put(*s);
  put_size(w, o.adjacency.size());
  for (const auto& e : o.adjacency) {
    w.put(e.a);
    w.put(e.b);
    w.put(e.length);
    put_bool(w, e.barrier);
  }
  w.put(o.adjacency_bridge);
  for (const double v : {o.graph_seconds, o.partition_seconds, o.geometry_seconds}) w.put(v);
  return w.take();
}

AreaOutcome unpack_outcome(std::string_view bytes) {
  ByteReader r(bytes);
  AreaOutcome o;
  o.area = get_area(r);
  o.cells.resize(get_size(r));
  for (auto& c : o.cells) c = get_cell(r);
  o.violations.resize(get_size(r));
  for (auto& v : o.violations)
    for (auto* s : {&v.cell_code, &v.area_code, &v.rule, &v.reason, &v.cause}) *s = r.get_string();
  o.adjacency.resize(get_size(r));
  for (auto& e : o.adjacency) {
    e.a = r.get<std::uint32_t>();
    e.b = r.get<std::uint32_t>();
    e.length = r.get<double>();
    e.barrier = get_bool(r);
  }
  o.adjacency_bridge = r.get_vector<std::uint8_t>();
  for (double* v : {&o.graph_seconds, &o.partition_seconds, &o.geometry_seconds})
    *v = r.get<double>();
  if (!r.done()) throw Error("packed area outcome: bytes left over");
  return o;
}

void to_job_positions(AreaOutcome& outcome, const std::vector<std::uint32_t>& job_units) {
  std::unordered_map<std::uint32_t, std::uint32_t> position;
  position.reserve(job_units.size());
  for (std::size_t k = 0; k < job_units.size(); ++k)
    position.emplace(job_units[k], static_cast<std::uint32_t>(k));
  auto to_position = [&](std::uint32_t& u) {
    const auto it = position.find(u);
    if (it == position.end())
      throw Error("area " + outcome.area.code + ": a cell holds a unit of another area");
    u = it->second;
  };
  for (auto& cell : outcome.cells)
    for (auto& u : cell.units) to_position(u);
  for (auto& e : outcome.adjacency) {
    to_position(e.a);
    to_position(e.b);
  }
}

void to_dataset_indices(AreaOutcome& outcome, const std::vector<std::uint32_t>& job_units) {
  auto to_index = [&](std::uint32_t& u) {
    if (u >= job_units.size())
      throw Error("area " + outcome.area.code + ": a rank sent a unit the area does not hold");
    u = job_units[u];
  };
  for (auto& cell : outcome.cells) {
    for (auto& u : cell.units) to_index(u);
    std::sort(cell.units.begin(), cell.units.end());
  }
  for (auto& e : outcome.adjacency) {
    to_index(e.a);
    to_index(e.b);
    if (e.a > e.b) std::swap(e.a, e.b);
  }
}

namespace {
constexpr std::uint32_t planned_areas_tag = 0x50415231; // "PAR1"
} // namespace

} // namespace gp::planner::detail

namespace gp::planner {

std::string PlannedAreas::to_bytes() const {
  ByteWriter w;
  w.put(detail::planned_areas_tag);
  w.put(static_cast<std::uint64_t>(dataset_units));
  w.put(static_cast<std::uint64_t>(codes.size()));
  for (const auto& c : codes) w.put(c);
  w.put(units);
  return w.take();
}

PlannedAreas PlannedAreas::from_bytes(std::string_view bytes) {
  ByteReader r(bytes);
  if (r.get<std::uint32_t>() != detail::planned_areas_tag)
    throw Error("planned areas: not the bytes of planned areas");
  PlannedAreas p;
  p.dataset_units = static_cast<std::size_t>(r.get<std::uint64_t>());
  p.codes.resize(r.count());
  for (auto& c : p.codes) c = r.get_string();
  p.units = r.get_vector<double>();
  if (p.units.size() != p.codes.size() || !r.done())
    throw Error("planned areas: codes and sizes disagree");
  return p;
}

} // namespace gp::planner
