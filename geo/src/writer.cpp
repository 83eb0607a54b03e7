// write_layers: GeoPackage, Shapefile, GeoJSON, CSV and PostGIS through OGR, atomically
// (temporary file or directory next to the target, renamed into place at the end).

#include <cpl_string.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "gdal_util.hpp"
#include "gp/core/error.hpp"
#include "gp/core/output_file.hpp"
#include "gp/core/secrets.hpp"
#include "gp/geo/crs.hpp"
#include "gp/geo/io.hpp"
#include "gp/geo/styles.hpp"
#include "postgis.hpp"
#include "write_fields.hpp"

namespace gp::geo {
namespace fs = std::filesystem;
using detail::DatasetPtr;
using detail::ErrorCollector;

namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

/// Byte length of the UTF-8 sequence starting with `c`.
std::size_t utf8_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  return 4;
}

struct Target {
  std::string crs_wkt; ///< "" = write without CRS
  std::optional<Transformer> transform;
};

Target make_target(const WriteOptions& o) {
  Target t;
  if (o.geometry_crs.empty()) {
    if (!o.out_crs.empty())
      throw UsageError("cannot reproject to " + o.out_crs + ": the layers' CRS is not known");
    return t;
  }
  const std::string to = o.out_crs.empty() ? o.geometry_crs : o.out_crs;
  t.crs_wkt = crs_to_wkt(to);
  t.transform.emplace(o.geometry_crs, to);
  if (t.transform->is_identity()) t.transform.reset();
  return t;
}

OGRwkbGeometryType ogr_type(GeometryKind k) {
  switch (k) {
  case GeometryKind::none:
    return wkbNone;
  case GeometryKind::point:
    return wkbPoint;
  case GeometryKind::line:
    return wkbMultiLineString;
  case GeometryKind::polygon:
    return wkbMultiPolygon;
  }
  return wkbUnknown;
}

void check_layer(const Layer& l) {
  if (l.source) {
    const bool ok = l.kind == GeometryKind::none      ? true
                    : l.kind == GeometryKind::polygon ? static_cast<bool>(l.source->polygon)
                    : l.kind == GeometryKind::point   ? static_cast<bool>(l.source->point)
                                                      : false;
    if (!ok || !l.source->fill || !l.table.rows.empty())
      throw Error("layer '" + l.name +
                  "': a generated layer needs a fill function, the geometry of its kind and "
                  "no stored rows");
    return;
  }
  const auto n = l.table.rows.size();
  for (const auto& r : l.table.rows)
    if (r.size() != l.table.fields.size())
      throw Error("layer '" + l.name + "': a row has " + std::to_string(r.size()) + " values for " +
                  std::to_string(l.table.fields.size()) + " fields");
  const bool ok = l.kind == GeometryKind::none      ? true
                  : l.kind == GeometryKind::polygon ? l.polygons.size() == n
                  : l.kind == GeometryKind::line    ? l.lines.size() == n
                                                    : l.points.size() == n;
  if (!ok) throw Error("layer '" + l.name + "': geometry count differs from row count");
}

