// read_dataset: any OGR source -> the model, in the metric work CRS, repaired, with
// units assigned to areas and households estimated. Every repair, drop and guess is
// counted in the ReadReport.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/core.h>

#include "gdal_util.hpp"
#include "gp/core/error.hpp"
#include "gp/core/thread_pool.hpp"
#include "gp/geo/crs.hpp"
#include "gp/geo/io.hpp"
#include "gp/geo/ops.hpp"
#include "reader_source.hpp"
#include "write_fields.hpp"

namespace gp::geo {
namespace fs = std::filesystem;
using detail::ErrorCollector;
using detail::OpenedSource;
using detail::Role;

namespace {

// ---------------------------------------------------------------- small helpers

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

/// Parses a number; `allow_unit` accepts a trailing unit word ("12 m", "12m").
std::optional<double> parse_number(const std::string& text, bool allow_unit) {
  const std::string t = trim(text);
  if (t.empty()) return std::nullopt;
  double v = 0;
  const char* b = t.data();
  const char* e = t.data() + t.size();
  auto [ptr, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || ptr == b) return std::nullopt;
  if (ptr != e) {
    if (!allow_unit) return std::nullopt;
    const std::string rest = trim(std::string(ptr, e));
    if (rest != "m" && rest != "M" && rest != "米" && rest != "层" && rest != "F" && rest != "f")
      return std::nullopt;
  }
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

/// Context for messages about one feature.
struct Where {
  const std::string& file;
  const std::string& layer;
};

/// A numeric role value of a feature; nullopt when null/blank. Throws InputError for
/// text that is not a number and for negative values.
std::optional<double> numeric(const Value& v, const std::string& field, const Where& w,
                              std::int64_t fid, bool allow_unit = false) {
  std::optional<double> out;
  if (std::holds_alternative<std::int64_t>(v))
    out = static_cast<double>(std::get<std::int64_t>(v));
  else if (std::holds_alternative<double>(v)) {
    const double d = std::get<double>(v);
    if (!std::isfinite(d))
      throw InputError(w.file, w.layer, fid,
                       "field '" + field + "' is " + (std::isnan(d) ? "NaN" : "infinite") +
                           " (leave it empty to have it estimated)");
    out = d;
  } else if (std::holds_alternative<std::string>(v)) {
    const auto& s = std::get<std::string>(v);
    out = parse_number(s, allow_unit);
    if (!out && !trim(s).empty())
      throw InputError(w.file, w.layer, fid, "field '" + field + "' is not numeric ('" + s + "')");
  }
  if (out && *out < 0)
    throw InputError(w.file, w.layer, fid,
                     "field '" + field + "' is negative (" + std::to_string(*out) + ")");
  return out;
}

// Values no unit can have: the tallest building has 163 floors (828 m); no building or
// census tract holds 100,000 households; no subdistrict 10 million people.
constexpr double max_households_per_unit = 100'000;
constexpr double max_population_per_unit = 10'000'000;
constexpr double max_floors = 200;
constexpr double max_height_m = 1000;

/// Throws InputError when a given value is beyond what any unit can have.
void check_plausible(const std::optional<double>& v, const std::string& field, double limit,
                     const Where& w, std::int64_t fid) {
  if (v && *v > limit)
    throw InputError(
        w.file, w.layer, fid,
        fmt::format("field '{}' is {:g}, more than any unit can have ({:g})", field, *v, limit));
}

std::string text(const Value& v) {
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
  if (std::holds_alternative<double>(v)) {
    const double d = std::get<double>(v);
    if (d == std::floor(d) && std::abs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    return std::to_string(d);
  }
  return "";
}

/// Value of `key` in an OSM hstore text ("k"=>"v","k2"=>"v2"), or "".
std::string hstore_get(const std::string& hs, const std::string& key) {
  const std::string needle = "\"" + key + "\"=>\"";
  const auto p = hs.find(needle);
  if (p == std::string::npos) return "";
  const auto start = p + needle.size();
  std::string out;
  for (std::size_t i = start; i < hs.size(); ++i) {
    if (hs[i] == '\\' && i + 1 < hs.size()) {
      out += hs[++i];
    } else if (hs[i] == '"') {
      break;
    } else {
      out += hs[i];
    }
  }
  return out;
}

/// Reads all fields of a feature into a row under `table.fields`.
struct FieldReader {
  std::vector<OGRFieldType> types;
  Table schema;
  explicit FieldReader(OGRFeatureDefn& defn) {
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
      const auto* fd = defn.GetFieldDefn(i);
      types.push_back(fd->GetType());
      schema.fields.push_back(Field{fd->GetNameRef(), detail::to_field_type(fd->GetType())});
    }
  }
  std::vector<Value> row(const OGRFeature& f) const {
    std::vector<Value> r;
    r.reserve(types.size());
    for (std::size_t i = 0; i < types.size(); ++i)
      r.push_back(detail::field_value(f, static_cast<int>(i), types[i]));
    return r;
  }
};

std::vector<std::string> names_of(const Table& schema) {
  std::vector<std::string> n;
  for (const auto& f : schema.fields) n.push_back(f.name);
  return n;
}

/// Checks that every explicitly mapped field exists.
void check_mapping(const FieldMapping& given, const Table& schema, const Where& w) {
  for (const auto& [role, field] : given.entries()) {
    if (schema.find(field) < 0) {
      std::string names;
      for (const auto& f : schema.fields) names += (names.empty() ? "" : ", ") + f.name;
      throw InputError(w.file, w.layer, std::nullopt,
                       "no field '" + field + "' for " + role + " (fields: " + names + ")");
    }
  }
}

int index_of(const Table& schema, const std::string& name) {
  return name.empty() ? -1 : schema.find(name);
}

std::uint64_t geometry_hash(const MultiPolygon& g) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](double d) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    h = (h ^ bits) * 1099511628211ULL;
  };
  for (const auto& p : g) {
    mix(static_cast<double>(p.outer.size()));
    for (const auto& pt : p.outer) mix(pt.x), mix(pt.y);
    for (const auto& r : p.holes) {
      mix(-1.0);
      for (const auto& pt : r) mix(pt.x), mix(pt.y);
    }
  }
  return h;
}

/// Convex hull (Andrew's monotone chain) as a closed ring, counter-clockwise.
Ring convex_hull(std::vector<Point> pts) {
  std::sort(pts.begin(), pts.end(),
            [](const Point& a, const Point& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  if (pts.size() < 3) return {};
  auto cross = [](const Point& o, const Point& a, const Point& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  };
  std::vector<Point> h(2 * pts.size());
  std::size_t k = 0;
  for (const auto& p : pts) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], p) <= 0) --k;
    h[k++] = p;
  }
  for (std::size_t i = pts.size() - 1, t = k + 1; i-- > 0;) {
    while (k >= t && cross(h[k - 2], h[k - 1], pts[i]) <= 0) --k;
    h[k++] = pts[i];
  }
  h.resize(k); // last point equals the first: closed
  return h;
}

// ---------------------------------------------------------------- CRS

