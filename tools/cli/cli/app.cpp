#include "cli/app.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/error_report.hpp"
#include "cli/safe_text.hpp"

#ifndef KMEET_VERSION_STRING
#define KMEET_VERSION_STRING "0"
#endif

namespace kmeet::cli {
namespace {

// The command groups, in the order `kmeet --help` lists them.
//
// To add a group (say `kmeet recording ...`): write cli/cmd_recording.cpp with its options,
// handlers and `void register_recording(Commands&)` (see cli/cmd_link.cpp for a small one),
// declare that function in cli/commands.hpp and add it to this list. Nothing else changes:
// parsing, the settings, the client, output formats, secrets and exit statuses are shared
// (cli/command.hpp, cli/context.hpp, cli/output.hpp, cli/error_report.hpp).
constexpr void (*kCommandGroups[])(Commands&) = {
    register_room,      register_event,  register_link,     register_join,   register_ks,     register_session,
    register_analytics, register_recording, register_import, register_sync, register_apptoken, register_doctor,
};

// `kmeet` itself: its help and the options every command takes.
void add_global_options(CLI::App& app, FlagValues& flags) {
  app.set_version_flag("--version", std::string("kmeet ") + KMEET_VERSION_STRING);
  app.require_subcommand(1);
  app.fallthrough();
  app.footer(
      "\nConfiguration: flags > environment (KALTURA_SERVICE_URL, KALTURA_PARTNER_ID, KALTURA_ADMIN_SECRET,\n"
      "KALTURA_USER_SECRET, KALTURA_KS, KALTURA_APP_TOKEN_ID, KALTURA_APP_TOKEN, KALTURA_APP_TOKEN_HASH,\n"
      "KALTURA_KAF_URL) > config file ($KMEET_CONFIG or\n"
      "~/.config/kmeet/config.toml, lines like: partner_id = 1234567).\n"
      "Output: table on a terminal, json when piped. Exit status: 0 ok, 1 API or network error, 2 usage error.\n" +
      examples({"export KALTURA_PARTNER_ID=1234567 KALTURA_ADMIN_SECRET=...",
                "kmeet room create --name \"Room 101\" --set rs_room_cap=30",
                "kmeet event create --room 42 --summary Algebra --start +1h --end +2h",
                "kmeet join --event 77 --user max@example.com --role moderator",
                "kmeet import term.csv --concurrency 8 --results results.csv", "kmeet doctor"}));
  app.add_option("--service-url", flags.service_url, "Kaltura API base URL (env KALTURA_SERVICE_URL)");
  app.add_option("--partner-id", flags.partner_id, "partner id (env KALTURA_PARTNER_ID)");
  app.add_option("--admin-secret", flags.admin_secret,
                 "admin secret; prefer env KALTURA_ADMIN_SECRET (the command line is visible to others)");
  app.add_option("--user-secret", flags.user_secret, "user secret (env KALTURA_USER_SECRET)");
  app.add_option("--ks", flags.ks, "a ready KS for API calls instead of minting one (env KALTURA_KS)");
  app.add_option("--kaf-url", flags.kaf_url,
                 "KAF base URL (env KALTURA_KAF_URL; default https://{partnerId}.kaf.kaltura.com)");
  app.add_option("--admin-user", flags.admin_user_id, "user id inside the admin KS (owner of created events)");
  app.add_option("-o,--output", flags.output, "table, json or csv (default: table on a terminal, json otherwise)");
  app.add_option("--config", flags.config_file, "config file (default $KMEET_CONFIG or ~/.config/kmeet/config.toml)");
  app.add_option("--timeout", flags.timeout, "timeout of one HTTP request, e.g. 30s");
  app.add_option("--ca-file", flags.ca_file, "PEM bundle of trusted CAs");
  app.add_option("--proxy", flags.proxy, "HTTP proxy, e.g. http://proxy:3128");
  app.add_flag("--insecure", flags.insecure, "do not verify TLS certificates (testing only)");
  app.add_option("--rate", flags.rate, "at most this many API calls, e.g. 50/s or 600/m (env KMEET_RATE)");
  app.add_flag("-v,--verbose", flags.verbose, "one line per HTTP request on stderr (never a KS or secret)");
}

// Parses the command line into `app`; an exit status when the run ends here (help, version or a
// usage error), nullopt when a command is to run.
std::optional<int> parse(CLI::App& app, const std::vector<std::string>& raw_args, Io& io, const Secrets& secrets) {
  try {
    std::vector<std::string> args(raw_args.rbegin(), raw_args.rend());  // CLI11 wants them reversed
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    return kOk;
  } catch (const CLI::CallForAllHelp&) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return kOk;
  } catch (const CLI::CallForVersion& e) {
    io.out << e.what() << '\n';
    return kOk;
  } catch (const CLI::ValidationError& e) {
    // A bad value (`--room: 'abc' is not a positive whole number`): the option is named already.
    print_error(io.err, secrets, e.what());
    return kUsage;
  } catch (const CLI::ParseError& e) {
    // --help on a subcommand is reported through the subcommand's own exception type above;
    // everything else is a usage error.
    io.err << "kmeet: error: " << one_line(secrets.scrub(e.what())) << " (see kmeet --help)\n";
    return kUsage;
  }
  return std::nullopt;
}

}  // namespace

int run(const std::vector<std::string>& raw_args, Io& io) {
  CLI::App app{"kmeet: Kaltura Meetings rooms, sessions and join links from the command line.", "kmeet"};
  FlagValues flags;
  add_global_options(app, flags);
  Commands commands(app);
  for (auto add_group : kCommandGroups) add_group(commands);

  Secrets secrets = Secrets::from(raw_args, io.getenv);
  if (auto unknown = commands.unknown_command(raw_args)) {
    print_error(io.err, secrets, *unknown);
    return kUsage;
  }
  if (auto done = parse(app, raw_args, io, secrets)) return *done;
  const Handler handler = commands.chosen();
  if (!handler) {
    io.err << "kmeet: error: no command given (see kmeet --help)\n";
    return kUsage;
  }
  try {
    Ctx ctx = make_context(flags, io, secrets);
    return handler(ctx);
  } catch (const std::exception&) {
    return report_current_error(io.err, secrets);
  }
}

int main(int argc, char** argv) {
  // kmeet holds the admin secret in memory: no core dump may write it to disk, and no other
  // process of this user may read this one's memory (PR_SET_DUMPABLE 0 also blocks ptrace attach).
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  std::ios::sync_with_stdio(true);
  Io io{std::cout, std::cerr};
  io.out_tty = ::isatty(STDOUT_FILENO) == 1;
  io.err_tty = ::isatty(STDERR_FILENO) == 1;
  io.getenv = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  io.read_file = [](const std::string& path) -> std::optional<std::string> {
    // The config file: a few KiB; /dev/urandom or a FIFO stops at the cap (exit 2).
    std::string text;
    if (!read_capped_file_if_exists(path, kMaxConfigBytes, "config", text)) return std::nullopt;
    return text;
  };
  io.in = &std::cin;
  // Whatever escapes run() (an allocation failure while parsing the options or while reporting
  // another error) ends in one `kmeet: error:` line, never in std::terminate.
  int rc = kFailed;
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    rc = run(args, io);
  } catch (const std::bad_alloc&) {
    std::fputs("kmeet: error: out of memory (the input is too large for this machine)\n", stderr);
  } catch (...) {
    std::fputs("kmeet: error: internal error (an unexpected exception); please report it\n", stderr);
  }
  std::cout.flush();
  return rc;
}

}  // namespace kmeet::cli