/// Writes one layer into an open dataset. Field names are used as given unless `names`
/// (Shapefile truncation) is non-empty.
void write_layer(GDALDataset& ds, const Layer& l, const Target& target,
                 const std::vector<std::string>& names, const std::vector<std::string>& lco,
                 const WriteOptions& o, ErrorCollector& errors, const std::string& shown_path,
                 double progress_from, double progress_to) {
  OGRSpatialReference srs;
  OGRSpatialReference* srs_ptr = nullptr;
  if (l.kind != GeometryKind::none && !target.crs_wkt.empty()) {
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (srs.importFromWkt(target.crs_wkt.c_str()) != OGRERR_NONE)
      throw OutputError(shown_path + ": cannot express the output CRS for GDAL");
    srs_ptr = &srs;
  }
  CPLStringList options;
  for (const auto& s : lco) options.AddString(s.c_str());
  errors.clear_error();
  OGRLayer* layer = ds.CreateLayer(l.name.c_str(), srs_ptr, ogr_type(l.kind), options.List());
  if (layer == nullptr)
    throw OutputError(shown_path + ": cannot create layer '" + l.name +
                      "': " + errors.last_error());
  // Counts become integers (plus a full-precision `_exact` field), metadata text is masked.
  const std::vector<detail::OutputColumn> columns = detail::output_columns(l);
  std::vector<std::string> field_names;
  for (const auto& c : columns) field_names.push_back(c.name);
  // Non-empty `names` means Shapefile: truncate the written names for the DBF.
  if (!names.empty())
    field_names = shapefile_field_names(field_names, o.encoding.empty() ? "UTF-8" : o.encoding);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    OGRFieldDefn defn(field_names[i].c_str(), columns[i].type);
    if (layer->CreateField(&defn) != OGRERR_NONE)
      throw OutputError(shown_path + ": layer '" + l.name + "': cannot create field '" +
                        columns[i].name + "': " + errors.last_error());
  }
  const bool transaction = ds.StartTransaction(FALSE) == OGRERR_NONE;
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  const auto n = l.size();
  std::vector<Value> generated; // the row a RowSource made
  for (std::size_t r = 0; r < n; ++r) {
    OGRFeature feature(defn);
    if (l.source) {
      l.source->fill(r, generated);
      if (generated.size() != l.table.fields.size())
        throw Error("layer '" + l.name + "': row " + std::to_string(r) + " has " +
                    std::to_string(generated.size()) + " values for " +
                    std::to_string(l.table.fields.size()) + " fields");
    }
    detail::set_fields(feature, l.source ? generated : l.table.rows[r], columns);
    switch (l.kind) {
    case GeometryKind::polygon: {
      const MultiPolygon& stored = l.source ? l.source->polygon(r) : l.polygons[r];
      if (target.transform) {
        MultiPolygon g = stored;
        target.transform->apply_in_place(g);
        feature.SetGeometryDirectly(detail::make_ogr(g).release());
      } else {
        feature.SetGeometryDirectly(detail::make_ogr(stored).release());
      }
      break;
    }
    case GeometryKind::line: {
      MultiLineString g = l.lines[r];
      if (target.transform)
        for (auto& line : g) target.transform->apply_in_place(line);
      feature.SetGeometryDirectly(detail::make_ogr(g).release());
      break;
    }
    case GeometryKind::point: {
      const Point stored = l.source ? l.source->point(r) : l.points[r];
      const Point p = target.transform ? target.transform->apply(stored) : stored;
      feature.SetGeometryDirectly(detail::make_ogr(p).release());
      break;
    }
    case GeometryKind::none:
      break;
    }
    if (layer->CreateFeature(&feature) != OGRERR_NONE)
      throw OutputError(shown_path + ": layer '" + l.name + "': feature " + std::to_string(r) +
                        ": cannot write: " + errors.last_error());
    if (o.progress && (r % 8192) == 0 && n > 0)
      o.progress(progress_from + (progress_to - progress_from) * static_cast<double>(r) /
                                     static_cast<double>(n),
                 "writing " + l.name);
  }
  if (transaction && ds.CommitTransaction() != OGRERR_NONE)
    throw OutputError(shown_path + ": layer '" + l.name +
                      "': commit failed: " + errors.last_error());
}

DatasetPtr create_dataset(const char* driver_name, const std::string& path,
                          const std::vector<std::string>& dsco, ErrorCollector& errors,
                          const std::string& shown_path) {
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver_name);
  if (drv == nullptr) throw OutputError(std::string("GDAL driver ") + driver_name + " missing");
  CPLStringList options;
  for (const auto& s : dsco) options.AddString(s.c_str());
  errors.clear_error();
  DatasetPtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, options.List()));
  if (!ds) throw OutputError(shown_path + ": cannot create: " + errors.last_error());
  return ds;
}

void close_checked(DatasetPtr& ds, ErrorCollector& errors, const std::string& shown_path) {
  errors.clear_error();
  ds.reset(); // flushes
  if (!errors.last_error().empty())
    throw OutputError(shown_path + ": error while finishing the file: " + errors.last_error());
}

std::string extension_of(OutputFormat f) {
  switch (f) {
  case OutputFormat::gpkg:
    return ".gpkg";
  case OutputFormat::shp:
    return ".shp";
  case OutputFormat::geojson:
    return ".geojson";
  case OutputFormat::fgb:
    return ".fgb";
  case OutputFormat::csv:
    return ".csv";
  case OutputFormat::postgis:
    break;
  }
  return "";
}

