#include "cli/progress.hpp"

#include <ostream>

#include <fmt/format.h>

#include "cli/timefmt.hpp"

namespace kmeet::cli {

std::string progress_line(std::size_t done, std::size_t total, double secs, std::size_t width) {
  double frac = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  if (frac > 1.0) frac = 1.0;
  auto filled = static_cast<std::size_t>(frac * static_cast<double>(width));
  std::string bar(filled, '#');
  bar.append(width - filled, '.');
  double rate = secs > 0 ? static_cast<double>(done) / secs : 0.0;
  std::string eta = "--";
  if (rate > 0 && done < total) {
    eta = format_duration(std::chrono::seconds{static_cast<std::int64_t>(static_cast<double>(total - done) / rate + 0.5)});
  } else if (done >= total) {
    eta = "0s";
  }
  return fmt::format("[{}] {}/{} {:3.0f}% {:.0f}/s ETA {}", bar, done, total, frac * 100.0, rate, eta);
}

ProgressBar::ProgressBar(std::ostream& err, bool enabled, std::size_t total)
    : err_(err), enabled_(enabled), total_(total), start_(std::chrono::steady_clock::now()) {
  if (!enabled_) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      draw();
      cv_.wait_for(lock, std::chrono::milliseconds(200));
    }
  });
}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::draw() {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  err_ << '\r' << progress_line(done_.load(), total_, secs) << "\x1b[K" << std::flush;
}

void ProgressBar::finish() {
  if (!enabled_) return;
  {
    std::lock_guard lock(mutex_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  draw();
  err_ << '\n' << std::flush;
}

}  // namespace kmeet::cli
