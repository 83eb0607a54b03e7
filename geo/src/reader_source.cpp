#include "reader_source.hpp"

#include <cpl_string.h>

#include <iconv.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "gp/core/error.hpp"

namespace gp::geo::detail {
namespace fs = std::filesystem;

namespace {

/// networkx node-link JSON ("nodes" plus "links"/"edges"/"adjacency"): a graph, not a layer.
bool looks_like_graph_json(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string head(1 << 16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.find('{') == std::string::npos) return false;
  const bool nodes = head.find("\"nodes\"") != std::string::npos;
  const bool edges = head.find("\"links\"") != std::string::npos ||
                     head.find("\"edges\"") != std::string::npos ||
                     head.find("\"adjacency\"") != std::string::npos;
  // Large files may put "links" after the first 64 KiB of nodes; check the tail too.
  if (nodes && !edges) {
    in.clear();
    in.seekg(0, std::ios::end);
    const auto size = static_cast<long long>(in.tellg());
    in.seekg(std::max(0LL, size - (1 << 16)));
    std::string tail(1 << 16, '\0');
    in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
    tail.resize(static_cast<std::size_t>(in.gcount()));
    return head.find("\"type\": \"FeatureCollection\"") == std::string::npos &&
           (tail.find("\"links\"") != std::string::npos ||
            tail.find("\"edges\"") != std::string::npos ||
            tail.find("\"graph\"") != std::string::npos);
  }
  return nodes && edges && head.find("FeatureCollection") == std::string::npos;
}

GDALDataset* open_raw(const std::string& path, const std::vector<std::string>& open_options) {
  CPLStringList oo;
  for (const auto& o : open_options) oo.AddString(o.c_str());
  return GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, oo.List(),
                           nullptr);
}

/// True when some text value of the first features is not valid UTF-8.
bool has_invalid_utf8(GDALDataset& ds) {
  for (auto* layer : ds.GetLayers()) {
    layer->ResetReading();
    const auto* defn = layer->GetLayerDefn();
    int seen = 0;
    for (auto& f : *layer) {
      for (int i = 0; i < defn->GetFieldCount(); ++i) {
        if (defn->GetFieldDefn(i)->GetType() != OFTString || !f->IsFieldSetAndNotNull(i)) continue;
        if (!is_valid_utf8(f->GetFieldAsString(i))) return true;
      }
      if (++seen >= 5000) break;
    }
    layer->ResetReading();
  }
  return false;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

/// A sidecar of a shapefile (".dbf", ".shx") in any letter case, or "" when absent.
std::string sidecar(const fs::path& shp, const std::string& ext) {
  std::error_code ec;
  for (const std::string& e : {ext, [&] {
                                 std::string up = ext;
                                 for (char& c : up)
                                   if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
                                 return up;
                               }()}) {
    fs::path p = shp;
    p.replace_extension(e);
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

std::optional<std::uint64_t> file_bytes(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  return n;
}

std::optional<std::uint32_t> read_u32(const std::string& path, std::size_t offset, bool big) {
  std::ifstream in(path, std::ios::binary);
  unsigned char b[4];
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in.read(reinterpret_cast<char*>(b), 4)) return std::nullopt;
  return big ? (std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 |
                b[3])
             : (std::uint32_t{b[3]} << 24 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[1]} << 8 |
                b[0]);
}

/// A shapefile whose parts disagree loses features silently in GDAL: refuse it. Checks
/// that the .dbf exists, that the .shp is as long as its header says (not truncated),
/// and that the .shx index and the .dbf hold the same number of records.
void check_shapefile(const std::string& path) {
  const fs::path shp(path);
  const std::string dbf = sidecar(shp, ".dbf");
  if (dbf.empty())
    throw InputError(path, "the .dbf (attributes) of this shapefile is missing; every building "
                           "would lose its attributes");
  const auto shp_size = file_bytes(path);
  const auto declared_words = read_u32(path, 24, true);
  if (!shp_size || !declared_words || *shp_size < 100)
    throw InputError(path, "shapefile header is truncated");
  const std::uint64_t declared = std::uint64_t{*declared_words} * 2;
  if (*shp_size < declared)
    throw InputError(path, "shapefile is truncated: " + std::to_string(*shp_size) +
                               " bytes, its header says " + std::to_string(declared));
  const std::string shx = sidecar(shp, ".shx");
  const auto dbf_records = read_u32(dbf, 4, false);
  if (!dbf_records) throw InputError(dbf, "dBASE header is truncated");
  if (!shx.empty()) {
    const auto shx_size = file_bytes(shx);
    if (shx_size && *shx_size >= 100) {
      const std::uint64_t shapes = (*shx_size - 100) / 8;
      if (shapes != *dbf_records)
        throw InputError(path, "the .shp has " + std::to_string(shapes) + " shapes but the .dbf " +
                                   std::to_string(*dbf_records) +
                                   " records; the files do not belong together");
    }
  }
}

} // namespace

void check_encoding(const std::string& encoding) {
  if (encoding.empty()) return;
  const iconv_t cd = iconv_open("UTF-8", encoding.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw UsageError("unknown --encoding '" + encoding + "' (e.g. UTF-8, GBK, GB18030, BIG5)");
  iconv_close(cd);
}

const char* role_name(Role r) {
  switch (r) {
  case Role::units:
    return "units";
  case Role::areas:
    return "areas";
  case Role::compounds:
    return "compounds";
  case Role::barriers:
    return "barriers";
  case Role::facilities:
    return "facilities";
  case Role::any:
    return "layer";
  }
  return "layer";
}

OpenedSource open_source(const std::string& path, const std::string& encoding,
                         ErrorCollector& errors) {
  ensure_gdal();
  OpenedSource out;
  out.path = path;
  std::error_code ec;
  check_encoding(encoding);
  if (!is_connection_string(path)) {
    // stat, never open: opening a FIFO blocks until a writer comes.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw InputError(path, "no such file or directory");
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
      throw InputError(path, "is not a regular file (a FIFO, device or socket); refusing to read "
                             "it");
    if (S_ISREG(st.st_mode) && st.st_size == 0) throw InputError(path, "file is empty");
    if (S_ISREG(st.st_mode) && lower(fs::path(path).extension().string()) == ".shp")
      check_shapefile(path);
  }
  std::string driver;
  if (GDALDriverH drv = GDALIdentifyDriverEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr))
    driver = GDALGetDriverShortName(drv);
  std::vector<std::string> oo;
  if (driver == "ESRI Shapefile" && !encoding.empty()) oo.push_back("ENCODING=" + encoding);
  errors.clear_error();
  GDALDataset* ds = open_raw(path, oo);
  if (ds == nullptr) {
    if (!is_connection_string(path) && looks_like_graph_json(path))
      throw InputError(path, "is an adjacency graph (node-link JSON), not a GIS layer; read "
                             "it with `gridplan graph`");
    const std::string why = errors.last_error();
    if (fs::is_directory(path, ec))
      throw InputError(path, "directory holds no readable GIS layers" +
                                 (why.empty() ? std::string() : " (" + why + ")"));
    throw InputError(path, "cannot be read as a GIS dataset (not a supported format or corrupt" +
                               (why.empty() ? std::string(")") : ": " + why + ")"));
  }
  out.ds.reset(ds);
  out.driver = ds->GetDriver() != nullptr ? ds->GetDriver()->GetDescription() : driver;
  out.osm = out.driver == "OSM";
  if (out.driver == "ESRI Shapefile") {
    out.encoding = encoding;
    if (encoding.empty()) {
      // The driver recodes from the .cpg or the DBF's LDID; with neither it passes bytes
      // through. Chinese shapefiles without .cpg are almost always GBK: guess rather than
      // print mojibake, and say so.
      std::string declared;
      if (auto* l = ds->GetLayer(0))
        if (const char* e = l->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE")) declared = e;
      if (declared.empty() && has_invalid_utf8(*ds)) {
        out.ds.reset(open_raw(path, {"ENCODING=GB18030"}));
        if (!out.ds) throw InputError(path, "cannot reopen with encoding GB18030");
        out.encoding = "GB18030";
        out.notes.push_back(path + ": no .cpg and text is not UTF-8: read as GB18030 (override "
                                   "with --encoding)");
      } else {
        out.encoding = declared.empty() ? "UTF-8" : declared;
      }
    }
  } else if (!encoding.empty()) {
    out.notes.push_back(path + ": --encoding applies to Shapefiles only; " + out.driver +
                        " text is read as UTF-8");
  }
  return out;
}

std::string layer_names(GDALDataset& ds) {
  std::string names;
  for (auto* l : ds.GetLayers()) {
    if (!names.empty()) names += ", ";
    names += l->GetName();
  }
  return names.empty() ? "none" : names;
}

OGRLayer* choose_layer(OpenedSource& src, const std::string& layer_name, Role role) {
  GDALDataset& ds = *src.ds;
  if (!layer_name.empty()) {
    if (auto* l = ds.GetLayerByName(layer_name.c_str())) return l;
    throw InputError(src.path, layer_name, std::nullopt,
                     "no such layer (layers: " + layer_names(ds) + ")");
  }
  if (ds.GetLayerCount() == 0) throw InputError(src.path, "contains no vector layers");
  if (src.osm) {
    const char* name = role == Role::barriers     ? "lines"
                       : role == Role::facilities ? "points"
                                                  : "multipolygons";
    if (auto* l = ds.GetLayerByName(name)) return l;
  }
  if (ds.GetLayerCount() == 1) return ds.GetLayer(0);
  if (auto* l = ds.GetLayerByName(role_name(role))) return l;
  for (auto* l : ds.GetLayers()) {
    const auto t = l->GetGeomType();
    const bool fits = role == Role::barriers     ? is_linear(t)
                      : role == Role::facilities ? is_point(t)
                                                 : is_polygonal(t);
    if (fits) return l;
  }
  throw InputError(src.path, std::string("has several layers (") + layer_names(ds) +
                                 ") and none is obviously the " + role_name(role) +
                                 " layer: choose one with FILE:LAYER or --layer");
}

FieldType to_field_type(OGRFieldType t) {
  switch (t) {
  case OFTInteger:
  case OFTInteger64:
    return FieldType::integer;
  case OFTReal:
    return FieldType::real;
  default:
    return FieldType::text;
  }
}

Value field_value(const OGRFeature& f, int index, OGRFieldType type) {
  if (!f.IsFieldSetAndNotNull(index)) return std::monostate{};
  switch (type) {
  case OFTInteger:
  case OFTInteger64:
    return static_cast<std::int64_t>(f.GetFieldAsInteger64(index));
  case OFTReal:
    return f.GetFieldAsDouble(index);
  default:
    return sanitize_utf8(f.GetFieldAsString(index));
  }
}

} // namespace gp::geo::detail
