#pragma once
// kmeet-emulator: a local stand-in for Kaltura api_v3 and KAF (design.md section 5).
// The program (main.cpp) and in-process tests use this class.

#include <cstdint>
#include <memory>
#include <string>

#include "world.hpp"

namespace kmeet::emulator {

class Emulator {
 public:
  /// Loads `--state` if the file exists; throws std::invalid_argument for a bad fault spec.
  explicit Emulator(Config cfg);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  /// Binds (port 0 picks a free port), starts serving on background threads; returns the port.
  /// Throws std::runtime_error when the address cannot be bound.
  int start();
  /// Stops serving, waits for the threads and saves the state file. Idempotent.
  void stop();
  [[nodiscard]] int port() const;
  World& world();
  /// Writes the state file now (no-op without `--state`); "" or the one-line reason it failed.
  std::string save();
  /// Replaces the fault spec and seed (as `--faults`/`--seed`; counting restarts). Throws
  /// std::invalid_argument for a bad spec.
  void set_faults(const std::string& spec, std::uint64_t seed);
  /// What `POST /__emulator/reset` does: an empty world, zero counters, new rate-limit windows,
  /// the system clock.
  void reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kmeet::emulator