/// The source CRS definition of a layer for geo::Transformer.
std::string layer_crs(OGRLayer& layer, const ReadOptions& opt, const Where& w) {
  const OGRSpatialReference* srs = layer.GetSpatialRef();
  if (srs == nullptr) {
    if (opt.src_crs.empty())
      throw InputError(w.file, w.layer, std::nullopt,
                       "has no coordinate reference system; give one with --src-crs (e.g. "
                       "EPSG:4326, GCJ-02)");
    return opt.src_crs;
  }
  // A GeoPackage with srs_id -1 or 0 (undefined cartesian/geographic) declares nothing
  // usable: --src-crs says what it is.
  if (srs->IsLocal() || (srs->GetAuthorityCode(nullptr) == nullptr && srs->GetName() != nullptr &&
                         std::string(srs->GetName()).rfind("Undefined", 0) == 0)) {
    if (opt.src_crs.empty())
      throw InputError(w.file, w.layer, std::nullopt,
                       "has an undefined coordinate reference system; give one with --src-crs "
                       "(e.g. EPSG:4326, GCJ-02)");
    return opt.src_crs;
  }
  // Files cannot declare the offset systems: GCJ-02/BD-09 data is labelled WGS84.
  if (!opt.src_crs.empty() && is_offset_crs(opt.src_crs) && srs->IsGeographic()) return opt.src_crs;
  return detail::to_wkt(*srs);
}

/// Whether the layer's coordinates are degrees (its own CRS, else --src-crs).
bool is_geographic(OGRLayer& layer, const ReadOptions& opt) {
  if (!opt.src_crs.empty() && is_offset_crs(opt.src_crs)) return true;
  const OGRSpatialReference* srs = layer.GetSpatialRef();
  if (srs != nullptr && !srs->IsLocal()) return srs->IsGeographic();
  OGRSpatialReference given;
  return !opt.src_crs.empty() && given.SetFromUserInput(opt.src_crs.c_str()) == OGRERR_NONE &&
         given.IsGeographic();
}

std::string choose_work_crs(const std::string& src, const Box& extent, const ReadOptions& opt,
                            const Where& w) {
  if (!opt.work_crs.empty()) {
    if (!crs_is_metric(opt.work_crs))
      throw UsageError("--work-crs " + opt.work_crs + " is not a projected CRS in metres");
    return crs_to_wkt(opt.work_crs);
  }
  if (!is_offset_crs(src) && crs_is_metric(src)) return crs_to_wkt(src);
  const Point center{(extent.min_x + extent.max_x) / 2, (extent.min_y + extent.max_y) / 2};
  const Transformer to_ll(src, "EPSG:4326");
  const Point ll = to_ll.apply(center);
  // UTM is defined from 80°S to 84°N; beyond, distances and areas would be wrong.
  double south = ll.y, north = ll.y;
  for (const Point corner :
       {Point{extent.min_x, extent.min_y}, Point{extent.max_x, extent.max_y},
        Point{extent.min_x, extent.max_y}, Point{extent.max_x, extent.min_y}}) {
    const Point p = to_ll.apply(corner);
    south = std::min(south, p.y);
    north = std::max(north, p.y);
  }
  if (north > 84.0 || south < -80.0)
    throw InputError(w.file, w.layer, std::nullopt,
                     fmt::format("data reaches latitude {:.2f}°, outside the UTM zones (80°S to "
                                 "84°N); give a polar --work-crs (e.g. EPSG:3995 Arctic, "
                                 "EPSG:3031 Antarctic)",
                                 north > 84.0 ? north : south));
  return crs_to_wkt("EPSG:" + std::to_string(utm_epsg_for(ll)));
}

// ---------------------------------------------------------------- reading a layer

/// One feature as read: raw geometry in the source CRS plus all attributes.
struct RawFeature {
  std::int64_t fid = -1;
  MultiPolygon polygons;
  MultiLineString lines;
  std::optional<Point> point;
  std::vector<Value> row;
};

struct RawLayer {
  std::string file, layer, driver;
  bool osm = false;
  std::string crs; ///< definition for Transformer
  Table schema;
  std::vector<RawFeature> features;
  std::size_t features_read = 0;
  std::size_t empty = 0;
  Box extent = Box::none();
};

enum class Want { polygons, polygons_or_points, lines, points };

const char* want_text(Want w) {
  switch (w) {
  case Want::polygons:
    return "polygons";
  case Want::polygons_or_points:
    return "polygons or points";
  case Want::lines:
    return "lines";
  case Want::points:
    return "points";
  }
  return "";
}

/// The first coordinate of a feature that no real place has (NaN, infinite, beyond the
/// globe for geographic coordinates, beyond 100,000 km for projected ones), if any.
struct CoordinateLimits {
  double x, y;
};
std::optional<Point> impossible_coordinate(const RawFeature& f, const CoordinateLimits& lim) {
  auto bad = [&](const Point& p) {
    return !std::isfinite(p.x) || !std::isfinite(p.y) || std::abs(p.x) > lim.x ||
           std::abs(p.y) > lim.y;
  };
  if (f.point && bad(*f.point)) return f.point;
  for (const auto& poly : f.polygons) {
    for (const auto& p : poly.outer)
      if (bad(p)) return p;
    for (const auto& hole : poly.holes)
      for (const auto& p : hole)
        if (bad(p)) return p;
  }
  for (const auto& l : f.lines)
    for (const auto& p : l)
      if (bad(p)) return p;
  return std::nullopt;
}

/// Boxes to read a layer through (AreaSubset): in the work CRS, one spatial filter each.
struct BoxFilter {
  const std::vector<Box>& boxes;
  const std::string& work_crs;
};

/// Each work-CRS box as a rectangle in `layer_crs` covering it: the bounds of its edges,
/// 16 points each, transformed (a straight edge may bend in the other CRS).
std::vector<Box> boxes_in_layer_crs(const BoxFilter& filter, const std::string& layer_crs) {
  const Transformer to_layer(filter.work_crs, layer_crs);
  std::vector<Box> out;
  out.reserve(filter.boxes.size());
  constexpr int steps = 16;
  for (const auto& b : filter.boxes) {
    std::vector<Point> edge;
    for (int k = 0; k < steps; ++k) {
      const double t = static_cast<double>(k) / steps;
      const double x = b.min_x + t * b.width(), y = b.min_y + t * b.height();
      edge.insert(edge.end(), {{x, b.min_y},
                               {b.max_x, y},
                               {b.max_x - (x - b.min_x), b.max_y},
                               {b.min_x, b.max_y - (y - b.min_y)}});
    }
    if (!to_layer.is_identity()) to_layer.apply_in_place(edge);
    Box r = Box::none();
    for (const auto& p : edge) r.expand(p);
    out.push_back(r);
  }
  return out;
}

