#pragma once
// Starts a kmeet-emulator process for a test (port 0, loopback) and stops it again.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kmeet::test {

/// Path of the kmeet-emulator binary: $KMEET_EMULATOR_PATH, else the one built with the tests.
/// Empty when neither is known.
std::string emulator_path();

/// A running `kmeet-emulator --port 0 ...`. The constructor waits for `listening PORT`; the
/// destructor sends SIGTERM, waits (then SIGKILL after 5 s) and reaps the process.
class EmulatorProcess {
 public:
  struct Options {
    std::int64_t partner_id = 1234567;
    std::string admin_secret = "emulator-admin-secret";
    std::string user_secret = "emulator-user-secret";
    /// More arguments, e.g. {"--faults", "5xx=0.1", "--seed", "7"} or {"--state", file}.
    std::vector<std::string> extra_args;
    /// When set, the process's stderr goes to this file (truncated); else it is inherited.
    std::string stderr_file;
  };

  EmulatorProcess();
  explicit EmulatorProcess(Options options);
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  [[nodiscard]] int port() const { return port_; }
  /// `http://127.0.0.1:PORT` (`https://` with `--tls-cert`): the service URL and the KAF URL alike.
  [[nodiscard]] std::string base_url() const;
  [[nodiscard]] std::int64_t partner_id() const { return options_.partner_id; }
  [[nodiscard]] const std::string& admin_secret() const { return options_.admin_secret; }
  [[nodiscard]] const std::string& user_secret() const { return options_.user_secret; }
  [[nodiscard]] int pid() const { return pid_; }

  /// Stops the process (SIGTERM, waits); returns its exit status. Idempotent.
  int stop();

 private:
  void start();

  Options options_;
  int pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
};

/// Base fixture: one fresh emulator per test (`emulator()`), default credentials.
class EmulatorTest : public ::testing::Test {
 protected:
  /// Override to pass extra arguments (faults, state file).
  virtual EmulatorProcess::Options emulator_options() { return {}; }
  void SetUp() override;
  void TearDown() override;
  EmulatorProcess& emulator() { return *emulator_; }

 private:
  std::unique_ptr<EmulatorProcess> emulator_;
};

}  // namespace kmeet::test
