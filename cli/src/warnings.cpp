#include "warnings.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

namespace gp::cli {

void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) fmt::print(stderr, "warning: {}\n", w);
}

std::string json_with_warnings(const std::string& json_text,
                               const std::vector<std::string>& warnings) {
  print_warnings(warnings);
  auto j = nlohmann::ordered_json::parse(json_text);
  j["warnings"] = warnings;
  return j.dump(2);
}

} // namespace gp::cli