/// Reads one layer; `osm_filter` is the attribute filter used when the source is OSM.
/// With `boxes` only the features meeting one of them (each once, in FID order), and an
/// empty result is no error.
RawLayer read_raw(const SourceSpec& spec, Role role, Want want, const std::string& osm_filter,
                  const ReadOptions& opt, ErrorCollector& errors, ReadReport& report,
                  double progress_from, double progress_to, const BoxFilter* boxes = nullptr) {
  OpenedSource src = detail::open_source(spec.path, opt.encoding, errors);
  for (auto& n : src.notes) report.warnings.push_back(n);
  OGRLayer* layer = detail::choose_layer(src, spec.layer, role);
  RawLayer out;
  out.file = spec.path;
  out.layer = layer->GetName();
  if (!src.prefix.empty() && out.layer.rfind(src.prefix, 0) == 0)
    out.layer.erase(0, src.prefix.size()); // named as the prefixed source names it
  out.driver = src.driver;
  out.osm = src.osm;
  const Where w{out.file, out.layer};

  const auto declared = layer->GetGeomType();
  const std::string kind = role == Role::areas
                               ? "an area layer"
                               : std::string("a ") + detail::role_name(role) + " layer";
  if (declared != wkbUnknown && declared != wkbNone) {
    const bool ok = want == Want::lines ? detail::is_linear(declared)
                    : want == Want::points
                        ? detail::is_point(declared) || detail::is_polygonal(declared)
                    : want == Want::polygons_or_points
                        ? detail::is_polygonal(declared) || detail::is_point(declared)
                        : detail::is_polygonal(declared);
    if (!ok)
      throw InputError(out.file, out.layer, std::nullopt,
                       std::string("has ") + OGRGeometryTypeToName(declared) + " geometries; " +
                           kind + " needs " + want_text(want));
  } else if (declared == wkbNone) {
    throw InputError(out.file, out.layer, std::nullopt,
                     "has no geometry column; " + kind + " needs " + want_text(want));
  }
  out.crs = layer_crs(*layer, opt, w);
  const bool geographic = is_geographic(*layer, opt);
  // Geographic: 540 allows data that crosses the antimeridian written as 190°E.
  const CoordinateLimits limits =
      geographic ? CoordinateLimits{540, 90.000001} : CoordinateLimits{1e8, 1e8};

  std::string where = src.osm ? osm_filter : std::string();
  if (!opt.where.empty() && role == Role::units)
    where = where.empty() ? opt.where : "(" + where + ") AND (" + opt.where + ")";
  if (!where.empty()) {
    errors.clear_error();
    if (layer->SetAttributeFilter(where.c_str()) != OGRERR_NONE)
      throw InputError(out.file, out.layer, std::nullopt,
                       "bad attribute filter '" + where + "': " + errors.last_error());
  }

  FieldReader fields(*layer->GetLayerDefn());
  out.schema = fields.schema;
  const long long total = src.osm ? -1 : layer->GetFeatureCount(FALSE);
  const std::string label = std::string("reading ") + detail::role_name(role);
  // By boxes: one pass per box, skipping features an earlier box met. A layer without a
  // fast spatial filter (OSM) is read whole once instead.
  const bool by_boxes = boxes != nullptr && layer->TestCapability(OLCFastSpatialFilter);
  const std::vector<Box> rects =
      by_boxes ? boxes_in_layer_crs(*boxes, out.crs) : std::vector<Box>{};
  std::size_t pass = 0;
  std::unordered_set<std::int64_t> seen;
  auto start_pass = [&] {
    if (by_boxes && pass < rects.size())
      layer->SetSpatialFilterRect(rects[pass].min_x, rects[pass].min_y, rects[pass].max_x,
                                  rects[pass].max_y);
    layer->ResetReading();
  };
  auto next_feature = [&]() -> detail::FeaturePtr {
    if (!by_boxes) return detail::FeaturePtr(layer->GetNextFeature());
    while (pass < rects.size()) {
      detail::FeaturePtr f(layer->GetNextFeature());
      if (!f) {
        if (++pass < rects.size()) start_pass();
        continue;
      }
      if (f->GetFID() == OGRNullFID)
        throw InputError(out.file, out.layer, std::nullopt,
                         "features have no ids (FIDs); it cannot be read by communities");
      if (seen.insert(f->GetFID()).second) return f;
    }
    return nullptr;
  };
  start_pass();
  errors.clear_error();
  for (;;) {
    detail::FeaturePtr f(next_feature());
    if (!f) break;
    ++out.features_read;
    if (opt.progress && (out.features_read % 4096) == 0) {
      const double frac =
          total > 0 ? static_cast<double>(out.features_read) / static_cast<double>(total) : 0.5;
      opt.progress(progress_from + (progress_to - progress_from) * std::min(frac, 1.0), label);
    }
    const std::int64_t fid = f->GetFID();
    const OGRGeometry* g = f->GetGeometryRef();
    if (g == nullptr || g->IsEmpty()) {
      ++out.empty;
      continue;
    }
    RawFeature rf;
    rf.fid = fid;
    const auto t = g->getGeometryType();
    if (want == Want::lines) {
      if (!detail::is_linear(t) && wkbFlatten(t) != wkbGeometryCollection)
        throw InputError(out.file, out.layer, fid,
                         std::string("is a ") + OGRGeometryTypeToName(t) + "; " + kind +
                             " needs lines");
      rf.lines = detail::to_lines(*g);
      if (rf.lines.empty()) {
        ++out.empty;
        continue;
      }
      for (const auto& l : rf.lines)
        for (const auto& p : l) out.extent.expand(p);
    } else if (detail::is_point(t) && want != Want::polygons) {
      OGREnvelope env;
      g->getEnvelope(&env);
      if (wkbFlatten(t) == wkbPoint)
        rf.point = Point{g->toPoint()->getX(), g->toPoint()->getY()};
      else
        rf.point = Point{(env.MinX + env.MaxX) / 2, (env.MinY + env.MaxY) / 2};
      out.extent.expand(*rf.point);
    } else if (detail::is_polygonal(t) || wkbFlatten(t) == wkbGeometryCollection) {
      rf.polygons = detail::to_multipolygon(*g);
      if (rf.polygons.empty()) {
        ++out.empty;
        continue;
      }
      out.extent.expand(bounds(rf.polygons));
    } else {
      throw InputError(out.file, out.layer, fid,
                       std::string("is a ") + OGRGeometryTypeToName(t) + "; " + kind + " needs " +
                           want_text(want));
    }
    if (const auto p = impossible_coordinate(rf, limits))
      throw InputError(out.file, out.layer, fid,
                       fmt::format("impossible coordinate ({}, {}) for {} coordinates", p->x, p->y,
                                   geographic ? "geographic (degrees)" : "projected"));
    rf.row = fields.row(*f);
    out.features.push_back(std::move(rf));
  }
  // A read that stops part way (a truncated or corrupt file) is an error: features would
  // be silently missing.
  if (!errors.last_error().empty() && out.features_read > 0)
    throw InputError(out.file, out.layer, std::nullopt,
                     fmt::format("reading failed after {} features: {}", out.features_read,
                                 errors.last_error()));
  if (!errors.last_error().empty() && out.features_read == 0)
    throw InputError(out.file, out.layer, std::nullopt,
                     (where.empty() ? std::string("cannot read features: ")
                                    : "bad attribute filter '" + where + "': ") +
                         errors.last_error());
  if (by_boxes) {
    layer->SetSpatialFilter(nullptr);
    std::stable_sort(out.features.begin(), out.features.end(),
                     [](const RawFeature& a, const RawFeature& b) { return a.fid < b.fid; });
  }
  if (boxes != nullptr) { // some communities' part of the layer may be empty
    for (auto& msg : errors.take_warnings(out.file + ": layer '" + out.layer + "': GDAL: "))
      report.warnings.push_back(std::move(msg));
    return out;
  }
  if (out.features_read == 0)
    throw InputError(out.file, out.layer, std::nullopt,
                     where.empty() ? "layer is empty" : "no features match '" + where + "'");
  if (out.features.empty())
    throw InputError(out.file, out.layer, std::nullopt,
                     std::string("no ") + want_text(want) + ": all " +
                         std::to_string(out.features_read) + " features have empty geometry");
  for (auto& msg : errors.take_warnings(out.file + ": layer '" + out.layer + "': GDAL: "))
    report.warnings.push_back(std::move(msg));
  return out;
}

