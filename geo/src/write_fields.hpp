#pragma once
// Private: how a layer's fields are written. Counts are written as integers (households
// given as whole numbers stay whole; estimates are rounded, with full precision kept in a
// `<name>_exact` real field that read_layer folds back); text in metadata tables has
// passwords masked.

#include <ogrsf_frmts.h>

#include <string>
#include <vector>

#include "gp/geo/table.hpp"

namespace gp::geo::detail {

/// Suffix of the field holding a rounded count's full-precision value.
inline constexpr const char* exact_suffix = "_exact";

/// True for the real fields written as counts: "households" and "population".
bool is_count_field(const std::string& name);

struct OutputColumn {
  std::string name;   ///< field name in the model (before Shapefile truncation)
  OGRFieldType type;  ///< field type written
  std::size_t source; ///< index of the model field it comes from
  enum class Mode { copy, round, mask } mode = Mode::copy;
};

/// The columns written for `layer`: each field in order, a count field as OFTInteger64
/// (rounded), followed by `<name>_exact` (OFTReal) when some value is not whole; text
/// fields of a metadata table (layer name ending in "metadata") masked.
std::vector<OutputColumn> output_columns(const Layer& layer);

/// Sets the values of `row` on `feature` (field i = columns[i]).
void set_fields(OGRFeature& feature, const std::vector<Value>& row,
                const std::vector<OutputColumn>& columns);

} // namespace gp::geo::detail
