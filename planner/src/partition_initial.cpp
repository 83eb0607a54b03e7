// Initial partitions for the solver: libmetis' multilevel k-way partitioner (fast, good
// cuts, but neither contiguity nor a lower bound is guaranteed — the solver repairs both)
// and a region-growing fallback used when METIS fails or is disabled.

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>
#include <queue>

#include <fcntl.h>
#include <metis.h>
#include <unistd.h>

#include <cstdio>

#include "gp/core/random.hpp"
#include "partition_detail.hpp"

namespace gp::planner::detail {
namespace {

// libmetis prints diagnostics ("***Cannot bisect a graph with 0 vertices!") with printf on
// stdout, which would corrupt `--json` output. Calls into METIS are serialised by the
// caller, so stdout is pointed at /dev/null for their duration.
class SilencedStdout {
public:
  SilencedStdout() {
    std::fflush(stdout);
    saved_ = ::dup(STDOUT_FILENO);
    const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved_ >= 0 && null_fd >= 0) ::dup2(null_fd, STDOUT_FILENO);
    if (null_fd >= 0) ::close(null_fd);
  }
  ~SilencedStdout() {
    std::fflush(stdout);
    if (saved_ >= 0) {
      ::dup2(saved_, STDOUT_FILENO);
      ::close(saved_);
    }
  }
  SilencedStdout(const SilencedStdout&) = delete;
  SilencedStdout& operator=(const SilencedStdout&) = delete;

private:
  int saved_ = -1;
};

} // namespace

std::vector<std::int32_t> metis_initial(const WorkGraph& g, std::int32_t parts, Bounds bounds,
                                        std::uint64_t seed, bool recursive, bool& ok) {
  ok = false;
  const std::uint32_t n = g.size();
  std::vector<std::int32_t> result(n, 0);
  if (parts <= 1 || n == 0) {
    ok = true;
    return result;
  }
  if (static_cast<std::uint32_t>(parts) > n) return result; // METIS cannot; caller falls back
  // METIS wants integer weights whose sums fit in 32 bits: scale vertex weights to a total
  // of about 2^26 and edge costs to a mean of about 100 (at least 1 each).
  const double total = std::accumulate(g.weight.begin(), g.weight.end(), 0.0);
  std::vector<idx_t> vwgt(n);
  // Integer weights with a small enough total are passed unchanged (METIS' balance then
  // sees exactly our weights); others are scaled to a total of about 2^26.
  const bool integral =
      total > 0 && total < 1e9 &&
      std::all_of(g.weight.begin(), g.weight.end(), [](double w) { return w == std::floor(w); });
  if (integral) {
    for (std::uint32_t v = 0; v < n; ++v) vwgt[v] = static_cast<idx_t>(g.weight[v]);
  } else if (total > 0) {
    const double scale = 67108864.0 / total;
    for (std::uint32_t v = 0; v < n; ++v)
      vwgt[v] = static_cast<idx_t>(std::llround(g.weight[v] * scale));
  } else {
    std::fill(vwgt.begin(), vwgt.end(), 1);
  }
  const double cost_sum = std::accumulate(g.cost.begin(), g.cost.end(), 0.0);
  double escale = g.cost.empty() ? 1.0 : 100.0 * static_cast<double>(g.cost.size()) / cost_sum;
  if (cost_sum * escale > 1.5e9) escale = 1.5e9 / cost_sum;
  // Equal costs (the cut-edges objective without barriers): no edge weights at all.
  const bool uniform =
      std::all_of(g.cost.begin(), g.cost.end(), [&](double c) { return c == g.cost.front(); });
  std::vector<idx_t> adjwgt(uniform ? 0 : g.cost.size());
  for (std::size_t k = 0; k < adjwgt.size(); ++k)
    adjwgt[k] = std::max<idx_t>(1, static_cast<idx_t>(std::llround(g.cost[k] * escale)));
  std::vector<idx_t> xadj(g.xadj.begin(), g.xadj.end());
  std::vector<idx_t> adjncy(g.adj.begin(), g.adj.end());

  idx_t nvtxs = static_cast<idx_t>(n);
  idx_t ncon = 1;
  idx_t nparts = parts;
  const double mean = total / parts;
  // Upper imbalance from the bound (at least 1.001, METIS' minimum useful tolerance).
  real_t ubvec[1] = {static_cast<real_t>(mean > 0 ? std::max(1.001, bounds.hi / mean) : 1.03)};
  idx_t options[METIS_NOPTIONS];
  METIS_SetDefaultOptions(options);
  options[METIS_OPTION_SEED] = static_cast<idx_t>(seed & 0x3fffffff);
  options[METIS_OPTION_NUMBERING] = 0;
  options[METIS_OPTION_NCUTS] = 1;
  idx_t objval = 0;
  std::vector<idx_t> part(n, 0);
  auto* edge_weights = uniform ? nullptr : adjwgt.data();
  // libmetis keeps its random generator in process-global state (reseeded from
  // options[SEED] by every call) and SilencedStdout redirects the process's stdout: one
  // call at a time keeps every caller (plan, rebalance, merge) independent of the thread
  // count, while the rest of partition() runs in parallel.
  static std::mutex metis_mutex;
  const std::lock_guard lock(metis_mutex);
  const SilencedStdout silence;
  const int status = recursive
                         ? METIS_PartGraphRecursive(&nvtxs, &ncon, xadj.data(), adjncy.data(),
                                                    vwgt.data(), nullptr, edge_weights, &nparts,
                                                    nullptr, ubvec, options, &objval, part.data())
                         : METIS_PartGraphKway(&nvtxs, &ncon, xadj.data(), adjncy.data(),
                                               vwgt.data(), nullptr, edge_weights, &nparts, nullptr,
                                               ubvec, options, &objval, part.data());
  if (status != METIS_OK) return result;
  for (std::uint32_t v = 0; v < n; ++v) result[v] = static_cast<std::int32_t>(part[v]);
  ok = true;
  return result;
}