/// GeoJSON layer options: RFC 7946 (GDAL reprojects to EPSG:4326, orders rings, writes a
/// bbox) when asked, else GDAL's default GeoJSON 2008 with the layer's CRS.
std::vector<std::string> geojson_options(const WriteOptions& o) {
  if (o.rfc7946) return {"WRITE_NAME=NO", "RFC7946=YES", "WRITE_BBOX=YES"};
  return {"WRITE_NAME=NO"};
}

/// One layer into one new file of a single-layer format.
void write_single(const fs::path& file, const Layer& l, OutputFormat f, const Target& target,
                  const WriteOptions& o, ErrorCollector& errors, const std::string& shown_path,
                  double progress_from, double progress_to) {
  switch (f) {
  case OutputFormat::csv: {
    DatasetPtr ds = create_dataset("CSV", file.string(), {}, errors, shown_path);
    write_layer(*ds, l, target, {}, {"GEOMETRY=AS_WKT", "CREATE_CSVT=YES"}, o, errors, shown_path,
                progress_from, progress_to);
    close_checked(ds, errors, shown_path);
    return;
  }
  case OutputFormat::geojson: {
    DatasetPtr ds = create_dataset("GeoJSON", file.string(), {}, errors, shown_path);
    write_layer(*ds, l, target, {}, geojson_options(o), o, errors, shown_path, progress_from,
                progress_to);
    close_checked(ds, errors, shown_path);
    return;
  }
  case OutputFormat::fgb: {
    DatasetPtr ds = create_dataset("FlatGeobuf", file.string(), {}, errors, shown_path);
    write_layer(*ds, l, target, {}, {"SPATIAL_INDEX=YES"}, o, errors, shown_path, progress_from,
                progress_to);
    close_checked(ds, errors, shown_path);
    return;
  }
  case OutputFormat::shp: {
    DatasetPtr ds = create_dataset("ESRI Shapefile", file.string(), {}, errors, shown_path);
    std::vector<std::string> names;
    for (const auto& field : l.table.fields) names.push_back(field.name);
    const std::string enc = o.encoding.empty() ? "UTF-8" : o.encoding;
    write_layer(*ds, l, target, shapefile_field_names(names, enc), {"ENCODING=" + enc}, o, errors,
                shown_path, progress_from, progress_to);
    close_checked(ds, errors, shown_path);
    return;
  }
  case OutputFormat::gpkg:
  case OutputFormat::postgis:
    break;
  }
  throw Error("write_single: not a single-layer format");
}

