#pragma once
// What every command handler gets: the streams, the layered settings, the output format and a
// lazily built kmeet::Client.

#include <memory>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/config_file.hpp"
#include "cli/output.hpp"
#include "cli/secrets.hpp"
#include "kmeet/client.hpp"
#include "kmeet/config.hpp"
#include "kmeet/types.hpp"

namespace kmeet::cli {

class Ctx {
 public:
  Ctx(Io& io, Settings settings, Format format, Timestamp now)
      : io(io), settings(std::move(settings)), format(format), now(now) {}

  Io& io;
  Settings settings;
  Format format;
  Timestamp now;

  /// The SDK configuration built from the settings (ValidationError for a bad value).
  [[nodiscard]] Config config() const;
  /// The client, built on first use.
  Client& client();
  /// Prints `kmeet: warning: ...` on stderr.
  void warn(const std::string& text) const;
  /// Prints a JSON object / list in the chosen format.
  void print(const Json& object) const;
  void print_list(const Json& array, const std::vector<Column>& columns) const;

 private:
  std::unique_ptr<Client> client_;
};

/// The context of a parsed command line: the settings layered from `flags`, the environment and
/// the config file, with a warning on stderr for each secret given where others can read it (the
/// command line, a config file readable by others). Every secret found is added to `secrets`.
Ctx make_context(const FlagValues& flags, Io& io, Secrets& secrets);

/// Reads a KS argument; `-` means one line from stdin (keeps tokens out of `ps` and history).
std::string read_ks_argument(Ctx& ctx, const std::string& arg);

}  // namespace kmeet::cli