/// Transforms and repairs polygons of a raw layer in place; counts repairs and drops. The
/// repairs (GEOS, feature by feature) run on `threads` threads (0 = all cores); what is
/// kept and counted does not depend on it.
void to_work_crs(RawLayer& raw, const std::string& work_crs, ReadReport& report, bool repair,
                 unsigned threads = 1) {
  Transformer tr(raw.crs, work_crs);
  if (!tr.is_identity()) {
    for (auto& f : raw.features) {
      if (!f.polygons.empty()) tr.apply_in_place(f.polygons);
      for (auto& l : f.lines) tr.apply_in_place(l);
      if (f.point) *f.point = tr.apply(*f.point);
    }
  }
  const std::size_t n = raw.features.size();
  std::vector<char> repaired(n, 0), no_area(n, 0);
  if (repair)
    run_jobs(n, threads, [&](std::size_t k) {
      auto& g = raw.features[k].polygons;
      if (g.empty()) return;
      repaired[k] = make_valid(g) ? 1 : 0;
      no_area[k] = g.empty() || area(g) <= 0 ? 1 : 0;
    });
  std::size_t collapsed = 0;
  std::vector<RawFeature> kept;
  kept.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    report.repaired_invalid += repaired[k];
    if (no_area[k] != 0) {
      ++collapsed;
      continue;
    }
    kept.push_back(std::move(raw.features[k]));
  }
  raw.features = std::move(kept);
  report.dropped_empty += raw.empty + collapsed;
  if (raw.empty > 0)
    report.warnings.push_back(raw.file + ": layer '" + raw.layer + "': " +
                              std::to_string(raw.empty) + " features with empty geometry dropped");
  if (collapsed > 0)
    report.warnings.push_back(raw.file + ": layer '" + raw.layer +
                              "': " + std::to_string(collapsed) +
                              " polygons had no area after repair and were dropped");
}

AreaLevel parse_level(const std::string& s) {
  std::string l = s;
  for (char& c : l)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (l == "district" || l == "区" || l == "县" || l == "区县") return AreaLevel::district;
  if (l == "street" || l == "subdistrict" || l == "town" || l == "township" || l == "街道" ||
      l == "乡镇" || l == "乡" || l == "镇")
    return AreaLevel::street;
  return AreaLevel::community;
}

bool is_digits(const std::string& s, std::size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string pad3(std::size_t v) {
  std::string s = std::to_string(v);
  while (s.size() < 3) s.insert(s.begin(), '0');
  return s;
}

/// Keeps 12-digit community codes when every community has a unique one; otherwise
/// generates codes (docs/design/data-model.md): communities sorted by centroid (north to
/// south, then west to east); within a 9-digit parent street code the parent's prefix
/// plus 001, 002, ...; without one "000000" + street block (001 + i/999) + (001 + i%999).
void assign_area_codes(std::vector<Area>& areas, ReadReport& report) {
  std::vector<std::size_t> comm;
  for (std::size_t i = 0; i < areas.size(); ++i)
    if (areas[i].level == AreaLevel::community) comm.push_back(i);
  std::set<std::string> seen;
  bool keep = !comm.empty();
  for (auto i : comm) {
    if (!is_digits(areas[i].code, 12) || !seen.insert(areas[i].code).second) {
      keep = false;
      break;
    }
  }
  if (keep) return;
  std::vector<std::pair<Point, std::size_t>> order;
  for (auto i : comm) order.emplace_back(centroid(areas[i].geometry), i);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.first.y != b.first.y) return a.first.y > b.first.y;
    if (a.first.x != b.first.x) return a.first.x < b.first.x;
    return a.second < b.second;
  });
  std::map<std::string, std::size_t> per_parent;
  std::size_t orphan = 0;
  for (const auto& [c, i] : order) {
    Area& a = areas[i];
    if (is_digits(a.parent_code, 9) && per_parent[a.parent_code] < 999) {
      a.code = a.parent_code + pad3(++per_parent[a.parent_code]);
    } else {
      a.code = "000000" + pad3(1 + orphan / 999) + pad3(1 + orphan % 999);
      ++orphan;
    }
  }
  report.warnings.push_back("area codes generated (" + std::to_string(comm.size()) +
                            " communities; the source has no unique 12-digit codes)");
}

// ---------------------------------------------------------------- roles

std::vector<Area> read_areas(const SourceSpec& spec, const std::string& work_crs,
                             const ReadOptions& opt, ErrorCollector& errors, ReadReport& report) {
  // OSM: administrative boundaries; the finest admin_level present becomes communities.
  const std::string filter = "boundary = 'administrative' AND admin_level IS NOT NULL";
  RawLayer raw = read_raw(spec, Role::areas, Want::polygons, filter, opt, errors, report, 0.6, 0.7);
  to_work_crs(raw, work_crs, report, true);
  const Where w{raw.file, raw.layer};
  // Only the roles an area has (the units' households/floors/... mapping is for units);
  // the area totals fields come from their own flags.
  FieldMapping area_given;
  area_given.code = opt.fields.code;
  area_given.name = opt.fields.name;
  area_given.parent_code = opt.fields.parent_code;
  area_given.level = opt.fields.level;
  area_given.households = opt.area_households;
  area_given.population = opt.area_population;
  check_mapping(area_given, raw.schema, w);
  FieldMapping m = detect_fields(names_of(raw.schema), area_given);
  if (raw.osm) m.households = m.population = ""; // OSM boundaries: no register totals
  const int code_i = index_of(raw.schema, m.code);
  const int hh_i = index_of(raw.schema, m.households);
  const int pop_i = index_of(raw.schema, m.population);
  const int name_i = index_of(raw.schema, m.name);
  const int parent_i = index_of(raw.schema, m.parent_code);
  const int level_i = index_of(raw.schema, m.level);
  std::vector<Area> areas;
  if (raw.osm) {
    std::map<int, int> levels;
    std::vector<int> level_of(raw.features.size(), -1);
    for (std::size_t i = 0; i < raw.features.size(); ++i) {
      if (level_i < 0) break;
      if (auto v =
              parse_number(text(raw.features[i].row[static_cast<std::size_t>(level_i)]), false)) {
        level_of[i] = static_cast<int>(*v);
        ++levels[level_of[i]];
      }
    }
    if (levels.empty()) return areas;
    const int chosen = opt.admin_level > 0 ? opt.admin_level : levels.rbegin()->first;
    if (!levels.count(chosen)) {
      std::string present;
      for (const auto& [l, n] : levels)
        present += (present.empty() ? "" : ", ") + std::to_string(l);
      throw InputError(raw.file, raw.layer, std::nullopt,
                       "no boundaries at admin_level " + std::to_string(chosen) +
                           " (present: " + present + ")");
    }
    report.warnings.push_back(raw.file + ": communities are the " + std::to_string(levels[chosen]) +
                              " boundaries at admin_level " + std::to_string(chosen));
    for (std::size_t i = 0; i < raw.features.size(); ++i) {
      if (level_of[i] != chosen) continue;
      Area a;
      a.source_fid = raw.features[i].fid;
      a.geometry = std::move(raw.features[i].polygons);
      if (name_i >= 0) a.name = text(raw.features[i].row[static_cast<std::size_t>(name_i)]);
      areas.push_back(std::move(a));
    }
  } else {
    for (auto& f : raw.features) {
      Area a;
      a.source_fid = f.fid;
      a.geometry = std::move(f.polygons);
      if (code_i >= 0) a.code = trim(text(f.row[static_cast<std::size_t>(code_i)]));
      if (name_i >= 0) a.name = text(f.row[static_cast<std::size_t>(name_i)]);
      if (parent_i >= 0) a.parent_code = trim(text(f.row[static_cast<std::size_t>(parent_i)]));
      if (level_i >= 0) a.level = parse_level(trim(text(f.row[static_cast<std::size_t>(level_i)])));
      if (hh_i >= 0)
        if (auto v = numeric(f.row[static_cast<std::size_t>(hh_i)], m.households, w, f.fid)) {
          a.households_total = *v;
          a.totals_source = "field " + m.households + " of " + raw.file + ":" + raw.layer;
        }
      if (pop_i >= 0)
        if (auto v = numeric(f.row[static_cast<std::size_t>(pop_i)], m.population, w, f.fid)) {
          a.population_total = *v;
          if (a.totals_source.empty())
            a.totals_source = "field " + m.population + " of " + raw.file + ":" + raw.layer;
        }
      areas.push_back(std::move(a));
    }
  }
  return areas;
}

