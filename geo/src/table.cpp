#include "gp/geo/table.hpp"

#include <charconv>
#include <fmt/core.h>

namespace gp::geo {

int Table::find(const std::string& name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

std::string value_text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

std::optional<double> value_number(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    const char* first = s->data();
    const char* last = first + s->size();
    while (first < last && *first == ' ') ++first;
    while (last > first && last[-1] == ' ') --last;
    if (first == last) return std::nullopt;
    double x = 0;
    const auto [end, ec] = std::from_chars(first, last, x);
    if (ec == std::errc{} && end == last) return x;
  }
  return std::nullopt;
}

void for_each_row(const Layer& layer,
                  const std::function<void(std::size_t row, const std::vector<Value>&)>& visit) {
  if (!layer.source) {
    for (std::size_t r = 0; r < layer.table.rows.size(); ++r) visit(r, layer.table.rows[r]);
    return;
  }
  std::vector<Value> values;
  for (std::size_t r = 0; r < layer.source->rows; ++r) {
    layer.source->fill(r, values);
    visit(r, values);
  }
}

void materialize(Layer& layer) {
  if (!layer.source) return;
  const RowSource source = std::move(*layer.source);
  layer.source.reset();
  layer.table.rows.resize(source.rows);
  for (std::size_t r = 0; r < source.rows; ++r) {
    source.fill(r, layer.table.rows[r]);
    if (layer.kind == GeometryKind::polygon) layer.polygons.push_back(source.polygon(r));
    if (layer.kind == GeometryKind::point) layer.points.push_back(source.point(r));
  }
}

} // namespace gp::geo
