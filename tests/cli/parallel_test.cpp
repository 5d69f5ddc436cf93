// parallel_for: an exception in a task fails that task, never the process (issue 21 item 1).
#include "cli/parallel.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <stdexcept>

namespace kmeet::cli {
namespace {

TEST(ParallelFor, AThrowingTaskIsReportedAndTheOthersRun) {
  for (int threads : {1, 4}) {
    std::mutex m;
    std::set<std::size_t> done, failed;
    parallel_for(
        40, threads,
        [&](std::size_t i) {
          if (i % 4 == 3) throw std::invalid_argument("bad row");
          if (i == 10) throw 42;  // not even a std::exception
          std::lock_guard lock(m);
          done.insert(i);
        },
        [&](std::size_t i, const std::exception_ptr& e) {
          EXPECT_TRUE(e);
          std::lock_guard lock(m);
          failed.insert(i);
        });
    EXPECT_EQ(done.size(), 29U) << threads;
    EXPECT_EQ(failed.size(), 11U) << threads;
  }
}

}  // namespace
}  // namespace kmeet::cli
