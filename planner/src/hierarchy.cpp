// The administrative hierarchy: streets and districts as areas, nesting checks, totals per
// level. See hierarchy.hpp and docs/user/hierarchy.md.

#include "gp/planner/hierarchy.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "gp/geo/ops.hpp"
#include "gp/planner/codes.hpp"
#include "gp/planner/plan.hpp"

namespace gp::planner {
namespace {

struct Node {
  LevelTotals totals;
  const geo::MultiPolygon* geometry = nullptr; ///< given polygon, or null
  geo::MultiPolygon derived_geometry;          ///< union of children when derived
  std::vector<std::string> children;
};

/// The parent code of an area: its parent_code, else the first `digits` digits of a
/// longer code, else "".
std::string parent_of(const std::string& parent_code, const std::string& code, std::size_t digits) {
  if (!parent_code.empty()) return parent_code;
  if (code.size() > digits) return code.substr(0, digits);
  return {};
}

void add(LevelTotals& to, const LevelTotals& from) {
  to.cells += from.cells;
  to.units += from.units;
  to.households += from.households;
  to.population += from.population;
  to.workers += from.workers;
  to.requests += from.requests;
  to.on_time += from.on_time;
}

/// Builds the parents of `children` (by parent code) at `level`, from `given` areas.
std::map<std::string, Node> roll_up(std::map<std::string, Node>& children,
                                    const std::map<std::string, const geo::Area*>& given,
                                    geo::AreaLevel level, std::size_t digits,
                                    std::vector<NestingIssue>& issues, double tolerance_m2) {
  std::map<std::string, Node> parents;
  for (const auto& [code, area] : given) {
    Node& p = parents[code];
    p.totals.level = level;
    p.totals.code = code;
    p.totals.name = area->name;
    p.totals.parent_code = area->parent_code;
    p.geometry = &area->geometry;
    p.totals.area_m2 = geo::area(area->geometry);
  }
  const char* what = level == geo::AreaLevel::street ? "street" : "district";
  for (auto& [code, child] : children) {
    if (child.totals.parent_code.empty()) {
      issues.push_back(NestingIssue{"no_parent", code, "", 0,
                                    fmt::format("{} has no parent {} code and its code is too "
                                                "short to name one",
                                                code, what)});
      continue;
    }
    auto [it, fresh] = parents.try_emplace(child.totals.parent_code);
    Node& p = it->second;
    if (fresh) {
      p.totals.level = level;
      p.totals.code = child.totals.parent_code;
      p.totals.derived = true;
    }
    p.children.push_back(code);
    add(p.totals, child.totals);
    if (level == geo::AreaLevel::street)
      ++p.totals.communities;
    else {
      ++p.totals.streets;
      p.totals.communities += child.totals.communities;
    }
    // A child outside its given parent.
    const auto* cg = child.geometry ? child.geometry : &child.derived_geometry;
    if (p.geometry && !cg->empty()) {
      const double a = geo::area(*cg);
      const double outside = a - geo::intersection_area(*cg, *p.geometry);
      if (outside > std::max(tolerance_m2, 1e-3 * a))
        issues.push_back(
            NestingIssue{"outside_parent", code, p.totals.code, outside,
                         fmt::format("{} {} has {:.0f} m² ({:.1f}%) outside its {} {}",
                                     level == geo::AreaLevel::street ? "community" : "street", code,
                                     outside, 100.0 * outside / a, what, p.totals.code)});
    }
  }
  for (auto& [code, p] : parents) {
    if (!p.geometry) {
      std::vector<const geo::MultiPolygon*> parts;
      for (const auto& c : p.children) {
        const Node& child = children.at(c);
        const auto* g = child.geometry ? child.geometry : &child.derived_geometry;
        if (!g->empty()) parts.push_back(g);
      }
      if (!parts.empty()) p.derived_geometry = geo::union_all(parts);
      p.totals.area_m2 = geo::area(p.derived_geometry);
      continue;
    }
    // A gap: part of a given parent in none of its given children.
    std::vector<const geo::MultiPolygon*> given_children;
    for (const auto& c : p.children)
      if (children.at(c).geometry) given_children.push_back(children.at(c).geometry);
    if (given_children.empty() || level != geo::AreaLevel::district) continue;
    const auto covered = geo::union_all(given_children);
    const double gap = geo::area(geo::difference(*p.geometry, covered));
    if (gap > std::max(tolerance_m2, 1e-3 * p.totals.area_m2))
      issues.push_back(NestingIssue{"gap", code, p.totals.parent_code, gap,
                                    fmt::format("district {} has {:.0f} m² ({:.1f}%) in none of "
                                                "its streets",
                                                code, gap, 100.0 * gap / p.totals.area_m2)});
  }
  (void)digits;
  return parents;
}

std::vector<LevelTotals> totals_of(const std::map<std::string, Node>& nodes) {
  std::vector<LevelTotals> out;
  for (const auto& [code, n] : nodes) out.push_back(n.totals);
  return out;
}

} // namespace

Hierarchy build_hierarchy(const geo::Dataset& dataset, const Plan* plan,
                          const std::vector<geo::Area>& parents,
                          const std::vector<CellService>& service, double tolerance_m2) {
  Hierarchy h;
  // Communities: the dataset's community areas, and the plan's areas (derived ones too).
  std::map<std::string, Node> communities;
  std::map<std::string, const geo::Area*> streets_given, districts_given;
  auto take_parent = [&](const geo::Area& a) {
    if (a.level == geo::AreaLevel::street) streets_given.emplace(a.code, &a);
    if (a.level == geo::AreaLevel::district) districts_given.emplace(a.code, &a);
  };
  for (const auto& a : dataset.areas) {
    if (a.level != geo::AreaLevel::community) {
      take_parent(a);
      continue;
    }
    Node& n = communities[a.code];
    n.totals.code = a.code;
    n.totals.name = a.name;
    n.totals.parent_code = parent_of(a.parent_code, a.code, codes::street_digits);
    n.geometry = &a.geometry;
    n.totals.area_m2 = geo::area(a.geometry);
  }
  for (const auto& a : parents) take_parent(a);
  for (const auto& u : dataset.units) {
    if (u.area_code.empty()) continue;
    Node& n = communities[u.area_code];
    n.totals.code = u.area_code;
    ++n.totals.units;
    n.totals.households += u.households;
    n.totals.population += u.population;
  }
  if (plan) {
    std::map<std::string, std::string> area_of_cell;
    for (const auto& c : plan->cells) area_of_cell[c.code] = c.area_code;
    for (const auto& a : plan->areas) {
      auto [it, fresh] = communities.try_emplace(a.code);
      Node& n = it->second;
      if (fresh || !n.geometry) {
        n.totals.code = a.code;
        n.totals.name = a.name;
        n.totals.derived = a.derived;
        n.derived_geometry = a.geometry;
        n.totals.area_m2 = a.area_m2;
        if (n.totals.parent_code.empty())
          n.totals.parent_code = parent_of("", a.code, codes::street_digits);
      }
      n.totals.cells = a.cells.size();
    }
    for (const auto& s : service) {
      const auto it = area_of_cell.find(s.cell_code);
      if (it == area_of_cell.end() || !communities.count(it->second)) continue;
      auto& t = communities[it->second].totals;
      t.workers += s.workers;
      t.requests += s.requests;
      t.on_time += s.on_time;
    }
  }
  for (auto& [code, n] : communities) {
    n.totals.level = geo::AreaLevel::community;
    if (n.totals.parent_code.empty())
      n.totals.parent_code = parent_of("", code, codes::street_digits);
  }

  auto streets = roll_up(communities, streets_given, geo::AreaLevel::street, codes::street_digits,
                         h.issues, tolerance_m2);
  for (auto& [code, s] : streets)
    if (s.totals.parent_code.empty())
      s.totals.parent_code = parent_of("", code, codes::district_digits);
  auto districts = roll_up(streets, districts_given, geo::AreaLevel::district,
                           codes::district_digits, h.issues, tolerance_m2);
  h.communities = totals_of(communities);
  h.streets = totals_of(streets);
  h.districts = totals_of(districts);
  return h;
}

std::string hierarchy_json(const Hierarchy& h) {
  auto level = [](const std::vector<LevelTotals>& items) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& t : items) {
      nlohmann::ordered_json j;
      j["code"] = t.code;
      j["name"] = t.name;
      j["parent_code"] = t.parent_code;
      j["derived"] = t.derived;
      j["area_m2"] = t.area_m2;
      if (t.level == geo::AreaLevel::district) j["streets"] = t.streets;
      if (t.level != geo::AreaLevel::community) j["communities"] = t.communities;
      j["cells"] = t.cells;
      j["units"] = t.units;
      j["households"] = t.households;
      j["population"] = t.population;
      j["workers"] = t.workers;
      j["on_time_share"] =
          t.on_time_share() >= 0 ? nlohmann::ordered_json(t.on_time_share()) : nullptr;
      a.push_back(std::move(j));
    }
    return a;
  };
  nlohmann::ordered_json j;
  j["districts"] = level(h.districts);
  j["streets"] = level(h.streets);
  j["communities"] = level(h.communities);
  nlohmann::ordered_json issues = nlohmann::ordered_json::array();
  for (const auto& i : h.issues)
    issues.push_back({{"kind", i.kind},
                      {"code", i.code},
                      {"parent_code", i.parent_code},
                      {"area_m2", i.area_m2},
                      {"detail", i.detail}});
  j["issues"] = issues;
  return j.dump(2);
}

std::string hierarchy_text(const Hierarchy& h) {
  std::string out;
  auto line = [&out](const LevelTotals& t, const char* indent) {
    out += fmt::format("{}{} {}{}: {} communities, {} cells, {:.0f} households, {:.0f} people",
                       indent, t.code, t.name, t.derived ? " (derived)" : "", t.communities,
                       t.cells, t.households, t.population);
    if (t.on_time_share() >= 0)
      out += fmt::format(", {:.0f} workers, on time {:.1f}%", t.workers, 100.0 * t.on_time_share());
    out += "\n";
  };
  for (const auto& d : h.districts) {
    line(d, "district ");
    for (const auto& s : h.streets)
      if (s.parent_code == d.code) line(s, "  street ");
  }
  for (const auto& i : h.issues) out += fmt::format("nesting: {}\n", i.detail);
  return out;
}

} // namespace gp::planner
