#include "gp/sim/scenario.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "gp/core/error.hpp"
#include "gp/sim/engine.hpp"

namespace gp::sim {
namespace {

namespace fs = std::filesystem;

const std::array<const char*, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

Shift make_shift(std::string name, std::array<bool, 7> days, double start, double end) {
  Shift s;
  s.name = std::move(name);
  s.days = days;
  s.start_hour = start;
  s.end_hour = end;
  return s;
}

Category make_category(std::string name, double share, double minutes, double cv, double deadline_h,
                       double dept_p, double dept_h) {
  Category c;
  c.name = std::move(name);
  c.share = share;
  c.handling_minutes = minutes;
  c.handling_cv = cv;
  c.deadline_hours = deadline_h;
  c.department_probability = dept_p;
  c.department_hours = dept_h;
  return c;
}

WorkerType make_type(std::string name, std::string label, int per_cell, int rank,
                     std::vector<std::string> shifts, double speed, double cost,
                     std::vector<std::string> handles, bool visits, double patrol) {
  WorkerType t;
  t.name = std::move(name);
  t.label = std::move(label);
  t.per_cell = per_cell;
  t.dispatch_rank = rank;
  t.shifts = std::move(shifts);
  t.speed_kmh = speed;
  t.annual_cost_yuan = cost;
  t.handles = std::move(handles);
  t.does_visits = visits;
  t.patrol_minutes_per_shift = patrol;
  return t;
}

// ---------------------------------------------------------------------------------------
// Layered TOML lookup: the file first, then its base, then the base's base. A key is
// taken from the first layer that has it, so overrides merge key by key while every
// node keeps its own file and line for messages (toml++ does not copy source regions).

struct LayerFile {
  std::string file; // as shown in messages
  toml::table table;
};

class Layers {
public:
  std::vector<LayerFile> layers; // derived first

  struct Found {
    const toml::node* node = nullptr;
    const std::string* file = nullptr;
  };

  Found find(const std::vector<std::string>& path) const {
    for (const auto& layer : layers) {
      const toml::node* node = &layer.table;
      for (const auto& key : path) {
        const auto* table = node->as_table();
        node = table ? table->get(key) : nullptr;
        if (!node) break;
      }
      if (node) return {node, &layer.file};
    }
    return {};
  }

  [[noreturn]] void fail(const Found& f, const std::vector<std::string>& path,
                         const std::string& reason) const {
    throw InputError(
        *f.file, fmt::format("line {}: {}: {}", f.node->source().begin.line, join(path), reason));
  }

  static std::string join(const std::vector<std::string>& path) {
    std::string s;
    for (const auto& p : path) {
      if (!s.empty()) s += '.';
      s += p;
    }
    return s;
  }

  void mark(const std::vector<std::string>& path) { used.insert(join(path)); }

  /// Keys of the tables at `path` in any layer, sorted.
  std::vector<std::string> keys(const std::vector<std::string>& path) {
    std::set<std::string> out;
    for (const auto& layer : layers) {
      const toml::node* node = &layer.table;
      for (const auto& key : path) {
        const auto* table = node->as_table();
        node = table ? table->get(key) : nullptr;
        if (!node) break;
      }
      if (!node) continue;
      const auto* table = node->as_table();
      if (!table) {
        Found f{node, &layer.file};
        fail(f, path, "must be a table");
      }
      for (const auto& [k, v] : *table) out.insert(std::string(k.str()));
    }
    return {out.begin(), out.end()};
  }

  void number(const std::vector<std::string>& path, double& out, double min, double max) {
    const Found f = find(path);
    if (!f.node) return;
    mark(path);
    double v = 0;
    if (auto i = f.node->value<std::int64_t>(); i && f.node->is_integer())
      v = static_cast<double>(*i);
    else if (auto d = f.node->as_floating_point())
      v = d->get();
    else
      fail(f, path, "must be a number");
    if (!std::isfinite(v) || v < min || v > max)
      fail(f, path, fmt::format("must be between {} and {} (got {})", min, max, v));
    out = v;
  }

  void integer(const std::vector<std::string>& path, int& out, int min, int max) {
    const Found f = find(path);
    if (!f.node) return;
    mark(path);
    const auto* i = f.node->as_integer();
    if (!i) fail(f, path, "must be an integer");
    const auto v = i->get();
    if (v < min || v > max)
      fail(f, path, fmt::format("must be between {} and {} (got {})", min, max, v));
    out = static_cast<int>(v);
  }