std::vector<std::int32_t> grow_initial(const WorkGraph& g, std::int32_t parts, std::uint64_t seed) {
  const std::uint32_t n = g.size();
  std::vector<std::int32_t> part(n, -1);
  if (parts <= 1) {
    std::fill(part.begin(), part.end(), 0);
    return part;
  }
  // Distinct random seeds; every part grows from its seed, the lightest part first, so
  // parts come out connected and roughly balanced.
  Rng rng(seed);
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(parts) && i < n; ++i)
    std::swap(order[i], order[i + rng.below(n - i)]);
  std::vector<std::vector<std::uint32_t>> frontier(static_cast<std::size_t>(parts));
  std::vector<std::size_t> head(static_cast<std::size_t>(parts), 0);
  std::vector<double> weight(static_cast<std::size_t>(parts), 0.0);
  using Entry = std::pair<double, std::int32_t>; // (weight, part): lightest first
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  for (std::int32_t p = 0; p < parts; ++p) {
    const auto s = order[static_cast<std::size_t>(p)];
    part[s] = p;
    weight[static_cast<std::size_t>(p)] = g.weight[s];
    for (auto k = g.xadj[s]; k < g.xadj[s + 1]; ++k)
      frontier[static_cast<std::size_t>(p)].push_back(g.adj[k]);
    queue.emplace(weight[static_cast<std::size_t>(p)], p);
  }
  while (!queue.empty()) {
    const auto p = queue.top().second;
    queue.pop();
    const auto pi = static_cast<std::size_t>(p);
    auto& f = frontier[pi];
    while (head[pi] < f.size() && part[f[head[pi]]] != -1) ++head[pi];
    if (head[pi] == f.size()) continue; // this part cannot grow any more
    const auto v = f[head[pi]++];
    part[v] = p;
    weight[pi] += g.weight[v];
    for (auto k = g.xadj[v]; k < g.xadj[v + 1]; ++k)
      if (part[g.adj[k]] == -1) f.push_back(g.adj[k]);
    queue.emplace(weight[pi], p);
  }
  return part; // g is connected, so every vertex was reached
}

} // namespace gp::planner::detail
