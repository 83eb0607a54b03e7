#include "gp/geo/households.hpp"

#include <fmt/core.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "gp/core/error.hpp"
#include "gp/geo/io.hpp"
#include "gp/geo/ops.hpp"

namespace gp::geo {
namespace {

// The text of data/building_types.toml (a test checks that they are identical).
const char* const builtin_types =
    R"TOML(# Building types: which values of a building's type mean homes (residential), no homes
# (non_residential: 0 households, the building is still a unit that needs a cell) or both
# (mixed: mixed_residential_share of the floor area counts as homes).
#
# The type comes from the units' type field (auto-detected: building_type, building, type,
# kind, kind_detail, 建筑类型, 类型, 用途, 性质, 建筑性质, or --fields type = "NAME"); for
# OpenStreetMap sources also from the amenity/shop/office/... tags of a building whose
# building= value says nothing (building=yes). Values are matched case-insensitively
# (ASCII) after trimming; Chinese values exactly.
#
# gridplan has this table built in (docs/user/plan.md); pass a changed copy with
# --building-types FILE. A file replaces the lists it names and keeps the others.

# Use of buildings whose type is missing, "yes" or not listed below: residential or
# non_residential (--untyped overrides). Either way they are counted as untyped.
untyped = "residential"

residential = [
  "residential", "apartments", "house", "detached", "semidetached_house", "terrace",
  "bungalow", "dormitory", "hut", "highrise", "lowrise", "pingfang", "cabin", "farm",
  "static_caravan", "houseboat", "residence", "housing",
  "住宅", "居住", "住宅楼", "居民楼", "宿舍", "公寓", "别墅", "平房", "城镇住宅", "农村住宅",
  "二类居住", "一类居住", "三类居住", "居住用地",
]

non_residential = [
  "commercial", "retail", "office", "industrial", "warehouse", "school", "university",
  "college", "kindergarten", "hospital", "clinic", "hotel", "train_station",
  "transportation", "station", "church", "cathedral", "chapel", "mosque", "temple",
  "shrine", "synagogue", "religious", "civic", "government", "public", "parking",
  "garage", "garages", "carport", "shed", "roof", "service", "supermarket", "mall",
  "kiosk", "stadium", "sports_hall", "sports_centre", "grandstand", "pavilion",
  "hangar", "factory", "manufacture", "barn", "stable", "cowshed", "greenhouse",
  "bunker", "castle", "museum", "library", "theatre", "cinema", "fire_station",
  "police", "prison", "military", "toilets", "water_tower", "transformer_tower",
  "power", "substation", "construction", "ruins", "bridge", "gatehouse", "tower",
  "storage_tank", "silo", "bank", "restaurant", "fast_food", "cafe", "bar", "pub",
  "marketplace", "townhall", "courthouse", "embassy", "casino", "nightclub",
  "commercial_building", "industrial_building", "airport", "terminal", "boathouse",
  "商业", "商场", "商铺", "商业服务业", "商务", "办公", "办公楼", "写字楼", "工业", "厂房",
  "仓库", "仓储", "物流", "学校", "中学", "小学", "幼儿园", "大学", "医院", "卫生", "酒店",
  "宾馆", "车站", "火车站", "交通", "交通设施", "宗教", "寺庙", "教堂", "政府", "机关",
  "行政办公", "公共管理与公共服务", "公共设施", "体育", "体育馆", "文化", "博物馆",
  "图书馆", "影剧院", "停车场", "车库", "市政", "市政设施", "变电站", "加油站", "餐饮",
  "银行", "农业", "温室", "大棚", "在建", "工地",
]

mixed = [
  "mixed", "mixed_use", "mixed-use", "commercial;residential", "residential;commercial",
  "商住", "商住楼", "综合", "综合楼", "商住混合", "住商混合",
]

# OpenStreetMap: tags of a building whose type says nothing (building=yes or none).
# A building carrying one of these keys gets this use.
[tags]
amenity = "non_residential"
office = "non_residential"
tourism = "non_residential"
leisure = "non_residential"
healthcare = "non_residential"
railway = "non_residential"
public_transport = "non_residential"
aeroway = "non_residential"
man_made = "non_residential"
shop = "mixed"
)TOML";

std::string normalise(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string trim_text(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

BuildingUse use_or_throw(const std::string& name, const std::string& origin,
                         const std::string& key) {
  try {
    return parse_building_use(name);
  } catch (const UsageError&) {
    throw UsageError(fmt::format("{}: '{}' must be residential, non_residential or mixed (is "
                                 "'{}')",
                                 origin, key, name));
  }
}

double number_or_throw(const Value& v, const std::string& file, std::int64_t row,
                       const std::string& column) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    const auto t = normalise(*s);
    if (t.empty()) return -1;
    try {
      std::size_t used = 0;
      const double x = std::stod(t, &used);
      if (used == t.size() && std::isfinite(x) && x >= 0) return x;
    } catch (const std::exception&) {
    }
    throw InputError(file, "", row,
                     fmt::format("column '{}' is not a number >= 0 ('{}')", column, *s));
  }
  return -1; // NULL
}

} // namespace

