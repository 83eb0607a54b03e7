#pragma once
// The one way gridplan runs independent jobs on several threads.

#include <cstddef>
#include <functional>
#include <vector>

namespace gp {

/// Worker threads to use for `requested` (0 = hardware concurrency) and `jobs` jobs: at
/// least 1, at most jobs.
unsigned thread_count(unsigned requested, std::size_t jobs);

/// Runs run(order[k]) for every k on `threads` threads (0 = all cores), taking jobs in the
/// given order (e.g. largest first). Each call must depend only on its own job, so results
/// do not depend on the thread count. On an exception the remaining jobs are not started
/// and, after all threads have stopped, the exception of the earliest failing job in
/// `order` is rethrown: the same one at any thread count.
void run_jobs(const std::vector<std::size_t>& order, unsigned threads,
              const std::function<void(std::size_t)>& run);

/// run_jobs over 0..count-1 in index order.
void run_jobs(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& run);

} // namespace gp