BarrierKind barrier_kind(const std::string& s) {
  if (s == "road" || s == "street" || s == "道路") return BarrierKind::road;
  if (s == "river" || s == "canal" || s == "stream" || s == "河流" || s == "水系")
    return BarrierKind::river;
  if (s == "rail" || s == "railway" || s == "铁路") return BarrierKind::rail;
  return BarrierKind::other;
}

std::vector<Barrier> read_barriers(const SourceSpec& spec, const std::string& work_crs,
                                   const ReadOptions& opt, ErrorCollector& errors,
                                   ReadReport& report) {
  // OSM: the streets, rivers and railways that separate neighbourhoods (not footways).
  const std::string filter =
      "highway IN ('motorway','trunk','primary','secondary','tertiary',"
      "'unclassified','residential','motorway_link','trunk_link','primary_link',"
      "'secondary_link','tertiary_link','living_street') OR waterway IN "
      "('river','canal','stream') OR railway IN ('rail','light_rail','tram',"
      "'narrow_gauge')";
  RawLayer raw = read_raw(spec, Role::barriers, Want::lines, filter, opt, errors, report, 0.7, 0.8);
  to_work_crs(raw, work_crs, report, false);
  const int name_i = raw.schema.find("name");
  const int kind_i = raw.schema.find("kind");
  const int hw = raw.schema.find("highway"), ww = raw.schema.find("waterway"),
            rw = raw.schema.find("railway");
  std::vector<Barrier> out;
  for (auto& f : raw.features) {
    BarrierKind k = BarrierKind::other;
    if (kind_i >= 0)
      k = barrier_kind(text(f.row[static_cast<std::size_t>(kind_i)]));
    else if (hw >= 0 && !text(f.row[static_cast<std::size_t>(hw)]).empty())
      k = BarrierKind::road;
    else if (ww >= 0 && !text(f.row[static_cast<std::size_t>(ww)]).empty())
      k = BarrierKind::river;
    else if (rw >= 0 && !text(f.row[static_cast<std::size_t>(rw)]).empty())
      k = BarrierKind::rail;
    const std::string name = name_i >= 0 ? text(f.row[static_cast<std::size_t>(name_i)]) : "";
    for (auto& l : f.lines) out.push_back(Barrier{k, name, std::move(l)});
  }
  return out;
}

std::vector<Facility> read_facilities(const SourceSpec& spec, const std::string& work_crs,
                                      const ReadOptions& opt, ErrorCollector& errors,
                                      ReadReport& report) {
  RawLayer raw = read_raw(spec, Role::facilities, Want::points, "", opt, errors, report, 0.8, 0.85);
  to_work_crs(raw, work_crs, report, false);
  const FieldMapping m = detect_fields(names_of(raw.schema), {});
  const int name_i = index_of(raw.schema, m.name);
  const int area_i = index_of(raw.schema, m.floor_area);
  const Where w{raw.file, raw.layer};
  std::vector<Facility> out;
  for (auto& f : raw.features) {
    Facility fa;
    fa.location = f.point ? *f.point : point_on_surface(f.polygons);
    if (name_i >= 0) fa.name = text(f.row[static_cast<std::size_t>(name_i)]);
    if (area_i >= 0)
      fa.floor_area_m2 =
          numeric(f.row[static_cast<std::size_t>(area_i)], m.floor_area, w, f.fid).value_or(0);
    out.push_back(std::move(fa));
  }
  return out;
}

std::vector<Compound> read_compounds(const SourceSpec& spec, const std::string& work_crs,
                                     const ReadOptions& opt, ErrorCollector& errors,
                                     ReadReport& report) {
  RawLayer raw =
      read_raw(spec, Role::compounds, Want::polygons, "", opt, errors, report, 0.55, 0.6);
  to_work_crs(raw, work_crs, report, true);
  const FieldMapping m = detect_fields(names_of(raw.schema), {});
  int id_i = index_of(raw.schema, m.compound);
  if (id_i < 0) id_i = index_of(raw.schema, m.code);
  const int name_i = index_of(raw.schema, m.name);
  std::vector<Compound> out;
  for (auto& f : raw.features) {
    Compound c;
    c.id = id_i >= 0 ? trim(text(f.row[static_cast<std::size_t>(id_i)])) : "";
    if (c.id.empty()) c.id = "C" + std::to_string(f.fid);
    if (name_i >= 0) c.name = text(f.row[static_cast<std::size_t>(name_i)]);
    c.geometry = std::move(f.polygons);
    out.push_back(std::move(c));
  }
  return out;
}

/// One area covering every unit, for sources without an area layer: the union of the
/// units when they tile a region (their areas fill at least half their convex hull:
/// tracts, parcels), else the convex hull of all unit vertices (buildings).
Area derive_area(const std::vector<Unit>& units, const std::string& name, ReadReport& report) {
  Area a;
  a.name = name;
  a.level = AreaLevel::community;
  std::vector<Point> pts;
  double sum = 0;
  std::vector<const MultiPolygon*> parts;
  for (const auto& u : units) {
    if (u.geometry.empty()) {
      pts.push_back(u.anchor);
      continue;
    }
    sum += area(u.geometry);
    parts.push_back(&u.geometry);
    for (const auto& p : u.geometry)
      for (const auto& pt : p.outer) pts.push_back(pt);
  }
  Ring hull = convex_hull(pts);
  if (hull.size() < 4) {
    // Degenerate (one point, collinear points): a 1 m box around everything.
    Box b = Box::none();
    for (const auto& p : pts) b.expand(p);
    hull = {{b.min_x - 1, b.min_y - 1},
            {b.max_x + 1, b.min_y - 1},
            {b.max_x + 1, b.max_y + 1},
            {b.min_x - 1, b.max_y + 1},
            {b.min_x - 1, b.min_y - 1}};
  }
  const double hull_area = area(Polygon{hull, {}});
  if (!parts.empty() && sum >= 0.5 * hull_area) {
    a.geometry = union_coverage(parts);
    report.warnings.push_back("no area layer: one area, the union of the " +
                              std::to_string(parts.size()) + " units");
  } else {
    a.geometry = MultiPolygon{Polygon{hull, {}}};
    report.warnings.push_back("no area layer: one area, the convex hull of the units");
  }
  return a;
}

struct UnitFields {
  int households = -1, population = -1, floors = -1, height = -1, compound = -1, code = -1,
      name = -1, type = -1, other_tags = -1;
  FieldMapping mapping;
};

/// DBF field names hold 10 bytes, so a Shapefile written by gridplan (or anyone) carries
/// "compound_i" for compound_id, "building_t" for building_type: recognise the cut forms
/// of the known names longer than 10 characters (write_layers cuts them this way, see
/// shapefile_field_names), for every role the user did not map.
FieldMapping with_shapefile_names(const RawLayer& raw, FieldMapping given) {
  if (raw.driver != "ESRI Shapefile") return given;
  static const std::pair<const char*, const char*> long_names[] = {
      {"compound_id", "compound"},      {"building_id", "code"},
      {"building_type", "type"},        {"floor_area_m2", "floor_area"},
      {"num_households", "households"}, {"n_households", "households"},
      {"building_levels", "floors"},    {"building:levels", "floors"},
      {"bldg_height", "height"},        {"parent_code", "parent_code"},
      {"admin_level", "level"},         {"tot_pop_20", "population"}};
  const FieldMapping detected = detect_fields(names_of(raw.schema), given);
  for (const auto& entry : long_names) {
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    const char* long_name = entry.first;
    const std::string role = entry.second;
    const std::string cut = shapefile_field_names({long_name}, "UTF-8").front();
    if (cut == long_name) continue;
    const auto entries = detected.entries();
    const bool found =
        std::any_of(entries.begin(), entries.end(), [&](const auto& e) { return e.first == role; });
    if (found) continue;
    for (const auto& f : raw.schema.fields) {
      std::string name = f.name;
      for (char& c : name)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (name == cut) {
        given.set(role, f.name);
        break;
      }
    }
  }
  return given;
}

