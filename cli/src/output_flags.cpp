#include "output_flags.hpp"

#include "gp/core/error.hpp"
#include "gp/core/secrets.hpp"
#include "output.hpp"

namespace gp::cli {

void LayerOutputFlags::add_to(CLI::App& cmd, bool with_format) {
  if (with_format)
    cmd.add_option("--format", format,
                   "gpkg, shp, geojson, fgb (FlatGeobuf) or pg (default: from --out; PG:... "
                   "is PostGIS)")
        ->check(CLI::IsMember({"gpkg", "shp", "geojson", "fgb", "pg"}));
  cmd.add_option("--out-encoding", encoding,
                 "Shapefile output text encoding: UTF-8 (default), GBK or GB18030 (a .cpg "
                 "file says which)")
      ->check(CLI::IsMember(
          {"UTF-8", "utf-8", "UTF8", "GBK", "gbk", "GB18030", "gb18030", "CP936", "cp936"}));
  cmd.add_flag("--rfc7946", rfc7946,
               "GeoJSON: write RFC 7946 (EPSG:4326 longitude/latitude, counter-clockwise "
               "outer rings, bbox)");
  cmd.add_option("--schema", schema, "PostGIS: schema for the tables (created if missing)");
  cmd.add_option("--table-prefix", table_prefix,
                 "PostGIS: prefix of every table name, e.g. plan1_ (cells -> plan1_cells)");
  cmd.add_flag("--no-styles", no_styles,
               "Do not store default QGIS styles (GeoPackage layer_styles, .qml sidecars)");
}

std::string LayerOutputFlags::target(const std::string& out) const {
  if (schema.empty() && table_prefix.empty()) return out;
  return geo::postgis_address(out, schema, table_prefix);
}

geo::WriteOptions LayerOutputFlags::write_options(const std::string& out,
                                                  const std::vector<geo::OutputFormat>& allowed,
                                                  const std::string& command) const {
  geo::WriteOptions w;
  w.format = output_format(out, format, allowed, command);
  if (w.format == geo::OutputFormat::postgis && out.rfind("PG:", 0) != 0 &&
      out.rfind("pg:", 0) != 0)
    throw UsageError("--format pg needs --out PG:\"dbname=... \" (a PostGIS connection string)");
  if (!encoding.empty() && w.format != geo::OutputFormat::shp)
    throw UsageError("--out-encoding applies to Shapefile output only (GeoPackage, GeoJSON, "
                     "FlatGeobuf and PostGIS text is UTF-8)");
  if (rfc7946 && w.format != geo::OutputFormat::geojson)
    throw UsageError("--rfc7946 applies to GeoJSON output only");
  if ((!schema.empty() || !table_prefix.empty()) && w.format != geo::OutputFormat::postgis)
    throw UsageError("--schema and --table-prefix apply to PostGIS output (--out PG:...) only");
  w.encoding = encoding;
  for (char& c : w.encoding)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (w.encoding == "UTF8") w.encoding = "UTF-8";
  w.rfc7946 = rfc7946;
  w.styles = !no_styles;
  return w;
}

bool is_file_path(const std::string& text) {
  for (const char* prefix : {"PG:", "pg:", "/vsi", "MySQL:", "OCI:", "MSSQL:"})
    if (text.rfind(prefix, 0) == 0) return false;
  return text.find("://") == std::string::npos;
}

std::string shown(const std::string& text) {
  return mask_secrets(text);
}

} // namespace gp::cli
