#include "thread_ranks.hpp"

#include <barrier>
#include <memory>
#include <string>
#include <thread>

namespace gp::testing {
namespace {

struct Shared {
  explicit Shared(int n) : size(n), meet(n), slots(static_cast<std::size_t>(n)) {}
  int size;
  std::barrier<> meet;
  std::vector<std::string> slots; ///< gather: one per rank
  std::string broadcast;          ///< broadcast: the root's bytes
};

class ThreadRanks final : public Ranks {
public:
  ThreadRanks(Shared& shared, int rank) : shared_(shared), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return shared_.size; }
  std::vector<std::string> gather(std::string mine) const override {
    shared_.slots[static_cast<std::size_t>(rank_)] = std::move(mine);
    shared_.meet.arrive_and_wait(); // every slot filled
    std::vector<std::string> all;
    if (is_root()) {
      all = std::move(shared_.slots);
      shared_.slots.assign(static_cast<std::size_t>(shared_.size), {});
    }
    shared_.meet.arrive_and_wait(); // the root has taken them
    return all;
  }
  void broadcast(std::string& bytes) const override {
    if (is_root()) shared_.broadcast = bytes;
    shared_.meet.arrive_and_wait();
    if (!is_root()) bytes = shared_.broadcast;
    shared_.meet.arrive_and_wait();
  }

private:
  Shared& shared_;
  int rank_;
};

} // namespace

std::vector<std::exception_ptr> on_thread_ranks(int n,
                                                const std::function<void(const Ranks&)>& body) {
  Shared shared(n);
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(n));
  std::vector<std::thread> threads;
  for (int k = 0; k < n; ++k)
    threads.emplace_back([&, k] {
      const ThreadRanks ranks(shared, k);
      try {
        body(ranks);
      } catch (...) {
        failures[static_cast<std::size_t>(k)] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  return failures;
}

} // namespace gp::testing