const std::string& default_building_types_toml() {
  static const std::string text(builtin_types);
  return text;
}

const char* building_use_name(BuildingUse use) {
  switch (use) {
  case BuildingUse::residential:
    return "residential";
  case BuildingUse::non_residential:
    return "non_residential";
  case BuildingUse::mixed:
    return "mixed";
  case BuildingUse::untyped:
    return "untyped";
  }
  return "untyped";
}

BuildingUse parse_building_use(const std::string& name) {
  const auto n = normalise(name);
  if (n == "residential") return BuildingUse::residential;
  if (n == "non_residential" || n == "non-residential") return BuildingUse::non_residential;
  if (n == "mixed") return BuildingUse::mixed;
  throw UsageError(fmt::format(
      "unknown building use '{}' (expected residential, non-residential or mixed)", name));
}

BuildingTypes BuildingTypes::parse(const std::string& text, const std::string& origin,
                                   const BuildingTypes& base) {
  toml::table tbl;
  try {
    tbl = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    throw UsageError(
        fmt::format("{}: {} (line {})", origin, e.description(), e.source().begin.line));
  }
  BuildingTypes out = base;
  for (const auto& [key, value] : tbl) {
    const std::string k(key.str());
    if (k == "untyped") {
      const auto* s = value.as_string();
      if (s == nullptr) throw UsageError(origin + ": 'untyped' must be a string");
      out.untyped = use_or_throw(s->get(), origin, k);
      if (out.untyped == BuildingUse::mixed)
        throw UsageError(origin + ": 'untyped' must be residential or non_residential");
    } else if (k == "residential" || k == "non_residential" || k == "mixed") {
      const auto use = parse_building_use(k);
      const auto* list = value.as_array();
      if (list == nullptr) throw UsageError(origin + ": '" + k + "' must be a list of strings");
      // The list replaces the previous one for this use.
      for (auto it = out.values.begin(); it != out.values.end();)
        it = it->second == use ? out.values.erase(it) : std::next(it);
      for (const auto& item : *list) {
        const auto* s = item.as_string();
        if (s == nullptr) throw UsageError(origin + ": '" + k + "' must be a list of strings");
        out.values[normalise(s->get())] = use;
      }
    } else if (k == "tags") {
      const auto* t = value.as_table();
      if (t == nullptr) throw UsageError(origin + ": [tags] must be a table");
      out.tags.clear();
      for (const auto& [tag, use] : *t) {
        const auto* s = use.as_string();
        if (s == nullptr)
          throw UsageError(origin + ": tags." + std::string(tag.str()) + " must be a string");
        out.tags[std::string(tag.str())] = use_or_throw(s->get(), origin, std::string(tag.str()));
      }
    } else {
      throw UsageError(fmt::format("{}: unknown key '{}' (known: untyped, residential, "
                                   "non_residential, mixed, [tags])",
                                   origin, k));
    }
  }
  return out;
}

const BuildingTypes& BuildingTypes::defaults() {
  static const BuildingTypes table =
      parse(default_building_types_toml(), "built-in building types", BuildingTypes{});
  return table;
}

BuildingTypes BuildingTypes::from_file(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw UsageError("building types file " + path + ": not found");
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse(text, "building types file " + path, defaults());
}

BuildingUse classify_building(const std::string& type,
                              const std::vector<std::pair<std::string, std::string>>& tags,
                              const BuildingTypes& table) {
  const auto t = normalise(type);
  if (!t.empty() && t != "yes") {
    if (auto it = table.values.find(t); it != table.values.end()) return it->second;
  }
  for (const auto& [key, value] : tags) {
    if (normalise(value).empty() || normalise(value) == "no") continue;
    if (auto it = table.tags.find(key); it != table.tags.end()) return it->second;
  }
  return BuildingUse::untyped;
}

bool is_residential(const std::string& type, const EstimationParams& params) {
  auto use = classify_building(type, {}, params.types);
  if (use == BuildingUse::untyped) use = params.types.untyped;
  return use != BuildingUse::non_residential;
}

