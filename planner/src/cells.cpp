// Cell geometry (union of unit regions), metrics, numbering and the explanation of every
// rule a cell breaks.

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "gp/core/error.hpp"
#include "gp/geo/ops.hpp"
#include "plan_internal.hpp"

namespace gp::planner::detail {

std::vector<std::size_t> numbering_order(const std::vector<geo::Point>& centroids, double top_y,
                                         double row_height) {
  std::vector<std::size_t> order(centroids.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (!(row_height > 0)) row_height = 1;
  auto row = [&](std::size_t i) {
    return static_cast<long long>(std::floor((top_y - centroids[i].y) / row_height));
  };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto ra = row(a), rb = row(b);
    if (ra != rb) return ra < rb;
    if (centroids[a].x != centroids[b].x) return centroids[a].x < centroids[b].x;
    if (centroids[a].y != centroids[b].y) return centroids[a].y > centroids[b].y;
    return a < b;
  });
  return order;
}

namespace {

struct Draft {
  std::vector<std::uint32_t> vertices; // ascending
  Cell cell;
  bool graph_connected = true;
  std::string partition_note;
  std::string partition_cause;
  double block_weight = 0;
};

bool vertices_connected(const UnitGraph& g, const std::vector<std::uint32_t>& vertices,
                        const std::vector<std::int32_t>& part, std::int32_t p) {
  if (vertices.size() <= 1) return true;
  std::vector<std::uint32_t> stack{vertices.front()};
  std::set<std::uint32_t> seen{vertices.front()};
  while (!stack.empty()) {
    const auto v = stack.back();
    stack.pop_back();
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k) {
      const auto w = g.targets[k];
      if (part[w] == p && seen.insert(w).second) stack.push_back(w);
    }
  }
  return seen.size() == vertices.size();
}

} // namespace