/// Creates the address's schema when missing. GDAL applies active_schema= only to a schema
/// that exists when the connection opens, so this runs on a connection of its own first.
void create_schema(const detail::PgAddress& address, const std::string& shown,
                   ErrorCollector& errors) {
  std::string plain = address.connection;
  const auto p = plain.find("active_schema=");
  const auto e = plain.find(' ', p);
  plain.erase(p, e == std::string::npos ? std::string::npos : e - p + 1);
  errors.clear_error();
  DatasetPtr ds(
      GDALDataset::Open(plain.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
  if (!ds) throw OutputError(shown + ": cannot connect: " + errors.last_error());
  const std::string sql = "CREATE SCHEMA IF NOT EXISTS \"" + address.schema + "\"";
  ds->ReleaseResultSet(ds->ExecuteSQL(sql.c_str(), nullptr, nullptr));
  if (!errors.last_error().empty())
    throw OutputError(shown + ": cannot create schema '" + address.schema +
                      "': " + errors.last_error());
}

/// `text` as an SQL string literal.
std::string sql_literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// The layers' default styles into the database's layer_styles table, where QGIS's
/// PostgreSQL provider finds a layer's default style (the table as QGIS 3.22 creates it, in
/// `public`). Best effort inside a savepoint: a user who may not create tables in `public`
/// (PostgreSQL 15's default) still gets the data, unstyled.
void write_postgis_styles(GDALDataset& ds, const detail::PgAddress& address,
                          const std::vector<Layer>& layers, ErrorCollector& errors) {
  auto exec = [&](const std::string& sql) {
    errors.clear_error();
    ds.ReleaseResultSet(ds.ExecuteSQL(sql.c_str(), nullptr, nullptr));
    return errors.last_error().empty();
  };
  if (!exec("SAVEPOINT gridplan_styles")) return;
  bool ok = exec("CREATE TABLE IF NOT EXISTS public.layer_styles(id SERIAL PRIMARY KEY,"
                 "f_table_catalog varchar,f_table_schema varchar,f_table_name varchar,"
                 "f_geometry_column varchar,styleName text,styleQML xml,styleSLD xml,"
                 "useAsDefault boolean,description text,owner varchar(63) DEFAULT CURRENT_USER,"
                 "ui xml,update_time timestamp DEFAULT CURRENT_TIMESTAMP,type varchar)");
  const std::string schema =
      address.schema.empty() ? std::string("current_schema()") : sql_literal(address.schema);
  for (const auto& l : layers) {
    if (!ok) break;
    const LayerStyle style = default_style(l);
    if (style.qml.empty()) continue;
    const std::string where = "f_table_catalog=current_database() AND f_table_schema=" + schema +
                              " AND f_table_name=" + sql_literal(address.prefix + l.name);
    ok = exec("DELETE FROM public.layer_styles WHERE " + where +
              " AND styleName=" + sql_literal(style.name)) &&
         exec("UPDATE public.layer_styles SET useAsDefault=false WHERE " + where) &&
         exec("INSERT INTO public.layer_styles(f_table_catalog,f_table_schema,f_table_name,"
              "f_geometry_column,styleName,styleQML,styleSLD,useAsDefault,description,type) "
              "VALUES (current_database()," +
              schema + "," + sql_literal(address.prefix + l.name) + ",'geom'," +
              sql_literal(style.name) + "," + sql_literal(style.qml) + "," +
              sql_literal(style.sld) + ",true," + sql_literal(style.description) + ",NULL)");
  }
  exec(ok ? "RELEASE SAVEPOINT gridplan_styles" : "ROLLBACK TO SAVEPOINT gridplan_styles");
  errors.clear_error();
}

/// PostGIS: every layer as table <prefix><name> (in the address's active_schema, created
/// when missing), all in one transaction, so an --overwrite that fails half-way leaves the
/// old tables as they were. The address is masked wherever it is shown.
void write_postgis(const std::string& path, const std::vector<Layer>& layers, const WriteOptions& o,
                   const Target& target, ErrorCollector& errors) {
  const detail::PgAddress address = detail::PgAddress::parse(path);
  const std::string shown = mask_secrets(path);
  if (!address.schema.empty()) create_schema(address, shown, errors);
  errors.clear_error();
  GDALDataset* raw = GDALDataset::Open(address.connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE,
                                       nullptr, nullptr, nullptr);
  if (raw == nullptr) throw OutputError(shown + ": cannot connect: " + errors.last_error());
  DatasetPtr ds(raw);
  // An input plan in the same database and prefix (simulate --out into the plan's tables).
  for (const auto& input : o.inputs) {
    if (!detail::is_postgis(input)) continue;
    const detail::PgAddress in = detail::PgAddress::parse(input);
    if (in.connection != address.connection || in.prefix != address.prefix) continue;
    for (const auto& l : layers)
      if (ds->GetLayerByName((address.prefix + l.name).c_str()) != nullptr)
        throw OutputError(shown + ": table '" + address.prefix + l.name +
                          "' belongs to the input; refusing to overwrite it (use --table-prefix)");
  }
  for (const auto& l : layers)
    if (ds->GetLayerByName((address.prefix + l.name).c_str()) != nullptr && !o.overwrite)
      throw OutputError(shown + ": table '" + address.prefix + l.name +
                        "' exists (use --overwrite to replace it)");
  // One transaction for everything: either all tables are replaced or none.
  if (ds->StartTransaction(TRUE) != OGRERR_NONE)
    throw OutputError(shown + ": cannot start a transaction: " + errors.last_error());
  try {
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const std::vector<std::string> lco = {"OVERWRITE=YES", "SPATIAL_INDEX=GIST",
                                            "GEOMETRY_NAME=geom", "FID=fid", "LAUNDER=NO"};
      const double from = static_cast<double>(i) / static_cast<double>(layers.size());
      const double to = static_cast<double>(i + 1) / static_cast<double>(layers.size());
      // Inside a dataset transaction write_layer's own transaction is a no-op.
      if (address.prefix.empty()) {
        write_layer(*ds, layers[i], target, {}, lco, o, errors, shown, from, to);
      } else {
        Layer renamed = layers[i]; // a copy: table names carry the prefix
        renamed.name = address.prefix + renamed.name;
        write_layer(*ds, renamed, target, {}, lco, o, errors, shown, from, to);
      }
    }
    if (o.styles) write_postgis_styles(*ds, address, layers, errors);
  } catch (...) {
    ds->RollbackTransaction();
    throw;
  }
  if (ds->CommitTransaction() != OGRERR_NONE)
    throw OutputError(shown + ": commit failed: " + errors.last_error());
  if (o.progress) o.progress(1.0, "written");
}

/// The default styles of `layers` as QGIS's `layer_styles` table (a GeoPackage attributes
/// table: QGIS loads the row with useAsDefault=1 of a layer when it opens it).
Layer layer_styles_table(const std::vector<Layer>& layers) {
  Layer t;
  t.name = "layer_styles";
  t.kind = GeometryKind::none;
  const std::vector<std::string> names = {
      "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
      "styleName",       "styleQML",       "styleSLD",     "useAsDefault",
      "description",     "owner",          "ui",           "update_time"};
  for (const auto& n : names)
    t.table.fields.push_back({n, n == "useAsDefault" ? FieldType::integer : FieldType::text});
  for (const auto& l : layers) {
    const LayerStyle style = default_style(l);
    if (style.qml.empty()) continue;
    t.table.rows.push_back({std::string(), std::string(), l.name, std::string("geom"), style.name,
                            style.qml, style.sld, std::int64_t{1}, style.description,
                            std::string("gridplan"), std::monostate{},
                            std::string("1970-01-01T00:00:00Z")}); // reproducible files
  }
  return t;
}

/// `dir`/<layer>.qml for every layer with a default style: QGIS loads a .qml beside a
/// file-based layer as its default style.
void write_qml_sidecars(const fs::path& dir, const std::vector<Layer>& layers,
                        const std::string& shown_path) {
  for (const auto& l : layers) {
    if (l.kind == GeometryKind::none) continue;
    const LayerStyle style = default_style(l);
    if (style.qml.empty()) continue;
    std::ofstream out(dir / (l.name + ".qml"), std::ios::binary);
    out << style.qml;
    if (!out) throw OutputError(shown_path + ": cannot write " + l.name + ".qml");
  }
}

} // namespace

