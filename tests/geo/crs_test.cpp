// Coordinate systems: GCJ-02 / BD-09 offsets (round trips, published reference points) and
// PROJ transformations (closed-form meridian arcs, a textbook worked example).

#include "gp/geo/crs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <thread>

#include "gp/core/error.hpp"
#include "support.hpp"

namespace gp::geo {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

/// Great-circle distance in metres (mean Earth radius). For the sub-kilometre distances
/// tested here its error against the ellipsoidal geodesic is below 0.5 %.
double metres_between(Point a, Point b) {
  constexpr double r = 6371008.8;
  const double dlat = (b.y - a.y) * kDeg;
  const double dlon = (b.x - a.x) * kDeg;
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(a.y * kDeg) * std::cos(b.y * kDeg) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * r * std::asin(std::sqrt(std::min(1.0, h)));
}

/// Meridian arc length from the equator (metres) on an ellipsoid (a, f): the standard series
/// (e.g. Snyder 1987, eq. 3-21), accurate to well below a millimetre.
double meridian_arc(double lat_deg, double a, double f) {
  const double e2 = f * (2 - f);
  const double e4 = e2 * e2;
  const double e6 = e4 * e2;
  const double p = lat_deg * kDeg;
  return a *
         ((1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * p -
          (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * std::sin(2 * p) +
          (15 * e4 / 256 + 45 * e6 / 1024) * std::sin(4 * p) - (35 * e6 / 3072) * std::sin(6 * p));
}

/// Points on a regular grid over mainland China and Hainan (lon 74..134, lat 18.5..53).
std::vector<Point> china_grid() {
  std::vector<Point> pts;
  for (double lon = 74.0; lon <= 134.0; lon += 1.7)
    for (double lat = 18.5; lat <= 53.0; lat += 1.3) pts.push_back({lon + 0.123, lat + 0.0456});
  return pts;
}

TEST(Gcj02, RoundTripBelowOneMillimetreAcrossChina) {
  double worst = 0;
  const auto pts = china_grid();
  ASSERT_GT(pts.size(), 500u);
  for (const Point w : pts) {
    const Point g = wgs84_to_gcj02(w);
    // The offset is real (hundreds of metres) inside the box...
    EXPECT_GT(metres_between(w, g), 10.0) << w.x << "," << w.y;
    EXPECT_LT(metres_between(w, g), 1500.0) << w.x << "," << w.y;
    // ...and the inverse undoes it.
    worst = std::max(worst, metres_between(w, gcj02_to_wgs84(g)));
  }
  RecordProperty("worst_roundtrip_m", std::to_string(worst));
  EXPECT_LT(worst, 1e-3);
}

TEST(Bd09, RoundTripBelowOneMillimetreAcrossChina) {
  double worst_gcj = 0, worst_wgs = 0;
  for (const Point w : china_grid()) {
    const Point g = wgs84_to_gcj02(w);
    const Point b = gcj02_to_bd09(g);
    EXPECT_GT(metres_between(g, b), 100.0);
    worst_gcj = std::max(worst_gcj, metres_between(g, bd09_to_gcj02(b)));
    worst_wgs = std::max(worst_wgs, metres_between(w, gcj02_to_wgs84(bd09_to_gcj02(b))));
  }
  EXPECT_LT(worst_gcj, 1e-3);
  EXPECT_LT(worst_wgs, 1e-3);
}

TEST(Gcj02, IdentityOutsideChina) {
  for (const Point p : {Point{2.3522, 48.8566}, Point{-74.006, 40.7128}, Point{0, 0},
                        Point{151.2093, -33.8688}, Point{139.6917, 60.0}}) {
    EXPECT_EQ(wgs84_to_gcj02(p), p);
    EXPECT_EQ(gcj02_to_wgs84(p), p);
  }
  // The same through a Transformer.
  const Transformer t("EPSG:4326", "GCJ-02");
  EXPECT_EQ(t.apply(Point{2.3522, 48.8566}), (Point{2.3522, 48.8566}));
}

// Reference pairs published in the test suite of wandergis/coordtransform (test/app.js),
// the most widely copied implementation, for the input (116.404, 39.915) near Tiananmen.
TEST(Gcj02, MatchesCoordtransformPublishedValues) {
  const Point in{116.404, 39.915};
  EXPECT_LT(metres_between(wgs84_to_gcj02(in), {116.41024449916938, 39.91640428150164}), 0.01);
  EXPECT_LT(metres_between(gcj02_to_bd09(in), {116.41036949371029, 39.92133699351021}), 0.01);
  // coordtransform inverts with one linearised step; ours iterates to convergence, so the
  // published inverse values agree within decimetres, not bit for bit.
  EXPECT_LT(metres_between(gcj02_to_wgs84(in), {116.39775550083061, 39.91359571849836}), 1.0);
  EXPECT_LT(metres_between(bd09_to_gcj02(in), {116.39762729119315, 39.90865673957631}), 1.0);
}

// City coordinates in all three systems from the fixture test/fixtures/china-cities.json of
// hujiulong/gcoord (coordinates published to 7 decimals, ~1 cm), spread over China.
struct CityRef {
  const char* name;
  Point wgs, gcj, bd;
};
const CityRef kCities[] = {
    {"Zhumadian", {114.0164322, 33.0133556}, {114.022306, 33.0115324}, {114.0287781, 33.0176697}},
    {"Shaoyang", {111.4622119, 27.242124}, {111.4677938, 27.2388981}, {111.4742271, 27.2451662}},
    {"Nagqu", {92.0499619, 31.4784436}, {92.0512438, 31.4762063}, {92.0576832, 31.4824421}},
    {"Xichang", {102.2658401, 27.8850446}, {102.2673386, 27.8816151}, {102.2738428, 27.8876621}},
    {"Zhengzhou", {113.6192856, 34.7478004}, {113.6253334, 34.7466173}, {113.6317519, 34.7528605}},
    {"Liaoyang", {123.2312099, 41.2651725}, {123.2369518, 41.2672464}, {123.2433178, 41.2736074}},
    {"Shenyang", {123.4253306, 41.8032629}, {123.4314787, 41.8057023}, {123.438095, 41.8114013}},
    {"Jiuquan", {98.4937175, 39.7319946}, {98.4943595, 39.7328234}, {98.5008441, 39.7388949}},
    {"Xilinhot", {116.0414035, 43.9312805}, {116.0482308, 43.9334573}, {116.0546232, 43.9397782}},
    {"Qinzhou", {108.6503952, 21.9828281}, {108.6541485, 21.9799392}, {108.6607283, 21.9856319}},
    {"Quanzhou", {118.6711365, 24.8770487}, {118.6756787, 24.8741363}, {118.6821251, 24.8804872}},
    {"Jinchang", {102.1860478, 38.5196469}, {102.1880474, 38.5200925}, {102.194653, 38.5258128}},
};

TEST(Gcj02, MatchesPublishedCityCoordinates) {
  // Measured: WGS84<->GCJ-02 within 0.69 m of the fixture, GCJ-02<->BD-09 within 1 cm.
  for (const auto& c : kCities) {
    SCOPED_TRACE(c.name);
    EXPECT_LT(metres_between(wgs84_to_gcj02(c.wgs), c.gcj), 1.0);
    EXPECT_LT(metres_between(gcj02_to_wgs84(c.gcj), c.wgs), 1.0);
    EXPECT_LT(metres_between(gcj02_to_bd09(c.gcj), c.bd), 0.05);
    EXPECT_LT(metres_between(bd09_to_gcj02(c.bd), c.gcj), 0.05);
    // Chained through the Transformer, in both directions.
    EXPECT_LT(metres_between(Transformer("BD-09", "EPSG:4326").apply(c.bd), c.wgs), 1.0);
    EXPECT_LT(metres_between(Transformer("EPSG:4326", "bd09").apply(c.wgs), c.bd), 1.0);
    EXPECT_LT(metres_between(Transformer("gcj02", "BD-09").apply(c.gcj), c.bd), 0.05);
  }
}

TEST(Crs, OffsetNamesInTheirSpellings) {
  for (const char* n : {"GCJ-02", "gcj02", "GCJ02", "gcj-02", "BD-09", "bd09", "BD09"})
    EXPECT_TRUE(is_offset_crs(n)) << n;
  for (const char* n : {"EPSG:4326", "WGS84", "", "gcj03"}) EXPECT_FALSE(is_offset_crs(n)) << n;
  EXPECT_EQ(crs_short_name("gcj02"), "GCJ-02");
  EXPECT_EQ(crs_short_name("bd-09"), "BD-09");
}

TEST(Crs, UtmZones) {
  EXPECT_EQ(utm_epsg_for({116.4, 39.9}), 32650);   // Beijing
  EXPECT_EQ(utm_epsg_for({121.47, 31.23}), 32651); // Shanghai
  EXPECT_EQ(utm_epsg_for({151.2, -33.9}), 32756);  // Sydney
  EXPECT_EQ(utm_epsg_for({-180.0, 10.0}), 32601);
  EXPECT_EQ(utm_epsg_for({180.0, 10.0}), 32660);
  EXPECT_EQ(utm_epsg_for({0.0, 0.0}), 32631);
}

// On a zone's central meridian, Transverse Mercator northing is k0 times the meridian arc and
// easting the false easting: closed-form checks of PROJ's UTM and CGCS2000 Gauss-Kruger.
TEST(Transformer, CentralMeridianMatchesMeridianArc) {
  const Transformer utm("EPSG:4326", "EPSG:32650"); // UTM 50N, CM 117E
  const Transformer gk("EPSG:4490", "EPSG:4548");   // CGCS2000 GK 3-degree CM 117E, k0 = 1
  for (const double lat : {0.0, 22.5, 39.9, 45.0, 53.0}) {
    const Point u = utm.apply({117.0, lat});
    EXPECT_NEAR(u.x, 500000.0, 1e-4);
    EXPECT_NEAR(u.y, 0.9996 * meridian_arc(lat, 6378137.0, 1 / 298.257223563), 1e-3);
    const Point g = gk.apply({117.0, lat});
    EXPECT_NEAR(g.x, 500000.0, 1e-4);
    EXPECT_NEAR(g.y, meridian_arc(lat, 6378137.0, 1 / 298.257222101), 1e-3);
  }
  // Off the meridian eastings are symmetric about the false easting.
  const Point e = gk.apply({118.2, 39.9});
  const Point w = gk.apply({115.8, 39.9});
  EXPECT_NEAR(e.x - 500000.0, 500000.0 - w.x, 1e-4);
  EXPECT_NEAR(e.y, w.y, 1e-4);
  EXPECT_GT(e.x - 500000.0, 100000.0);
}

// Snyder, "Map Projections: A Working Manual" (USGS PP 1395, 1987), p. 269, worked example
// of the ellipsoidal Transverse Mercator: Clarke 1866, lat 40.5N, lon 73.5W, CM 75W,
// k0 = 0.9996 -> x = 127,106.5 m, y = 4,484,124.4 m.
TEST(Transformer, SnyderTransverseMercatorExample) {
  const Transformer t("+proj=longlat +ellps=clrk66",
                      "+proj=tmerc +lon_0=-75 +k_0=0.9996 +ellps=clrk66");
  const Point p = t.apply({-73.5, 40.5});
  EXPECT_NEAR(p.x, 127106.5, 0.1);
  EXPECT_NEAR(p.y, 4484124.4, 0.1);
}

TEST(Transformer, AxisOrderIsLonLatEvenForEpsg4326) {
  const Transformer t("EPSG:4326", "EPSG:3857");
  const Point p = t.apply({116.0, 40.0});
  // Web Mercator x = R * lon (radians).
  EXPECT_NEAR(p.x, 6378137.0 * 116.0 * kDeg, 1e-3);
  EXPECT_GT(p.y, 4.8e6);
  const Transformer back("EPSG:3857", "EPSG:4326");
  const Point q = back.apply(p);
  EXPECT_NEAR(q.x, 116.0, 1e-9);
  EXPECT_NEAR(q.y, 40.0, 1e-9);
}

TEST(Transformer, OffsetSourceGoesThroughWgs84) {
  const Point gcj{116.404, 39.915};
  const Transformer direct("GCJ-02", "EPSG:32650");
  const Transformer plain("EPSG:4326", "EPSG:32650");
  const Point a = direct.apply(gcj);
  const Point b = plain.apply(gcj02_to_wgs84(gcj));
  EXPECT_NEAR(a.x, b.x, 1e-6);
  EXPECT_NEAR(a.y, b.y, 1e-6);
  // GCJ-02 coordinates are ~500 m off WGS84 here: the transformer must not ignore it.
  const Point naive = plain.apply(gcj);
  EXPECT_GT(std::hypot(naive.x - a.x, naive.y - a.y), 100.0);
  // And back to GCJ-02 from the projected CRS.
  const Point r = Transformer("EPSG:32650", "GCJ-02").apply(a);
  EXPECT_LT(metres_between(r, gcj), 1e-3);
}

TEST(Transformer, BatchEqualsPerPointAndGeometries) {
  const Transformer t("BD-09", "EPSG:4548");
  std::vector<Point> pts;
  for (int i = 0; i < 50; ++i) pts.push_back({116.2 + 0.01 * i, 39.8 + 0.005 * i});
  std::vector<Point> batch = pts;
  t.apply_in_place(batch);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const Point q = t.apply(pts[i]);
    EXPECT_DOUBLE_EQ(batch[i].x, q.x);
    EXPECT_DOUBLE_EQ(batch[i].y, q.y);
  }
  MultiPolygon g{Polygon{{{116.3, 39.9}, {116.31, 39.9}, {116.31, 39.91}, {116.3, 39.9}}, {}}};
  const Point first = t.apply(g[0].outer[1]);
  t.apply_in_place(g);
  EXPECT_EQ(g[0].outer[1], first);
  LineString line{{116.3, 39.9}, {116.4, 39.95}};
  t.apply_in_place(line);
  EXPECT_EQ(line[1], t.apply({116.4, 39.95}));
}

TEST(Transformer, Identity) {
  EXPECT_TRUE(Transformer("EPSG:4326", "EPSG:4326").is_identity());
  EXPECT_TRUE(Transformer("GCJ-02", "gcj02").is_identity());
  EXPECT_FALSE(Transformer("EPSG:4326", "GCJ-02").is_identity());
  EXPECT_FALSE(Transformer("EPSG:4326", "EPSG:32650").is_identity());
  // WKT of EPSG:4548 is the same CRS as its code.
  EXPECT_TRUE(Transformer(crs_to_wkt("EPSG:4548"), "EPSG:4548").is_identity());
}

TEST(Transformer, SafeToShareBetweenThreads) {
  const Transformer t("EPSG:4326", "EPSG:32650");
  std::vector<Point> a(2000), b(2000);
  auto work = [&t](std::vector<Point>& out) {
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = t.apply({115.0 + 1e-3 * static_cast<double>(i), 39.0});
  };
  std::thread t1(work, std::ref(a));
  std::thread t2(work, std::ref(b));
  t1.join();
  t2.join();
  EXPECT_EQ(a, b);
  EXPECT_NEAR(a[2000 - 1].x - a[0].x, 1.999 * 111320 * std::cos(39 * kDeg), 500.0);
}

TEST(Crs, UnknownCrsThrows) {
  EXPECT_THROW(Transformer("EPSG:999999", "EPSG:4326"), gp::Error);
  EXPECT_THROW(Transformer("EPSG:4326", "not a crs"), gp::Error);
  EXPECT_THROW(Transformer("", "EPSG:4326"), gp::Error);
  EXPECT_THROW(crs_to_wkt("nonsense"), gp::Error);
  EXPECT_THROW(crs_short_name("EPSG:0"), gp::Error);
  EXPECT_THROW(crs_is_metric("EPSG:abc"), gp::Error);
  try {
    Transformer("EPSG:999999", "EPSG:4326");
  } catch (const gp::Error& e) {
    EXPECT_NE(std::string(e.what()).find("EPSG:999999"), std::string::npos) << e.what();
  }
}

TEST(Crs, WktShortNameAndMetric) {
  const std::string wkt = crs_to_wkt("EPSG:4548");
  EXPECT_NE(wkt.find("CGCS2000"), std::string::npos);
  EXPECT_NE(wkt.find("PROJCRS"), std::string::npos); // WKT2
  EXPECT_EQ(crs_short_name(wkt), "EPSG:4548");
  EXPECT_NE(crs_to_wkt("GCJ-02").find("WGS 84"), std::string::npos);
  EXPECT_EQ(crs_short_name("EPSG:32650"), "EPSG:32650");
  // A WKT1 definition without any AUTHORITY (as in many .prj files) is identified.
  const std::string prj =
      R"(GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],)"
      R"(PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]])";
  EXPECT_EQ(crs_short_name(prj), "EPSG:4326");

  EXPECT_TRUE(crs_is_metric("EPSG:4548"));
  EXPECT_TRUE(crs_is_metric("EPSG:32650"));
  EXPECT_TRUE(crs_is_metric("+proj=utm +zone=50 +datum=WGS84"));
  EXPECT_FALSE(crs_is_metric("EPSG:4326"));
  EXPECT_FALSE(crs_is_metric("EPSG:4490"));
  EXPECT_FALSE(crs_is_metric("EPSG:2249")); // Massachusetts State Plane, US survey feet
  EXPECT_FALSE(crs_is_metric("GCJ-02"));
}

// Real data: the ESRI .prj of the New Hampshire tracts (NAD83, no AUTHORITY) is identified.
TEST(Crs, IdentifiesRealShapefilePrj) {
  GP_REQUIRE_SHARED_DATA(prj, "us-tracts/NH_tract.prj");
  std::ifstream in(prj);
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_FALSE(text.str().empty());
  EXPECT_EQ(crs_short_name(text.str()), "EPSG:4269");
  EXPECT_FALSE(crs_is_metric(text.str()));
  EXPECT_EQ(utm_epsg_for({-71.5, 43.2}), 32619);
  // NAD83 and WGS84 coincide to ~1 m: the .prj and EPSG:4326 land within 2 m in UTM 19N.
  const Point a = Transformer(text.str(), "EPSG:32619").apply({-71.5, 43.2});
  const Point b = Transformer("EPSG:4326", "EPSG:32619").apply({-71.5, 43.2});
  EXPECT_LT(std::hypot(a.x - b.x, a.y - b.y), 2.0);
  EXPECT_GT(a.x, 250000.0);
  EXPECT_LT(a.x, 500000.0); // west of the zone's central meridian (69 W)
}

} // namespace
} // namespace gp::geo
