// `kmeet sync`: read the timetable, plan, print; with --apply execute the plan and print results.
#include "cli/cmd_sync.hpp"

#include "cli/commands.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/safe_text.hpp"
#include "cli/sync_csv.hpp"
#include "cli/sync_report.hpp"
#include "cli/timefmt.hpp"
#include "cli/usage.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/sync.hpp"

namespace kmeet::cli {
namespace {

constexpr auto kTwelveMonths = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::months{12});

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string read_input(Ctx& ctx, const std::string& file) {
  if (file == "-") {
    if (ctx.io.in == nullptr) throw ValidationError("FILE", "no stdin");
    return read_capped(*ctx.io.in, kMaxCsvBytes, "FILE (stdin)");
  }
  return read_capped_file(file, kMaxCsvBytes, "FILE");
}

// By the extension; for stdin or another extension, by the content (RFC 5545 files start with
// BEGIN:VCALENDAR).
bool is_icalendar(const std::string& file, std::string_view text) {
  const std::string name = lower(file);
  if (name.ends_with(".ics") || name.ends_with(".ical") || name.ends_with(".ifb")) return true;
  if (name.ends_with(".csv")) return false;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) text.remove_prefix(1);
  return lower(std::string(text.substr(0, 15))) == "begin:vcalendar";
}

SyncRoom room_argument(const std::string& text, const std::string& flag) {
  SyncRoom room;
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    const auto id = parse_positive_id(text);
    if (!id) throw ValidationError(flag, bad_id_reason(text));
    room.id = RoomId{*id};
  } else if (text.find_first_not_of(" \t") == std::string::npos) {
    throw ValidationError(flag, "must name a room (an id or a name)");
  } else {
    room.name = text;
  }
  return room;
}

// The SDK names its options (`scope`, `batch`); the user typed flags.
[[noreturn]] void rethrow_as_flag(const ValidationError& e, const SyncOpts& o) {
  // A room id that does not exist came from --room or from a --location mapping.
  if (e.field() == "room" && !o.locations.empty() &&
      (!o.room || e.reason().find("room " + *o.room + " ") == std::string::npos)) {
    throw ValidationError("--location", e.reason());
  }
  for (const char* option : {"scope", "concurrency", "batch"}) {
    if (e.field() == option) throw ValidationError(std::string("--") + option, e.reason());
  }
  throw e;
}

SyncOptions sync_options(const SyncOpts& o) {
  SyncOptions so;
  so.scope = o.scope;
  so.concurrency = o.concurrency;
  so.batch = o.batch;
  if (o.missing == "cancel") so.missing = MissingAction::cancel;
  else if (o.missing == "delete") so.missing = MissingAction::remove;
  else if (o.missing == "keep") so.missing = MissingAction::keep;
  else throw ValidationError("--missing", fmt::format("'{}' is not one of cancel, delete, keep", o.missing));
  return so;
}

std::pair<Timestamp, Timestamp> window(const SyncOpts& o, Timestamp now) {
  const Timestamp from = o.from ? parse_time(*o.from, now, "--from") : now;
  const Timestamp to = o.to ? parse_time(*o.to, now, "--to") : from + kTwelveMonths;
  if (to <= from) throw ValidationError("--to", "must be after --from");
  return {from, to};
}

IcalOptions ical_options(const SyncOpts& o, Timestamp from, Timestamp to) {
  IcalOptions io;
  io.from = from;
  io.to = to;
  io.time_zone = o.tz;
  if (o.room) io.default_room = room_argument(*o.room, "--room");
  for (const std::string& m : o.locations) {
    const auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0) throw ValidationError("--location", "expects LOCATION=ROOM");
    std::string location = m.substr(0, eq);
    location.erase(location.find_last_not_of(" \t") + 1);  // LOCATION texts are read trimmed
    location.erase(0, location.find_first_not_of(" \t"));
    if (location.empty()) throw ValidationError("--location", "expects LOCATION=ROOM");
    io.locations[location] = room_argument(m.substr(eq + 1), "--location " + location);
  }
  return io;
}

Timetable read_timetable(Ctx& ctx, const SyncOpts& o, const std::string& text) {
  const auto [from, to] = window(o, ctx.now);
  if (!is_icalendar(o.file, text)) {
    for (const auto& [given, flag] : {std::pair{o.tz.has_value(), "--tz"}, std::pair{o.room.has_value(), "--room"},
                                      std::pair{!o.locations.empty(), "--location"}}) {
      if (given) throw ValidationError(flag, "applies to iCalendar files (a CSV names each session's room and time)");
    }
    return read_sync_csv(text, from, to, ctx.now);
  }
  try {
    return read_icalendar(text, ical_options(o, from, to));
  } catch (const TimetableError&) {
    throw;
  } catch (const ValidationError& e) {
    throw ValidationError(e.field() == "time_zone" ? "--tz" : e.field(), e.reason());
  }
}

int refuse(Ctx& ctx, const SyncOpts& o, const TimetableError& e) {
  const std::string name = o.file == "-" ? "stdin" : o.file;
  for (const std::string& p : e.problems()) ctx.io.err << "kmeet: error: " << printable(name + ": " + p) << '\n';
  ctx.io.err << fmt::format("kmeet: error: {} problem{} in {} (nothing sent)\n", e.problems().size(),
                            e.problems().size() == 1 ? "" : "s", printable(name));
  return kUsage;
}

void print(Ctx& ctx, const SyncPlan& plan, const SyncResult* result) {
  const Json doc = sync_document(plan, result);
  if (ctx.format == Format::json) {
    ctx.print(doc);
    return;
  }
  ctx.print_list(sync_rows(doc), sync_columns());
  if (ctx.format == Format::table) ctx.io.out << sync_summary(doc, result != nullptr) << '\n';
}