void build_cells(const geo::Dataset& dataset, const AreaGraph& graph, const PartitionResult& result,
                 const UnitValues& values, const std::vector<double>& households,
                 const std::vector<double>& population, const PlanOptions& options,
                 AreaOutcome& outcome) {
  auto& area = outcome.area;
  const std::string& field = options.balance_field;
  const bool fixed_cells = options.cells_per_area > 0;
  const std::size_t n = graph.units.size();
  area.geometry = graph.area;
  area.derived = graph.derived_area;
  area.tiling = graph.tiling;
  area.units = n;
  area.components = graph.components;
  area.bridges = graph.bridges;
  area.graph_edges = graph.graph.edge_count();
  area.cut_edges = result.cut_edges;
  area.cut_length_m = result.cut_length;
  area.area_m2 = geo::area(graph.area);
  for (auto u : graph.units) {
    area.households += households[u];
    area.population += population[u];
    area.balance += values.balance[u];
  }

  // --- Group vertices by part --------------------------------------------------------------
  std::vector<Draft> drafts;
  if (n == 0) {
    drafts.emplace_back();
    drafts.back().cell.geometry = graph.area;
  } else {
    if (result.part.size() != n)
      throw Error(
          fmt::format("internal error: partition of area {} returned {} labels for {} units",
                      area.code, result.part.size(), n));
    std::map<std::int32_t, std::size_t> index; // part label -> draft, in label order
    for (auto p : result.part) index.emplace(p, 0);
    for (auto& [label, i] : index) {
      if (label < 0)
        throw Error(
            fmt::format("internal error: partition of area {} left a unit unassigned", area.code));
      i = drafts.size();
      drafts.emplace_back();
    }
    for (std::uint32_t v = 0; v < n; ++v) drafts[index.at(result.part[v])].vertices.push_back(v);
    for (auto& [label, i] : index) {
      auto& d = drafts[i];
      d.graph_connected = vertices_connected(graph.graph, d.vertices, result.part, label);
      std::vector<const geo::MultiPolygon*> pieces;
      for (auto v : d.vertices) {
        if (!graph.regions[v].empty()) pieces.push_back(&graph.regions[v]);
        d.cell.units.push_back(graph.units[v]);
      }
      std::sort(d.cell.units.begin(), d.cell.units.end()); // dataset order, whatever the
                                                           // planning order
      d.cell.geometry = pieces.size() == 1 ? *pieces.front() : geo::union_coverage(pieces);
      // Coverage union dissolves only edges that match vertex for vertex; when it leaves
      // several parts, a general union decides whether they really are apart.
      if (d.cell.geometry.size() > 1 && pieces.size() > 1) d.cell.geometry = geo::union_all(pieces);
      for (const auto& viol : result.violations)
        if (viol.part == label && (viol.rule == "min" || viol.rule == "max")) {
          d.partition_note = viol.reason;
          d.partition_cause = viol.cause;
          d.block_weight = viol.block_weight;
        }
    }
  }

  // --- Metrics -----------------------------------------------------------------------------
  const bool area_connected = graph.area.size() <= 1;
  const double mean = area.balance / static_cast<double>(drafts.size());
  for (auto& d : drafts) {
    auto& c = d.cell;
    c.area_code = area.code;
    c.secondary.assign(values.secondary.size(), 0.0);
    for (auto u : c.units) {
      c.households += households[u];
      c.population += population[u];
      c.balance += values.balance[u];
      for (std::size_t k = 0; k < values.secondary.size(); ++k)
        c.secondary[k] += values.secondary[k][u];
    }
    c.area_m2 = geo::area(c.geometry);
    c.perimeter_m = geo::perimeter(c.geometry);
    c.polsby_popper = geo::polsby_popper(c.geometry);
    c.parts = c.geometry.size();
    c.deviation_pct = mean > 0 ? 100.0 * (c.balance - mean) / mean : 0.0;
    if (fixed_cells) {
      c.within_bounds = std::abs(c.balance - mean) <= options.tolerance * mean + 1e-9;
    } else {
      c.within_bounds =
          c.balance >= options.min_weight - 1e-9 && c.balance <= options.max_weight + 1e-9;
    }
    c.contiguous = c.parts <= 1 || (!area_connected && d.graph_connected);
    const double upper = fixed_cells ? mean * (1 + options.tolerance) : options.max_weight;
    for (auto u : c.units) c.oversized = c.oversized || values.balance[u] > upper + 1e-9;
  }
  for (auto& d : drafts) area.cells_area_m2 += d.cell.area_m2;

  // --- Numbering ---------------------------------------------------------------------------
  std::vector<geo::Point> centroids;
  for (const auto& d : drafts)
    centroids.push_back(d.cell.geometry.empty() ? geo::Point{} : geo::centroid(d.cell.geometry));
  const auto box = geo::bounds(graph.area);
  const double row_height =
      std::sqrt(std::max(area.area_m2, 1.0) / static_cast<double>(drafts.size()));
  const auto order = numbering_order(centroids, box.empty() ? 0.0 : box.max_y, row_height);
  const int digits = std::max(3, static_cast<int>(std::to_string(drafts.size()).size()));
  std::vector<std::string> code_of_draft(drafts.size());
  for (std::size_t k = 0; k < order.size(); ++k)
    code_of_draft[order[k]] = fmt::format("{}{:0{}}", area.code, k + 1, digits);

  // --- Violations --------------------------------------------------------------------------
  auto& out = outcome.violations;
  if (digits > 3)
    out.push_back(
        PlanViolation{"", area.code, "numbering",
                      fmt::format("area has {} cells: cell codes use {} digits instead of 3",
                                  drafts.size(), digits)});
  // Heaviest compound and unit per draft, for explanations.
  std::map<std::string, double> compound_weight;
  std::map<std::string, std::set<std::size_t>> compound_cells;
  std::vector<std::size_t> draft_of_vertex(n);
  for (std::size_t i = 0; i < drafts.size(); ++i)
    for (auto v : drafts[i].vertices) draft_of_vertex[v] = i;
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto& id = dataset.units[graph.units[v]].compound_id;
    if (id.empty()) continue;
    compound_weight[id] += values.balance[graph.units[v]];
    compound_cells[id].insert(draft_of_vertex[v]);
  }
  // Pre-join component weights, to recognise islands.
  std::vector<double> component_weight(graph.components, 0.0);
  for (std::uint32_t v = 0; v < n && v < graph.component.size(); ++v)
    component_weight[graph.component[v]] += values.balance[graph.units[v]];

  const double total = area.balance;
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    const auto& d = drafts[i];
    const auto& c = d.cell;
    const auto& code = code_of_draft[i];
    if (!c.within_bounds) {
      std::string rule, what;
      if (fixed_cells) {
        rule = "tolerance";
        what = fmt::format("{} {} is {:+.2f}% from the area mean {}, beyond ±{:.2f}%", field,
                           format_value(c.balance), c.deviation_pct, format_value(mean),
                           options.tolerance * 100);
      } else if (c.balance < options.min_weight) {
        rule = "min";
        what = fmt::format("{} {} below the minimum {}", field, format_value(c.balance),
                           format_value(options.min_weight));
      } else {
        rule = "max";
        what = fmt::format("{} {} above the maximum {}", field, format_value(c.balance),
                           format_value(options.max_weight));
      }
      std::string why, cause;
      // The causes, most specific first; the partitioner says which one applies.
      std::string heavy_compound;
      double heavy_w = 0;
      for (auto v : d.vertices) {
        const auto& id = dataset.units[graph.units[v]].compound_id;
        if (!id.empty() && compound_weight[id] > heavy_w) {
          heavy_w = compound_weight[id];
          heavy_compound = id;
        }
      }
      double heavy_unit = 0;
      std::int64_t heavy_fid = -1;
      for (auto v : d.vertices) {
        if (values.balance[graph.units[v]] > heavy_unit) {
          heavy_unit = values.balance[graph.units[v]];
          heavy_fid = dataset.units[graph.units[v]].source_fid;
        }
      }
      const double upper = fixed_cells ? mean * (1 + options.tolerance) : options.max_weight;
      const double block_w = graph.components > 1 && !d.vertices.empty() && !area_connected
                                 ? component_weight[graph.component[d.vertices.front()]]
                                 : total;
      if (n == 0) {
        cause = "empty_area";
        why = "the area contains no units: it is one empty cell";
      } else if (!fixed_cells && total < options.min_weight) {
        cause = "small_area";
        why = fmt::format("the whole area has only {} {}, below the minimum: it is one cell",
                          format_value(total), field);
      } else if (heavy_unit > upper + 1e-9) {
        cause = "oversized";
        const double rest = c.balance - heavy_unit;
        why = fmt::format("one unit (source feature {}) alone has {} {}, more than the maximum {}; "
                          "a building is never split, so it is a cell of its own",
                          heavy_fid, format_value(heavy_unit), field, format_value(upper));
        if (c.units.size() > 1)
          why += fmt::format(" (with {} neighbouring unit(s) holding {} {} that no other cell "
                             "could take without leaving its bounds or its connection)",
                             c.units.size() - 1, format_value(rest), field);
      } else if (rule == "max" && heavy_w > upper) {
        cause = "compound";
        why = fmt::format("compound {} alone has {} {}, more than the maximum; it is split along "
                          "building lines and this part could not be made lighter",
                          heavy_compound, format_value(heavy_w), field);
      } else if (d.partition_cause == "island" ||
                 (graph.components > 1 && !area_connected && block_w < options.min_weight)) {
        cause = "island";
        why = !area_connected
                  ? fmt::format("the area is in {} separate parts (islands or multipart polygon) "
                                "and this part holds only {} {} in all",
                                graph.area.size(), format_value(block_w), field)
                  : fmt::format("its units form a block cut off from the rest (by hard barriers "
                                "or by oversized units) holding only {} {} in all",
                                format_value(c.balance), field);
      } else if (d.partition_cause == "indivisible" ||
                 (!fixed_cells &&
                  std::ceil(total / options.max_weight) > std::floor(total / options.min_weight))) {
        cause = "indivisible";
        const bool whole = d.partition_cause != "indivisible" ||
                           std::abs(d.block_weight - total) <= 1e-9 * std::max(1.0, total);
        why = !whole
                  ? fmt::format("no whole number of cells of {}-{} adds up to the {} {} of its "
                                "block (the units left connected between oversized units or "
                                "barriers)",
                                format_value(options.min_weight), format_value(options.max_weight),
                                format_value(d.block_weight), field)
                  : fmt::format("no whole number of cells of {}-{} adds up to the area's {} {}",
                                format_value(options.min_weight), format_value(options.max_weight),
                                format_value(total), field);
      } else {
        cause = "search";
        why = "the search found no division of the area into connected cells that keeps whole "
              "buildings and compounds within both bounds here, although one may exist (more "
              "--effort may find it)";
      }
      if (!d.partition_note.empty() && cause != "oversized")
        why += " (partitioner: " + d.partition_note + ")";
      out.push_back(PlanViolation{code, area.code, rule, what + ": " + why, cause});
    }
    if (!c.contiguous) {
      out.push_back(PlanViolation{
          code, area.code, "contiguity",
          fmt::format("cell polygon has {} parts although {}", c.parts,
                      area_connected ? "the area is connected (a unit's region is cut by the "
                                       "area's shape)"
                                     : "its units are not connected in the adjacency graph")});
    }
  }
  for (const auto& [id, cells] : compound_cells) {
    if (cells.size() <= 1) continue;
    std::string list;
    for (auto i : cells) list += (list.empty() ? "" : ", ") + code_of_draft[i];
    const double w = compound_weight[id];
    const bool too_big = !fixed_cells ? w > options.max_weight : w > mean * (1 + options.tolerance);
    out.push_back(PlanViolation{
        code_of_draft[*cells.begin()], area.code, "compound",
        too_big ? fmt::format("compound {} has {} {}, more than one cell may hold: split along "
                              "building lines into cells {}",
                              id, format_value(w), field, list)
                : fmt::format("compound {} ({} {}) is split into cells {} although it would fit "
                              "in one",
                              id, format_value(w), field, list)});
  }
  for (const auto& v : result.violations) {
    if (v.rule == "min" || v.rule == "max" || v.rule == "compound") continue; // explained above
    std::string code;
    if (v.part >= 0) {
      for (std::size_t i = 0; i < drafts.size(); ++i)
        if (!drafts[i].vertices.empty() && result.part[drafts[i].vertices.front()] == v.part)
          code = code_of_draft[i];
    }
    out.push_back(PlanViolation{code, area.code, v.rule, v.reason});
  }
  std::stable_sort(out.begin(), out.end(), [](const PlanViolation& a, const PlanViolation& b) {
    return a.cell_code < b.cell_code;
  });

  // --- Emit in numbering order ---------------------------------------------------------------
  outcome.cells.clear();
  for (auto i : order) {
    drafts[i].cell.code = code_of_draft[i];
    outcome.cells.push_back(std::move(drafts[i].cell));
  }
}

} // namespace gp::planner::detail
