#pragma once
// Private: opening a source and choosing its layer, shared by read_dataset, list_layers
// and read_layer.

#include <optional>
#include <string>
#include <vector>

#include "gdal_util.hpp"
#include "gp/geo/io.hpp"

namespace gp::geo::detail {

enum class Role { units, areas, compounds, barriers, facilities, any };
const char* role_name(Role r);

/// Throws UsageError when `encoding` (an --encoding value) is not known to iconv; "" passes.
void check_encoding(const std::string& encoding);

struct OpenedSource {
  DatasetPtr ds;
  std::string path;   ///< as the user wrote it (for messages)
  std::string driver; ///< GDAL short name
  bool osm = false;
  std::string encoding;           ///< Shapefile: the encoding used ("" elsewhere)
  std::vector<std::string> notes; ///< e.g. "no .cpg: guessed GB18030"
};

/// Opens a vector source read-only. `encoding` is passed to the Shapefile driver; for a
/// shapefile without .cpg/LDID the encoding is guessed (UTF-8 if every string is valid
/// UTF-8, else GB18030) and noted. Throws InputError (missing, empty, unreadable, a
/// node-link graph JSON instead of a GIS layer).
OpenedSource open_source(const std::string& path, const std::string& encoding,
                         ErrorCollector& errors);

/// The layer for `role`: the named one (InputError listing the layers if absent), else
/// by rules (OSM layer by role, the only layer, a layer named after the role, the first
/// layer with suitable geometry). Throws InputError when no choice can be made.
OGRLayer* choose_layer(OpenedSource& src, const std::string& layer_name, Role role);

/// Names of all layers, comma separated (for messages).
std::string layer_names(GDALDataset& ds);

/// The value of one OGR field as a model Value (UTF-8 text, sanitised).
Value field_value(const OGRFeature& f, int index, OGRFieldType type);
FieldType to_field_type(OGRFieldType t);

} // namespace gp::geo::detail