// The plan as --plan printed it, without the window (its start moves with the clock).
Json reviewable(Json doc) {
  doc.erase("window");
  for (const char* list : {"create", "update", "cancel", "delete"}) {
    for (auto& item : doc[list]) item.erase("result"), item.erase("error");
  }
  return doc;
}

// --expect-plan: true when the fresh plan is the reviewed one.
bool same_as_reviewed(Ctx& ctx, const std::string& path, const SyncPlan& plan) {
  const std::string text = read_capped_file(path, kMaxCsvBytes, "--expect-plan");
  Json reviewed;
  try {
    reviewed = Json::parse(text);
  } catch (const Json::exception&) {
    throw ValidationError("--expect-plan", "is not the JSON of `kmeet sync --plan -o json`");
  }
  if (!reviewed.is_object() || !reviewed.contains("create")) {
    throw ValidationError("--expect-plan", "is not the JSON of `kmeet sync --plan -o json`");
  }
  if (reviewable(reviewed) == reviewable(sync_document(plan, nullptr))) return true;
  ctx.io.err << fmt::format("kmeet: error: the plan is no longer the one in {} (the timetable or the server changed "
                            "since): nothing sent; review the new plan\n",
                            printable(path));
  return false;
}

}  // namespace

int sync_timetable(Ctx& ctx, const SyncOpts& o) {
  if (o.plan == o.apply) throw ValidationError("--plan", "give exactly one of --plan and --apply");
  if (o.expect_plan && !o.apply) throw ValidationError("--expect-plan", "goes with --apply");
  const SyncOptions options = sync_options(o);
  SyncPlan plan;
  try {
    const Timetable timetable = read_timetable(ctx, o, read_input(ctx, o.file));
    plan = plan_sync(ctx.client(), timetable, options);
  } catch (const TimetableError& e) {
    return refuse(ctx, o, e);
  } catch (const ValidationError& e) {
    rethrow_as_flag(e, o);
  }
  if (o.plan) {
    print(ctx, plan, nullptr);
    return kOk;
  }
  if (o.expect_plan && !same_as_reviewed(ctx, *o.expect_plan, plan)) {
    print(ctx, plan, nullptr);
    return kFailed;
  }
  const SyncResult result = apply_sync(ctx.client(), plan, options);
  print(ctx, plan, &result);
  if (!result.ok()) {
    ctx.io.err << fmt::format("kmeet: error: {} of {} change{} not made (see \"result\")\n", result.not_done(),
                              plan.create.size() + plan.update.size() + plan.cancel.size() + plan.remove.size(),
                              result.not_done() == 1 ? "" : "s");
  }
  return result.ok() ? kOk : kFailed;
}

void register_sync(Commands& commands) {
  auto o = std::make_shared<SyncOpts>();
  CLI::App* s = commands.top()->add_subcommand("sync", "keep sessions in step with a timetable (CSV or iCalendar): plan, then apply");
  s->footer(
      "\nExamples:\n"
      "  kmeet sync term.ics --plan\n"
      "  kmeet sync term.ics --apply --room \"Room 101\" --missing cancel\n"
      "  kmeet sync timetable.csv --plan --from 2026-09-01 --to 2027-02-01 -o json >plan.json\n"
      "  kmeet sync timetable.csv --apply --from 2026-09-01 --to 2027-02-01 --expect-plan plan.json\n"
      "\nThe CSV has the columns of `kmeet import` plus `key` (a stable id per session). iCalendar:\n"
      "VEVENTs with UID; RRULE/RDATE/EXDATE expanded in the event's time zone; RECURRENCE-ID\n"
      "overrides; STATUS:CANCELLED; LOCATION names the room. Only events sync made (by referenceId)\n"
      "are ever changed. Exit status: 0 ok, 1 a change failed, 2 bad file or option (nothing sent).\n"
      "See docs/sync.md.\n");
  s->add_option("FILE", o->file, "timetable: .csv or .ics (- for stdin)")->required();
  auto* plan = s->add_flag("--plan", o->plan, "show what would change; send nothing");
  auto* apply = s->add_flag("--apply", o->apply, "make exactly the planned changes");
  plan->excludes(apply);
  s->add_option("--missing", o->missing, "sessions no longer in the timetable: cancel, delete or keep")
      ->check(CLI::IsMember({"cancel", "delete", "keep"}))
      ->capture_default_str();
  s->add_option("--tz", o->tz, "time zone of floating iCalendar times, e.g. Europe/Berlin");
  s->add_option("--room", o->room, "room (id or name) of iCalendar events without LOCATION");
  s->add_option("--location", o->locations, "map a LOCATION to a room: 'LOCATION=ROOM' (repeatable)");
  s->add_option("--from", o->from, "window start (default now)");
  s->add_option("--to", o->to, "window end (default 12 months after --from)");
  s->add_option("--scope", o->scope, "namespace of this timetable's sessions (one per timetable)")->capture_default_str();
  s->add_option("--expect-plan", o->expect_plan,
                "with --apply: apply only if the plan is exactly this saved `--plan -o json` output");
  s->add_option("--concurrency", o->concurrency, "requests in flight (1..1024), from one thread")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  s->add_option("--batch", o->batch, "sessions per request (1..100)")->check(CLI::Range(1, 100))->capture_default_str();
  commands.adopt(s, [o](Ctx& ctx) { return sync_timetable(ctx, *o); });
}

}  // namespace kmeet::cli