std::vector<Unit> build_units(RawLayer& raw, const ReadOptions& opt, ReadReport& report,
                              Table& attributes) {
  const Where w{raw.file, raw.layer};
  check_mapping(opt.fields, raw.schema, w);
  UnitFields uf;
  uf.mapping = detect_fields(names_of(raw.schema), with_shapefile_names(raw, opt.fields));
  const auto& m = uf.mapping;
  uf.households = index_of(raw.schema, m.households);
  uf.population = index_of(raw.schema, m.population);
  uf.floors = index_of(raw.schema, m.floors);
  uf.height = index_of(raw.schema, m.height);
  uf.compound = index_of(raw.schema, m.compound);
  uf.code = index_of(raw.schema, m.code);
  uf.name = index_of(raw.schema, m.name);
  uf.type = index_of(raw.schema, m.type);
  if (raw.osm) uf.other_tags = raw.schema.find("other_tags");
  // Columns of the building-type table's tag keys (amenity, shop, ...), when present.
  std::vector<std::pair<std::string, int>> tag_columns;
  for (const auto& [key, use] : opt.estimation.types.tags) {
    (void)use;
    const int column = raw.schema.find(key);
    if (column >= 0 || uf.other_tags >= 0) tag_columns.emplace_back(key, column);
  }

  attributes.fields = raw.schema.fields;
  attributes.rows.clear();
  std::vector<Unit> units;
  units.reserve(raw.features.size());
  // Exact duplicates (same geometry, vertex for vertex) are kept once and counted.
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_hash;
  std::vector<std::int64_t> duplicate_fids;
  std::size_t bad_osm_numbers = 0;
  const auto& est = opt.estimation;
  auto at = [](const RawFeature& f, int i) -> const Value& {
    return f.row[static_cast<std::size_t>(i)];
  };

  // Anchors (GEOS point on surface) feature by feature on opt.threads threads.
  std::vector<Point> anchors(raw.features.size());
  run_jobs(raw.features.size(), opt.threads, [&](std::size_t k) {
    const RawFeature& f = raw.features[k];
    anchors[k] = f.point ? *f.point : point_on_surface(f.polygons);
  });

  for (std::size_t k = 0; k < raw.features.size(); ++k) {
    RawFeature& f = raw.features[k];
    const std::uint64_t h =
        f.point ? geometry_hash(MultiPolygon{Polygon{{*f.point}, {}}}) : geometry_hash(f.polygons);
    auto& bucket = by_hash[h];
    bool dup = false;
    for (auto j : bucket) {
      const Unit& other = units[j];
      if (f.point ? (other.geometry.empty() && other.anchor == *f.point)
                  : other.geometry == f.polygons) {
        dup = true;
        break;
      }
    }
    if (dup) {
      ++report.duplicate_units;
      duplicate_fids.push_back(f.fid);
      continue;
    }
    bucket.push_back(units.size());

    Unit u;
    u.source_fid = f.fid;
    if (f.point) {
      u.anchor = *f.point;
    } else {
      u.geometry = std::move(f.polygons);
      u.anchor = anchors[k];
    }
    if (uf.type >= 0) u.type = trim(text(at(f, uf.type)));
    if (uf.code >= 0) u.code = trim(text(at(f, uf.code)));
    if (uf.name >= 0) u.name = text(at(f, uf.name));
    if (uf.compound >= 0) u.compound_id = trim(text(at(f, uf.compound)));

    std::optional<double> hh, pop, levels, height;
    if (uf.households >= 0) hh = numeric(at(f, uf.households), m.households, w, f.fid);
    if (uf.population >= 0) pop = numeric(at(f, uf.population), m.population, w, f.fid);
    if (uf.floors >= 0) levels = numeric(at(f, uf.floors), m.floors, w, f.fid, true);
    if (uf.height >= 0) height = numeric(at(f, uf.height), m.height, w, f.fid, true);
    if (uf.other_tags >= 0) {
      // OSM keeps building:levels and height inside the other_tags hstore text.
      const std::string tags = text(at(f, uf.other_tags));
      if (!levels) {
        const std::string v = hstore_get(tags, "building:levels");
        if (!v.empty() && !(levels = parse_number(v, true))) ++bad_osm_numbers;
      }
      if (!height) {
        const std::string v = hstore_get(tags, "height");
        if (!v.empty() && !(height = parse_number(v, true))) ++bad_osm_numbers;
      }
    }
    check_plausible(hh, m.households, max_households_per_unit, w, f.fid);
    check_plausible(pop, m.population, max_population_per_unit, w, f.fid);
    check_plausible(levels, m.floors, max_floors, w, f.fid);
    check_plausible(height, m.height, max_height_m, w, f.fid);
    {
      // The building's use: its type by the table, else (OSM) its amenity/shop/... tags.
      std::vector<std::pair<std::string, std::string>> tags;
      if (u.type.empty() || u.type == "yes") {
        const std::string all = uf.other_tags >= 0 ? text(at(f, uf.other_tags)) : std::string();
        for (const auto& [key, column] : tag_columns) {
          std::string v = column >= 0 ? trim(text(at(f, column))) : std::string();
          if (v.empty() && !all.empty()) v = hstore_get(all, key);
          if (!v.empty()) tags.emplace_back(key, v);
        }
      }
      u.use = classify_building(u.type, tags, est.types);
      if (u.use == BuildingUse::untyped) ++report.units_untyped;
    }
    EstimateInput in{area(u.geometry), levels.value_or(0), height.value_or(0), u.type};
    in.use = u.use == BuildingUse::untyped ? est.types.untyped : u.use;
    if (in.use == BuildingUse::non_residential) ++report.units_non_residential;
    if (levels || height) u.floors = floors_for(in, est);
    if (hh) {
      u.households = *hh;
      u.households_source = ValueSource::given;
    } else if (pop && est.household_size > 0) {
      u.households = *pop / est.household_size;
      u.households_source = ValueSource::estimated;
    } else {
      u.households = estimate_households(in, est).households;
      u.households_source = ValueSource::estimated;
    }
    if (pop) {
      u.population = *pop;
      u.population_source = ValueSource::given;
    } else {
      u.population = u.households * est.household_size;
      u.population_source = ValueSource::estimated;
    }
    if (u.households_source == ValueSource::estimated) ++report.households_estimated;
    if (u.population_source == ValueSource::estimated) ++report.population_estimated;
    attributes.rows.push_back(std::move(f.row));
    units.push_back(std::move(u));
  }
  const std::string where = raw.file + ": layer '" + raw.layer + "': ";
  if (!duplicate_fids.empty()) {
    std::string list;
    for (std::size_t i = 0; i < duplicate_fids.size() && i < 10; ++i)
      list += (i ? ", " : "") + std::to_string(duplicate_fids[i]);
    if (duplicate_fids.size() > 10) list += ", ...";
    report.warnings.push_back(where + std::to_string(duplicate_fids.size()) +
                              " exact duplicate units kept once (features " + list + ")");
  }
  if (bad_osm_numbers > 0)
    report.warnings.push_back(where + std::to_string(bad_osm_numbers) +
                              " OSM building:levels/height values are not numbers (ignored)");
  return units;
}

