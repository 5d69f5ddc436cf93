// A bulk provisioner that starts no thread of its own (docs/async.md): it keeps IN_FLIGHT
// create_meeting calls going on the client's async engine. Each call's completion callback (run on
// the engine's thread) records the outcome and starts the next meeting; the main thread only waits
// for the last one. Every guarantee of the blocking create_meeting holds (validation first, no
// duplicate, look-ups after a lost answer, rollback); a meeting that fails prints the keys to run
// it again with.
//
//   KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... kmeet_example_bulk_provisioner [COUNT [IN_FLIGHT]]
#include <kmeet/async.hpp>
#include <kmeet/client.hpp>
#include <kmeet/errors.hpp>

#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

kmeet::MeetingSpec course(std::size_t i) {
  const auto tomorrow = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
                        std::chrono::hours(24);
  kmeet::MeetingSpec spec;
  kmeet::Room room;
  room.name = "Course " + std::to_string(i) + " room";
  spec.room = room;
  spec.event.summary = "Course " + std::to_string(i) + ": first lecture";
  const auto start = tomorrow + std::chrono::hours(i);
  spec.event.start = start;
  spec.event.end = start + std::chrono::minutes(90);
  return spec;
}

class Provisioner {
 public:
  Provisioner(kmeet::Client client, std::size_t count) : client_(std::move(client)), count_(count) {}

  /// Starts `in_flight` meetings and waits until every meeting has an outcome.
  void run(std::size_t in_flight) {
    for (std::size_t i = 0; i < in_flight; ++i) start_next();
    all_done_.get_future().wait();
  }

  [[nodiscard]] std::size_t made() const { return made_; }
  [[nodiscard]] std::size_t failed() const { return failed_; }
  [[nodiscard]] bool one_engine_thread() const { return engine_threads_ == 1; }

 private:
  // Called by main for the first meetings, then by each completion callback (on the engine's
  // thread), so the mutex guards the counters.
  void start_next() {
    std::size_t i = 0;
    {
      const std::lock_guard lock(mutex_);
      if (next_ == count_) return;
      i = next_++;
    }
    (void)client_.async().create_meeting(course(i), [this, i](const kmeet::AsyncResult<kmeet::Meeting>& result) {
      finish(i, result);
      start_next();  // a callback may start more calls; it must never wait for a future
    });
  }

  void finish(std::size_t i, const kmeet::AsyncResult<kmeet::Meeting>& result) {
    const std::lock_guard lock(mutex_);
    if (engine_thread_ != std::this_thread::get_id()) {
      engine_thread_ = std::this_thread::get_id();
      ++engine_threads_;
    }
    try {
      (void)result.value();
      ++made_;
    } catch (const kmeet::MeetingError& e) {
      ++failed_;
      std::cerr << "course " << i << ": " << e.what() << "\n  run it again with event reference_id "
                << e.keys().event_reference_id << '\n';
    } catch (const kmeet::Error& e) {
      ++failed_;
      std::cerr << "course " << i << ": " << e.what() << '\n';
    }
    if (made_ + failed_ == count_) all_done_.set_value();
  }

  kmeet::Client client_;
  std::size_t count_;
  std::mutex mutex_;
  std::size_t next_ = 0;
  std::size_t made_ = 0;
  std::size_t failed_ = 0;
  std::thread::id engine_thread_;
  int engine_threads_ = 0;
  std::promise<void> all_done_;
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 300;
  const std::size_t in_flight = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 64;
  if (count == 0 || in_flight == 0) {
    std::cerr << "usage: " << argv[0] << " [COUNT>0 [IN_FLIGHT>0]]\n";
    return 2;
  }
  try {
    Provisioner p(kmeet::Client::from_env(), count);
    const auto t0 = std::chrono::steady_clock::now();
    p.run(in_flight);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "made " << p.made() << " meetings, " << p.failed() << " failed, in " << seconds << " s, "
              << in_flight << " in flight\n"
              << (p.one_engine_thread() ? "every callback ran on the one engine thread\n" : "callbacks on several threads\n");
    return p.failed() == 0 ? 0 : 1;
  } catch (const kmeet::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