double floors_for(const EstimateInput& in, const EstimationParams& params) {
  if (in.levels > 0) return in.levels;
  if (in.height_m > 0 && params.storey_height_m > 0)
    return std::max(1.0, std::round(in.height_m / params.storey_height_m));
  if (auto it = params.default_floors.find(in.type); it != params.default_floors.end())
    return it->second;
  if (auto it = params.default_floors.find(""); it != params.default_floors.end())
    return it->second;
  return 1;
}

Estimate estimate_households(const EstimateInput& in, const EstimationParams& params) {
  Estimate e;
  e.floors = floors_for(in, params);
  auto use = in.use != BuildingUse::untyped ? in.use : classify_building(in.type, {}, params.types);
  if (use == BuildingUse::untyped) use = params.types.untyped;
  if (use == BuildingUse::non_residential || in.footprint_m2 <= 0 || params.dwelling_m2 <= 0)
    return e;
  const double share = use == BuildingUse::mixed ? params.mixed_residential_share : 1.0;
  e.households = in.footprint_m2 * e.floors * params.usable_ratio * share / params.dwelling_m2;
  return e;
}

std::vector<AreaTotal> read_area_totals(const std::string& path) {
  if (!std::filesystem::exists(path)) throw UsageError("area totals table " + path + ": not found");
  std::vector<AreaTotal> out;
  const auto ext = normalise(std::filesystem::path(path).extension().string());
  if (ext == ".toml") {
    toml::table tbl;
    try {
      tbl = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      throw InputError(path, "", std::nullopt,
                       fmt::format("{} (line {})", e.description(), e.source().begin.line));
    }
    const auto* areas = tbl["areas"].as_table();
    if (areas == nullptr)
      throw InputError(path, "", std::nullopt,
                       "no [areas.\"KEY\"] tables (households = N, population = N)");
    for (const auto& [key, value] : *areas) {
      AreaTotal t;
      t.key = std::string(key.str());
      t.origin = fmt::format("{} [areas.\"{}\"]", path, t.key);
      const auto* entry = value.as_table();
      if (entry == nullptr) throw InputError(path, "", std::nullopt, t.origin + " is not a table");
      for (const auto& [k, v] : *entry) {
        const std::string name(k.str());
        const auto x = v.value<double>();
        if (!x || !std::isfinite(*x) || *x < 0 || (name != "households" && name != "population"))
          throw InputError(path, "", std::nullopt,
                           fmt::format("{}: '{}' must be households or population, a number "
                                       ">= 0",
                                       t.origin, name));
        (name == "households" ? t.households : t.population) = *x;
      }
      out.push_back(std::move(t));
    }
    return out;
  }
  // CSV (or any table GDAL reads): the first layer.
  const Layer layer = read_layer(path, "");
  std::vector<std::string> names;
  for (const auto& f : layer.table.fields) names.push_back(f.name);
  const FieldMapping m = detect_fields(names, {});
  const int key_i = m.code.empty() ? layer.table.find(m.name) : layer.table.find(m.code);
  const int hh_i = m.households.empty() ? -1 : layer.table.find(m.households);
  const int pop_i = m.population.empty() ? -1 : layer.table.find(m.population);
  if (key_i < 0 || (hh_i < 0 && pop_i < 0))
    throw InputError(path, layer.name, std::nullopt,
                     "needs a key column (code, area_code, 编码 or name, 名称) and a "
                     "households (户数) or population (人口) column");
  for (std::size_t r = 0; r < layer.table.rows.size(); ++r) {
    const auto& row = layer.table.rows[r];
    const auto line = static_cast<std::int64_t>(r + 1);
    AreaTotal t;
    const auto& k = row[static_cast<std::size_t>(key_i)];
    if (const auto* s = std::get_if<std::string>(&k))
      t.key = trim_text(*s);
    else if (const auto* i = std::get_if<std::int64_t>(&k))
      t.key = std::to_string(*i);
    if (t.key.empty()) continue;
    t.origin = fmt::format("{} row {}", path, line);
    if (hh_i >= 0)
      t.households = number_or_throw(row[static_cast<std::size_t>(hh_i)], path, line, m.households);
    if (pop_i >= 0)
      t.population =
          number_or_throw(row[static_cast<std::size_t>(pop_i)], path, line, m.population);
    out.push_back(std::move(t));
  }
  return out;
}