void assign_units(Dataset& ds, double tolerance) {
  std::vector<const MultiPolygon*> polys;
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < ds.areas.size(); ++i) {
    if (ds.areas[i].level != AreaLevel::community) continue;
    polys.push_back(&ds.areas[i].geometry);
    which.push_back(i);
  }
  if (polys.empty()) return;
  PolygonIndex index(polys);
  for (auto& u : ds.units) {
    long i = index.containing(u.anchor);
    if (i < 0) {
      i = index.nearest(u.anchor, tolerance);
      if (i >= 0) ++ds.report.assigned_by_tolerance;
    }
    if (i >= 0)
      u.area_code = ds.areas[which[static_cast<std::size_t>(i)]].code;
    else
      ds.report.unassigned.push_back(u.source_fid);
  }
  // Overlapping communities: pairs sharing more than 1 m2.
  for (std::size_t a = 0; a < polys.size(); ++a) {
    for (auto b : index.query(bounds(*polys[a]))) {
      if (b <= a) continue;
      if (intersection_area(*polys[a], *polys[b]) > 1.0)
        ds.report.overlapping_areas.emplace_back(ds.areas[which[a]].code, ds.areas[which[b]].code);
    }
  }
}

/// `units_name_compounds`: whether the units name their compounds, when known from the
/// whole layer (AreaSubset); null = look at the units read.
void assign_compounds(Dataset& ds, const bool* units_name_compounds = nullptr) {
  if (ds.compounds.empty()) return;
  bool any_given = false;
  for (const auto& u : ds.units) any_given = any_given || !u.compound_id.empty();
  if (units_name_compounds != nullptr) any_given = *units_name_compounds;
  ds.report.units_name_compounds = any_given;
  if (any_given) return; // the units say which compound they are in
  std::vector<const MultiPolygon*> polys;
  for (const auto& c : ds.compounds) polys.push_back(&c.geometry);
  PolygonIndex index(polys);
  for (auto& u : ds.units) {
    const long i = index.containing(u.anchor);
    if (i >= 0) u.compound_id = ds.compounds[static_cast<std::size_t>(i)].id;
  }
}

/// The steps after the units are in their areas, the same for a whole and a subset read:
/// known totals, calibration, barriers, facilities, GDAL's warnings.
void finish_dataset(Dataset& ds, const DatasetSources& sources, const ReadOptions& options,
                    ErrorCollector& errors) {
  ReadReport& report = ds.report;
  if (!options.area_totals.empty()) apply_area_totals(ds, read_area_totals(options.area_totals));
  if (options.calibrate) {
    CalibrationOptions calibration;
    calibration.household_size = options.estimation.household_size;
    calibrate(ds, calibration);
  }
  if (sources.barriers)
    ds.barriers = read_barriers(*sources.barriers, ds.work_crs, options, errors, report);
  if (sources.facilities)
    ds.facilities = read_facilities(*sources.facilities, ds.work_crs, options, errors, report);
  for (auto& w : errors.take_warnings("GDAL: ")) report.warnings.push_back(std::move(w));
  if (options.progress) options.progress(1.0, "done");
}

/// read_dataset with options.only_areas: the steps of the full read in an order that
/// knows the communities before the units are read (see AreaSubset).
Dataset read_area_subset(const DatasetSources& sources, const ReadOptions& options) {
  const AreaSubset& subset = *options.only_areas;
  if (!sources.units) throw UsageError("no units source given");
  if (!sources.areas)
    throw UsageError("reading only some communities' units needs an areas source");
  detail::ensure_gdal();
  ErrorCollector errors;
  Dataset ds;
  ReadReport& report = ds.report;
  ds.work_crs = subset.work_crs;
  ds.areas = read_areas(*sources.areas, ds.work_crs, options, errors, report);
  assign_area_codes(ds.areas, report);
  const std::set<std::string> wanted(subset.codes.begin(), subset.codes.end());
  std::vector<Box> boxes;
  const double grow = options.assign_tolerance_m + subset.margin_m;
  for (const auto& a : ds.areas) {
    if (a.level != AreaLevel::community || wanted.count(a.code) == 0) continue;
    const Box b = bounds(a.geometry);
    boxes.push_back(Box{b.min_x - grow, b.min_y - grow, b.max_x + grow, b.max_y + grow});
  }
  const BoxFilter filter{boxes, ds.work_crs};
  RawLayer raw = read_raw(*sources.units, Role::units, Want::polygons_or_points,
                          "building IS NOT NULL", options, errors, report, 0.0, 0.45, &filter);
  ds.units_source = SourceSpec{raw.file, raw.layer}.to_string();
  ds.source_crs = raw.crs;
  report.features_read = raw.features_read;
  to_work_crs(raw, ds.work_crs, report, true, options.threads);
  ds.units = build_units(raw, options, report, ds.unit_attributes);
  if (sources.compounds)
    ds.compounds = read_compounds(*sources.compounds, ds.work_crs, options, errors, report);
  assign_units(ds, options.assign_tolerance_m);
  // Units of other communities (met by a box) go: kept units stay in read order.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < ds.units.size(); ++i) {
    if (wanted.count(ds.units[i].area_code) == 0) continue;
    if (kept != i) {
      ds.units[kept] = std::move(ds.units[i]);
      ds.unit_attributes.rows[kept] = std::move(ds.unit_attributes.rows[i]);
    }
    ++kept;
  }
  ds.units.resize(kept);
  ds.unit_attributes.rows.resize(kept);
  ds.report.unassigned.clear(); // the root's full read reports them
  assign_compounds(ds, &subset.units_name_compounds);
  finish_dataset(ds, sources, options, errors);
  return ds;
}

} // namespace

Dataset read_dataset(const DatasetSources& sources, const ReadOptions& options) {
  if (options.only_areas) return read_area_subset(sources, options);
  if (!sources.units) throw UsageError("no units source given");
  detail::ensure_gdal();
  ErrorCollector errors;
  Dataset ds;
  ReadReport& report = ds.report;

  RawLayer raw = read_raw(*sources.units, Role::units, Want::polygons_or_points,
                          "building IS NOT NULL", options, errors, report, 0.0, 0.45);
  ds.units_source = SourceSpec{raw.file, raw.layer}.to_string();
  ds.source_crs = raw.crs;
  ds.work_crs = choose_work_crs(raw.crs, raw.extent, options, Where{raw.file, raw.layer});
  report.features_read = raw.features_read;
  if (options.progress) options.progress(0.45, "repairing units");
  to_work_crs(raw, ds.work_crs, report, true, options.threads);
  if (raw.features.empty())
    throw InputError(raw.file, raw.layer, std::nullopt,
                     "no polygons left after repair (all " + std::to_string(raw.features_read) +
                         " features empty or degenerate)");
  ds.units = build_units(raw, options, report, ds.unit_attributes);

  if (sources.compounds)
    ds.compounds = read_compounds(*sources.compounds, ds.work_crs, options, errors, report);
  if (sources.areas) ds.areas = read_areas(*sources.areas, ds.work_crs, options, errors, report);
  if (std::none_of(ds.areas.begin(), ds.areas.end(),
                   [](const Area& a) { return a.level == AreaLevel::community; })) {
    if (sources.areas)
      report.warnings.push_back(sources.areas->to_string() +
                                ": no community boundaries found; using one derived area");
    ds.areas.push_back(derive_area(ds.units, fs::path(raw.file).stem().string(), report));
  }
  assign_area_codes(ds.areas, report);
  if (options.progress) options.progress(0.85, "assigning units to areas");
  assign_units(ds, options.assign_tolerance_m);
  if (!ds.units.empty() && ds.report.unassigned.size() == ds.units.size())
    throw InputError(raw.file, raw.layer, std::nullopt,
                     fmt::format("none of the {} units lies in an area{} (within {:g} m); check "
                                 "the layers and their CRS",
                                 ds.units.size(),
                                 sources.areas ? " of " + sources.areas->to_string() : "",
                                 options.assign_tolerance_m));
  assign_compounds(ds);
  finish_dataset(ds, sources, options, errors);
  return ds;
}

