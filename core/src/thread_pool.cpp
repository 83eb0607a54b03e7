#include "gp/core/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>

namespace gp {

unsigned thread_count(unsigned requested, std::size_t jobs) {
  unsigned threads = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(1, jobs)));
}

void run_jobs(const std::vector<std::size_t>& order, unsigned threads,
              const std::function<void(std::size_t)>& run) {
  threads = thread_count(threads, order.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::size_t failed_at = order.size(); // position of `failure` in `order`
  std::mutex failure_mutex;
  auto worker = [&] {
    for (;;) {
      const std::size_t k = next.fetch_add(1);
      if (k >= order.size()) return;
      try {
        run(order[k]);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        // Jobs are taken in order, so every job before the first failing one has run:
        // keeping the earliest failure makes the error the same at any thread count.
        if (k < failed_at) {
          failure = std::current_exception();
          failed_at = k;
        }
        next.store(order.size());
        return;
      }
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned k = 0; k < threads; ++k) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
  }
  if (failure) std::rethrow_exception(failure);
}

void run_jobs(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& run) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  run_jobs(order, threads, run);
}

} // namespace gp