  void boolean(const std::vector<std::string>& path, bool& out) {
    const Found f = find(path);
    if (!f.node) return;
    mark(path);
    const auto* b = f.node->as_boolean();
    if (!b) fail(f, path, "must be true or false");
    out = b->get();
  }

  void string(const std::vector<std::string>& path, std::string& out) {
    const Found f = find(path);
    if (!f.node) return;
    mark(path);
    const auto* s = f.node->as_string();
    if (!s) fail(f, path, "must be a string");
    out = s->get();
  }

  void strings(const std::vector<std::string>& path, std::vector<std::string>& out) {
    const Found f = find(path);
    if (!f.node) return;
    mark(path);
    const auto* a = f.node->as_array();
    if (!a) fail(f, path, "must be an array of strings");
    out.clear();
    for (const auto& e : *a) {
      const auto* s = e.as_string();
      if (!s) fail(f, path, "must be an array of strings");
      out.push_back(s->get());
    }
  }

  template <std::size_t N>
  void numbers(const std::vector<std::string>& path, std::array<double, N>& out) {
    const Found f = find(path);
    if (!f.node) return;
    mark(path);
    const auto* a = f.node->as_array();
    if (!a || a->size() != N) fail(f, path, fmt::format("must be an array of {} numbers", N));
    for (std::size_t i = 0; i < N; ++i) {
      const auto& e = *a->get(i);
      double v = 0;
      if (const auto* iv = e.as_integer())
        v = static_cast<double>(iv->get());
      else if (const auto* dv = e.as_floating_point())
        v = dv->get();
      else
        fail(f, path, fmt::format("must be an array of {} numbers", N));
      if (!std::isfinite(v) || v < 0)
        fail(f, path, fmt::format("entry {} must be >= 0 (got {})", i + 1, v));
      out[i] = v;
    }
  }

  /// Hours of the day from "08:30" or a number.
  void hour(const std::vector<std::string>& path, double& out) {
    const Found f = find(path);
    if (!f.node) return;
    mark(path);
    double v = 0;
    if (const auto* s = f.node->as_string()) {
      int h = -1, m = -1;
      char colon = 0;
      std::istringstream in(s->get());
      if (!(in >> h >> colon >> m) || colon != ':' || m < 0 || m > 59)
        fail(f, path, fmt::format("must be a time \"HH:MM\" (got \"{}\")", s->get()));
      v = h + m / 60.0;
    } else if (const auto* i = f.node->as_integer()) {
      v = static_cast<double>(i->get());
    } else if (const auto* d = f.node->as_floating_point()) {
      v = d->get();
    } else {
      fail(f, path, "must be a time \"HH:MM\" or an hour number");
    }
    if (!(v >= 0 && v <= 24))
      fail(f, path, fmt::format("must be between 00:00 and 24:00 (got {})", v));
    out = v;
  }

  /// Every leaf no reader asked for is a typo: report the first, with its line.
  void check_unknown() const {
    for (const auto& layer : layers) {
      std::vector<std::string> path;
      check_table(layer, layer.table, path);
    }
  }

