// in_flight_for: N tasks at a time on the client's async engine (one thread); an exception in a
// task fails that task, never the process (issue 21 item 1).
#include "cli/parallel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "kmeet/call_options.hpp"

namespace kmeet::cli {
namespace {

Client offline_client() {
  Config c;
  c.service_url = "http://127.0.0.1:9";
  c.partner_id = PartnerId(1234567);
  c.admin_secret = "secret-never-sent";
  return Client(c);
}

TEST(InFlightFor, AThrowingTaskIsReportedAndTheOthersRun) {
  const Client client = offline_client();
  for (int in_flight : {1, 4}) {
    std::mutex m;
    std::set<std::size_t> done, failed;
    in_flight_for(
        client, 40, in_flight,
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
    EXPECT_EQ(done.size(), 29U) << in_flight;
    EXPECT_EQ(failed.size(), 11U) << in_flight;
  }
}

TEST(InFlightFor, KeepsNTasksInFlightOnTheEngineThread) {
  const Client client = offline_client();
  std::atomic<int> running{0};
  int most = 0;
  std::set<std::thread::id> threads;
  const auto t0 = std::chrono::steady_clock::now();
  in_flight_for(
      client, 64, 16,
      [&](std::size_t) {
        threads.insert(std::this_thread::get_id());
        most = std::max(most, ++running);
        CancellationToken().wait_for(std::chrono::milliseconds(100));  // suspends the task's fiber
        --running;
      },
      [](std::size_t, const std::exception_ptr&) { ADD_FAILURE() << "a task threw"; });
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(most, 16);
  EXPECT_EQ(threads, std::set<std::thread::id>{client.async().engine_thread()});
  // 64 tasks of 100 ms, 16 at a time: 4 rounds, not 64.
  EXPECT_GE(took, std::chrono::milliseconds(400));
  EXPECT_LT(took, std::chrono::milliseconds(3000));
}

}  // namespace
}  // namespace kmeet::cli
