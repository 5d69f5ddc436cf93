#pragma once
// Every async engine thread of the process (docs/async.md, "Destruction and exit"). A call still
// in flight keeps its client, and so its engine, alive: when the program returns from main, the
// engine thread may still be running kmeet code (OpenSSL, libcurl) while exit() tears those
// libraries down. The first engine makes the registry, after OpenSSL's and libcurl's global
// initialisation, and a function-local static whose destructor calls stop_all(): OpenSSL's
// cleanup was registered with atexit earlier, so it runs later, once every engine has stopped at
// its next switch and its thread has been joined. The registry itself is never destroyed (a
// static Client may let its engine go later still).

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kmeet::detail {

class EngineRegistry {
 public:
  /// What the registry needs of an engine.
  class Engine {
   public:
    virtual ~Engine() = default;
    /// Makes the engine's loop return at its next switch, leaving its calls where they are (any
    /// thread; also wakes the loop).
    virtual void stop_at_exit() = 0;
    /// True once the engine's loop has returned (its thread ends at once).
    [[nodiscard]] virtual bool finished() const = 0;
  };

  /// The process's registry; the first call initialises OpenSSL and libcurl first (see above).
  static EngineRegistry& instance();

  /// Records a started engine and its thread. Joins the threads of engines that have finished.
  void add(std::shared_ptr<Engine> engine, std::thread thread);
  /// Takes `engine`'s thread back (to join it); an empty thread once exit() has it.
  std::thread take(const Engine* engine);

  /// At exit: stops every engine and joins its thread, except the calling thread (exit() called
  /// from an engine's callback). The engines are then left to the process's end, not destroyed.
  void stop_all();

  EngineRegistry(const EngineRegistry&) = delete;
  EngineRegistry& operator=(const EngineRegistry&) = delete;

 private:
  EngineRegistry() = default;
  ~EngineRegistry() = default;  // never: the registry outlives every static (a Client's too)

  struct Entry {
    std::shared_ptr<Engine> engine;
    std::thread thread;
  };
  std::mutex mutex_;
  bool exiting_ = false;
  std::vector<Entry> entries_;
};

}  // namespace kmeet::detail
