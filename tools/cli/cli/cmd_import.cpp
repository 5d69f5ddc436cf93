// `kmeet import FILE.csv`: its options and help (the run itself: cli/import_run.cpp).
#include "cli/commands.hpp"
#include "cli/import_run.hpp"

namespace kmeet::cli {
namespace {

constexpr const char* kColumns =
    "\nCSV columns (header row, by name, any order):\n"
    "  room_name         required; the room\n"
    "  room_system_name  optional; the room's idempotency key (derived from room_name when empty)\n"
    "  room_description  optional; the room's description\n"
    "  summary           required; the session's title\n"
    "  start, end        required; Unix seconds, ISO 8601 or +2h/+1d\n"
    "  description       optional; the session's description\n"
    "  room.KEY          room setting (e.g. room.rs_room_cap)\n"
    "  event.KEY         session setting (e.g. event.rs_class_mode)\n"
    "  record            optional; on/off: record the session (a recording template per session)\n"
    "Every row is checked before anything is sent; bad rows are reported as 'line N: reason' and\n"
    "skipped. Running the same file again creates nothing twice (rooms by system name, sessions by\n"
    "a reference id derived from the row). Summary: {\"created\":N,\"skipped\":N,\"failed\":N};\n"
    "exit status 1 when a row failed.\n";

}  // namespace

void register_import(Commands& commands) {
  auto& o = commands.options<ImportOpts>();
  auto* i = commands.leaf(commands.top(), "import", "create rooms and sessions from a CSV file (idempotent, resumable)",
                          examples({"kmeet import term.csv",
                                    "kmeet import term.csv --concurrency 8 --batch 25 --results out.csv",
                                    "kmeet import term.csv --dry-run"}) +
                              kColumns + setting_help(SettingScope::room) + setting_help(SettingScope::event),
                          [&o](Ctx& ctx) { return import_csv(ctx, o); });
  i->add_option("FILE", o.file, "CSV file (- for stdin)")->required();
  i->add_option("--concurrency", o.concurrency, "requests in flight (1..1024), from one thread")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  i->add_option("--batch", o.batch, "meetings per request (1..100)")->check(CLI::Range(1, 100))->capture_default_str();
  i->add_option("--results", o.results, "write a results CSV (line, room id, event id, status, moderator join URL)");
  i->add_option("--moderator-user", o.moderator_user, "user id in the moderator join URLs of --results")
      ->capture_default_str();
  i->add_flag("--dry-run", o.dry_run, "check the file and show what would be created, send nothing");
  i->add_flag("--strict", o.strict, "refuse the whole file when any row is invalid (exit 2, nothing sent)");
}

}  // namespace kmeet::cli
