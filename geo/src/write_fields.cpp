#include "write_fields.hpp"

#include <algorithm>
#include <cmath>

#include "gp/core/secrets.hpp"

namespace gp::geo::detail {

bool is_count_field(const std::string& name) {
  return name == "households" || name == "population";
}

std::vector<OutputColumn> output_columns(const Layer& layer) {
  const std::string& layer_name = layer.name;
  const Table& table = layer.table;
  const bool metadata =
      layer_name.size() >= 8 && layer_name.compare(layer_name.size() - 8, 8, "metadata") == 0;
  // Count fields without an `_exact` partner, and whether all their values are whole (one
  // pass over the rows, which a generated layer makes anew).
  std::vector<std::size_t> counts;
  for (std::size_t i = 0; i < table.fields.size(); ++i)
    if (table.fields[i].type == FieldType::real && is_count_field(table.fields[i].name) &&
        table.find(table.fields[i].name + exact_suffix) < 0)
      counts.push_back(i);
  std::vector<char> whole(table.fields.size(), 1);
  if (!counts.empty())
    for_each_row(layer, [&](std::size_t, const std::vector<Value>& row) {
      for (const auto i : counts)
        if (const auto* d = std::get_if<double>(&row[i]))
          whole[i] = whole[i] && std::isfinite(*d) && *d == std::round(*d) && std::fabs(*d) < 9e15;
    });
  std::vector<OutputColumn> out;
  for (std::size_t i = 0; i < table.fields.size(); ++i) {
    const Field& f = table.fields[i];
    if (f.type == FieldType::integer) {
      out.push_back({f.name, OFTInteger64, i, OutputColumn::Mode::copy});
    } else if (std::find(counts.begin(), counts.end(), i) != counts.end()) {
      out.push_back({f.name, OFTInteger64, i, OutputColumn::Mode::round});
      if (whole[i] == 0)
        out.push_back({f.name + exact_suffix, OFTReal, i, OutputColumn::Mode::copy});
    } else if (f.type == FieldType::real) {
      out.push_back({f.name, OFTReal, i, OutputColumn::Mode::copy});
    } else {
      out.push_back(
          {f.name, OFTString, i, metadata ? OutputColumn::Mode::mask : OutputColumn::Mode::copy});
    }
  }
  return out;
}

void set_fields(OGRFeature& feature, const std::vector<Value>& row,
                const std::vector<OutputColumn>& columns) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const int fi = static_cast<int>(c);
    const OutputColumn& col = columns[c];
    const Value& v = row[col.source];
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
      feature.SetField(fi, static_cast<GIntBig>(*i));
    } else if (const auto* d = std::get_if<double>(&v)) {
      if (col.mode == OutputColumn::Mode::round && std::isfinite(*d))
        feature.SetField(fi, static_cast<GIntBig>(std::llround(*d)));
      else if (col.mode == OutputColumn::Mode::round)
        feature.SetFieldNull(fi);
      else
        feature.SetField(fi, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      feature.SetField(fi, col.mode == OutputColumn::Mode::mask ? mask_secrets(*s).c_str()
                                                                : s->c_str());
    } else {
      feature.SetFieldNull(fi);
    }
  }
}

} // namespace gp::geo::detail
