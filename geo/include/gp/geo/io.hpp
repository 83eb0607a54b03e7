#pragma once
// Reading any OGR source into the model and writing layers out. The only door to GDAL.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gp/core/progress.hpp"
#include "gp/geo/households.hpp"
#include "gp/geo/model.hpp"
#include "gp/geo/table.hpp"

namespace gp::geo {

/// "SRC[:LAYER]" or "SRC|layer=LAYER". SRC may be a path, a `PG:` connection string or any
/// GDAL name. A `|layer=NAME` (or QGIS's `|layername=NAME`) suffix always names the layer;
/// otherwise the layer part is split off at the last ':' only when what precedes it is an
/// existing file (so "PG:dbname=x" and "C:/x" keep their colons). GDAL's own `tables=`
/// option in a PG: string also works (a source with one table needs no layer).
/// to_string() writes connection strings with `|layer=`, files with `:`; parse() reads both.
struct SourceSpec {
  std::string path;
  std::string layer; ///< empty: the only/first suitable layer
  static SourceSpec parse(const std::string& text);
  std::string to_string() const;
};

/// Field names to use instead of auto-detection (empty = detect). Detection knows
/// common English and Chinese names: households/户数, population/人口,
/// floors/levels/building:levels/层数, height/高度, compound/小区, code/编码, name/名称.
struct FieldMapping {
  std::string households, population, floors, height, compound, code, name, type;
  std::string parent_code, level, floor_area;

