#pragma once
// Private GDAL/OGR helpers shared by the reader and the writer. Never included by a
// public header.

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::geo::detail {

/// Registers the GDAL drivers once (thread-safe) and sets the process-wide options the
/// project relies on (traditional lon/lat axis order, OSM driver in memory mode).
void ensure_gdal();

/// While alive, GDAL messages on this thread go here instead of stderr. Warnings are
/// de-duplicated and counted ("message (x50)"); the last failure message is kept so
/// that thrown errors can quote it.
class ErrorCollector {
public:
  ErrorCollector();
  ~ErrorCollector();
  ErrorCollector(const ErrorCollector&) = delete;
  ErrorCollector& operator=(const ErrorCollector&) = delete;

  /// De-duplicated warnings in order of first appearance, prefixed with `prefix`;
  /// forgets them.
  std::vector<std::string> take_warnings(const std::string& prefix = "");
  /// The last CE_Failure/CE_Fatal message, or "" when there was none.
  const std::string& last_error() const { return last_error_; }
  void clear_error() { last_error_.clear(); }

  void add(int error_class, const char* message);

private:
  std::vector<std::string> order_;
  std::map<std::string, std::size_t> counts_;
  std::string last_error_;
};

struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(d); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

/// True when `path` names something that is not a local file (PG:, /vsi..., etc.).
bool is_connection_string(const std::string& path);

/// Polygonal parts of any OGR geometry (polygons, multipolygons, collections, curves
/// linearised), coordinates as stored (x = easting/longitude). Rings are closed.
MultiPolygon to_multipolygon(const OGRGeometry& g);
/// Linear parts of any geometry (lines, multilines, collections, curves linearised).
MultiLineString to_lines(const OGRGeometry& g);
/// True when the flattened geometry type is polygonal (incl. curve polygons/surfaces).
bool is_polygonal(OGRwkbGeometryType t);
bool is_linear(OGRwkbGeometryType t);
bool is_point(OGRwkbGeometryType t);

std::unique_ptr<OGRMultiPolygon> make_ogr(const MultiPolygon& g);
std::unique_ptr<OGRMultiLineString> make_ogr(const MultiLineString& g);
std::unique_ptr<OGRPoint> make_ogr(const Point& p);

/// "EPSG:4326" when the CRS has an authority code, else its name; "" for null.
std::string short_crs_name(const OGRSpatialReference* srs);
/// WKT2 of an OGR CRS ("" for null).
std::string to_wkt(const OGRSpatialReference& srs);

/// Replaces invalid UTF-8 sequences by U+FFFD so nothing printed is ever mojibake-prone
/// raw bytes. Returns true when the input was already valid.
bool is_valid_utf8(const std::string& s);
std::string sanitize_utf8(const std::string& s);

} // namespace gp::geo::detail
