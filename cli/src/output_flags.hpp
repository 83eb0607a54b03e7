#pragma once
// Flags shared by every command that writes layers (plan, rebalance, merge, diff, generate,
// simulate): the output format, Shapefile encoding, RFC 7946 GeoJSON, PostGIS schema and
// table prefix, and the styles switch. Commands keep their own --out/--overwrite.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "gp/geo/io.hpp"

namespace gp::cli {

struct LayerOutputFlags {
  std::string format;   ///< "" = from --out
  std::string encoding; ///< --out-encoding (Shapefile)
  std::string schema, table_prefix;
  bool rfc7946 = false;
  bool no_styles = false;

  /// Registers --format (unless `with_format` is false), --out-encoding, --rfc7946, --schema,
  /// --table-prefix and --no-styles on `cmd`.
  void add_to(CLI::App& cmd, bool with_format = true);
  /// Where the layers go: `out`, or for PostGIS the address with schema and prefix
  /// (geo::postgis_address). Throws UsageError for --schema/--table-prefix without PG:.
  std::string target(const std::string& out) const;
  /// Format (output_format(): --format or the extension of `out`, one of `allowed`),
  /// encoding, RFC 7946 and styles for writing to `target(out)`; UsageError naming
  /// `command` when the format is not allowed or an option does not fit it (e.g.
  /// --out-encoding for a GeoPackage).
  geo::WriteOptions write_options(const std::string& out,
                                  const std::vector<geo::OutputFormat>& allowed,
                                  const std::string& command) const;
};

/// False for connection strings and GDAL virtual paths (PG:..., /vsi..., URLs), which
/// cannot be checked with the file system.
bool is_file_path(const std::string& text);

/// `text` as it may be printed: passwords masked (gp::mask_secrets).
std::string shown(const std::string& text);

} // namespace gp::cli
