#pragma once
// The secrets a run of `kmeet` knows of (admin and user secrets, KSs), so that no message prints
// one: a misplaced argument or a server that echoes its input could otherwise show it.

#include <string>
#include <vector>

#include "cli/config_file.hpp"

namespace kmeet::cli {

class Secrets {
 public:
  /// The secrets in the environment (KALTURA_ADMIN_SECRET, KALTURA_USER_SECRET, KALTURA_KS) and on
  /// the command line (--admin-secret, --user-secret, --ks, as `--flag VALUE` or `--flag=VALUE`).
  static Secrets from(const std::vector<std::string>& args, const Getenv& getenv);

  /// One more (a value from the config file, say).
  void add(std::string secret) { secrets_.push_back(std::move(secret)); }
  /// `text` with every known secret of four characters or more replaced by `[secret]`.
  [[nodiscard]] std::string scrub(std::string text) const;

 private:
  std::vector<std::string> secrets_;
};

}  // namespace kmeet::cli