  std::set<std::string> used;

private:
  void check_table(const LayerFile& layer, const toml::table& table,
                   std::vector<std::string>& path) const {
    for (const auto& [k, v] : table) {
      path.emplace_back(k.str());
      if (const auto* t = v.as_table()) {
        check_table(layer, *t, path);
      } else if (!used.count(join(path))) {
        throw InputError(layer.file, fmt::format("line {}: unknown key '{}'", v.source().begin.line,
                                                 join(path)));
      }
      path.pop_back();
    }
  }
};

/// Reads a scenario file of at most kMaxScenarioFileBytes. Refuses what is not a regular
/// file (a directory, a FIFO that would block, /dev/zero that never ends) before opening
/// it. Errors are "<error_file>: <label>: <problem>".
std::string read_scenario_file(const fs::path& path, const std::string& error_file,
                               const std::string& label) {
  auto fail = [&](const std::string& problem) {
    return InputError(error_file, fmt::format("{}: {}", label, problem));
  };
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) throw fail("cannot open");
  if (fs::is_directory(st)) throw fail("is a directory, not a scenario file");
  if (!fs::is_regular_file(st))
    throw fail("is not a regular file (FIFO, device or socket); refusing to read it");
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxScenarioFileBytes)
    throw fail(fmt::format("is {} bytes, more than the {} a scenario file may have", size,
                           kMaxScenarioFileBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fail("cannot open");
  // Bounded read: the file may have grown since the size check.
  std::string text(kMaxScenarioFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxScenarioFileBytes)
    throw fail(
        fmt::format("is more than the {} bytes a scenario file may have", kMaxScenarioFileBytes));
  return text;
}

void load_layers(const std::string& text, const std::string& name, const std::string& base_dir,
                 Layers& layers, std::set<std::string>& seen, int depth) {
  if (depth > 16) throw InputError(name, "inherits: chain deeper than 16 files");
  toml::table table;
  try {
    table = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw InputError(name, fmt::format("line {}: {}", e.source().begin.line, e.description()));
  }
  std::string inherits;
  const toml::node* inherits_node = table.get("inherits");
  if (inherits_node) {
    const auto* s = inherits_node->as_string();
    if (!s)
      throw InputError(name, fmt::format("line {}: inherits: must be a file name",
                                         inherits_node->source().begin.line));
    inherits = s->get();
  }
  const int line = inherits_node ? static_cast<int>(inherits_node->source().begin.line) : 0;
  layers.layers.push_back({name, std::move(table)});
  layers.used.insert("inherits");
  if (!inherits_node) return;
  const std::string where = fmt::format("line {}: inherits '{}'", line, inherits);
  if (inherits.empty() || inherits == "." || inherits == ".." || inherits.back() == '/')
    throw InputError(name, fmt::format("{}: is not a scenario file name", where));
  const fs::path base = fs::path(base_dir) / inherits;
  std::error_code ec;
  const auto canonical = fs::weakly_canonical(base, ec).string();
  if (seen.count(canonical))
    throw InputError(name,
                     fmt::format("line {}: inherits: '{}' inherits from itself", line, inherits));
  seen.insert(canonical);
  const std::string base_text = read_scenario_file(base, name, where);
  load_layers(base_text, base.string(), base.parent_path().string(), layers, seen, depth + 1);
}

template <class T> T& find_or_add(std::vector<T>& items, const std::string& name) {
  for (auto& item : items)
    if (item.name == name) return item;
  items.push_back(T{});
  items.back().name = name;
  return items.back();
}

} // namespace

Scenario Scenario::defaults() {
  Scenario s;
  s.description = "Baseline: one full-time grid worker per cell, weekday office hours, on foot";
  // Hotline-style daily curve (relative): quiet at night, peaks mid-morning and mid-afternoon.
  s.hourly_profile = {0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.5, 1.9, 1.9, 1.7,
                      1.3,  1.4, 1.7,  1.7,  1.6, 1.4, 1.2,  1.1, 1.0, 0.8, 0.5, 0.3};
  s.weekday_profile = {1.15, 1.05, 1.0, 1.0, 1.0, 0.9, 0.9};
  // 民生服务, 环境卫生, 治安, 邻里纠纷, 物业管理, 设施维修, 紧急安全
  s.categories = {
      make_category("livelihood", 0.25, 60, 0.8, 168, 0.15, 72),
      make_category("environment", 0.20, 45, 0.8, 24, 0.20, 24),
      make_category("security", 0.08, 40, 0.8, 24, 0.30, 12),
      make_category("dispute", 0.12, 90, 1.0, 168, 0.10, 72),
      make_category("property", 0.20, 60, 0.8, 168, 0.25, 96),
      make_category("facilities", 0.12, 50, 0.8, 360, 0.40, 120),
      make_category("urgent", 0.03, 30, 0.6, 2, 0.50, 1),
  };
  const std::array<bool, 7> weekdays{true, true, true, true, true, false, false};
  const std::array<bool, 7> weekend{false, false, false, false, false, true, true};
  const std::array<bool, 7> all{true, true, true, true, true, true, true};
  s.shifts = {make_shift("weekday_office", weekdays, 8.5, 17.5),
              make_shift("weekday_evening", weekdays, 17.5, 21.5),
              make_shift("weekend_day", weekend, 9, 17), make_shift("always", all, 0, 24)};
  const std::vector<std::string> light{"livelihood", "environment", "dispute"};
  s.worker_types = {
      make_type("full_time", "Full-time grid worker (专职网格员)", 1, 0, {"weekday_office"}, 4.5,
                96000, {}, true, 30),
      make_type("part_time", "Part-time grid worker (兼职网格员)", 0, 1,
                {"weekday_evening", "weekend_day"}, 4.5, 42000, {}, true, 0),
      make_type("building_head", "Building head (楼门长)", 0, 2, {"weekday_evening"}, 4.5, 3600,
                light, false, 0),
      make_type("volunteer", "Volunteer (志愿者)", 0, 3, {"weekday_evening", "weekend_day"}, 4.5,
                1200, light, false, 0),
      make_type("cadre", "Cadre sent down (下沉干部)", 0, 4, {"weekday_office"}, 4.5, 0, {}, false,
                0),
  };
  return s;
}

const WorkerType* Scenario::find_type(const std::string& type_name) const {
  for (const auto& t : worker_types)
    if (t.name == type_name) return &t;
  return nullptr;
}

double Scenario::annual_cost(const std::map<std::string, int>& counts) const {
  double cost = 0;
  for (const auto& [type_name, n] : counts)
    if (const auto* t = find_type(type_name)) cost += t->annual_cost_yuan * n;
  return cost;
}

void Scenario::validate() const {
  const std::string file = source_file.empty() ? "scenario" : source_file;
  double share = 0;
  for (const auto& c : categories) share += c.share;
  if (categories.empty() || !(share > 0))
    throw InputError(file, "categories: shares must add up to more than 0");
  std::set<std::string> shift_names, category_names;
  for (const auto& s : shifts) {
    shift_names.insert(s.name);
    if (s.start_hour == s.end_hour && s.end_hour != 24 && s.start_hour != 0)
      throw InputError(file, fmt::format("shifts.{}: start and end are equal", s.name));
  }
  for (const auto& c : categories) {
    category_names.insert(c.name);
    if (!c.department.empty() && !department_capacities.count(c.department))
      throw InputError(file, fmt::format("categories.{}.department: '{}' is not in "
                                         "[departments.capacity_of]",
                                         c.name, c.department));
  }
  if (worker_types.empty()) throw InputError(file, "workers: at least one worker type is needed");
  for (const auto& t : worker_types) {
    for (const auto& s : t.shifts)
      if (!shift_names.count(s))
        throw InputError(file, fmt::format("workers.{}.shifts: unknown shift '{}'", t.name, s));
    for (const auto& c : t.handles)
      if (!category_names.count(c))
        throw InputError(file, fmt::format("workers.{}.handles: unknown category '{}'", t.name, c));
    if (!(t.speed_kmh > 0))
      throw InputError(file, fmt::format("workers.{}.speed_kmh: must be > 0", t.name));
  }
  for (const auto& [cell, counts] : cell_overrides)
    for (const auto& [type_name, n] : counts)
      if (!find_type(type_name))
        throw InputError(file, fmt::format("cells.{}: unknown worker type '{}'", cell, type_name));
}

Scenario parse_scenario(const std::string& text, const std::string& name_for_errors,
                        const std::string& base_dir) {
  Layers L;
  std::set<std::string> seen;
  load_layers(text, name_for_errors, base_dir, L, seen, 0);

  Scenario s = Scenario::defaults();
  s.source_file = name_for_errors;
  for (std::size_t i = 1; i < L.layers.size(); ++i) s.inherited_files.push_back(L.layers[i].file);
  s.name = fs::path(name_for_errors).stem().string();
  L.string({"name"}, s.name);
  L.string({"description"}, s.description);

  L.number({"simulation", "days"}, s.days, 1, kMaxDays);
  L.number({"simulation", "warmup_days"}, s.warmup_days, 0, kMaxWarmupDays);
  L.integer({"simulation", "replications"}, s.replications, 1, kMaxReplications);
  {
    double seed = static_cast<double>(s.seed);
    L.number({"simulation", "seed"}, seed, 0, 9.0e15);
    s.seed = static_cast<unsigned long long>(seed);
  }

  L.number({"demand", "requests_per_household_year"}, s.requests_per_household_year, 0, 1e6);
  L.numbers({"demand", "hourly_profile"}, s.hourly_profile);
  L.numbers({"demand", "weekday_profile"}, s.weekday_profile);

  for (const auto& name : L.keys({"categories"})) {
    Category& c = find_or_add(s.categories, name);
    const std::vector<std::string> p{"categories", name};
    auto at = [&](const char* key) {
      auto q = p;
      q.emplace_back(key);
      return q;
    };
    L.number(at("share"), c.share, 0, 1e6);
    std::string dist;
    L.string(at("distribution"), dist);
    if (!dist.empty()) {
      if (dist == "exponential")
        c.distribution = HandlingDistribution::exponential;
      else if (dist == "lognormal")
        c.distribution = HandlingDistribution::lognormal;
      else if (dist == "fixed")
        c.distribution = HandlingDistribution::fixed;
      else
        L.fail(L.find(at("distribution")), at("distribution"),
               fmt::format("must be exponential, lognormal or fixed (got \"{}\")", dist));
    }
    L.number(at("handling_minutes"), c.handling_minutes, 0.01, 1e6);
    L.number(at("handling_cv"), c.handling_cv, 0, 10);
    L.number(at("deadline_hours"), c.deadline_hours, 0.01, 1e6);
    L.number(at("department_probability"), c.department_probability, 0, 1);
    L.number(at("department_hours"), c.department_hours, 0, 1e6);
    L.string(at("department"), c.department);
    L.number(at("found_share"), c.found_share, 0, 1e6);
  }

  for (const auto& name : L.keys({"shifts"})) {
    Shift& sh = find_or_add(s.shifts, name);
    const std::vector<std::string> p{"shifts", name};
    auto at = [&](const char* key) {
      auto q = p;
      q.emplace_back(key);
      return q;
    };
    std::vector<std::string> days;
    bool have_days = L.find(at("days")).node != nullptr;
    L.strings(at("days"), days);
    if (have_days) {
      sh.days.fill(false);
      for (const auto& d : days) {
        bool ok = false;
        if (d == "weekdays" || d == "all") {
          for (int i = 0; i < 5; ++i) sh.days[static_cast<std::size_t>(i)] = true;
          ok = true;
        }
        if (d == "weekend" || d == "all") {
          sh.days[5] = sh.days[6] = true;
          ok = true;
        }
        for (std::size_t i = 0; i < 7; ++i)
          if (d == kDayNames[i]) sh.days[i] = ok = true;
        if (!ok)
          L.fail(L.find(at("days")), at("days"),
                 fmt::format("unknown day \"{}\" (use mon..sun, weekdays, weekend, all)", d));
      }
    }
    L.hour(at("start"), sh.start_hour);
    L.hour(at("end"), sh.end_hour);
  }

  for (const auto& name : L.keys({"workers"})) {
    WorkerType& t = find_or_add(s.worker_types, name);
    const std::vector<std::string> p{"workers", name};
    auto at = [&](const char* key) {
      auto q = p;
      q.emplace_back(key);
      return q;
    };
    if (t.label.empty()) t.label = name;
    L.string(at("label"), t.label);
    L.integer(at("per_cell"), t.per_cell, 0, 1000);
    L.integer(at("dispatch_rank"), t.dispatch_rank, -1000, 1000);
    L.strings(at("shifts"), t.shifts);
    std::string mode;
    L.string(at("mode"), mode);
    if (!mode.empty()) {
      if (mode == "walk")
        t.speed_kmh = 4.5;
      else if (mode == "ebike")
        t.speed_kmh = 15;
      else if (mode == "bicycle")
        t.speed_kmh = 12;
      else
        L.fail(L.find(at("mode")), at("mode"),
               fmt::format("must be walk, bicycle or ebike (got \"{}\")", mode));
    }
    L.number(at("speed_kmh"), t.speed_kmh, 0.1, 200);
    L.number(at("annual_cost_yuan"), t.annual_cost_yuan, 0, 1e8);
    L.strings(at("handles"), t.handles);
    L.boolean(at("does_visits"), t.does_visits);
    L.number(at("patrol_minutes_per_shift"), t.patrol_minutes_per_shift, 0, 1440);
  }

  L.boolean({"travel", "enabled"}, s.travel);
  L.number({"travel", "detour_factor"}, s.detour_factor, 1, 10);
  L.number({"travel", "connect_gap_m"}, s.road_connect_gap_m, 0, 1000);
  {
    std::string model;
    L.string({"travel", "model"}, model);
    if (model == "road")
      s.travel_model = Scenario::TravelModel::road;
    else if (model == "straight")
      s.travel_model = Scenario::TravelModel::straight;
    else if (!model.empty())
      L.fail(L.find({"travel", "model"}), {"travel", "model"},
             fmt::format("must be road or straight (got \"{}\")", model));
  }
  L.number({"visits", "period_days"}, s.visit_period_days, 1, 3650);
  L.number({"visits", "minutes_per_household"}, s.visit_minutes_per_household, 0, 1440);
  L.number({"visits", "block_minutes"}, s.visit_block_minutes, 1, 1440);
  L.boolean({"dispatch", "neighbour_help"}, s.neighbour_help);
  L.integer({"dispatch", "max_neighbours"}, s.max_neighbours, 0, 100);
  L.boolean({"dispatch", "own_cell_first"}, s.own_cell_first);
  L.number({"dispatch", "escalate_at_fraction"}, s.escalate_at_fraction, 0, 10);
  {
    std::string order;
    L.string({"dispatch", "order"}, order);
    if (!order.empty()) {
      if (order == "deadline")
        s.earliest_deadline_first = true;
      else if (order == "fifo")
        s.earliest_deadline_first = false;
      else
        L.fail(L.find({"dispatch", "order"}), {"dispatch", "order"},
               fmt::format("must be \"deadline\" or \"fifo\" (got \"{}\")", order));
    }
  }
  L.number({"found", "patrol_cases_per_hour"}, s.patrol_cases_per_hour, 0, 100);
  L.number({"found", "visit_case_probability"}, s.visit_case_probability, 0, 1);
  L.integer({"departments", "capacity"}, s.department_capacity, 0, 1000000);
  for (const auto& name : L.keys({"departments", "capacity_of"}))
    L.integer({"departments", "capacity_of", name}, s.department_capacities[name], 0, 1000000);
  L.number({"departments", "cv"}, s.department_cv, 0, 10);
  {
    std::string dist;
    L.string({"departments", "distribution"}, dist);
    if (dist == "exponential")
      s.department_distribution = HandlingDistribution::exponential;
    else if (dist == "lognormal")
      s.department_distribution = HandlingDistribution::lognormal;
    else if (dist == "fixed")
      s.department_distribution = HandlingDistribution::fixed;
    else if (!dist.empty())
      L.fail(L.find({"departments", "distribution"}), {"departments", "distribution"},
             fmt::format("must be \"lognormal\", \"exponential\" or \"fixed\" (got \"{}\")", dist));
  }
  L.number({"closure", "rated_share"}, s.rated_share, 0, 1);
  L.number({"closure", "return_visit_minutes"}, s.return_visit_minutes, 0, 1440);
  L.number({"closure", "rework_below"}, s.rework_below, 0, 1);
  L.number({"closure", "rework_probability"}, s.rework_probability, 0, 1);
  L.number({"closure", "rework_fraction"}, s.rework_fraction, 0, 10);
  L.number({"satisfaction", "full_fraction"}, s.satisfaction_full_fraction, 0, 1);
  L.number({"satisfaction", "at_deadline"}, s.satisfaction_at_deadline, 0, 1);
  L.number({"satisfaction", "zero_at_multiple"}, s.satisfaction_zero_at_multiple, 1.0001, 100);
  L.number({"coverage", "walk_radius_m"}, s.walk_radius_m, 0, 1e5);
  L.number({"coverage", "floor_area_m2_per_100_households"}, s.floor_area_m2_per_100_households, 0,
           1e4);

  for (const auto& cell : L.keys({"cells"})) {
    for (const auto& type_name : L.keys({"cells", cell})) {
      int n = 0;
      L.integer({"cells", cell, type_name}, n, 0, 1000);
      s.cell_overrides[cell][type_name] = n;
    }
  }

  L.check_unknown();
  // Cross-field checks, reported against the file that last set the offending section.
  try {
    s.validate();
  } catch (const InputError& e) {
    throw InputError(name_for_errors, std::string(e.what()).substr(e.file().size() + 2));
  }
  return s;
}

Scenario load_scenario(const std::string& path) {
  const std::string text = read_scenario_file(path, path, "scenario file");
  return parse_scenario(text, path, fs::path(path).parent_path().string());
}

} // namespace gp::sim