DatasetSources DatasetSources::detect(const SourceSpec& source) {
  ErrorCollector errors;
  OpenedSource src = detail::open_source(source.path, "", errors);
  DatasetSources s;
  if (src.osm) {
    s.units = SourceSpec{source.path, "multipolygons"};
    s.areas = SourceSpec{source.path, "multipolygons"};
    s.barriers = SourceSpec{source.path, "lines"};
    return s;
  }
  if (source.layer.empty() && detail::find_layer(src, "units") != nullptr) {
    auto has = [&](const char* n) { return detail::find_layer(src, n) != nullptr; };
    s.units = SourceSpec{source.path, "units"};
    if (has("areas")) s.areas = SourceSpec{source.path, "areas"};
    if (has("compounds")) s.compounds = SourceSpec{source.path, "compounds"};
    if (has("barriers")) s.barriers = SourceSpec{source.path, "barriers"};
    if (has("facilities")) s.facilities = SourceSpec{source.path, "facilities"};
    return s;
  }
  s.units = source;
  return s;
}

std::vector<LayerSummary> list_layers(const std::string& path, const ReadOptions& options) {
  ErrorCollector errors;
  OpenedSource src = detail::open_source(path, options.encoding, errors);
  std::vector<LayerSummary> out;
  for (auto* layer : src.ds->GetLayers()) {
    LayerSummary s;
    s.name = layer->GetName();
    // A PostGIS `|prefix=P` source holds the layers whose tables start with P, named without it.
    if (!src.prefix.empty()) {
      if (s.name.rfind(src.prefix, 0) != 0) continue;
      s.name.erase(0, src.prefix.size());
    }
    s.driver = src.driver;
    s.geometry_type = OGRGeometryTypeToName(layer->GetGeomType());
    s.crs = detail::short_crs_name(layer->GetSpatialRef());
    s.feature_count = layer->GetFeatureCount(TRUE);
    FieldReader fr(*layer->GetLayerDefn());
    s.fields = fr.schema.fields;
    s.recognised = detect_fields(names_of(fr.schema), options.fields).entries();
    if (src.driver == "ESRI Shapefile") {
      s.encoding = src.encoding;
      if (s.encoding.empty())
        if (const char* e = layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE")) s.encoding = e;
    } else if (src.driver == "GPKG" || src.driver == "GeoJSON" || src.driver == "FlatGeobuf" ||
               src.driver == "OSM") {
      s.encoding = "UTF-8";
    }
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

/// write_layers writes a count X rounded, with its full precision in X_exact: give X its
/// exact values back (as a real field) and drop X_exact, so plans read back exactly.
void fold_exact_counts(Table& t) {
  for (std::size_t i = 0; i < t.fields.size(); ++i) {
    const int e = t.find(t.fields[i].name + detail::exact_suffix);
    if (e < 0 || !detail::is_count_field(t.fields[i].name)) continue;
    const auto ex = static_cast<std::size_t>(e);
    t.fields[i].type = FieldType::real;
    for (auto& row : t.rows) {
      if (const auto* d = std::get_if<double>(&row[ex]))
        row[i] = *d;
      else if (const auto* k = std::get_if<std::int64_t>(&row[i]))
        row[i] = static_cast<double>(*k);
      row.erase(row.begin() + e);
    }
    t.fields.erase(t.fields.begin() + e);
    if (ex < i) --i;
  }
}

} // namespace

Layer read_layer(const std::string& path, const std::string& layer_name,
                 const std::string& target_crs) {
  ErrorCollector errors;
  OpenedSource src = detail::open_source(path, "", errors);
  OGRLayer* layer = detail::choose_layer(src, layer_name, Role::any);
  Layer out;
  out.name = layer->GetName();
  if (!src.prefix.empty() && out.name.rfind(src.prefix, 0) == 0)
    out.name.erase(0, src.prefix.size());
  FieldReader fr(*layer->GetLayerDefn());
  out.table.fields = fr.schema.fields;
  const auto declared = layer->GetGeomType();
  bool decided = true;
  if (declared == wkbNone)
    out.kind = GeometryKind::none;
  else if (detail::is_polygonal(declared))
    out.kind = GeometryKind::polygon;
  else if (detail::is_linear(declared))
    out.kind = GeometryKind::line;
  else if (detail::is_point(declared))
    out.kind = GeometryKind::point;
  else
    decided = false; // unknown: the first geometry decides
  std::optional<Transformer> tr;
  if (!target_crs.empty() && out.kind != GeometryKind::none) {
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    if (srs == nullptr)
      throw InputError(path, out.name, std::nullopt, "has no coordinate reference system");
    tr.emplace(detail::to_wkt(*srs), target_crs);
    if (tr->is_identity()) tr.reset();
  }
  layer->ResetReading();
  for (auto& f : *layer) {
    const OGRGeometry* g = f->GetGeometryRef();
    if (!decided && g != nullptr && !g->IsEmpty()) {
      const auto t = g->getGeometryType();
      out.kind = detail::is_polygonal(t) ? GeometryKind::polygon
                 : detail::is_linear(t)  ? GeometryKind::line
                                         : GeometryKind::point;
      decided = true;
    }
    // A grid cell without a polygon cannot be simulated, drawn or judged (the plan
    // contract: every row of `cells` has one).
    if (out.kind == GeometryKind::polygon && out.name == "cells" && (g == nullptr || g->IsEmpty()))
      throw InputError(path, out.name, f->GetFID(), "cell has no geometry (NULL or empty)");
    out.table.rows.push_back(fr.row(*f));
    switch (out.kind) {
    case GeometryKind::polygon: {
      MultiPolygon mp = g != nullptr ? detail::to_multipolygon(*g) : MultiPolygon{};
      if (tr) tr->apply_in_place(mp);
      out.polygons.push_back(std::move(mp));
      break;
    }
    case GeometryKind::line: {
      MultiLineString ml = g != nullptr ? detail::to_lines(*g) : MultiLineString{};
      if (tr)
        for (auto& l : ml) tr->apply_in_place(l);
      out.lines.push_back(std::move(ml));
      break;
    }
    case GeometryKind::point: {
      Point p;
      if (g != nullptr && !g->IsEmpty() && wkbFlatten(g->getGeometryType()) == wkbPoint)
        p = Point{g->toPoint()->getX(), g->toPoint()->getY()};
      if (tr) p = tr->apply(p);
      out.points.push_back(p);
      break;
    }
    case GeometryKind::none:
      break;
    }
  }
  if (!errors.last_error().empty())
    throw InputError(path, out.name, std::nullopt,
                     fmt::format("reading failed after {} features: {}", out.table.rows.size(),
                                 errors.last_error()));
  if (!decided) out.kind = GeometryKind::polygon; // only empty geometries
  // Rows read before the kind was known have no geometry entry yet: pad.
  const auto n = out.table.rows.size();
  if (out.kind == GeometryKind::polygon)
    out.polygons.insert(out.polygons.begin(), n - out.polygons.size(), {});
  if (out.kind == GeometryKind::line) out.lines.insert(out.lines.begin(), n - out.lines.size(), {});
  if (out.kind == GeometryKind::point)
    out.points.insert(out.points.begin(), n - out.points.size(), {});
  fold_exact_counts(out.table);
  return out;
}

} // namespace gp::geo
