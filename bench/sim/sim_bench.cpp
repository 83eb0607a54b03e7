// Simulator benchmark: runs gp::sim::simulate() on a plan GeoPackage or on an in-memory
// synthetic plan and prints wall time, events and events per second.
//
//   sim_bench --plan PLAN.gpkg [--scenario S.toml] [--days D] [--reps R] [--threads T]
//   sim_bench --cells N --households H [--buildings B] [--days D] [--reps R] [--threads T]
//             (N square cells of 400 m in communities of 9, H households in B buildings)

#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string>

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

} // namespace

int main(int argc, char** argv) try {
  std::string plan_path, scenario_path;
  int cells = 150, buildings = 1500, reps = 20, threads = 0;
  double households = 60000, days = 365;
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
    else
      throw std::runtime_error("unknown option " + a);
  }
  const auto t0 = std::chrono::steady_clock::now();
  const gp::sim::SimPlan plan = plan_path.empty() ? synthetic_plan(cells, households, buildings)
                                                  : gp::sim::load_plan(plan_path);
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const gp::sim::Scenario scenario =
      scenario_path.empty() ? gp::sim::Scenario::defaults() : gp::sim::load_scenario(scenario_path);
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
  fmt::print("on_time_share={:.4f} p90_response_h={:.2f} utilisation={:.3f}\n",
             r.metric("on_time_share").value.mean, r.metric("p90_response_h").value.mean,
             r.metric("utilisation").value.mean);
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "sim_bench: {}\n", e.what());
  return 2;
}
