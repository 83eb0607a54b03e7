#include "output.hpp"

#include <fmt/core.h>

#include <filesystem>

#include "gp/core/error.hpp"

namespace gp::cli {

geo::OutputFormat output_format(const std::string& out, const std::string& format_flag,
                                const std::vector<geo::OutputFormat>& allowed,
                                const std::string& command) {
  geo::OutputFormat f;
  if (format_flag.empty()) {
    f = geo::format_from_path(out);
  } else {
    f = geo::parse_output_format(format_flag);
    if (geo::is_known_output_extension(out) && geo::format_from_path(out) != f)
      throw UsageError(fmt::format("{}: the name says {} but --format is {}", out,
                                   geo::format_name(geo::format_from_path(out)),
                                   geo::format_name(f)));
  }
  std::string names;
  for (const auto a : allowed) {
    if (a == f) return f;
    names += (names.empty() ? "" : ", ") + geo::format_name(a);
  }
  throw UsageError(fmt::format("{}: {} cannot write {} output (it writes {})", out, command,
                               geo::format_name(f), names));
}

void check_output_writable(const std::string& out, const std::vector<std::string>& inputs,
                           bool overwrite, OutputKind kind) {
  check_output_path(out, inputs, overwrite, kind, geo::directory_output_extensions());
}

void check_layers_output(const std::string& out, geo::OutputFormat format, std::size_t layer_count,
                         const std::vector<std::string>& inputs, bool overwrite) {
  const bool directory = geo::output_is_directory(out, format, layer_count);
  check_output_writable(out, inputs, overwrite,
                        directory ? OutputKind::directory : OutputKind::file);
}

void require_extension(const std::string& flag, const std::string& out,
                       std::initializer_list<const char*> extensions) {
  std::string ext = std::filesystem::path(out).extension().string();
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::string names;
  for (const char* e : extensions) {
    if (ext == e) return;
    names += (names.empty() ? "" : " or ") + std::string(e);
  }
  throw UsageError(fmt::format("{} {}: must end in {}", flag, out, names));
}

void write_text_output(const std::string& path, const std::string& text, bool overwrite,
                       const std::vector<std::string>& inputs) {
  check_output_writable(path, inputs, overwrite);
  write_file_atomically(path, text, overwrite);
}

} // namespace gp::cli
