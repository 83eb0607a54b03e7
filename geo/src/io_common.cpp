// Source specifications, format names and checksums: the parts of io.hpp that do not
// read features.

#include <openssl/evp.h>

#include <cpl_vsi.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "gdal_util.hpp"
#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"

namespace gp::geo {
namespace fs = std::filesystem;

namespace {
std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

/// Splits off a `|layer=NAME` (or QGIS's `|layername=NAME`) suffix; false when none.
bool split_layer_suffix(const std::string& text, SourceSpec& s) {
  for (const char* key : {"|layer=", "|layername="}) {
    const auto p = text.find(key);
    if (p == std::string::npos) continue;
    const auto start = p + std::char_traits<char>::length(key);
    const auto end = text.find('|', start);
    s.layer = text.substr(start, end == std::string::npos ? end : end - start);
    s.path = text.substr(0, p) + (end == std::string::npos ? "" : text.substr(end));
    return true;
  }
  return false;
}

} // namespace

SourceSpec SourceSpec::parse(const std::string& text) {
  SourceSpec s;
  s.path = text;
  if (split_layer_suffix(text, s)) return s;
  const auto colon = text.rfind(':');
  if (colon != std::string::npos && colon > 0 && colon + 1 < text.size()) {
    const std::string before = text.substr(0, colon);
    std::error_code ec;
    if (fs::exists(before, ec) && !detail::is_connection_string(text)) {
      s.path = before;
      s.layer = text.substr(colon + 1);
    }
  }
  return s;
}

std::string SourceSpec::to_string() const {
  if (layer.empty()) return path;
  // Connection strings contain ':' and '=' of their own: the layer goes in a `|layer=` suffix.
  if (detail::is_connection_string(path)) return path + "|layer=" + layer;
  return path + ":" + layer;
}

DatasetSources DatasetSources::city(const std::string& path) {
  DatasetSources s;
  s.units = SourceSpec{path, "units"};
  s.areas = SourceSpec{path, "areas"};
  s.compounds = SourceSpec{path, "compounds"};
  s.barriers = SourceSpec{path, "barriers"};
  s.facilities = SourceSpec{path, "facilities"};
  return s;
}

OutputFormat parse_output_format(const std::string& name) {
  const std::string n = lower(name);
  if (n == "gpkg" || n == "geopackage") return OutputFormat::gpkg;
  if (n == "shp" || n == "shapefile" || n == "esri shapefile") return OutputFormat::shp;
  if (n == "geojson" || n == "json") return OutputFormat::geojson;
  if (n == "fgb" || n == "flatgeobuf") return OutputFormat::fgb;
  if (n == "csv") return OutputFormat::csv;
  if (n == "pg" || n == "postgis" || n == "postgresql") return OutputFormat::postgis;
  throw UsageError("unknown output format '" + name + "' (use gpkg, shp, geojson, fgb, csv or pg)");
}

OutputFormat format_from_path(const std::string& path) {
  if (path.rfind("PG:", 0) == 0 || path.rfind("pg:", 0) == 0) return OutputFormat::postgis;
  const std::string ext = lower(fs::path(path).extension().string());
  if (ext.empty()) return OutputFormat::gpkg;
  if (ext == ".gpkg") return OutputFormat::gpkg;
  if (ext == ".shp") return OutputFormat::shp;
  if (ext == ".geojson" || ext == ".json") return OutputFormat::geojson;
  if (ext == ".fgb") return OutputFormat::fgb;
  if (ext == ".csv") return OutputFormat::csv;
  throw UsageError(path + ": unknown output extension '" + ext +
                   "' (use .gpkg, .geojson, .fgb, .csv, a directory name with --format shp, "
                   "or PG:...)");
}

bool is_known_output_extension(const std::string& path) {
  try {
    return !fs::path(path).extension().empty() || detail::is_connection_string(path)
               ? (format_from_path(path), true)
               : false;
  } catch (const UsageError&) {
    return false;
  }
}

std::string format_name(OutputFormat format) {
  switch (format) {
  case OutputFormat::gpkg:
    return "gpkg";
  case OutputFormat::shp:
    return "shp";
  case OutputFormat::geojson:
    return "geojson";
  case OutputFormat::fgb:
    return "fgb";
  case OutputFormat::csv:
    return "csv";
  case OutputFormat::postgis:
    return "pg";
  }
  return "?";
}

MemoryFile::MemoryFile(const std::string& name, std::string_view bytes)
    : path_("/vsimem/gridplan/" + name) {
  detail::ensure_gdal();
  auto* buffer = static_cast<GByte*>(CPLMalloc(bytes.size() + 1));
  std::memcpy(buffer, bytes.data(), bytes.size());
  VSILFILE* f = VSIFileFromMemBuffer(path_.c_str(), buffer, bytes.size(), TRUE);
  if (f == nullptr) {
    CPLFree(buffer);
    throw Error("cannot create in-memory file " + path_);
  }
  VSIFCloseL(f);
}

MemoryFile::~MemoryFile() {
  VSIUnlink(path_.c_str());
}

std::string file_checksum(const std::string& path) {
  std::error_code ec;
  if (detail::is_connection_string(path) || !fs::is_regular_file(path, ec)) return "";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot read file for checksum");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw Error("SHA-256 unavailable");
  std::array<char, 1 << 16> buf{};
  while (in) {
    in.read(buf.data(), buf.size());
    const auto n = in.gcount();
    if (n > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md.data(), &len);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 0xF];
  }
  return out;
}

} // namespace gp::geo
