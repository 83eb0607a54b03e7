// Partition benchmark: runs gp::planner::partition() on a METIS graph file (or networkx
// JSON) and prints time, cut edges, balance and contiguity as key=value lines, so
// bench/planner/compare_metis.sh can put them next to gpmetis on the identical graph.
//
//   partition_bench GRAPH.metis --parts K [--tolerance F] [--seed S] [--restarts R]
//                   [--objective cut-edges|compact] [--grow]
//   partition_bench GRAPH.json --weight TOTPOP --parts 2 ...        (networkx JSON)
//   partition_bench GRAPH.metis --evaluate PARTFILE --parts K [--tolerance F]
//                   (judge a gpmetis .part.K file by the same measures)
//   partition_bench --generate N OUT.metis [--seed S]
//                   (a planar triangulated grid of about N vertices with random weights)

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "gp/core/error.hpp"
#include "gp/planner/graph_io.hpp"
#include "gp/planner/partition.hpp"

namespace {

using gp::planner::UnitGraph;

struct Measures {
  std::size_t cut_edges = 0;
  double max_ratio = 0, min_ratio = 0; ///< heaviest / lightest part over the mean
  std::size_t disconnected = 0, empty = 0, out_of_bounds = 0;
};

Measures measure(const UnitGraph& g, const std::vector<std::int32_t>& part, int parts,
                 double tolerance) {
  Measures m;
  const std::size_t n = g.vertex_count();
  std::vector<double> w(static_cast<std::size_t>(parts), 0.0);
  for (std::size_t v = 0; v < n; ++v) w[static_cast<std::size_t>(part[v])] += g.weight[v];
  const double mean = g.total_weight() / parts;
  m.max_ratio = *std::max_element(w.begin(), w.end()) / mean;
  m.min_ratio = *std::min_element(w.begin(), w.end()) / mean;
  for (double x : w) {
    if (x == 0) ++m.empty;
    if (x > mean * (1 + tolerance) * (1 + 1e-12) || x < mean * (1 - tolerance) * (1 - 1e-12))
      ++m.out_of_bounds;
  }
  for (std::size_t v = 0; v < n; ++v)
    for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k)
      if (g.targets[k] > v && part[g.targets[k]] != part[v]) ++m.cut_edges;
  std::vector<std::uint8_t> seen(n, 0), part_seen(static_cast<std::size_t>(parts), 0);
  std::vector<std::uint32_t> stack;
  for (std::size_t s = 0; s < n; ++s) {
    if (seen[s]) continue;
    const auto p = static_cast<std::size_t>(part[s]);
    if (part_seen[p]++ == 1) ++m.disconnected;
    seen[s] = 1;
    stack.push_back(static_cast<std::uint32_t>(s));
    while (!stack.empty()) {
      const auto v = stack.back();
      stack.pop_back();
      for (auto k = g.offsets[v]; k < g.offsets[v + 1]; ++k)
        if (!seen[g.targets[k]] && part[g.targets[k]] == part[v]) {
          seen[g.targets[k]] = 1;
          stack.push_back(g.targets[k]);
        }
    }
  }
  return m;
}

void print(const Measures& m, int parts) {
  fmt::print("parts={}\ncut_edges={}\nmax_ratio={:.5f}\nmin_ratio={:.5f}\nparts_out_of_bounds={}\n"
             "disconnected_parts={}\nempty_parts={}\n",
             parts, m.cut_edges, m.max_ratio, m.min_ratio, m.out_of_bounds, m.disconnected,
             m.empty);
}

