#include "gp/geo/crs.hpp"

#include <proj.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>
#include <numbers>
#include <string_view>

#include "gp/core/error.hpp"

namespace gp::geo {
namespace {

// ---------------------------------------------------------------------------------------
// GCJ-02 / BD-09. The published ("leaked") GCJ-02 algorithm: an offset computed on the
// Krasovsky 1940 ellipsoid from a polynomial-plus-sines function of (lon-105, lat-35),
// applied inside a bounding box of China. BD-09 is a further rotation/scale of GCJ-02
// around the origin plus a constant shift. See docs/design/crs.md.

constexpr double kPi = std::numbers::pi;
constexpr double kKrasovskyA = 6378245.0;               // semi-major axis (m)
constexpr double kKrasovskyEe = 0.00669342162296594323; // first eccentricity squared
constexpr double kBdXPi = std::numbers::pi * 3000.0 / 180.0;

bool outside_china(Point p) {
  return p.x < 72.004 || p.x > 137.8347 || p.y < 0.8293 || p.y > 55.8271;
}

double gcj_offset_lat(double x, double y) {
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
  r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  return r;
}

double gcj_offset_lon(double x, double y) {
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
  r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  return r;
}

/// The GCJ-02 offset (degrees) at WGS84 lon/lat, ignoring the China box.
Point gcj_delta(Point w) {
  const double dlat_m = gcj_offset_lat(w.x - 105.0, w.y - 35.0);
  const double dlon_m = gcj_offset_lon(w.x - 105.0, w.y - 35.0);
  const double rad_lat = w.y / 180.0 * kPi;
  double magic = std::sin(rad_lat);
  magic = 1 - kKrasovskyEe * magic * magic;
  const double sqrt_magic = std::sqrt(magic);
  const double dlat =
      (dlat_m * 180.0) / ((kKrasovskyA * (1 - kKrasovskyEe)) / (magic * sqrt_magic) * kPi);
  const double dlon = (dlon_m * 180.0) / (kKrasovskyA / sqrt_magic * std::cos(rad_lat) * kPi);
  return {dlon, dlat};
}

/// Offset "levels": WGS84 lon/lat -> GCJ-02 -> BD-09. A PROJ CRS is level 0 of itself.
enum class Offset { none = 0, gcj02 = 1, bd09 = 2 };

Offset offset_of(const std::string& name) {
  std::string key;
  for (const char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (key == "gcj02") return Offset::gcj02;
  if (key == "bd09") return Offset::bd09;
  return Offset::none;
}

Point step_up(Offset level, Point p) { // level -> level+1
  return level == Offset::none ? wgs84_to_gcj02(p) : gcj02_to_bd09(p);
}
Point step_down(Offset level, Point p) { // level -> level-1
  return level == Offset::bd09 ? bd09_to_gcj02(p) : gcj02_to_wgs84(p);
}

Point move_level(Point p, Offset from, Offset to) {
  int a = static_cast<int>(from);
  const int b = static_cast<int>(to);
  while (a < b) p = step_up(static_cast<Offset>(a++), p);
  while (a > b) p = step_down(static_cast<Offset>(a--), p);
  return p;
}

// ---------------------------------------------------------------------------------------
// PROJ helpers.

struct ContextDeleter {
  void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
};
struct PjDeleter {
  void operator()(PJ* p) const { proj_destroy(p); }
};
using ContextPtr = std::unique_ptr<PJ_CONTEXT, ContextDeleter>;
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

ContextPtr make_context() {
  ContextPtr ctx{proj_context_create()};
  if (!ctx) throw Error("PROJ: cannot create a context");
  // Library code never prints: errors are reported through exceptions.
  proj_log_level(ctx.get(), PJ_LOG_NONE);
  return ctx;
}

std::string proj_error(PJ_CONTEXT* ctx) {
  const int err = proj_context_errno(ctx);
  const char* s = err != 0 ? proj_context_errno_string(ctx, err) : nullptr;
  return s != nullptr ? std::string(s) : std::string("unknown error");
}

std::string shorten(const std::string& def) {
  // CRS definitions may be long WKT: keep error messages one line and readable.
  std::string s;
  for (const char c : def) s.push_back(c == '\n' || c == '\r' ? ' ' : c);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

/// A PROJ CRS object for `definition` (EPSG:n, WKT, PROJJSON, PROJ string). Throws.
PjPtr create_crs(PJ_CONTEXT* ctx, const std::string& definition) {
  if (definition.empty()) throw Error("empty CRS definition");
  std::string def = definition;
  // A bare PROJ string ("+proj=utm +zone=50") describes an operation unless marked as CRS.
  if (def.front() == '+' && def.find("+type=crs") == std::string::npos) def += " +type=crs";
  PjPtr pj{proj_create(ctx, def.c_str())};
  if (!pj) throw Error("unknown CRS '" + shorten(definition) + "': " + proj_error(ctx));
  if (proj_is_crs(pj.get()) == 0)
    throw Error("'" + shorten(definition) + "' is not a coordinate reference system");
  return pj;
}

/// The horizontal CRS (source CRS of a bound CRS, first part of a compound CRS).
PjPtr horizontal_crs(PJ_CONTEXT* ctx, PjPtr crs) {
  for (int guard = 0; guard < 4; ++guard) {
    const PJ_TYPE t = proj_get_type(crs.get());
    if (t == PJ_TYPE_BOUND_CRS) {
      PjPtr base{proj_get_source_crs(ctx, crs.get())};
      if (!base) break;
      crs = std::move(base);
    } else if (t == PJ_TYPE_COMPOUND_CRS) {
      PjPtr sub{proj_crs_get_sub_crs(ctx, crs.get(), 0)};
      if (!sub) break;
      crs = std::move(sub);
    } else {
      break;
    }
  }
  return crs;
}

const char* kWgs84 = "EPSG:4326";

} // namespace

// -----------------------------------------------------------------------------------------
// Offset systems.

Point wgs84_to_gcj02(Point lonlat) {
  if (outside_china(lonlat)) return lonlat;
  const Point d = gcj_delta(lonlat);
  return {lonlat.x + d.x, lonlat.y + d.y};
}

Point gcj02_to_wgs84(Point lonlat) {
  if (outside_china(lonlat)) return lonlat;
  // Fixed point of w = g - delta(w): the offset varies slowly (its derivative is ~1e-5 per
  // degree), so each iteration gains about five digits; stop well below 1e-7 degrees.
  const Point d0 = gcj_delta(lonlat);
  Point w{lonlat.x - d0.x, lonlat.y - d0.y};
  for (int i = 0; i < 30; ++i) {
    const Point g = wgs84_to_gcj02(w);
    const double ex = g.x - lonlat.x;
    const double ey = g.y - lonlat.y;
    w.x -= ex;
    w.y -= ey;
    if (std::abs(ex) < 1e-10 && std::abs(ey) < 1e-10) break;
  }
  return w;
}

Point gcj02_to_bd09(Point lonlat) {
  const double x = lonlat.x;
  const double y = lonlat.y;
  const double z = std::sqrt(x * x + y * y) + 0.00002 * std::sin(y * kBdXPi);
  const double theta = std::atan2(y, x) + 0.000003 * std::cos(x * kBdXPi);
  return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

Point bd09_to_gcj02(Point lonlat) {
  // Baidu's closed-form approximate inverse, then a few fixed-point corrections so that
  // bd09_to_gcj02(gcj02_to_bd09(p)) == p to ~1e-10 degrees (the closed form alone is off
  // by up to ~1e-6 degrees, i.e. decimetres).
  const double x = lonlat.x - 0.0065;
  const double y = lonlat.y - 0.006;
  const double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * kBdXPi);
  const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * kBdXPi);
  Point g{z * std::cos(theta), z * std::sin(theta)};
  for (int i = 0; i < 10; ++i) {
    const Point b = gcj02_to_bd09(g);
    const double ex = b.x - lonlat.x;
    const double ey = b.y - lonlat.y;
    g.x -= ex;
    g.y -= ey;
    if (std::abs(ex) < 1e-11 && std::abs(ey) < 1e-11) break;
  }
  return g;
}

bool is_offset_crs(const std::string& name) {
  return offset_of(name) != Offset::none;
}

int utm_epsg_for(Point lonlat) {
  int zone = static_cast<int>(std::floor((lonlat.x + 180.0) / 6.0)) + 1;
  zone = std::clamp(zone, 1, 60);
  return (lonlat.y >= 0 ? 32600 : 32700) + zone;
}

// -----------------------------------------------------------------------------------------
// Transformer.

struct Transformer::Private {
  ContextPtr ctx;
  PjPtr op; // null when no PROJ step is needed (same CRS on both sides)
  Offset from_level = Offset::none;
  Offset to_level = Offset::none;
  std::string from_name, to_name;
  std::mutex mutex; // a PJ is not reentrant: serialise concurrent apply() on one object

