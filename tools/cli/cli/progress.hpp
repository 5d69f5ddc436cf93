#pragma once
// A progress line on stderr (only when stderr is a terminal): bar, count, rate and ETA.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>

namespace kmeet::cli {

/// `[#########...........] 450/1000  45%  120/s  ETA 4s`
std::string progress_line(std::size_t done, std::size_t total, double seconds_elapsed, std::size_t width = 30);

/// Redraws the progress line every 200 ms from its own thread while alive.
class ProgressBar {
 public:
  ProgressBar(std::ostream& err, bool enabled, std::size_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  void add(std::size_t n) { done_ += n; }
  /// Stops redrawing and clears the line.
  void finish();

 private:
  void draw();
  std::ostream& err_;
  bool enabled_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace kmeet::cli
