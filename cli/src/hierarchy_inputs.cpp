// Reading street and district layers for the hierarchy report. See hierarchy_inputs.hpp.

#include "hierarchy_inputs.hpp"

#include <fmt/core.h>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"

namespace gp::cli {
namespace {

int field_of(const geo::Table& t, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (const int i = t.find(n); i >= 0) return i;
  return -1;
}

std::string text_of(const geo::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{:.0f}", *d);
  return {};
}

void read_level(const std::string& path, const std::string& layer_name, geo::AreaLevel level,
                const std::string& work_crs, std::vector<geo::Area>& out) {
  geo::Layer layer = geo::read_layer(path, layer_name, work_crs);
  if (layer.kind != geo::GeometryKind::polygon)
    throw InputError(path, layer.name, std::nullopt, "is not a polygon layer of areas");
  const int code = field_of(layer.table, {"code", "编码", "CODE"});
  const int name = field_of(layer.table, {"name", "名称", "NAME"});
  const int parent = field_of(layer.table, {"parent_code", "上级编码", "PARENT_CODE"});
  if (code < 0) throw InputError(path, layer.name, std::nullopt, "has no code field (code, 编码)");
  for (std::size_t f = 0; f < layer.table.rows.size(); ++f) {
    const auto& row = layer.table.rows[f];
    geo::Area a;
    a.level = level;
    a.code = text_of(row[static_cast<std::size_t>(code)]);
    if (a.code.empty())
      throw InputError(path, layer.name, static_cast<long long>(f), "area has no code");
    if (name >= 0) a.name = text_of(row[static_cast<std::size_t>(name)]);
    if (parent >= 0) a.parent_code = text_of(row[static_cast<std::size_t>(parent)]);
    a.geometry = std::move(layer.polygons[f]);
    a.source_fid = static_cast<std::int64_t>(f);
    out.push_back(std::move(a));
  }
}

} // namespace

std::vector<geo::Area> read_parent_areas(const PlanInputFlags& inputs,
                                         const std::string& work_crs) {
  std::vector<geo::Area> out;
  auto from_city = [&](const std::vector<std::string>& names) -> std::string {
    if (inputs.city.empty()) return {};
    for (const auto& l : geo::list_layers(inputs.city, geo::ReadOptions{}))
      for (const auto& n : names)
        if (l.name == n) return l.name;
    return {};
  };
  auto read = [&](const std::string& flag, const std::vector<std::string>& names,
                  geo::AreaLevel level) {
    if (!flag.empty()) {
      const auto spec = geo::SourceSpec::parse(flag);
      std::string layer = spec.layer;
      if (layer.empty()) {
        const auto layers = geo::list_layers(spec.path, geo::ReadOptions{});
        if (layers.empty()) throw InputError(spec.path, "has no layer");
        layer = layers.front().name;
      }
      read_level(spec.path, layer, level, work_crs, out);
    } else if (const auto layer = from_city(names); !layer.empty()) {
      read_level(inputs.city, layer, level, work_crs, out);
    }
  };
  read(inputs.streets, {"streets", "street", "街道"}, geo::AreaLevel::street);
  read(inputs.districts, {"district", "districts", "区县"}, geo::AreaLevel::district);
  return out;
}

planner::Hierarchy hierarchy_report(const PlanInputFlags& inputs, const geo::Dataset& dataset,
                                    const planner::Plan* plan) {
  return planner::build_hierarchy(dataset, plan, read_parent_areas(inputs, dataset.work_crs));
}

} // namespace gp::cli
