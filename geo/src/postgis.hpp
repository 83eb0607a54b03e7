#pragma once
// Private: PostGIS addresses. A plan (several layers) in PostGIS is addressed as
//   PG:<libpq conninfo and GDAL PG options>[|prefix=P]
// GDAL's own `active_schema=S` picks the schema (tables are created there); gridplan's
// `|prefix=P` suffix prefixes every table name (layer "cells" is table P"cells"), so that
// several plans and simulation results can share a schema.

#include <string>

namespace gp::geo::detail {

/// True for a GDAL PostgreSQL/PostGIS connection string ("PG:...", any case).
bool is_postgis(const std::string& path);

struct PgAddress {
  std::string connection; ///< "PG:..." as GDAL takes it (gridplan suffixes removed)
  std::string prefix;     ///< table-name prefix, may be empty
  std::string schema;     ///< the connection's active_schema=..., "" when absent
  /// Splits an address; throws UsageError on an unknown `|key=` suffix.
  static PgAddress parse(const std::string& text);
};

} // namespace gp::geo::detail
