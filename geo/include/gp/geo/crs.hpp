#pragma once
// Coordinate reference systems. PROJ for everything it knows; GCJ-02 and BD-09 (the
// Chinese offset systems PROJ does not know) handled here as names "GCJ-02"/"BD-09"
// (also "gcj02", "bd09"), both defined relative to WGS84 longitude/latitude.

#include <memory>
#include <string>
#include <vector>

#include "gp/geo/geometry.hpp"

namespace gp::geo {

/// WGS84 lon/lat (degrees) -> GCJ-02 lon/lat, the published Krasovsky-ellipsoid formula.
/// Outside China's bounding box (lon 72.004..137.8347, lat 0.8293..55.8271) the identity.
Point wgs84_to_gcj02(Point lonlat);
/// GCJ-02 -> WGS84 by fixed-point iteration to 1e-10 degrees (round trip < 1e-7 m).
Point gcj02_to_wgs84(Point lonlat);
/// GCJ-02 -> BD-09 (Baidu's formula); defined everywhere.
Point gcj02_to_bd09(Point lonlat);
/// BD-09 -> GCJ-02: Baidu's closed-form inverse refined by fixed-point iteration, so that
/// it inverts gcj02_to_bd09 to ~1e-10 degrees.
Point bd09_to_gcj02(Point lonlat);

/// True for the names of the offset systems (GCJ-02, BD-09 in their spellings).
bool is_offset_crs(const std::string& name);

/// The EPSG code of the WGS84 UTM zone containing lon/lat (326xx north, 327xx south).
/// Regular 6-degree zones (the Norway/Svalbard exceptions are not applied).
int utm_epsg_for(Point lonlat);

/// Transforms points between any two CRS definitions PROJ accepts (EPSG:n, WKT, PROJJSON,
/// PROJ strings) or the offset names above. Axis order is always x=easting/longitude,
/// y=northing/latitude (proj_normalize_for_visualization). An offset CRS goes through
/// WGS84 lon/lat: "GCJ-02" -> "EPSG:32650" is GCJ-02 -> WGS84 -> UTM 50N. Each Transformer
/// owns its PROJ context; apply() may be called from several threads (serialised
/// internally; use one Transformer per thread for parallel speed). Throws gp::Error for an
/// unknown CRS or when no operation exists.
class Transformer {
public:
  Transformer(const std::string& from, const std::string& to);
  ~Transformer();
  Transformer(Transformer&&) noexcept;
  Transformer& operator=(Transformer&&) noexcept;

  /// Transforms one point. Throws gp::Error when PROJ cannot transform it (outside the
  /// domain of the operation).
  Point apply(Point p) const;
  /// Transforms points (also a LineString, which is a std::vector<Point>, or a Ring) in
  /// place, batched through PROJ. Throws gp::Error as apply(); the points are then unspecified.
  void apply_in_place(std::vector<Point>& pts) const;
  void apply_in_place(MultiPolygon& g) const;
  /// True when apply() returns its argument unchanged (same CRS on both sides).
  bool is_identity() const;

private:
  struct Private;
  std::unique_ptr<Private> d;
};

/// WKT2 (2019) for any accepted definition (offset names give WGS84's WKT, since GCJ-02 and
/// BD-09 have no WKT). Throws gp::Error for an unknown CRS.
std::string crs_to_wkt(const std::string& definition);
/// A short human name: "EPSG:32650" (from the definition's ID, else the EPSG CRS PROJ
/// identifies with >= 90 % confidence), "GCJ-02"/"BD-09", or the CRS name. Throws gp::Error.
std::string crs_short_name(const std::string& definition);
/// True when the (horizontal part of the) CRS is projected with metre units. Offset names:
/// false. Throws gp::Error for an unknown CRS.
bool crs_is_metric(const std::string& definition);

} // namespace gp::geo
