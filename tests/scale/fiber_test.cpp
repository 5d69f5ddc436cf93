// The fibers under the async engine (core/fiber.hpp): a fiber that overflows its stack must die on
// the guard below it, not write into the memory that lies there.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdint>

#include "core/fiber.hpp"

namespace kmeet::detail {
namespace {

/// A host for fibers resumed by hand on the test's thread.
class ManualHost final : public FiberHost {
 public:
  void wake(std::uint64_t /*id*/, std::uint64_t /*ticket*/) override {}
  void wake_at(std::uint64_t /*id*/, std::uint64_t /*ticket*/, Clock::time_point /*when*/) override {}
};

/// Recurses with a frame of 6 KiB (more than a page, like kmeet's largest), touching it only at its
/// far end first: the shape that can jump over a single guard page.
[[gnu::noinline]] std::size_t deep(std::size_t depth) {
  volatile char frame[6 * 1024];
  frame[0] = static_cast<char>(depth);
  frame[sizeof frame - 1] = static_cast<char>(depth);
  if (depth == 0) return 0;
  return deep(depth - 1) + (frame[0] == frame[sizeof frame - 1] ? 1U : 0U);
}

/// The overflow must kill the process (a signal; under a sanitizer, its report and a non-zero exit),
/// never return normally.
bool died_abnormally(int status) {
  return WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

TEST(Fiber, RunsDeepButBoundedWork) {
  ManualHost host;
  std::size_t result = 1;
  Fiber fiber(1, host, [&] { result = deep(16); });  // about 100 KiB of the 256 KiB stack
  fiber.resume();
  EXPECT_TRUE(fiber.done());
  EXPECT_EQ(result, 16U);
}

TEST(FiberDeathTest, StackOverflowDiesOnTheGuard) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        ManualHost host;
        Fiber fiber(1, host, [] { (void)deep(1000); });  // about 6 MiB: far past the stack
        fiber.resume();
      },
      died_abnormally, "");
}

}  // namespace
}  // namespace kmeet::detail