std::vector<std::string> shapefile_field_names(const std::vector<std::string>& names,
                                               const std::string& encoding) {
  const bool gbk = !encoding.empty() && lower(encoding) != "utf-8" && lower(encoding) != "utf8";
  std::vector<std::string> out;
  std::set<std::string> used; // DBF field names are case-insensitive
  for (const auto& name : names) {
    // Cut at a character boundary so that the name fits 10 bytes in the output encoding
    // (UTF-8: 1-4 bytes per character; GBK: 1 for ASCII, 2 otherwise).
    auto cut = [&](std::size_t max_bytes) {
      std::string s;
      std::size_t bytes = 0;
      for (std::size_t i = 0; i < name.size();) {
        const std::size_t len = utf8_len(static_cast<unsigned char>(name[i]));
        const std::size_t cost = gbk ? (len == 1 ? 1 : 2) : len;
        if (bytes + cost > max_bytes) break;
        s.append(name, i, len);
        bytes += cost;
        i += len;
      }
      return s;
    };
    std::string candidate = cut(10);
    for (int n = 1; used.count(lower(candidate)) > 0; ++n) {
      std::string suffix = std::to_string(n);
      suffix.insert(suffix.begin(), '_'); // not "_" + ...: GCC 12 -Wrestrict false positive
      candidate = cut(10 - suffix.size());
      candidate += suffix;
    }
    used.insert(lower(candidate));
    out.push_back(candidate);
  }
  return out;
}

