// Grid cell code schemes (beijing15, cjt349): generation and validation. See codes.hpp.

#include "gp/planner/codes.hpp"

#include <algorithm>
#include <map>

#include <fmt/core.h>

#include "gp/core/error.hpp"
#include "gp/planner/plan.hpp"

namespace gp::planner::codes {

Scheme parse_scheme(const std::string& name) {
  if (name == "beijing15") return Scheme::beijing15;
  if (name == "cjt349") return Scheme::cjt349;
  throw UsageError(fmt::format("unknown code scheme '{}' (beijing15 or cjt349)", name));
}

const char* scheme_name(Scheme scheme) {
  return scheme == Scheme::beijing15 ? "beijing15" : "cjt349";
}

std::size_t cell_digits(Scheme scheme) {
  return scheme == Scheme::beijing15 ? 15 : 20;
}

int max_serial(Scheme scheme) {
  return scheme == Scheme::beijing15 ? 999 : 999999;
}

bool is_digits(const std::string& text, std::size_t digits) {
  if (text.size() != digits) return false;
  for (const char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string cell_code(Scheme scheme, const std::string& community_code, int serial) {
  if (!is_digits(community_code, community_digits))
    throw UsageError(fmt::format("community code '{}' is not {} digits: no {} cell code",
                                 community_code, community_digits, scheme_name(scheme)));
  if (serial < 1 || serial > max_serial(scheme))
    throw UsageError(fmt::format("cell number {} of community {} does not fit the {} scheme "
                                 "(1..{})",
                                 serial, community_code, scheme_name(scheme), max_serial(scheme)));
  if (scheme == Scheme::beijing15) return fmt::format("{}{:03}", community_code, serial);
  return fmt::format("{}{}{:06}", cjt349_object_class, community_code, serial);
}

std::optional<std::string> community_of_cell(Scheme scheme, const std::string& code) {
  if (!is_digits(code, cell_digits(scheme))) return std::nullopt;
  if (scheme == Scheme::beijing15) return code.substr(0, community_digits);
  if (code.compare(0, 2, cjt349_object_class) != 0) return std::nullopt;
  return code.substr(2, community_digits);
}

std::string street_of(const std::string& code) {
  return code.size() >= street_digits ? code.substr(0, street_digits) : std::string{};
}

std::string district_of(const std::string& code) {
  return code.size() >= district_digits ? code.substr(0, district_digits) : std::string{};
}

namespace {

/// Length and digit problems of one code that should be `digits` digits.
std::optional<CodeIssue> shape_issue(std::size_t f, const std::string& code, std::size_t digits,
                                     const char* what) {
  if (code.size() != digits)
    return CodeIssue{
        f, code, "wrong length",
        fmt::format("{} code '{}' has {} characters, not {}", what, code, code.size(), digits)};
  if (!is_digits(code, digits))
    return CodeIssue{f, code, "not digits",
                     fmt::format("{} code '{}' is not all digits", what, code)};
  return std::nullopt;
}

void add_duplicates(const std::vector<std::string>& codes, std::vector<CodeIssue>& issues,
                    const char* what) {
  std::map<std::string, std::size_t> first;
  for (std::size_t f = 0; f < codes.size(); ++f) {
    const auto [it, fresh] = first.emplace(codes[f], f);
    if (!fresh)
      issues.push_back(
          CodeIssue{f, codes[f], "duplicate",
                    fmt::format("{} code '{}' is also on feature {}", what, codes[f], it->second)});
  }
}

void sort_by_feature(std::vector<CodeIssue>& issues) {
  std::stable_sort(issues.begin(), issues.end(),
                   [](const CodeIssue& a, const CodeIssue& b) { return a.feature < b.feature; });
}

} // namespace

std::vector<CodeIssue> validate_cell_codes(Scheme scheme, const std::vector<std::string>& codes,
                                           const std::vector<std::string>& parents) {
  std::vector<CodeIssue> issues;
  for (std::size_t f = 0; f < codes.size(); ++f) {
    if (auto issue = shape_issue(f, codes[f], cell_digits(scheme), "cell")) {
      issues.push_back(*issue);
      continue;
    }
    const auto community = community_of_cell(scheme, codes[f]);
    if (!community) {
      issues.push_back(CodeIssue{f, codes[f], "wrong object class",
                                 fmt::format("cell code '{}' does not start with the object "
                                             "class {} of the cjt349 scheme",
                                             codes[f], cjt349_object_class)});
      continue;
    }
    if (f < parents.size() && !parents[f].empty() && *community != parents[f])
      issues.push_back(CodeIssue{f, codes[f], "parent mismatch",
                                 fmt::format("cell code '{}' names community {} but the cell "
                                             "lies in community {}",
                                             codes[f], *community, parents[f])});
  }
  add_duplicates(codes, issues, "cell");
  sort_by_feature(issues);
  return issues;
}

std::vector<CodeIssue> validate_area_codes(std::size_t digits,
                                           const std::vector<std::string>& codes,
                                           const std::vector<std::string>& parents) {
  const char* what = digits == community_digits ? "community"
                     : digits == street_digits  ? "street"
                                                : "area";
  std::vector<CodeIssue> issues;
  for (std::size_t f = 0; f < codes.size(); ++f) {
    if (auto issue = shape_issue(f, codes[f], digits, what)) {
      issues.push_back(*issue);
      continue;
    }
    if (f < parents.size() && !parents[f].empty() &&
        codes[f].compare(0, parents[f].size(), parents[f]) != 0)
      issues.push_back(CodeIssue{f, codes[f], "parent mismatch",
                                 fmt::format("{} code '{}' does not start with its parent "
                                             "code {}",
                                             what, codes[f], parents[f])});
  }
  add_duplicates(codes, issues, what);
  sort_by_feature(issues);
  return issues;
}

void throw_first(const std::vector<CodeIssue>& issues, const std::string& file,
                 const std::string& layer) {
  if (issues.empty()) return;
  const auto& i = issues.front();
  throw InputError(file, layer, static_cast<long long>(i.feature), i.problem + ": " + i.detail);
}

void apply_scheme(Plan& plan, Scheme scheme, const std::string& areas_file) {
  std::map<std::string, std::string> renamed;
  for (const auto& area : plan.areas) {
    if (area.cells.empty()) continue;
    if (!is_digits(area.code, community_digits))
      throw InputError(areas_file.empty() ? "input" : areas_file, "areas", std::nullopt,
                       fmt::format("community '{}' ({}): code is not {} digits, needed by "
                                   "the {} code scheme",
                                   area.code, area.name, community_digits, scheme_name(scheme)));
    for (std::size_t i = 0; i < area.cells.size(); ++i) {
      auto& cell = plan.cells[area.cells[i]];
      auto code = cell_code(scheme, area.code, static_cast<int>(i + 1));
      renamed[cell.code] = code;
      cell.code = std::move(code);
    }
  }
  for (auto& v : plan.violations)
    if (const auto it = renamed.find(v.cell_code); it != renamed.end()) v.cell_code = it->second;
}

} // namespace gp::planner::codes
