#pragma once
// Base fixture of the tests that run the real `kmeet` binary against a fresh emulator: a fresh
// HOME per test, the emulator's credentials in the environment, and the emulator's object counts.

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "support/emulator.hpp"
#include "support/http_get.hpp"
#include "support/run_kmeet.hpp"

namespace kmeet::test {

class CliTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    static int counter = 0;
    home_ = std::filesystem::temp_directory_path() /
            ("kmeet-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(home_);
  }
  void TearDown() override {
    std::filesystem::remove_all(home_);
    EmulatorTest::TearDown();
  }

  /// Override to put the emulator's user secret in env() too.
  virtual bool with_user_secret() const { return false; }

  /// A clean environment: PATH, HOME (this test's), TZ=UTC, the emulator's URL, partner and admin
  /// secret (and its user secret when with_user_secret()).
  std::map<std::string, std::string> env() {
    std::map<std::string, std::string> e = {{"PATH", "/usr/bin:/bin"},
                                            {"HOME", home_.string()},
                                            {"TZ", "UTC"},
                                            {"KALTURA_SERVICE_URL", emulator().base_url()},
                                            {"KALTURA_PARTNER_ID", std::to_string(emulator().partner_id())},
                                            {"KALTURA_ADMIN_SECRET", emulator().admin_secret()},
                                            {"KALTURA_KAF_URL", emulator().base_url()}};
    if (with_user_secret()) e["KALTURA_USER_SECRET"] = emulator().user_secret();
    return e;
  }
  CliResult kmeet(const std::vector<std::string>& args) { return run_kmeet(args, env()); }
  /// kmeet(args), which must succeed and print JSON; that JSON (null, after a failed expectation,
  /// when it does not).
  nlohmann::json kmeet_json(const std::vector<std::string>& args) {
    const CliResult r = kmeet(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
    return nlohmann::json::accept(r.out) ? nlohmann::json::parse(r.out) : nlohmann::json();
  }

  /// Writes `text` to `name` in this test's folder; returns its path.
  std::string write(const std::string& name, const std::string& text) {
    const std::string p = (home_ / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  /// `GET /__emulator/stats` of the emulator.
  nlohmann::json emulator_stats() { return get_json(emulator().base_url() + "/__emulator/stats"); }

  std::filesystem::path home_;
};

}  // namespace kmeet::test
