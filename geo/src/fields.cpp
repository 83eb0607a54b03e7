// Field roles: the mapping file and auto-detection of common English and Chinese names.

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"

namespace gp::geo {
namespace {

struct Role {
  const char* name;
  std::string FieldMapping::*member;
  /// Known names, best first. Matched case-insensitively (ASCII); Chinese exactly.
  std::vector<std::string> aliases;
};

const std::vector<Role>& roles() {
  static const std::vector<Role> r = {
      {"households",
       &FieldMapping::households,
       {"households", "household", "hh", "hh_count", "num_households", "n_households", "户数",
        "总户数", "住户数", "户", "dp0130001"}},
      {"population",
       &FieldMapping::population,
       {"population", "pop", "pop_total", "total_pop", "totpop", "tot_pop", "tot_pop_20",
        "worldpop", "人口", "人口数", "总人口", "常住人口", "dp0010001"}},
      {"floors",
       &FieldMapping::floors,
       {"floors", "levels", "building:levels", "building_levels", "floor", "storeys", "stories",
        "num_floors", "层数", "楼层数", "地上层数", "楼层"}},
      {"height",
       &FieldMapping::height,
       {"height", "height_m", "building:height", "bldg_height", "高度", "建筑高度"}},
      {"compound",
       &FieldMapping::compound,
       {"compound_id", "compound", "xiaoqu_id", "xiaoqu", "小区编码", "小区id", "小区"}},
      {"code",
       &FieldMapping::code,
       {"code", "building_id", "unit_id", "area_code", "geoid10", "geoid", "编码", "代码",
        "区划代码", "统一编码"}},
      {"name",
       &FieldMapping::name,
       {"name", "name_zh", "namelsad10", "name10", "名称", "名字", "社区名称", "township"}},
      {"type",
       &FieldMapping::type,
       {"building_type", "building", "type", "kind", "kind_detail", "建筑类型", "类型", "用途",
        "建筑用途", "性质", "建筑性质", "使用性质"}},
      {"parent_code",
       &FieldMapping::parent_code,
       {"parent_code", "parent", "上级编码", "上级代码"}},
      {"level", &FieldMapping::level, {"level", "admin_level", "级别", "层级"}},
      {"floor_area",
       &FieldMapping::floor_area,
       {"floor_area_m2", "floor_area", "建筑面积", "面积"}},
  };
  return r;
}

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

} // namespace

std::vector<std::pair<std::string, std::string>> FieldMapping::entries() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& role : roles())
    if (!(this->*role.member).empty()) out.emplace_back(role.name, this->*role.member);
  return out;
}

bool FieldMapping::set(const std::string& role, const std::string& field) {
  for (const auto& r : roles()) {
    if (role == r.name) {
      this->*r.member = field;
      return true;
    }
  }
  return false;
}

FieldMapping FieldMapping::from_file(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw UsageError("field mapping file " + path + ": not found");
  toml::table tbl;
  try {
    tbl = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw UsageError("field mapping file " + path + ": " + std::string(e.description()) +
                     " (line " + std::to_string(e.source().begin.line) + ")");
  }
  const toml::table* fields = &tbl;
  if (const auto* sub = tbl["fields"].as_table()) fields = sub;
  FieldMapping m;
  for (const auto& [key, value] : *fields) {
    const std::string k(key.str());
    const auto* str = value.as_string();
    if (str == nullptr)
      throw UsageError("field mapping file " + path + ": '" + k + "' must be a string");
    if (!m.set(k, str->get()))
      throw UsageError("field mapping file " + path + ": unknown role '" + k +
                       "' (known: households, population, floors, height, compound, code, "
                       "name, type, parent_code, level, floor_area)");
  }
  return m;
}

FieldMapping detect_fields(const std::vector<std::string>& field_names, const FieldMapping& given) {
  FieldMapping out = given;
  std::vector<std::string> lowered;
  lowered.reserve(field_names.size());
  for (const auto& n : field_names) lowered.push_back(lower_ascii(n));
  // A field plays at most one role: explicit ones first, then detection in role order.
  std::vector<bool> used(field_names.size(), false);
  for (const auto& role : roles()) {
    const auto& chosen = out.*role.member;
    if (chosen.empty()) continue;
    for (std::size_t i = 0; i < field_names.size(); ++i)
      if (field_names[i] == chosen) used[i] = true;
  }
  for (const auto& role : roles()) {
    if (!(out.*role.member).empty()) continue;
    for (const auto& alias : role.aliases) {
      bool found = false;
      for (std::size_t i = 0; i < lowered.size(); ++i) {
        if (!used[i] && lowered[i] == alias) {
          out.*role.member = field_names[i];
          used[i] = true;
          found = true;
          break;
        }
      }
      if (found) break;
    }
  }
  // write_layers rounds counts and keeps full precision in `<field>_exact`: read that.
  for (auto member : {&FieldMapping::households, &FieldMapping::population}) {
    if ((out.*member).empty() || !(given.*member).empty()) continue; // chosen by the user
    const std::string exact = out.*member + "_exact";
    for (const auto& n : field_names)
      if (n == exact) out.*member = exact;
  }
  return out;
}

} // namespace gp::geo
