// Simulator benchmark: runs gp::sim::simulate() on a plan GeoPackage or on an in-memory
// synthetic plan and prints wall time, events and events per second.
//
//   sim_bench --plan PLAN.gpkg [--scenario S.toml] [--days D] [--reps R] [--threads T]
//   sim_bench --cells N --households H [--buildings B] [--days D] [--reps R] [--threads T]
//             (N square cells of 400 m in communities of 9, H households in B buildings)
//   sim_bench --mmc C [--load A] [--days D] [--reps R] [--threads T]
//             (the engine alone on an M/M/C queue: one cell, C always-on workers,
//             exponential 1 h jobs, offered load A (default 0.8 C), nothing else)
//   sim_bench --roads N [--queries Q] [--cache-mb M]
//             (road model alone: N x N grid of 2-point streets 100 m apart, noded; Q
//             distance queries between pseudo-random points; distance cache of M MiB)

#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "../../sim/src/road_network.hpp" // private to sim/: benchmarked directly
#include "gp/sim/engine.hpp"
#include "gp/sim/plan_loader.hpp"

namespace {

gp::sim::SimPlan synthetic_plan(int cells, double households, int buildings) {
  gp::sim::SimPlan plan;
  const int side = static_cast<int>(std::ceil(std::sqrt(cells)));
  for (int i = 0; i < cells; ++i) {
    gp::sim::SimCell c;
    const int x = i % side, y = i / side;
    c.code = std::to_string(i);
    c.area_code = std::to_string((x / 3) * 1000 + y / 3); // 3 x 3 cells per community
    c.centroid = {x * 400.0 + 200, y * 400.0 + 200};
    c.households = households / cells;
    if (x > 0) c.neighbours.push_back(static_cast<std::uint32_t>(i - 1));
    if (x + 1 < side && i + 1 < cells) c.neighbours.push_back(static_cast<std::uint32_t>(i + 1));
    if (y > 0) c.neighbours.push_back(static_cast<std::uint32_t>(i - side));
    if (i + side < cells) c.neighbours.push_back(static_cast<std::uint32_t>(i + side));
    plan.cells.push_back(c);
  }
  // Buildings on a jittered lattice inside their cell (deterministic).
  const int per_cell = std::max(1, buildings / cells);
  const int k = static_cast<int>(std::ceil(std::sqrt(per_cell)));
  for (int i = 0; i < cells; ++i) {
    for (int b = 0; b < per_cell; ++b) {
      gp::sim::SimBuilding bl;
      bl.cell = static_cast<std::uint32_t>(i);
      bl.households = households / cells / per_cell;
      bl.position = {
          plan.cells[static_cast<std::size_t>(i)].centroid.x - 200 + (b % k + 0.5) * 400.0 / k,
          plan.cells[static_cast<std::size_t>(i)].centroid.y - 200 + (b / k + 0.5) * 400.0 / k};
      plan.buildings.push_back(bl);
    }
  }
  return plan;
}

/// The M/M/c model: everything but the queue switched off.
gp::sim::Scenario mmc_scenario(int servers, double load) {
  gp::sim::Scenario s = gp::sim::Scenario::defaults();
  s.categories.resize(1);
  auto& c = s.categories[0];
  c.name = "any";
  c.share = 1;
  c.distribution = gp::sim::HandlingDistribution::exponential;
  c.handling_minutes = 60;
  c.deadline_hours = 1e9;
  c.department_probability = 0;
  s.hourly_profile.fill(1);
  s.weekday_profile.fill(1);
  s.worker_types.resize(1);
  auto& t = s.worker_types[0];
  t.name = "server";
  t.per_cell = servers;
  t.shifts.clear();
  t.handles.clear();
  t.does_visits = false;
  t.patrol_minutes_per_shift = 0;
  s.travel = false;
  s.neighbour_help = false;
  s.escalate_at_fraction = 0;
  s.visit_minutes_per_household = 0;
  s.requests_per_household_year = 8760 * load; // one household
  return s;
}

long peak_rss_kib() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  long kib = -1;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmHWM: %ld kB", &kib) == 1) break;
  std::fclose(f);
  return kib;
}