  /// Reads a mapping file: TOML with keys named after the roles above, at top level or
  /// under a [fields] table, e.g. `households = "HU"`. Unknown keys are a UsageError.
  static FieldMapping from_file(const std::string& path);
  /// Role/field pairs of the non-empty entries, roles in declaration order.
  std::vector<std::pair<std::string, std::string>> entries() const;
  /// Sets a role by name ("households", ..., "floor_area"); false for an unknown role.
  bool set(const std::string& role, const std::string& field);
};

/// Which of `field_names` play which role: every role set in `given` is kept (it must
/// name an existing field, else InputError is the caller's job); the others are found
/// by case-insensitive match against the known English/Chinese names, first alias wins
/// (the alias lists are in docs/design/data-model.md).
FieldMapping detect_fields(const std::vector<std::string>& field_names,
                           const FieldMapping& given = {});

/// Reading only some communities' units: what a rank of a distributed plan reads
/// (docs/design/scale.md). The areas, compounds, barriers and facilities are read whole;
/// the units through one spatial filter per community (SetSpatialFilterRect: the
/// community's bounding box grown by ReadOptions::assign_tolerance_m + margin_m, in the
/// units layer's CRS; for PostGIS a `geom && box` condition), added to ReadOptions::where.
/// Units are then assigned to areas as in the full read and those of other communities
/// dropped, so each listed community gets exactly the units, values and relative order
/// of the full read — provided the source returns features in FID order (GeoPackage,
/// Shapefile, FlatGeobuf without spatial index, PostGIS tables loaded in key order), and
/// `work_crs` and `units_name_compounds` are the full read's. A layer without a fast
/// spatial filter (OSM) is read whole once.
struct AreaSubset {
  std::vector<std::string> codes;    ///< community codes whose units to keep (as read_dataset
                                     ///< names them, generated codes included)
  std::string work_crs;              ///< the full read's Dataset::work_crs, used as given
  bool units_name_compounds = false; ///< the full read's ReadReport::units_name_compounds
  /// Metres added around each box beyond the assignment tolerance: covers the difference
  /// between a unit's edges in the source and the work CRS (a unit whose anchor is in the
  /// grown box always meets the filter).
  double margin_m = 50;
};

struct ReadOptions {
  std::string where;    ///< OGR attribute filter (SQL WHERE) applied to the units layer
  std::string encoding; ///< source encoding override (e.g. "GBK"); else .cpg / driver
  std::string src_crs;  ///< CRS to assume for layers without one ("EPSG:4326", "GCJ-02", ...)
  std::string work_crs; ///< metric CRS for all work; empty = UTM zone of the data
  FieldMapping fields;
  EstimationParams estimation;
  /// Known area totals: fields of the area layer (empty = auto-detect households/户数/总户数
  /// and population/人口/常住人口 on non-OSM area layers) and/or a totals table (CSV or
  /// TOML keyed by area code or name, see read_area_totals). Estimated households are
  /// scaled to them (calibrate in households.hpp) unless `calibrate` is false.
  std::string area_households;
  std::string area_population;
  std::string area_totals;
  bool calibrate = true;
  double assign_tolerance_m = 20; ///< units outside every area join the nearest within this
  /// OSM sources: the admin_level whose boundaries become communities (0 = the finest
  /// level present).
  int admin_level = 0;
  /// Read only these communities' units (see AreaSubset; needs an areas source). Empty:
  /// the whole dataset.
  std::optional<AreaSubset> only_areas;
  /// Threads for the per-feature geometry work (repair, anchors); 0 = all cores. The
  /// dataset does not depend on it.
  unsigned threads = 0;
  ProgressFn progress; ///< may be empty
};

/// Which source plays which role. Only units are required (areas are derived from the
/// units when absent: see docs/design/data-model.md).
struct DatasetSources {
  std::optional<SourceSpec> units, areas, compounds, barriers, facilities;
  /// The demo city's layer names (units, areas, compounds, barriers, facilities) in one file.
  static DatasetSources city(const std::string& path);
  /// Roles for one source as `inspect SRC` sees it: a file with a `units` layer is a city
  /// (only the layers present are used); an OSM file gives buildings, admin boundaries
  /// and barriers; anything else is a units layer (SRC[:LAYER]). Throws InputError when
  /// the source cannot be opened.
  static DatasetSources detect(const SourceSpec& source);
};

/// Reads, reprojects to the work CRS, repairs, assigns units to areas, estimates
/// households. Throws InputError naming file/layer/feature on bad input. With
/// options.only_areas the units of other communities are neither kept nor (mostly)
/// read; ReadReport::features_read counts the unit features read from the source. Throws
/// UsageError for only_areas without an areas source.
Dataset read_dataset(const DatasetSources& sources, const ReadOptions& options);

/// One layer as found in a source, for `inspect`.
struct LayerSummary {
  std::string name;
  std::string geometry_type; ///< OGR name, e.g. "Multi Polygon"
  std::string crs;           ///< short name, e.g. "EPSG:4326", or "" when none
  long long feature_count = 0;
  std::vector<Field> fields;
  std::vector<std::pair<std::string, std::string>> recognised; ///< role -> field name
  std::string encoding; ///< as declared or detected, "" if unknown
  std::string driver;   ///< GDAL driver short name, e.g. "GPKG"
};

/// Lists the layers of a source without reading features. Throws InputError.
std::vector<LayerSummary> list_layers(const std::string& path, const ReadOptions& options);

enum class OutputFormat { gpkg, shp, geojson, fgb, csv, postgis };
/// "gpkg" | "shp" | "geojson" | "fgb" | "csv" | "pg"; throws UsageError otherwise.
OutputFormat parse_output_format(const std::string& name);
/// The format a path names: `PG:` PostGIS; extension ".gpkg", ".shp", ".geojson"/".json",
/// ".fgb", ".csv" (any case); no extension: gpkg. Throws UsageError for any other
/// extension (an output is never silently written in a format its name does not say).
OutputFormat format_from_path(const std::string& path);
/// The short name parse_output_format accepts ("gpkg", "shp", ...).
std::string format_name(OutputFormat format);
/// True when `path` ends in an extension format_from_path knows (or is `PG:`).
bool is_known_output_extension(const std::string& path);
/// Whether write_layers writes `layer_count` layers in `format` to `path` as a directory
/// (one file per layer). Throws UsageError for a name the format cannot honour: the
/// extension of another format; a name ending in .shp (a Shapefile output is a
/// directory); a file name for several layers in a one-layer-per-file format.
bool output_is_directory(const std::string& path, OutputFormat format, std::size_t layer_count);
/// Extensions of the files a directory output holds; an existing directory is replaced
/// (with --overwrite) only when it holds nothing else.
const std::vector<std::string>& directory_output_extensions();

struct WriteOptions {
  OutputFormat format = OutputFormat::gpkg;
  std::string geometry_crs; ///< WKT of the CRS the layers' geometries are in (work CRS)
  std::string out_crs;      ///< target CRS ("" = geometry_crs); may be GCJ-02 / BD-09
  std::string encoding;     ///< Shapefile only: "UTF-8" (default), "GBK" or "GB18030"
  bool rfc7946 = false;     ///< GeoJSON only: RFC 7946 (EPSG:4326, right-hand rings, bbox)
  bool styles = true;       ///< default QGIS/SLD styles: GeoPackage layer_styles, .qml sidecars
  bool overwrite = false;
  std::vector<std::string> inputs; ///< paths that must never be written to
  ProgressFn progress;
};

/// Writes all layers to `path` atomically through gp::AtomicOutput (gp/core/output_file.hpp):
/// a unique temporary in the same folder, fsynced and renamed over `path` when complete;
/// removed on failure or SIGINT/SIGTERM. GeoPackage: one file. Shapefile: `path` is a
/// directory (one .shp/.shx/.dbf/.prj/.cpg per layer, field names cut predictably to 10
/// characters; a name ending in .shp is refused). GeoJSON, FlatGeobuf, CSV: one file for
/// one layer, else `path` is a directory with one file per layer (a file name with the
/// format's extension is then refused). Non-spatial layers (GeometryKind::none) become
/// attribute tables (GeoPackage) or CSV. `PG:` destinations go to PostGIS in one
/// transaction. Throws UsageError when the name and the format disagree; OutputError if
/// `path` exists without `overwrite`, is or contains one of `inputs` (after resolving
/// links), is a directory (or, for directory outputs, holds files gridplan does not
/// write), or writing fails (the old file is then intact).
void write_layers(const std::string& path, const std::vector<Layer>& layers,
                  const WriteOptions& options);

/// The Shapefile (DBF) field names write_layers uses: each name cut at a character
/// boundary to fit 10 bytes in the output encoding ("UTF-8": 1-4 bytes per character;
/// any other, e.g. "GBK": 1 byte for ASCII, 2 otherwise); a name equal (ignoring case) to
/// an earlier one gets "_1", "_2", ... in place of its last characters.
/// E.g. polsby_popper -> polsby_pop, deviation_pct -> deviation_, 常住人口数 -> 常住人 (UTF-8).
std::vector<std::string> shapefile_field_names(const std::vector<std::string>& names,
                                               const std::string& encoding);

/// The PostGIS output address for `connection` ("PG:...") with tables in `schema` (GDAL's
/// `active_schema=`, created when missing) and names starting with `table_prefix`
/// (gridplan's `|prefix=` suffix): "PG:dbname=x active_schema=s|prefix=p_". Every command
/// that reads a plan accepts this address. Empty schema/prefix are left out. Throws
/// UsageError for a non-PG connection or names other than letters, digits and '_'.
std::string postgis_address(const std::string& connection, const std::string& schema,
                            const std::string& table_prefix);

/// Reads back a layer written by write_layers (or any layer) as a plain Layer, geometry
/// in `target_crs` ("" = the layer's own CRS). Used by the simulator and viewer to read plans.
Layer read_layer(const std::string& path, const std::string& layer_name,
                 const std::string& target_crs = "");

/// A copy of `bytes` as a GDAL in-memory file (/vsimem/gridplan/NAME), readable by every
/// function here that takes a path; removed on destruction. For fuzzing and tests.
class MemoryFile {
public:
  MemoryFile(const std::string& name, std::string_view bytes);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

/// SHA-256 of a file's bytes (hex), for plan metadata; "" for non-files (PG:).
std::string file_checksum(const std::string& path);

} // namespace gp::geo
