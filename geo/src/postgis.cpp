#include "postgis.hpp"

#include <cctype>

#include "gp/core/error.hpp"
#include "gp/core/secrets.hpp"
#include "gp/geo/io.hpp"

namespace gp::geo {
namespace detail {

bool is_postgis(const std::string& path) {
  return path.size() >= 3 && (path[0] == 'P' || path[0] == 'p') &&
         (path[1] == 'G' || path[1] == 'g') && path[2] == ':';
}

PgAddress PgAddress::parse(const std::string& text) {
  PgAddress a;
  const auto bar = text.find('|');
  a.connection = text.substr(0, bar);
  for (auto pos = bar; pos != std::string::npos;) {
    const auto next = text.find('|', pos + 1);
    const std::string part =
        text.substr(pos + 1, next == std::string::npos ? next : next - pos - 1);
    if (part.rfind("prefix=", 0) == 0)
      a.prefix = part.substr(7);
    else if (!part.empty())
      throw UsageError(mask_secrets(text) + ": unknown option '|" + part +
                       "' (PostGIS sources take |prefix=P and |layer=NAME)");
    pos = next;
  }
  // active_schema=S (GDAL's PG option), a bare word.
  const std::string key = "active_schema=";
  for (auto p = a.connection.find(key); p != std::string::npos; p = a.connection.find(key, p + 1)) {
    if (p > 0 && a.connection[p - 1] != ' ' && a.connection[p - 1] != ':') continue;
    auto e = p + key.size();
    while (e < a.connection.size() && a.connection[e] != ' ') ++e;
    a.schema = a.connection.substr(p + key.size(), e - p - key.size());
  }
  return a;
}

} // namespace detail

std::string postgis_address(const std::string& connection, const std::string& schema,
                            const std::string& table_prefix) {
  if (!detail::is_postgis(connection))
    throw UsageError("--schema and --table-prefix need a PostGIS output (PG:...), not " +
                     mask_secrets(connection));
  auto valid = [](const std::string& name, const char* what) {
    for (char c : name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'))
        throw UsageError(std::string(what) + " '" + name + "': use letters, digits and '_' only");
  };
  valid(schema, "--schema");
  valid(table_prefix, "--table-prefix");
  detail::PgAddress a = detail::PgAddress::parse(connection);
  std::string out = a.connection;
  if (!schema.empty()) {
    if (!a.schema.empty() && a.schema != schema)
      throw UsageError("--schema " + schema + " conflicts with active_schema=" + a.schema);
    if (a.schema.empty()) out += " active_schema=" + schema;
  }
  const std::string prefix = table_prefix.empty() ? a.prefix : table_prefix;
  if (!prefix.empty()) out += "|prefix=" + prefix;
  return out;
}

} // namespace gp::geo
