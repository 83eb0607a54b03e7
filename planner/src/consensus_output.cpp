// Merge outputs added to the plan layers: which inputs each merged cell agrees with, and a
// layer of the units the inputs disagree about, for review (docs/user/merge.md).

#include <algorithm>
#include <map>

#include "gp/planner/plan_file.hpp"
#include "gp/planner/rebalance.hpp"

namespace gp::planner {

void add_merge_layers(std::vector<geo::Layer>& layers, const geo::Dataset& dataset,
                      const Plan& plan, const std::vector<ExistingGrid>& grids,
                      const RedrawReport& report) {
  namespace pf = plan_file;
  using geo::Value;
  auto names_of = [&](const std::vector<std::size_t>& inputs) {
    std::string text;
    for (const auto k : inputs) {
      if (!text.empty()) text += "; ";
      text += grids[k].name;
    }
    return text;
  };
  // Cell code -> inputs agreeing (codes are unique in a plan).
  std::map<std::string, const std::vector<std::size_t>*> agrees;
  for (std::size_t c = 0; c < plan.cells.size() && c < report.cell_agrees.size(); ++c)
    agrees[plan.cells[c].code] = &report.cell_agrees[c];

  for (auto& layer : layers) {
    if (layer.name != pf::layer::cells) continue;
    const int code = layer.table.find(pf::field::cell_code);
    if (code < 0) break;
    layer.table.fields.push_back(geo::Field{pf::field::agrees_with, geo::FieldType::text});
    for (auto& row : layer.table.rows) {
      const auto* c = std::get_if<std::string>(&row[static_cast<std::size_t>(code)]);
      const auto it = c ? agrees.find(*c) : agrees.end();
      row.emplace_back(it != agrees.end() ? names_of(*it->second) : std::string{});
    }
  }

  geo::Layer d;
  d.name = pf::layer::disagreements;
  bool any_footprint = false;
  for (const auto u : report.disputed_units)
    any_footprint = any_footprint || !dataset.units[u].geometry.empty();
  d.kind = any_footprint ? geo::GeometryKind::polygon : geo::GeometryKind::point;
  d.table.fields = {{pf::field::unit_id, geo::FieldType::integer},
                    {pf::field::area_code, geo::FieldType::text},
                    {pf::field::cell_code, geo::FieldType::text},
                    {pf::field::households, geo::FieldType::real},
                    {pf::field::input_codes, geo::FieldType::text},
                    {pf::field::inputs_agreeing, geo::FieldType::integer}};
  for (std::size_t i = 0; i < report.disputed_units.size(); ++i) {
    const auto u = report.disputed_units[i];
    const auto& unit = dataset.units[u];
    const auto cell = plan.unit_cell[u];
    std::string codes;
    for (std::size_t k = 0; i < report.disputed_codes.size() && k < grids.size() &&
                            k < report.disputed_codes[i].size();
         ++k) {
      if (!codes.empty()) codes += "; ";
      codes += grids[k].name + "=" + report.disputed_codes[i][k];
    }
    std::int64_t agreeing = 0;
    if (cell >= 0 && static_cast<std::size_t>(cell) < report.cell_agrees.size())
      agreeing =
          static_cast<std::int64_t>(report.cell_agrees[static_cast<std::size_t>(cell)].size());
    d.table.rows.push_back(
        {Value{static_cast<std::int64_t>(u + 1)}, Value{unit.area_code},
         cell >= 0 ? Value{plan.cells[static_cast<std::size_t>(cell)].code} : Value{},
         Value{unit.households}, Value{codes}, Value{agreeing}});
    if (any_footprint)
      d.polygons.push_back(unit.geometry);
    else
      d.points.push_back(unit.anchor);
  }
  layers.push_back(std::move(d));
}

} // namespace gp::planner