const std::vector<std::string>& directory_output_extensions() {
  static const std::vector<std::string> ext = {".shp", ".shx",  ".dbf",     ".prj",  ".cpg", ".qix",
                                               ".csv", ".csvt", ".geojson", ".json", ".fgb"};
  return ext;
}

bool output_is_directory(const std::string& path, OutputFormat format, std::size_t layer_count) {
  const std::string ext = lower(fs::path(path).extension().string());
  std::optional<OutputFormat> named;
  if (!ext.empty()) {
    // An unknown extension with an explicit format: the user chose the name.
    if (is_known_output_extension(path)) named = format_from_path(path);
  }
  if (named && *named != format)
    throw UsageError(path + ": the name says " + format_name(*named) + " but the format is " +
                     format_name(format) + "; give a matching name or --format");
  switch (format) {
  case OutputFormat::gpkg:
  case OutputFormat::postgis:
    return false;
  case OutputFormat::shp:
    if (named)
      throw UsageError(path + ": a Shapefile output is a directory with one .shp per layer; " +
                       "give a directory name (e.g. --format shp --out plan_shp)");
    return true;
  case OutputFormat::geojson:
  case OutputFormat::fgb:
  case OutputFormat::csv:
    if (layer_count <= 1) return false;
    if (named)
      throw UsageError(path + ": " + format_name(format) + " holds one layer per file and there " +
                       "are " + std::to_string(layer_count) +
                       "; give a directory name (one file per layer) or use gpkg");
    return true;
  }
  return false;
}

void write_layers(const std::string& path, const std::vector<Layer>& layers,
                  const WriteOptions& options) {
  detail::ensure_gdal();
  ErrorCollector errors;
  if (layers.empty()) throw Error("write_layers: no layers to write");
  std::set<std::string> seen;
  for (const auto& l : layers) {
    check_layer(l);
    if (!seen.insert(lower(l.name)).second)
      throw Error("write_layers: two layers are named '" + l.name + "'");
  }
  const Target target = make_target(options);
  if (options.format == OutputFormat::postgis || detail::is_postgis(path)) {
    write_postgis(path, layers, options, target, errors);
    return;
  }

  const bool directory = output_is_directory(path, options.format, layers.size());
  check_output_path(path, options.inputs, options.overwrite,
                    directory ? OutputKind::directory : OutputKind::file,
                    directory_output_extensions());
  AtomicOutput output(path, options.overwrite, directory ? OutputKind::directory : OutputKind::file,
                      directory_output_extensions());
  const fs::path temp = output.temp_path();
  auto progress_range = [&](std::size_t i) {
    return std::pair<double, double>{static_cast<double>(i) / static_cast<double>(layers.size()),
                                     static_cast<double>(i + 1) /
                                         static_cast<double>(layers.size())};
  };
  if (options.format == OutputFormat::gpkg) {
    DatasetPtr ds = create_dataset("GPKG", temp.string(), {}, errors, path);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const auto [a, b] = progress_range(i);
      write_layer(*ds, layers[i], target, {}, {"SPATIAL_INDEX=YES", "FID=fid"}, options, errors,
                  path, a, b);
    }
    const bool has_styles = std::any_of(layers.begin(), layers.end(), [](const Layer& l) {
      return l.name == "layer_styles"; // a copy of a styled GeoPackage keeps its own
    });
    if (options.styles && !has_styles) {
      const Layer styles = layer_styles_table(layers);
      if (!styles.table.rows.empty())
        write_layer(*ds, styles, target, {}, {"FID=id"}, options, errors, path, 1, 1);
    }
    close_checked(ds, errors, path);
  } else if (!directory) {
    write_single(temp, layers[0], options.format, target, options, errors, path, 0, 1);
  } else {
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const Layer& l = layers[i];
      const auto [a, b] = progress_range(i);
      const bool as_csv = options.format == OutputFormat::csv || l.kind == GeometryKind::none;
      const OutputFormat f = as_csv ? OutputFormat::csv : options.format;
      write_single(temp / (l.name + extension_of(f)), l, f, target, options, errors, path, a, b);
    }
  }
  if (directory && options.styles) write_qml_sidecars(temp, layers, path);
  output.commit();
  if (options.progress) options.progress(1.0, "written");
}

} // namespace gp::geo