// Planar graph: a side x side grid, each square split by a random diagonal (a triangulation,
// mean degree ~6 like a Delaunay graph of building centroids); weights 1..60 "households".
UnitGraph generate(std::size_t target, std::uint64_t seed) {
  const auto side = static_cast<std::uint32_t>(std::ceil(std::sqrt(static_cast<double>(target))));
  const std::size_t n = static_cast<std::size_t>(side) * side;
  std::mt19937_64 rng(seed);
  std::vector<gp::planner::Edge> edges;
  edges.reserve(n * 3);
  auto id = [side](std::uint32_t r, std::uint32_t c) { return r * side + c; };
  for (std::uint32_t r = 0; r < side; ++r)
    for (std::uint32_t c = 0; c < side; ++c) {
      if (c + 1 < side) edges.push_back({id(r, c), id(r, c + 1), 1, false});
      if (r + 1 < side) edges.push_back({id(r, c), id(r + 1, c), 1, false});
      if (r + 1 < side && c + 1 < side) {
        if (rng() & 1)
          edges.push_back({id(r, c), id(r + 1, c + 1), 1, false});
        else
          edges.push_back({id(r, c + 1), id(r + 1, c), 1, false});
      }
    }
  UnitGraph g = gp::planner::graph_from_edges(n, edges);
  std::uniform_int_distribution<int> households(1, 60);
  for (std::size_t v = 0; v < n; ++v) g.weight[v] = households(rng);
  return g;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto option = [&](const std::string& name, const std::string& fallback) {
    auto it = std::find(args.begin(), args.end(), name);
    if (it == args.end() || it + 1 == args.end()) return fallback;
    return *(it + 1);
  };
  auto flag = [&](const std::string& name) {
    return std::find(args.begin(), args.end(), name) != args.end();
  };
  if (args.empty() || flag("--help")) {
    std::cout << "usage: partition_bench GRAPH(.metis|.json) --parts K [--tolerance F] [--seed S] "
                 "[--restarts R]\n"
                 "         [--objective cut-edges|compact] [--weight ATTR] [--grow] [--evaluate "
                 "PARTFILE]\n"
                 "         [--write-metis OUT.metis] [--write-part OUT.part]\n"
                 "       partition_bench --generate N OUT.metis [--seed S]\n";
    return args.empty() ? 1 : 0;
  }
  const auto seed = std::stoull(option("--seed", "1"));
  if (args[0] == "--generate") {
    if (args.size() < 3) throw gp::UsageError("--generate N OUT.metis");
    const auto t0 = std::chrono::steady_clock::now();
    const auto g = generate(std::stoull(args[1]), seed);
    gp::planner::write_metis_graph(g, args[2]);
    fmt::print("vertices={}\nedges={}\nseconds={:.3f}\n", g.vertex_count(), g.edge_count(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return 0;
  }
  const std::string path = args[0];
  const int parts = std::stoi(option("--parts", "2"));
  const double tolerance = std::stod(option("--tolerance", "0.03"));
  auto t0 = std::chrono::steady_clock::now();
  UnitGraph g;
  if (path.size() > 5 && path.substr(path.size() - 5) == ".json") {
    gp::planner::NetworkxReadOptions read;
    read.weight_attribute = option("--weight", "");
    g = gp::planner::read_networkx_json(path, read).graph;
  } else {
    g = gp::planner::read_metis_graph(path);
  }
  const double read_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("vertices={}\nedges={}\nread_seconds={:.3f}\n", g.vertex_count(), g.edge_count(),
             read_seconds);
  if (flag("--write-metis")) {
    gp::planner::write_metis_graph(g, option("--write-metis", ""));
    return 0;
  }

  if (flag("--evaluate")) {
    std::ifstream in(option("--evaluate", ""));
    if (!in) throw gp::InputError(option("--evaluate", ""), "cannot be opened");
    std::vector<std::int32_t> part(g.vertex_count());
    for (auto& p : part)
      if (!(in >> p) || p < 0 || p >= parts)
        throw gp::InputError(option("--evaluate", ""), "bad partition file");
    print(measure(g, part, parts, tolerance), parts);
    return 0;
  }

  gp::planner::PartitionSpec spec;
  spec.parts = parts;
  spec.tolerance = tolerance;
  spec.seed = seed;
  spec.restarts = std::stoi(option("--restarts", "0"));
  spec.objective = option("--objective", "cut-edges") == "compact"
                       ? gp::planner::Objective::compact
                       : gp::planner::Objective::cut_edges;
  spec.multilevel_initial = !flag("--grow");
  t0 = std::chrono::steady_clock::now();
  const auto c0 = std::clock();
  const auto result = gp::planner::partition(g, spec);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // CPU time is what gpmetis reports ("METIS time"); on a loaded machine wall time is not
  // comparable between runs, CPU time is.
  const double cpu_seconds = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  fmt::print("partition_seconds={:.4f}\npartition_cpu_seconds={:.4f}\nviolations={}\n", seconds,
             cpu_seconds, result.violations.size());
  print(measure(g, result.part, result.parts, tolerance), result.parts);
  if (flag("--write-part")) {
    std::ofstream out(option("--write-part", ""));
    for (auto p : result.part) out << p << '\n';
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) try { return run(argc, argv); } catch (const gp::UsageError& e) {
  std::cerr << "partition_bench: " << e.what() << '\n';
  return 1;
} catch (const std::exception& e) {
  std::cerr << "partition_bench: " << e.what() << '\n';
  return 2;
}
