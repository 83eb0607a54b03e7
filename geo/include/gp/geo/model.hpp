#pragma once
// The in-memory model every component works on. All geometry is in the dataset's
// metric work CRS (metres); Dataset::crs says how to get back to the source CRS.

#include <cstdint>
#include <string>
#include <vector>

#include "gp/geo/geometry.hpp"
#include "gp/geo/table.hpp"

namespace gp::geo {

enum class AreaLevel { district, street, community };

/// An administrative area. Codes follow Beijing's unit-grid scheme where possible:
/// 6 digits district + 3 street + 3 community = 12 digits for a community; a grid cell
/// appends 3 more (15 digits). See docs/design/data-model.md for generated codes.
struct Area {
  std::string code;
  std::string name;
  std::string parent_code;
  AreaLevel level = AreaLevel::community;
  MultiPolygon geometry; ///< may be multipart, may have holes
  std::int64_t source_fid = -1;
  /// Known totals (official register, census) from the area layer or a totals table;
  /// -1 = unknown. Estimated units are scaled to them (households.hpp, calibrate).
  double households_total = -1;
  double population_total = -1;
  std::string totals_source; ///< where the totals came from, e.g. "field 户数 of areas.gpkg:areas"
  /// Calibration of its units' households (filled by read_dataset): sums of the given
  /// counts, of the estimates before and after scaling, the factor applied to the
  /// estimates (1 without a total), and flags ("scale_far_from_1",
  /// "given_exceed_total", "nothing_to_scale").
  double households_given = 0;
  double households_estimated = 0;
  double households_scaled = 0;
  double scale_factor = 1;
  std::vector<std::string> calibration_flags;
  /// Share of its units' floor area (footprint x floors) whose building type is unknown.
  double untyped_floor_area_share = 0;
};

/// What a building is used for, from its type (households.hpp, BuildingTypes).
enum class BuildingUse { untyped, residential, non_residential, mixed };

/// Where a value came from, so planners know what is measured and what is guessed.
enum class ValueSource { given, estimated, none };

/// A building or any polygon that tiles an area (parcel, block, census tract).
struct Unit {
  std::int64_t source_fid = -1;
  MultiPolygon geometry; ///< footprint; empty for point buildings
  Point anchor;          ///< representative point inside the unit (or the point itself)
  double households = 0;
  ValueSource households_source = ValueSource::none;
  double population = 0;
  ValueSource population_source = ValueSource::none;
  double floors = 0; ///< 0 when unknown
  std::string type;  ///< building type (e.g. OSM building= value); may be empty
  BuildingUse use = BuildingUse::untyped; ///< from the type by the building-type table
  std::string compound_id;                ///< residential compound (小区) id; empty when none
  std::string area_code; ///< the community this unit belongs to; empty if unassigned
  std::string code;      ///< source code/id of the unit, if any
  std::string name;
};

struct Compound {
  std::string id;
  std::string name;
  MultiPolygon geometry;
};

enum class BarrierKind { road, river, rail, other };

struct Barrier {
  BarrierKind kind = BarrierKind::road;
  std::string name;
  LineString geometry;
};

/// A service station (党群服务站 etc.).
struct Facility {
  std::string name;
  Point location;
  double floor_area_m2 = 0;
};

/// Counts of everything the reader repaired, dropped or could not place.
/// Nothing is dropped silently: every count here is printed by `inspect` and `plan`.
struct ReadReport {
  std::size_t features_read = 0;
  std::size_t repaired_invalid = 0;
  std::size_t dropped_empty = 0;
  std::size_t duplicate_units = 0;       ///< exact duplicate geometries (flagged, kept once)
  std::size_t assigned_by_tolerance = 0; ///< units outside every area but within tolerance
  std::vector<std::int64_t> unassigned;  ///< source fids of units outside every area
  std::vector<std::pair<std::string, std::string>> overlapping_areas; ///< area code pairs
  std::size_t households_estimated = 0;
  std::size_t population_estimated = 0;
  std::size_t units_non_residential = 0; ///< given 0 households (still units)
  std::size_t units_untyped = 0;         ///< no recognised type (residential by default)
  double untyped_floor_area_share = 0;   ///< of all units' floor area
  /// The units layer names each unit's compound, so compound polygons were not used to
  /// assign them (set only when there are compounds).
  bool units_name_compounds = false;
  std::vector<std::string> warnings;
};

struct Dataset {
  std::string source_crs;  ///< WKT (or a GCJ-02/BD-09 name) of the source CRS
  std::string work_crs;    ///< WKT of the metric work CRS all geometry below is in
  std::vector<Area> areas; ///< communities (level community) and their parents
  std::vector<Unit> units;
  Table unit_attributes;    ///< original attributes, one row per unit, same order
  std::string units_source; ///< "file:layer" of the units, for messages
  std::vector<Compound> compounds;
  std::vector<Barrier> barriers;
  std::vector<Facility> facilities;
  ReadReport report;
};

} // namespace gp::geo