void apply_area_totals(Dataset& dataset, const std::vector<AreaTotal>& totals) {
  for (const auto& t : totals) {
    Area* hit = nullptr;
    for (auto& a : dataset.areas)
      if (a.level == AreaLevel::community && a.code == t.key) hit = &a;
    if (hit == nullptr) {
      std::size_t matches = 0;
      for (auto& a : dataset.areas)
        if (a.level == AreaLevel::community && !a.name.empty() && a.name == t.key) {
          hit = &a;
          ++matches;
        }
      if (matches > 1)
        throw InputError(
            t.origin, "", std::nullopt,
            fmt::format("area name '{}' names {} communities; key by code", t.key, matches));
    }
    if (hit == nullptr)
      throw InputError(t.origin, "", std::nullopt,
                       fmt::format("'{}' is neither the code nor the name of a community", t.key));
    if (t.households >= 0) hit->households_total = t.households;
    if (t.population >= 0) hit->population_total = t.population;
    hit->totals_source = t.origin;
  }
}

void calibrate(Dataset& dataset, const CalibrationOptions& options) {
  std::map<std::string, Area*> by_code;
  for (auto& a : dataset.areas)
    if (a.level == AreaLevel::community) by_code.emplace(a.code, &a);
  struct Sums {
    double given = 0, estimated = 0, pop_given = 0, pop_estimated = 0;
    double floor_area = 0, untyped_floor_area = 0;
  };
  std::map<std::string, Sums> sums;
  double floor_all = 0, untyped_all = 0;
  for (const auto& u : dataset.units) {
    auto& s = sums[u.area_code];
    (u.households_source == ValueSource::given ? s.given : s.estimated) += u.households;
    (u.population_source == ValueSource::given ? s.pop_given : s.pop_estimated) += u.population;
    const double fa = area(u.geometry) * std::max(1.0, u.floors);
    s.floor_area += fa;
    floor_all += fa;
    if (u.use == BuildingUse::untyped) {
      s.untyped_floor_area += fa;
      untyped_all += fa;
    }
  }
  dataset.report.untyped_floor_area_share = floor_all > 0 ? untyped_all / floor_all : 0.0;
  std::map<std::string, double> factor, pop_factor;
  for (auto& [code, a] : by_code) {
    const auto& s = sums[code];
    a->households_given = s.given;
    a->households_estimated = s.estimated;
    a->households_scaled = s.estimated;
    a->scale_factor = 1;
    a->calibration_flags.clear();
    a->untyped_floor_area_share = s.floor_area > 0 ? s.untyped_floor_area / s.floor_area : 0.0;
    double target = a->households_total;
    if (target < 0 && a->population_total >= 0 && options.household_size > 0)
      target = a->population_total / options.household_size;
    if (target < 0) continue;
    const double eps = 1e-9 * std::max(1.0, target);
    if (s.given > target + eps) {
      a->calibration_flags.push_back("given_exceed_total");
      dataset.report.warnings.push_back(fmt::format(
          "area {}: its units' given household counts ({:.1f}) exceed its total ({:.1f}, {}); "
          "left as given, estimates not scaled",
          code, s.given, target, a->totals_source));
      continue;
    }
    if (!(s.estimated > 0)) {
      if (target - s.given > eps) {
        a->calibration_flags.push_back("nothing_to_scale");
        dataset.report.warnings.push_back(fmt::format(
            "area {}: total {:.1f} ({}) but its units hold {:.1f} and none is estimated; "
            "nothing to scale",
            code, target, a->totals_source, s.given));
      }
      continue;
    }
    const double f = (target - s.given) / s.estimated;
    a->scale_factor = f;
    a->households_scaled = s.estimated * f;
    factor[code] = f;
    if (f < options.flag_low || f > options.flag_high) {
      a->calibration_flags.push_back("scale_far_from_1");
      dataset.report.warnings.push_back(fmt::format(
          "area {}: estimated households scaled by {:.3g} to meet its total {:.1f} ({}); "
          "outside {}-{}: the footprints or the building types are probably wrong",
          code, f, target, a->totals_source, options.flag_low, options.flag_high));
    }
  }
  // Population totals: estimated population follows the households, then is scaled to a
  // known population total the same way.
  for (auto& [code, a] : by_code) {
    if (a->population_total < 0) continue;
    const auto& s = sums[code];
    const double f = factor.count(code) != 0 ? factor[code] : 1.0;
    const double est = s.pop_estimated * f;
    if (est > 0 && a->population_total >= s.pop_given)
      pop_factor[code] = (a->population_total - s.pop_given) / est * f;
  }
  for (auto& u : dataset.units) {
    if (u.households_source == ValueSource::estimated) {
      if (auto it = factor.find(u.area_code); it != factor.end()) u.households *= it->second;
    }
    if (u.population_source == ValueSource::estimated) {
      if (auto it = pop_factor.find(u.area_code); it != pop_factor.end())
        u.population *= it->second;
      else if (auto jt = factor.find(u.area_code); jt != factor.end())
        u.population *= jt->second;
    }
  }
}

} // namespace gp::geo
