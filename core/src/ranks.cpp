#include "gp/core/ranks.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <new>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "gp/core/bytes.hpp"
#include "gp/core/error.hpp"

namespace gp {

struct RanksAccess {
  static void agreed(const Ranks& ranks) { ranks.failure_agreed_ = true; }
};

namespace {

class SingleProcess final : public Ranks {
public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::string> gather(std::string mine) const override {
    std::vector<std::string> all;
    all.push_back(std::move(mine));
    return all;
  }
  void broadcast(std::string&) const override {}
};

/// A failure as it travels between ranks: the gp::Error class and what rebuilds it.
enum class Kind : std::uint8_t { error, input, output, usage, internal, memory };

struct Failure {
  Kind kind = Kind::error;
  std::string message, file, layer;
  std::optional<long long> feature;
};

Failure describe(const std::exception_ptr& failure) {
  Failure f;
  try {
    std::rethrow_exception(failure);
  } catch (const InputError& e) {
    f = {Kind::input, e.what(), e.file(), e.layer(), e.feature()};
  } catch (const OutputError& e) {
    f = {Kind::output, e.what(), {}, {}, {}};
  } catch (const UsageError& e) {
    f = {Kind::usage, e.what(), {}, {}, {}};
  } catch (const Error& e) {
    f = {Kind::error, e.what(), {}, {}, {}};
  } catch (const std::bad_alloc&) {
    f = {Kind::memory, "out of memory", {}, {}, {}};
  } catch (const std::exception& e) {
    f = {Kind::internal, e.what(), {}, {}, {}};
  } catch (...) {
    f = {Kind::internal, "unknown exception", {}, {}, {}};
  }
  return f;
}

[[noreturn]] void rethrow(const Failure& f) {
  switch (f.kind) {
  case Kind::input:
    throw InputError::composed(f.message, f.file, f.layer, f.feature);
  case Kind::output:
    throw OutputError(f.message);
  case Kind::usage:
    throw UsageError(f.message);
  case Kind::error:
    throw Error(f.message);
  case Kind::memory:
    throw std::bad_alloc();
  case Kind::internal:
    break;
  }
  throw std::runtime_error(f.message);
}

void put_failure(ByteWriter& w, const Failure& f) {
  w.put(static_cast<std::uint8_t>(f.kind));
  w.put(f.message);
  w.put(f.file);
  w.put(f.layer);
  w.put(static_cast<std::uint8_t>(f.feature.has_value()));
  w.put(static_cast<std::int64_t>(f.feature.value_or(0)));
}

Failure get_failure(ByteReader& r) {
  Failure f;
  f.kind = static_cast<Kind>(r.get<std::uint8_t>());
  f.message = r.get_string();
  f.file = r.get_string();
  f.layer = r.get_string();
  const bool has_feature = r.get<std::uint8_t>() != 0;
  const auto feature = r.get<std::int64_t>();
  if (has_feature) f.feature = feature;
  return f;
}

void put_share(ByteWriter& w, const RankShare& s) {
  w.put(static_cast<std::uint64_t>(s.jobs));
  w.put(s.size);
  w.put(s.seconds);
  w.put(s.read);
}

RankShare get_share(ByteReader& r, int rank) {
  RankShare s;
  s.rank = rank;
  s.jobs = static_cast<std::size_t>(r.get<std::uint64_t>());
  s.size = r.get<double>();
  s.seconds = r.get<double>();
  s.read = r.get<double>();
  return s;
}

/// The common exchange of agree() and spread_jobs(): every rank sends whether it failed,
/// its share and its outputs (its jobs' indices are known to all from the deal); the root
/// answers with the verdict — the lowest failing rank's failure, or every share (and with
/// `to_all` every output in job order) — and every rank acts on it.
SpreadResult exchange(const Ranks& ranks, const std::exception_ptr& failure, const RankShare& share,
                      std::vector<std::string> outputs, const std::vector<int>& owner,
                      bool to_all) {
  const int n = ranks.size();
  std::string mine;
  {
    ByteWriter w;
    w.put(static_cast<std::uint8_t>(failure ? 1 : 0));
    if (failure) {
      put_failure(w, describe(failure));
    } else {
      put_share(w, share);
      w.put(static_cast<std::uint64_t>(outputs.size()));
      for (const auto& o : outputs) w.put(o);
    }
    mine = w.take();
  }
  outputs.clear();
  std::vector<std::string> all = ranks.gather(std::move(mine));

  SpreadResult result;
  std::string verdict;
  if (ranks.is_root()) {
    std::optional<Failure> first;
    std::vector<std::vector<std::string>> per_rank(static_cast<std::size_t>(n));
    for (int k = 0; k < n && !first; ++k) {
      ByteReader r(all[static_cast<std::size_t>(k)]);
      if (r.get<std::uint8_t>() != 0) {
        first = get_failure(r);
        break;
      }
      result.shares.push_back(get_share(r, k));
      const std::size_t count = r.count();
      auto& outs = per_rank[static_cast<std::size_t>(k)];
      outs.reserve(count);
      for (std::size_t i = 0; i < count; ++i) outs.push_back(r.get_string());
      all[static_cast<std::size_t>(k)].clear();
      all[static_cast<std::size_t>(k)].shrink_to_fit();
    }
    ByteWriter w;
    w.put(static_cast<std::uint8_t>(first ? 1 : 0));
    if (first) {
      put_failure(w, *first);
    } else {
      // Every rank's outputs back in job order: the k-th job owned by a rank is the k-th
      // output it sent (its indices ascend).
      std::vector<std::size_t> next(static_cast<std::size_t>(n), 0);
      result.outputs.reserve(owner.size());
      for (const int o : owner) {
        auto& outs = per_rank[static_cast<std::size_t>(o)];
        auto& k = next[static_cast<std::size_t>(o)];
        if (k >= outs.size()) throw Error("spread_jobs: a rank sent fewer outputs than jobs");
        result.outputs.push_back(std::move(outs[k++]));
      }
      for (const auto& s : result.shares) put_share(w, s);
      if (to_all)
        for (const auto& o : result.outputs) w.put(o);
    }
    verdict = w.take();
  }
  ranks.broadcast(verdict);
  ByteReader r(verdict);
  if (r.get<std::uint8_t>() != 0) {
    const Failure f = get_failure(r);
    RanksAccess::agreed(ranks);
    rethrow(f);
  }
  if (!ranks.is_root()) {
    for (int k = 0; k < n; ++k) result.shares.push_back(get_share(r, k));
    if (to_all) {
      result.outputs.reserve(owner.size());
      for (std::size_t j = 0; j < owner.size(); ++j) result.outputs.push_back(r.get_string());
    }
  }
  return result;
}

} // namespace

void add_shares(std::vector<RankShare>& total, const std::vector<RankShare>& more) {
  if (total.size() < more.size()) {
    const auto old = total.size();
    total.resize(more.size());
    for (std::size_t k = old; k < total.size(); ++k) total[k].rank = static_cast<int>(k);
  }
  for (std::size_t k = 0; k < more.size(); ++k) {
    total[k].jobs += more[k].jobs;
    total[k].size += more[k].size;
    total[k].seconds += more[k].seconds;
    total[k].read += more[k].read;
  }
}

const Ranks& single_process() {
  static const SingleProcess ranks;
  return ranks;
}

std::vector<int> deal_jobs(const std::vector<double>& sizes, int ranks) {
  if (ranks < 1) throw Error("deal_jobs: no ranks");
  std::vector<std::size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  std::vector<double> load(static_cast<std::size_t>(ranks), 0.0);
  std::vector<int> owner(sizes.size(), 0);
  for (const auto j : order) {
    const auto least = std::min_element(load.begin(), load.end()) - load.begin(); // first min
    owner[j] = static_cast<int>(least);
    load[static_cast<std::size_t>(least)] += sizes[j];
  }
  return owner;
}

void agree(const Ranks& ranks, const std::function<void()>& work) {
  if (ranks.size() == 1) {
    work();
    return;
  }
  std::exception_ptr failure;
  try {
    work();
  } catch (...) {
    failure = std::current_exception();
  }
  exchange(ranks, failure, RankShare{}, {}, {}, false);
}

SpreadResult spread_jobs(
    const Ranks& ranks, const std::vector<double>& sizes,
    const std::function<std::vector<std::string>(const std::vector<std::size_t>&)>& run_mine,
    bool to_all, double read) {
  const auto owner = deal_jobs(sizes, ranks.size());
  std::vector<std::size_t> mine;
  RankShare share;
  share.rank = ranks.rank();
  share.read = read;
  for (std::size_t j = 0; j < owner.size(); ++j) {
    if (owner[j] != ranks.rank()) continue;
    mine.push_back(j);
    share.size += sizes[j];
  }
  share.jobs = mine.size();
  const auto start = std::chrono::steady_clock::now();
  if (ranks.size() == 1) {
    SpreadResult result;
    result.outputs = run_mine(mine);
    share.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.shares.push_back(share);
    return result;
  }
  std::exception_ptr failure;
  std::vector<std::string> outputs;
  try {
    outputs = run_mine(mine);
    if (outputs.size() != mine.size())
      throw Error("spread_jobs: run_mine returned the wrong number of outputs");
  } catch (...) {
    failure = std::current_exception();
  }
  share.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return exchange(ranks, failure, share, std::move(outputs), owner, to_all);
}

} // namespace gp
