#pragma once
// The CLI's settings, layered: command-line flags > KALTURA_* environment > config file > defaults.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kmeet::cli {

/// Reads the small TOML subset a kmeet config file needs: `key = "string"`, `key = 'literal'`,
/// `key = 123`, `key = true`, `# comments`, blank lines and `[section]` headers (keys below a
/// section are returned as `section.key`). Throws ValidationError("config", "FILE:N: reason").
std::map<std::string, std::string> parse_config_text(std::string_view text, std::string_view name);

/// Where the config file is looked for: `$KMEET_CONFIG`, else `$XDG_CONFIG_HOME/kmeet/config.toml`,
/// else `$HOME/.config/kmeet/config.toml`. Empty when none of those variables is set.
using Getenv = std::function<std::optional<std::string>(const char*)>;
std::string default_config_path(const Getenv& getenv);

/// Every setting the CLI knows, after layering. Secrets are held here and never printed.
struct Settings {
  std::string service_url = "https://www.kaltura.com";
  std::string partner_id;
  std::string admin_secret;
  std::string user_secret;
  std::string ks;
  std::string app_token_id;
  std::string app_token;       ///< a secret like the admin secret
  std::string app_token_hash;  ///< empty: SHA256
  std::string kaf_url;
  std::string admin_user_id;
  std::string output;   ///< empty: table on a terminal, json otherwise
  std::string timeout;  ///< a duration, e.g. `30s`
  std::string ca_file;
  std::string proxy;
  bool insecure = false;
  std::string rate;      ///< client-side rate limit, e.g. `50/s` (empty: none)
  bool verbose = false;  ///< one line per HTTP request on stderr
  /// The config file read (empty when none), and whether it holds a secret or a KS.
  std::string config_path;
  bool config_has_secret = false;
  /// Where each setting came from (`flag`, `env`, the config file path, `default`), for doctor.
  std::map<std::string, std::string> source;
};

/// Values given as flags (unset = not given).
struct FlagValues {
  std::optional<std::string> config_file, service_url, partner_id, admin_secret, user_secret, ks, kaf_url,
      admin_user_id, output, timeout, ca_file, proxy, rate;
  /// The app token has no flags (a secret on the command line is visible to others): environment
  /// or config file only. These stay unset.
  std::optional<std::string> app_token_id, app_token, app_token_hash;
  bool insecure = false;
  bool verbose = false;
};

/// Layers flags over the environment (`KALTURA_SERVICE_URL`, `KALTURA_PARTNER_ID`,
/// `KALTURA_ADMIN_SECRET`, `KALTURA_USER_SECRET`, `KALTURA_KS`, `KALTURA_APP_TOKEN_ID`,
/// `KALTURA_APP_TOKEN`, `KALTURA_APP_TOKEN_HASH`, `KALTURA_KAF_URL`, `KMEET_OUTPUT`)
/// over the config file over the defaults. `read_file` returns a file's text or nullopt when it
/// does not exist. A missing default file is fine; a missing `--config`/`$KMEET_CONFIG` file is a
/// ValidationError, and so is an unknown key in the file.
/// How the user set `key` (`--timeout`, `KMEET_TIMEOUT`, `FILE: timeout`), from `Settings::source`.
std::string setting_label(const Settings& settings, const std::string& key, const std::string& flag);

Settings resolve_settings(const FlagValues& flags, const Getenv& getenv,
                          const std::function<std::optional<std::string>(const std::string&)>& read_file);

}  // namespace kmeet::cli
