#include "gdal_util.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <ogr_spatialref.h>

#include <filesystem>
#include <mutex>

namespace gp::geo::detail {
namespace {

void CPL_STDCALL collect_handler(CPLErr error_class, CPLErrorNum /*code*/, const char* message) {
  auto* collector = static_cast<ErrorCollector*>(CPLGetErrorHandlerUserData());
  if (collector != nullptr) collector->add(static_cast<int>(error_class), message);
}

void append_ring(const OGRLinearRing& ring, Ring& out) {
  const int n = ring.getNumPoints();
  out.reserve(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i < n; ++i) out.push_back(Point{ring.getX(i), ring.getY(i)});
  if (!out.empty() && !(out.front() == out.back())) out.push_back(out.front());
}

void append_polygon(const OGRPolygon& p, MultiPolygon& out) {
  if (p.IsEmpty() || p.getExteriorRing() == nullptr) return;
  Polygon poly;
  append_ring(*p.getExteriorRing(), poly.outer);
  for (int i = 0; i < p.getNumInteriorRings(); ++i) {
    Ring hole;
    append_ring(*p.getInteriorRing(i), hole);
    if (hole.size() >= 4) poly.holes.push_back(std::move(hole));
  }
  if (poly.outer.size() >= 4) out.push_back(std::move(poly));
}

void collect_polygons(const OGRGeometry& g, MultiPolygon& out) {
  const auto t = wkbFlatten(g.getGeometryType());
  if (t == wkbPolygon) {
    append_polygon(*g.toPolygon(), out);
  } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
    for (const auto* part : *g.toGeometryCollection()) collect_polygons(*part, out);
  } else if (OGR_GT_IsSubClassOf(t, wkbCurvePolygon) || OGR_GT_IsSubClassOf(t, wkbMultiSurface) ||
             t == wkbPolyhedralSurface || t == wkbTIN || t == wkbTriangle) {
    std::unique_ptr<OGRGeometry> linear(g.getLinearGeometry());
    if (linear) {
      std::unique_ptr<OGRGeometry> forced(
          OGRGeometryFactory::forceToMultiPolygon(linear.release()));
      if (forced && wkbFlatten(forced->getGeometryType()) == wkbMultiPolygon)
        collect_polygons(*forced, out);
    }
  }
}

void collect_lines(const OGRGeometry& g, MultiLineString& out) {
  const auto t = wkbFlatten(g.getGeometryType());
  if (t == wkbLineString) {
    const auto* ls = g.toLineString();
    LineString line;
    line.reserve(static_cast<std::size_t>(ls->getNumPoints()));
    for (int i = 0; i < ls->getNumPoints(); ++i) line.push_back(Point{ls->getX(i), ls->getY(i)});
    if (line.size() >= 2) out.push_back(std::move(line));
  } else if (t == wkbMultiLineString || t == wkbGeometryCollection) {
    for (const auto* part : *g.toGeometryCollection()) collect_lines(*part, out);
  } else if (OGR_GT_IsCurve(t) || t == wkbMultiCurve) {
    std::unique_ptr<OGRGeometry> linear(g.getLinearGeometry());
    if (linear) collect_lines(*linear, out);
  }
}

} // namespace

void ensure_gdal() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Unclosed OSM rings are closed by OGR (and we count nothing silently: the
    // warning is collected into the read report).
    CPLSetConfigOption("OGR_GEOMETRY_ACCEPT_UNCLOSED_RING", "YES");
    // Keep OSM parsing in memory for small extracts; GDAL spills to disk when needed.
    CPLSetConfigOption("OSM_USE_CUSTOM_INDEXING", "YES");
    // Reproducible outputs: GeoPackages stamp gpkg_contents.last_change (and GDAL metadata)
    // with the clock unless OGR_CURRENT_DATE is set. A fixed date (the one layer_styles
    // rows carry) makes the same inputs and seed give the same bytes, run after run and on
    // any number of MPI ranks. A date the user sets (environment or --config) is kept.
    if (CPLGetConfigOption("OGR_CURRENT_DATE", nullptr) == nullptr)
      CPLSetConfigOption("OGR_CURRENT_DATE", "1970-01-01T00:00:00.000Z");
    // GDAL 3.6+ builds a GeoPackage's R-tree in a background thread; how its work
    // interleaves with the feature writes depends on timing, and so do the file's pages
    // (the same rows, a page more or less: seen on a loaded machine at 100,000 buildings).
    // Built in line, the bytes depend on the rows alone.
    if (CPLGetConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", nullptr) == nullptr)
      CPLSetConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", "NO");
    GDALAllRegister();
  });
}

ErrorCollector::ErrorCollector() {
  CPLPushErrorHandlerEx(collect_handler, this);
}

ErrorCollector::~ErrorCollector() {
  CPLPopErrorHandler();
}

void ErrorCollector::add(int error_class, const char* message) {
  const std::string msg = sanitize_utf8(message != nullptr ? message : "");
  if (error_class == CE_Failure || error_class == CE_Fatal) {
    last_error_ = msg;
    return;
  }
  if (error_class != CE_Warning) return;
  auto [it, inserted] = counts_.try_emplace(msg, 0);
  if (inserted) order_.push_back(msg);
  ++it->second;
}

