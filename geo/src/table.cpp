#include "gp/geo/table.hpp"

#include <fmt/core.h>

#include <charconv>

namespace gp::geo {

int Table::find(const std::string& name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

std::optional<double> number_of(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    const char* b = s->data();
    const char* e = s->data() + s->size();
    while (b != e && *b == ' ') ++b;
    while (e != b && e[-1] == ' ') --e;
    if (b == e) return std::nullopt;
    if (*b == '+') ++b;
    double x = 0;
    const auto r = std::from_chars(b, e, x);
    if (r.ec == std::errc{} && r.ptr == e) return x;
  }
  return std::nullopt;
}

std::string text_of(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

} // namespace gp::geo