  [[noreturn]] void fail(Point p) const {
    throw Error("cannot transform point (" + std::to_string(p.x) + ", " + std::to_string(p.y) +
                ") from " + shorten(from_name) + " to " + shorten(to_name));
  }

  void proj_batch(double* xs, double* ys, std::size_t stride, std::size_t n) const {
    proj_errno_reset(op.get());
    proj_trans_generic(op.get(), PJ_FWD, xs, stride, n, ys, stride, n, nullptr, 0, 0, nullptr, 0,
                       0);
  }
};

Transformer::Transformer(const std::string& from, const std::string& to)
    : d(std::make_unique<Private>()) {
  d->ctx = make_context();
  d->from_name = from;
  d->to_name = to;
  d->from_level = offset_of(from);
  d->to_level = offset_of(to);
  const std::string from_def = d->from_level != Offset::none ? kWgs84 : from;
  const std::string to_def = d->to_level != Offset::none ? kWgs84 : to;
  PjPtr src = create_crs(d->ctx.get(), from_def);
  PjPtr dst = create_crs(d->ctx.get(), to_def);
  if (from_def == to_def ||
      proj_is_equivalent_to_with_ctx(d->ctx.get(), src.get(), dst.get(), PJ_COMP_EQUIVALENT) != 0)
    return;
  PjPtr raw{proj_create_crs_to_crs_from_pj(d->ctx.get(), src.get(), dst.get(), nullptr, nullptr)};
  if (!raw)
    throw Error("no coordinate operation from " + shorten(from) + " to " + shorten(to) + ": " +
                proj_error(d->ctx.get()));
  // Traditional GIS axis order on both sides: x = longitude/easting, y = latitude/northing.
  d->op.reset(proj_normalize_for_visualization(d->ctx.get(), raw.get()));
  if (!d->op)
    throw Error("cannot normalise the operation from " + shorten(from) + " to " + shorten(to) +
                ": " + proj_error(d->ctx.get()));
}

Transformer::~Transformer() = default;
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;

bool Transformer::is_identity() const {
  return !d->op && d->from_level == d->to_level;
}

Point Transformer::apply(Point p) const {
  if (!d->op) return move_level(p, d->from_level, d->to_level);
  const Point in = p;
  Point q = move_level(p, d->from_level, Offset::none);
  {
    std::lock_guard lock(d->mutex);
    d->proj_batch(&q.x, &q.y, sizeof(Point), 1);
  }
  if (!std::isfinite(q.x) || !std::isfinite(q.y)) d->fail(in);
  return move_level(q, Offset::none, d->to_level);
}

void Transformer::apply_in_place(std::vector<Point>& pts) const {
  if (pts.empty() || is_identity()) return;
  if (!d->op) {
    for (auto& p : pts) p = move_level(p, d->from_level, d->to_level);
    return;
  }
  const std::vector<Point> original =
      d->from_level != Offset::none ? pts : std::vector<Point>{}; // for error messages only
  if (d->from_level != Offset::none)
    for (auto& p : pts) p = move_level(p, d->from_level, Offset::none);
  {
    std::lock_guard lock(d->mutex);
    d->proj_batch(&pts.front().x, &pts.front().y, sizeof(Point), pts.size());
  }
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const Point& q = pts[i];
    if (!std::isfinite(q.x) || !std::isfinite(q.y)) d->fail(original.empty() ? q : original[i]);
  }
  if (d->to_level != Offset::none)
    for (auto& p : pts) p = move_level(p, Offset::none, d->to_level);
}

void Transformer::apply_in_place(MultiPolygon& g) const {
  for (auto& poly : g) {
    apply_in_place(poly.outer);
    for (auto& h : poly.holes) apply_in_place(h);
  }
}

// -----------------------------------------------------------------------------------------
// CRS descriptions.

std::string crs_to_wkt(const std::string& definition) {
  ContextPtr ctx = make_context();
  PjPtr crs = create_crs(ctx.get(), is_offset_crs(definition) ? kWgs84 : definition);
  const char* wkt = proj_as_wkt(ctx.get(), crs.get(), PJ_WKT2_2019, nullptr);
  if (wkt == nullptr)
    throw Error("cannot express CRS '" + shorten(definition) +
                "' as WKT: " + proj_error(ctx.get()));
  return wkt;
}

std::string crs_short_name(const std::string& definition) {
  switch (offset_of(definition)) {
  case Offset::gcj02:
    return "GCJ-02";
  case Offset::bd09:
    return "BD-09";
  case Offset::none:
    break;
  }
  ContextPtr ctx = make_context();
  PjPtr crs = create_crs(ctx.get(), definition);
  auto code_of = [](const PJ* pj) -> std::string {
    const char* auth = proj_get_id_auth_name(pj, 0);
    const char* code = proj_get_id_code(pj, 0);
    if (auth == nullptr || code == nullptr) return {};
    return std::string(auth) + ":" + code;
  };
  if (std::string id = code_of(crs.get()); !id.empty()) return id;
  // WKT without an ID (e.g. from a .prj): ask PROJ which EPSG CRS it matches.
  int* confidence = nullptr;
  PJ_OBJ_LIST* matches = proj_identify(ctx.get(), crs.get(), "EPSG", nullptr, &confidence);
  std::string best;
  if (matches != nullptr) {
    const int n = proj_list_get_count(matches);
    for (int i = 0; i < n && best.empty(); ++i) {
      if (confidence[i] < 90) continue;
      PjPtr cand{proj_list_get(ctx.get(), matches, i)};
      if (cand) best = code_of(cand.get());
    }
    proj_list_destroy(matches);
  }
  proj_int_list_destroy(confidence);
  if (!best.empty()) return best;
  const char* name = proj_get_name(crs.get());
  return name != nullptr ? std::string(name) : shorten(definition);
}

bool crs_is_metric(const std::string& definition) {
  if (is_offset_crs(definition)) return false;
  ContextPtr ctx = make_context();
  PjPtr crs = horizontal_crs(ctx.get(), create_crs(ctx.get(), definition));
  if (proj_get_type(crs.get()) != PJ_TYPE_PROJECTED_CRS) return false;
  PjPtr cs{proj_crs_get_coordinate_system(ctx.get(), crs.get())};
  if (!cs) return false;
  const int axes = proj_cs_get_axis_count(ctx.get(), cs.get());
  if (axes < 2) return false;
  for (int i = 0; i < 2; ++i) {
    double factor = 0;
    if (proj_cs_get_axis_info(ctx.get(), cs.get(), i, nullptr, nullptr, nullptr, &factor, nullptr,
                              nullptr, nullptr) == 0)
      return false;
    if (std::abs(factor - 1.0) > 1e-12) return false;
  }
  return true;
}

} // namespace gp::geo
