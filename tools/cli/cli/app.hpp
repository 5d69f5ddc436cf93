#pragma once
// The `kmeet` command line: parsing, dispatch, exit codes.

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/config_file.hpp"

namespace kmeet::cli {

/// Exit statuses scripts rely on.
enum ExitCode : int { kOk = 0, kFailed = 1, kUsage = 2 };

/// Where the CLI reads and writes; `main` uses the process's streams and environment, tests
/// their own.
struct Io {
  std::ostream& out;
  std::ostream& err;
  bool out_tty = false;
  bool err_tty = false;
  Getenv getenv;
  std::function<std::optional<std::string>(const std::string&)> read_file;
  std::istream* in = nullptr;
};

/// Runs `kmeet ARGS...` (args without the program name) and returns the exit status.
int run(const std::vector<std::string>& args, Io& io);

/// `main` of the kmeet binary.
int main(int argc, char** argv);

}  // namespace kmeet::cli
