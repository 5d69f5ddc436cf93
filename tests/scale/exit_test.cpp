// Returning from main with asynchronous calls in flight (docs/async.md, "Destruction and exit"):
// the engine thread used to be inside OpenSSL (an idempotency key's random bytes) while exit()
// had already cleaned OpenSSL up, a SIGSEGV in about one run in four. kmeet_exit_probe starts
// 100 create_meeting calls against kmeet-emulator with latency and returns from main; every one
// of 20 runs must exit with 0, and soon (exit does not wait for the calls).

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/emulator.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace kmeet::scale_test {
namespace {

/// Runs the probe against `e`; its wait status.
int run_probe(const test::EmulatorProcess& e) {
  std::vector<std::string> args = {KMEET_EXIT_PROBE_PATH, e.base_url(), std::to_string(e.partner_id()),
                                   e.admin_secret()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return status;
}

TEST(AsyncExit, ReturningFromMainWithCallsInFlightExitsCleanlyEveryTime) {
  test::EmulatorProcess::Options o;
  o.extra_args = {"--latency", "30"};
  const test::EmulatorProcess e(o);
  for (int run = 0; run < 20; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    const int status = run_probe(e);
    ASSERT_TRUE(WIFEXITED(status)) << "run " << run << ": killed by signal "
                                   << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    EXPECT_EQ(WEXITSTATUS(status), 0) << "run " << run;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10))
        << "run " << run << ": exit waited for the calls in flight";
  }
}

}  // namespace
}  // namespace kmeet::scale_test
