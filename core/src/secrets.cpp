#include "gp/core/secrets.hpp"

#include <array>
#include <cctype>
#include <string_view>

namespace gp {
namespace {

constexpr std::string_view mask = "***";

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool is_secret_key(std::string_view key) {
  constexpr std::array<std::string_view, 3> keys = {"password", "pwd", "passwd"};
  for (auto k : keys)
    if (iequals(key, k)) return true;
  return false;
}

/// Masks `key=value` pairs (libpq conninfo syntax, also used by GDAL's PG:, MSSQL: ...).
std::string mask_key_values(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    // A key starts at the beginning or after a non-key character.
    if (!is_key_char(text[i]) || (i > 0 && is_key_char(text[i - 1]))) {
      out += text[i++];
      continue;
    }
    std::size_t k = i;
    while (k < text.size() && is_key_char(text[k])) ++k;
    const std::string_view key(text.data() + i, k - i);
    std::size_t e = k;
    while (e < text.size() && text[e] == ' ') ++e;
    if (!is_secret_key(key) || e >= text.size() || text[e] != '=') {
      out.append(text, i, k - i);
      i = k;
      continue;
    }
    std::size_t v = e + 1;
    while (v < text.size() && text[v] == ' ') ++v;
    out.append(text, i, v - i); // key, '=' and the spaces as written
    std::size_t end = v;
    if (end < text.size() && text[end] == '\'') {
      for (++end; end < text.size() && text[end] != '\''; ++end)
        if (text[end] == '\\' && end + 1 < text.size()) ++end;
      if (end < text.size()) ++end; // closing quote
    } else {
      // A bare value ends at white space, at GDAL's '|' option separator, a quote or a
      // comma (inside messages such as "(PG:... password=x, ...)").
      // A ':' followed by a space or the end is a message's "SOURCE: reason" separator.
      while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n' &&
             text[end] != '|' && text[end] != '"' && text[end] != ',' && text[end] != ')' &&
             !(text[end] == ':' && (end + 1 == text.size() || text[end + 1] == ' ')))
        ++end;
    }
    out += mask;
    i = end;
  }
  return out;
}

/// Masks `scheme://user:password@host`.
std::string mask_uri_userinfo(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (true) {
    const std::size_t scheme = text.find("://", pos);
    if (scheme == std::string::npos) break;
    const std::size_t start = scheme + 3;
    // user-info ends at '@' before the first '/', '?', '#' or white space.
    std::size_t end = start;
    while (end < text.size() && text[end] != '/' && text[end] != '?' && text[end] != '#' &&
           text[end] != ' ' && text[end] != '@')
      ++end;
    std::size_t colon = std::string::npos;
    if (end < text.size() && text[end] == '@') colon = text.find(':', start);
    if (colon != std::string::npos && colon < end &&
        text.compare(colon + 1, end - colon - 1, mask) != 0) {
      out.append(text, pos, colon + 1 - pos);
      out += mask;
      out += '@';
      pos = end + 1;
    } else {
      out.append(text, pos, start - pos);
      pos = start;
    }
  }
  out.append(text, pos, std::string::npos);
  return out;
}

} // namespace

std::string mask_secrets(const std::string& text) {
  if (text.find('=') == std::string::npos && text.find("://") == std::string::npos) return text;
  return mask_uri_userinfo(mask_key_values(text));
}

} // namespace gp
