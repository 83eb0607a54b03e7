// gp::run_jobs: every job runs once, and a failure gives the same error at any thread count.

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "gp/core/thread_pool.hpp"

namespace {

TEST(RunJobs, EveryJobRunsExactlyOnceInAnyThreadCount) {
  for (const unsigned threads : {1u, 2u, 3u, 8u}) {
    std::vector<std::atomic<int>> runs(1000);
    gp::run_jobs(runs.size(), threads, [&](std::size_t k) { ++runs[k]; });
    for (std::size_t k = 0; k < runs.size(); ++k) EXPECT_EQ(runs[k].load(), 1) << k;
  }
}

TEST(RunJobs, TheEarliestFailingJobInOrderIsTheErrorWhateverTheThreads) {
  // Jobs 300, 301 and every one from 700 fail: job 300 is the first failure in index
  // order, job 999 in the reversed order.
  auto run = [](std::size_t k) {
    if (k == 300 || k == 301 || k >= 700) throw std::runtime_error("job " + std::to_string(k));
  };
  std::vector<std::size_t> reversed(1000);
  for (std::size_t k = 0; k < reversed.size(); ++k) reversed[k] = reversed.size() - 1 - k;
  for (int repeat = 0; repeat < 20; ++repeat) {
    for (const unsigned threads : {1u, 2u, 4u, 8u}) {
      try {
        gp::run_jobs(1000, threads, run);
        ADD_FAILURE() << "no error";
      } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "job 300") << threads << " threads";
      }
      try {
        gp::run_jobs(reversed, threads, run);
        ADD_FAILURE() << "no error";
      } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "job 999") << threads << " threads";
      }
    }
  }
}

} // namespace
