// gp::Ranks and the spreading of jobs (core/ranks.hpp), played by threads
// (tests/support/thread_ranks.hpp): the deal, job-order results whatever the rank count,
// agreed failures; and the byte packing results travel in (core/bytes.hpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <numeric>
#include <string>

#include "gp/core/bytes.hpp"
#include "gp/core/error.hpp"
#include "gp/core/ranks.hpp"
#include "thread_ranks.hpp"

namespace gp {
namespace {

TEST(DealJobs, EveryJobGoesToOneRankAndLoadsStayWithinTheLargestJob) {
  std::vector<double> sizes;
  for (int k = 0; k < 37; ++k) sizes.push_back(static_cast<double>((k * 7919) % 101 + 1));
  const double largest = *std::max_element(sizes.begin(), sizes.end());
  const double total = std::accumulate(sizes.begin(), sizes.end(), 0.0);
  for (int n = 1; n <= 6; ++n) {
    const auto owner = deal_jobs(sizes, n);
    ASSERT_EQ(owner.size(), sizes.size());
    std::vector<double> load(static_cast<std::size_t>(n), 0.0);
    for (std::size_t j = 0; j < owner.size(); ++j) {
      ASSERT_GE(owner[j], 0);
      ASSERT_LT(owner[j], n);
      load[static_cast<std::size_t>(owner[j])] += sizes[j];
    }
    const auto [lo, hi] = std::minmax_element(load.begin(), load.end());
    // Largest first to the least loaded rank: no rank ends more than one job above another
    // (Graham's bound for this greedy deal: max load <= mean + largest job).
    EXPECT_LE(*hi - *lo, largest) << n << " ranks";
    EXPECT_LE(*hi, total / n + largest) << n << " ranks";
    EXPECT_EQ(owner, deal_jobs(sizes, n)) << "the deal is a function of its arguments";
  }
  EXPECT_EQ(deal_jobs({1, 5, 3}, 1), (std::vector<int>{0, 0, 0}));
  // The largest job first, to rank 0; the next to rank 1; the smallest to the lighter.
  EXPECT_EQ(deal_jobs({1, 5, 3}, 2), (std::vector<int>{1, 0, 1}));
  EXPECT_THROW(deal_jobs({1.0}, 0), Error);
}

TEST(Bytes, ValuesComeBackBitForBit) {
  ByteWriter w;
  const double payload_nan = [] {
    std::uint64_t bits = 0x7ff8'0000'0000'1234ULL;
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }();
  w.put(payload_nan);
  w.put(-0.0);
  w.put(std::numeric_limits<double>::denorm_min());
  w.put(std::uint32_t{4'000'000'000u});
  w.put(std::string_view("a\0b", 3));
  w.put(std::vector<double>{1.5, -2.25});
  w.put(std::vector<std::uint8_t>{});
  const std::string bytes = w.take();

  ByteReader r(bytes);
  const double nan_back = r.get<double>();
  EXPECT_EQ(std::memcmp(&nan_back, &payload_nan, sizeof(double)), 0);
  const double zero = r.get<double>();
  EXPECT_TRUE(zero == 0.0 && std::signbit(zero));
  EXPECT_EQ(r.get<double>(), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(r.get<std::uint32_t>(), 4'000'000'000u);
  EXPECT_EQ(r.get_string(), std::string("a\0b", 3));
  EXPECT_EQ(r.get_vector<double>(), (std::vector<double>{1.5, -2.25}));
  EXPECT_TRUE(r.get_vector<std::uint8_t>().empty());
  EXPECT_TRUE(r.done());
  EXPECT_THROW(r.get<std::uint8_t>(), Error);

  ByteReader cut(std::string_view(bytes).substr(0, bytes.size() - 3));
  cut.get<double>();
  cut.get<double>();
  cut.get<double>();
  cut.get<std::uint32_t>();
  cut.get_string();
  EXPECT_EQ(cut.get_vector<double>().size(), 2u);
  EXPECT_THROW(cut.get_vector<std::uint8_t>(), Error) << "its length is cut";
  ByteReader liar(std::string_view(bytes).substr(std::string_view(bytes).find('a') - 8, 8));
  EXPECT_THROW(liar.get_string(), Error) << "a length beyond the end";
}

/// The output of job j: independent of where it ran.
std::string job_output(std::size_t j) {
  return "job " + std::to_string(j * j);
}

TEST(SpreadJobs, OutputsComeBackInJobOrderWhateverTheRankCount) {
  const std::vector<double> sizes = {4, 1, 9, 2, 2, 7, 3, 0, 5, 6, 1};
  for (const bool to_all : {false, true})
    for (int n = 1; n <= 4; ++n) {
      std::mutex mutex;
      std::vector<std::vector<std::string>> outputs(static_cast<std::size_t>(n));
      std::vector<std::vector<RankShare>> shares(static_cast<std::size_t>(n));
      std::vector<std::size_t> ran;
      const auto failures = testing::on_thread_ranks(n, [&](const Ranks& ranks) {
        auto result = spread_jobs(
            ranks, sizes,
            [&](const std::vector<std::size_t>& mine) {
              EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
              std::vector<std::string> out;
              std::lock_guard lock(mutex);
              for (const auto j : mine) {
                EXPECT_EQ(deal_jobs(sizes, n)[j], ranks.rank()) << "job " << j;
                ran.push_back(j);
                out.push_back(job_output(j));
              }
              return out;
            },
            to_all, 100.0 + ranks.rank());
        std::lock_guard lock(mutex);
        outputs[static_cast<std::size_t>(ranks.rank())] = std::move(result.outputs);
        shares[static_cast<std::size_t>(ranks.rank())] = std::move(result.shares);
      });
      for (const auto& f : failures) EXPECT_FALSE(f);
      std::sort(ran.begin(), ran.end());
      std::vector<std::size_t> every(sizes.size());
      std::iota(every.begin(), every.end(), std::size_t{0});
      EXPECT_EQ(ran, every) << "every job ran exactly once";
      std::vector<std::string> expected;
      for (std::size_t j = 0; j < sizes.size(); ++j) expected.push_back(job_output(j));
      for (int k = 0; k < n; ++k) {
        const auto& out = outputs[static_cast<std::size_t>(k)];
        if (k == 0 || to_all)
          EXPECT_EQ(out, expected) << n << " ranks, rank " << k;
        else
          EXPECT_TRUE(out.empty()) << n << " ranks, rank " << k;
        const auto& s = shares[static_cast<std::size_t>(k)];
        ASSERT_EQ(s.size(), static_cast<std::size_t>(n));
        EXPECT_EQ(s, shares[0]) << "every rank knows every share";
        std::size_t jobs = 0;
        double size = 0;
        for (int r = 0; r < n; ++r) {
          EXPECT_EQ(s[static_cast<std::size_t>(r)].rank, r);
          EXPECT_EQ(s[static_cast<std::size_t>(r)].read, 100.0 + r) << "what rank " << r << " read";
          jobs += s[static_cast<std::size_t>(r)].jobs;
          size += s[static_cast<std::size_t>(r)].size;
        }
        EXPECT_EQ(jobs, sizes.size());
        EXPECT_EQ(size, std::accumulate(sizes.begin(), sizes.end(), 0.0));
      }
    }
}

TEST(SpreadJobs, AFailedJobEndsEveryRankWithItsErrorAndClass) {
  const std::vector<double> sizes = {5, 4, 3, 2, 1, 1};
  const int n = 3;
  const std::size_t bad = 4; // whichever rank it is dealt to, every rank must see it fail
  const auto failures = testing::on_thread_ranks(n, [&](const Ranks& ranks) {
    try {
      spread_jobs(ranks, sizes, [&](const std::vector<std::size_t>& mine) {
        std::vector<std::string> out;
        for (const auto j : mine) {
          if (j == bad) {
            try {
              throw InputError("city.gpkg", "units", 17, "field 'households' is not numeric");
            } catch (...) {
              rethrow_with_context("community 110101001001");
            }
          }
          out.push_back(job_output(j));
        }
        return out;
      });
    } catch (...) {
      EXPECT_TRUE(ranks.failure_agreed());
      throw;
    }
  });
  for (int k = 0; k < n; ++k) {
    ASSERT_TRUE(failures[static_cast<std::size_t>(k)]) << "rank " << k;
    try {
      std::rethrow_exception(failures[static_cast<std::size_t>(k)]);
    } catch (const InputError& e) {
      EXPECT_STREQ(e.what(), "community 110101001001: city.gpkg: layer 'units': feature 17: "
                             "field 'households' is not numeric");
      EXPECT_EQ(e.file(), "city.gpkg");
      EXPECT_EQ(e.layer(), "units");
      EXPECT_EQ(e.feature(), 17);
    } catch (...) {
      ADD_FAILURE() << "rank " << k << ": not an InputError";
    }
  }
}

TEST(Agree, AFailureOnOneRankIsEveryRanksAndTheLowestFailingRankWins) {
  const auto failures = testing::on_thread_ranks(4, [&](const Ranks& ranks) {
    agree(ranks, [&] {
      if (ranks.rank() == 3) throw OutputError("rank three's disk is full");
      if (ranks.rank() == 2) throw UsageError("rank two's flag is bad");
    });
  });
  for (const auto& f : failures) {
    ASSERT_TRUE(f);
    try {
      std::rethrow_exception(f);
    } catch (const UsageError& e) {
      EXPECT_STREQ(e.what(), "rank two's flag is bad");
    } catch (...) {
      ADD_FAILURE() << "not the UsageError of rank 2";
    }
  }
  // No failure: nobody throws, nothing is agreed.
  const auto none = testing::on_thread_ranks(3, [](const Ranks& ranks) {
    agree(ranks, [] {});
    EXPECT_FALSE(ranks.failure_agreed());
  });
  for (const auto& f : none) EXPECT_FALSE(f);
}

TEST(RethrowWithContext, KeepsTheErrorClass) {
  auto with_context = [](auto&& raise) -> std::exception_ptr {
    try {
      try {
        raise();
      } catch (...) {
        rethrow_with_context("community 1");
      }
    } catch (...) {
      return std::current_exception();
    }
    return nullptr;
  };
  auto message_of = [](const std::exception_ptr& p) {
    try {
      std::rethrow_exception(p);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
  };
  const auto usage = with_context([] { throw UsageError("bad flag"); });
  EXPECT_THROW(std::rethrow_exception(usage), UsageError);
  EXPECT_EQ(message_of(usage), "community 1: bad flag");
  EXPECT_THROW(std::rethrow_exception(with_context([] { throw OutputError("x"); })), OutputError);
  const auto plain = with_context([] { throw std::logic_error("bug"); });
  EXPECT_EQ(message_of(plain), "community 1: bug");
  try {
    std::rethrow_exception(plain);
  } catch (const Error&) {
    ADD_FAILURE() << "an internal error must not become a gp::Error";
  } catch (const std::runtime_error&) {
  }
}

} // namespace
} // namespace gp