std::vector<std::string> ErrorCollector::take_warnings(const std::string& prefix) {
  std::vector<std::string> out;
  out.reserve(order_.size());
  for (const auto& m : order_) {
    const auto n = counts_.at(m);
    out.push_back(prefix + m + (n > 1 ? " (x" + std::to_string(n) + ")" : ""));
  }
  order_.clear();
  counts_.clear();
  return out;
}

bool is_connection_string(const std::string& path) {
  return path.rfind("PG:", 0) == 0 || path.rfind("pg:", 0) == 0 || path.rfind("/vsi", 0) == 0 ||
         path.rfind("MySQL:", 0) == 0 || path.rfind("OCI:", 0) == 0 ||
         path.find("://") != std::string::npos;
}

MultiPolygon to_multipolygon(const OGRGeometry& g) {
  MultiPolygon out;
  collect_polygons(g, out);
  return out;
}

MultiLineString to_lines(const OGRGeometry& g) {
  MultiLineString out;
  collect_lines(g, out);
  return out;
}

bool is_polygonal(OGRwkbGeometryType t) {
  t = wkbFlatten(t);
  return t == wkbPolygon || t == wkbMultiPolygon || OGR_GT_IsSubClassOf(t, wkbCurvePolygon) ||
         OGR_GT_IsSubClassOf(t, wkbMultiSurface) || t == wkbPolyhedralSurface || t == wkbTIN ||
         t == wkbTriangle;
}

bool is_linear(OGRwkbGeometryType t) {
  t = wkbFlatten(t);
  return OGR_GT_IsCurve(t) || t == wkbMultiLineString || t == wkbMultiCurve;
}

bool is_point(OGRwkbGeometryType t) {
  t = wkbFlatten(t);
  return t == wkbPoint || t == wkbMultiPoint;
}

std::unique_ptr<OGRMultiPolygon> make_ogr(const MultiPolygon& g) {
  auto mp = std::make_unique<OGRMultiPolygon>();
  for (const auto& poly : g) {
    auto p = std::make_unique<OGRPolygon>();
    auto add_ring = [&](const Ring& r) {
      auto ring = std::make_unique<OGRLinearRing>();
      ring->setNumPoints(static_cast<int>(r.size()), FALSE);
      for (std::size_t i = 0; i < r.size(); ++i)
        ring->setPoint(static_cast<int>(i), r[i].x, r[i].y);
      p->addRingDirectly(ring.release());
    };
    add_ring(poly.outer);
    for (const auto& h : poly.holes) add_ring(h);
    mp->addGeometryDirectly(p.release());
  }
  return mp;
}

std::unique_ptr<OGRMultiLineString> make_ogr(const MultiLineString& g) {
  auto ml = std::make_unique<OGRMultiLineString>();
  for (const auto& line : g) {
    auto ls = std::make_unique<OGRLineString>();
    ls->setNumPoints(static_cast<int>(line.size()), FALSE);
    for (std::size_t i = 0; i < line.size(); ++i)
      ls->setPoint(static_cast<int>(i), line[i].x, line[i].y);
    ml->addGeometryDirectly(ls.release());
  }
  return ml;
}

std::unique_ptr<OGRPoint> make_ogr(const Point& p) {
  return std::make_unique<OGRPoint>(p.x, p.y);
}

std::string short_crs_name(const OGRSpatialReference* srs) {
  if (srs == nullptr) return "";
  const char* auth = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (auth != nullptr && code != nullptr) return std::string(auth) + ":" + code;
  OGRSpatialReference copy(*srs);
  if (copy.AutoIdentifyEPSG() == OGRERR_NONE) {
    auth = copy.GetAuthorityName(nullptr);
    code = copy.GetAuthorityCode(nullptr);
    if (auth != nullptr && code != nullptr) return std::string(auth) + ":" + code;
  }
  const char* name = srs->GetName();
  return name != nullptr ? name : "unnamed CRS";
}

std::string to_wkt(const OGRSpatialReference& srs) {
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  char* wkt = nullptr;
  if (srs.exportToWkt(&wkt, options) != OGRERR_NONE || wkt == nullptr) {
    CPLFree(wkt);
    wkt = nullptr;
    srs.exportToWkt(&wkt);
  }
  std::string out = wkt != nullptr ? wkt : "";
  CPLFree(wkt);
  return out;
}

bool is_valid_utf8(const std::string& s) {
  std::size_t i = 0;
  const auto n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (c < 0x80)
      len = 1;
    else if ((c >> 5) == 0x6)
      len = 2;
    else if ((c >> 4) == 0xE)
      len = 3;
    else if ((c >> 3) == 0x1E)
      len = 4;
    else
      return false;
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += len;
  }
  return true;
}

std::string sanitize_utf8(const std::string& s) {
  if (is_valid_utf8(s)) return s;
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

} // namespace gp::geo::detail