int road_bench(int n, long queries, double cache_mb) {
  std::vector<gp::geo::LineString> roads;
  for (int i = 0; i < n; ++i) {
    roads.push_back({{0, 100.0 * i}, {100.0 * (n - 1), 100.0 * i}});
    roads.push_back({{100.0 * i, 0}, {100.0 * i, 100.0 * (n - 1)}});
  }
  const auto t0 = std::chrono::steady_clock::now();
  const gp::sim::RoadNetwork net(roads, 0.5, true, 150,
                                 static_cast<std::size_t>(cache_mb * 1024 * 1024));
  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::uint64_t x = 88172645463325252ULL; // xorshift: fixed pseudo-random points
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
  };
  const double extent = 100.0 * (n - 1);
  std::vector<gp::sim::RoadSnap> points(4096);
  for (auto& p : points) p = net.snap({next() * extent, next() * extent});
  const auto t1 = std::chrono::steady_clock::now();
  const std::clock_t c1 = std::clock();
  double sum = 0;
  for (long q = 0; q < queries; ++q) {
    const auto& a = points[static_cast<std::size_t>(next() * 4096) % 4096];
    const auto& b = points[static_cast<std::size_t>(next() * 4096) % 4096];
    if (const auto d = net.distance(a, b)) sum += *d;
  }
  const double cpu_s = static_cast<double>(std::clock() - c1) / CLOCKS_PER_SEC;
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  const auto st = net.cache_stats();
  fmt::print("road grid {}x{}: nodes={} segments={} components={} build_s={:.3f}\n", n, n,
             net.node_count(), net.edge_count(), net.component_count(), build_s);
  fmt::print(
      "queries={} wall_s={:.3f} cpu_s={:.3f} queries_per_cpu_s={:.0f} (mean distance {:.0f} m)\n",
      queries, wall_s, cpu_s, static_cast<double>(queries) / cpu_s,
      sum / static_cast<double>(queries));
  fmt::print("cache: capacity={} tables of {} bytes (bound {:.0f} MiB), kept={}, misses={}, "
             "hits={}; peak_rss_mib={:.1f}\n",
             st.capacity, st.table_bytes,
             static_cast<double>(st.capacity * st.table_bytes) / (1024.0 * 1024.0), st.size,
             st.misses, st.hits, static_cast<double>(peak_rss_kib()) / 1024.0);
  return 0;
}

} // namespace

int main(int argc, char** argv) try {
  std::string plan_path, scenario_path;
  int cells = 150, buildings = 1500, reps = 20, threads = 0, mmc = 0, roads = 0;
  double households = 60000, days = 365, load = -1, cache_mb = 256;
  long queries = 200000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error("missing value after " + a);
      return argv[++i];
    };
    if (a == "--plan")
      plan_path = next();
    else if (a == "--scenario")
      scenario_path = next();
    else if (a == "--cells")
      cells = std::stoi(next());
    else if (a == "--households")
      households = std::stod(next());
    else if (a == "--buildings")
      buildings = std::stoi(next());
    else if (a == "--days")
      days = std::stod(next());
    else if (a == "--reps")
      reps = std::stoi(next());
    else if (a == "--threads")
      threads = std::stoi(next());
    else if (a == "--mmc")
      mmc = std::stoi(next());
    else if (a == "--load")
      load = std::stod(next());
    else if (a == "--roads")
      roads = std::stoi(next());
    else if (a == "--queries")
      queries = std::stol(next());
    else if (a == "--cache-mb")
      cache_mb = std::stod(next());
    else
      throw std::runtime_error("unknown option " + a);
  }
  if (roads > 0) return road_bench(roads, queries, cache_mb);
  const auto t0 = std::chrono::steady_clock::now();
  gp::sim::SimPlan plan;
  if (mmc > 0) {
    gp::sim::SimCell c;
    c.code = "c";
    c.area_code = "a";
    c.households = 1;
    plan.cells.push_back(c);
  } else {
    plan = plan_path.empty() ? synthetic_plan(cells, households, buildings)
                             : gp::sim::load_plan(plan_path);
  }
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const gp::sim::Scenario scenario = mmc > 0 ? mmc_scenario(mmc, load > 0 ? load : 0.8 * mmc)
                                     : scenario_path.empty()
                                         ? gp::sim::Scenario::defaults()
                                         : gp::sim::load_scenario(scenario_path);
  gp::sim::RunOptions o;
  o.days = days;
  o.replications = reps;
  o.threads = threads;
  o.seed = 1;
  const auto t1 = std::chrono::steady_clock::now();
  const std::clock_t c1 = std::clock();
  const auto r = gp::sim::simulate(plan, scenario, o);
  const double cpu_s = static_cast<double>(std::clock() - c1) / CLOCKS_PER_SEC;
  const double sim_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  fmt::print("plan={} cells={} buildings={} households={:.0f} workers={}\n",
             plan_path.empty() ? "synthetic" : plan_path, plan.cells.size(), plan.buildings.size(),
             r.households, r.workers);
  fmt::print("days={} warmup_days={} replications={} threads={}\n", days, o.warmup_days, reps,
             threads);
  fmt::print(
      "load_s={:.3f} simulate_s={:.3f} events={} events_per_s={:.0f} requests_per_day={:.1f}\n",
      load_s, sim_s, r.events, static_cast<double>(r.events) / sim_s,
      r.metric("requests_per_day").value.mean);
  fmt::print("cpu_s={:.3f} events_per_cpu_s={:.0f}\n", cpu_s,
             static_cast<double>(r.events) / cpu_s);
  fmt::print("peak_rss_mib={:.1f}\n", static_cast<double>(peak_rss_kib()) / 1024.0);
  fmt::print("on_time_share={:.4f} p90_response_h={:.2f} utilisation={:.3f}\n",
             r.metric("on_time_share").value.mean, r.metric("p90_response_h").value.mean,
             r.metric("utilisation").value.mean);
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "sim_bench: {}\n", e.what());
  return 2;
}
