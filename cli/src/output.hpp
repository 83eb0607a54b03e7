#pragma once
// The output side of every command: which format `--out` names, the early check that it
// can be written (before any heavy work), and text files (CSV, HTML) written atomically.
// The writing itself is gp::AtomicOutput (gp/core/output_file.hpp) for everything.

#include <initializer_list>
#include <string>
#include <vector>

#include "gp/core/output_file.hpp"
#include "gp/geo/io.hpp"

namespace gp::cli {

/// Layer count to check a plan output with (a plan always has several layers).
inline constexpr std::size_t several_layers = 4;

/// The formats a plan (several layers) can be written in: gpkg, shp, geojson and fgb
/// (directories of one file per layer), pg.
inline std::vector<geo::OutputFormat> plan_formats() {
  return {geo::OutputFormat::gpkg, geo::OutputFormat::shp, geo::OutputFormat::geojson,
          geo::OutputFormat::fgb, geo::OutputFormat::postgis};
}

/// The format of `out`: `--format` when given (it must agree with a known extension),
/// else from the extension. Throws UsageError naming `command` when the format is not
/// one of `allowed` (never writes one format under another's name).
geo::OutputFormat output_format(const std::string& out, const std::string& format_flag,
                                const std::vector<geo::OutputFormat>& allowed,
                                const std::string& command);

/// Throws OutputError before any heavy work when `out` is or contains one of `inputs`
/// (links resolved), is a directory that may not be replaced, or exists and `overwrite`
/// is false. See gp::check_output_path.
void check_output_writable(const std::string& out, const std::vector<std::string>& inputs,
                           bool overwrite, OutputKind kind = OutputKind::file);

/// As check_output_writable for a layers output written by geo::write_layers (a directory
/// or a file as geo::output_is_directory says; UsageError for a name it cannot honour).
void check_layers_output(const std::string& out, geo::OutputFormat format, std::size_t layer_count,
                         const std::vector<std::string>& inputs, bool overwrite);

/// Refuses `out` unless its extension is one of `extensions` (e.g. {".csv"}), naming the
/// flag: "--csv x.gpkg: must end in .csv".
void require_extension(const std::string& flag, const std::string& out,
                       std::initializer_list<const char*> extensions);

/// Writes `text` to `path` atomically (gp::write_file_atomically) after
/// check_output_writable(path, inputs, overwrite).
void write_text_output(const std::string& path, const std::string& text, bool overwrite,
                       const std::vector<std::string>& inputs);

} // namespace gp::cli
