// `kmeet event create|list|get|update|cancel|delete`.
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/convert.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/events.hpp"
#include "kmeet/meetings.hpp"

namespace kmeet::cli {
namespace {

struct EventOpts {
  std::int64_t id = 0;
  std::int64_t room = 0;
  std::optional<std::string> summary, description, start, end, reference_id;
  std::vector<std::string> set;
  bool clear_description = false;
  bool allow_long = false;
  bool record = false;
  // list
  std::optional<std::string> from, to, status, filter_reference_id;
  bool all = false;
  int page_size = 100;
  int page = 1;
};

EventSettings event_settings_from(const std::vector<std::string>& sets, EventSettings base = {}) {
  for (const auto& kv : sets) {
    auto [k, v] = parse_set(SettingScope::event, kv);
    base.set(k, v);
  }
  return base;
}

int event_create(Ctx& ctx, const EventOpts& o) {
  Event e;
  e.summary = *o.summary;
  e.description = o.description;
  e.start = parse_time(*o.start, ctx.now, "--start");
  e.end = parse_time(*o.end, ctx.now, "--end");
  if (*e.end <= *e.start) throw ValidationError("--end", "must be after --start");
  e.reference_id = o.reference_id;
  e.settings = event_settings_from(o.set);
  MeetingSpec spec;
  spec.room = RoomId{o.room};
  spec.event = e;
  spec.allow_long_event = o.allow_long;
  if (o.record) spec.record = RecordingTemplate{};
  Meeting m = ctx.client().create_meeting(spec);
  ctx.print(to_json(m.event));
  return kOk;
}

int event_list(Ctx& ctx, const EventOpts& o) {
  EventFilter f;
  if (o.room > 0) f.room = RoomId{o.room};
  if (o.from) f.start_date_gte = parse_time(*o.from, ctx.now, "--from");
  if (o.to) f.start_date_lte = parse_time(*o.to, ctx.now, "--to");
  if (o.status) f.status = *o.status == "cancelled" ? EventStatus::cancelled : EventStatus::active;
  f.reference_id = o.filter_reference_id;
  if (!o.all) f.order_by = EventOrder::start_date_asc;
  Json out = Json::array();
  if (o.all) {
    for (const Event& e : ctx.client().events().list_all(f, o.page_size)) out.push_back(to_json(e));
  } else {
    for (const Event& e : ctx.client().events().list(f, Pager{o.page_size, o.page}).items) out.push_back(to_json(e));
  }
  ctx.print_list(out, event_columns());
  return kOk;
}

int event_update(Ctx& ctx, const EventOpts& o) {
  EventUpdate u;
  if (o.summary) u.summary = *o.summary;
  if (o.description) u.description = *o.description;
  if (o.clear_description) u.description = kmeet::clear;
  if (o.start) u.start = parse_time(*o.start, ctx.now, "--start");
  if (o.end) u.end = parse_time(*o.end, ctx.now, "--end");
  if (o.reference_id) u.reference_id = *o.reference_id;
  u.allow_long_event = o.allow_long;
  require_change(o.summary || o.description || o.clear_description || o.start || o.end || o.reference_id ||
                     !o.set.empty(),
                 "event update");
  auto events = ctx.client().events();
  if (!o.set.empty()) {
    Event current = events.get(EventId{o.id});
    u.settings = event_settings_from(o.set, current.settings);
    u.type = current.type;
  }
  ctx.print(to_json(events.update(EventId{o.id}, u)));
  return kOk;
}

void add_create(Commands& commands, CLI::App* event, EventOpts& o) {
  auto* c = commands.leaf(
      event, "create", "schedule a session in a room (event + link in one request)",
      examples({"kmeet event create --room 42 --summary Algebra --start 2026-03-01T09:00:00+01:00 "
                "--end 2026-03-01T10:00:00+01:00 --set rs_class_mode=webinar --set rec_auto_start=on",
                "kmeet event create --room 42 --summary \"Office hour\" --start +15m --end +75m"}) +
          setting_help(SettingScope::event) +
          "\nTimes: Unix seconds, ISO 8601 (2026-03-01T09:00:00Z, +01:00 offsets), or relative +90m/+2h/+1d.\n",
      [&o](Ctx& ctx) { return event_create(ctx, o); });
  c->add_option("--room", o.room, "room id")->required()->check(id_value());
  c->add_option("--summary", o.summary, "title (1..256 characters)")->required();
  c->add_option("--start", o.start, "start time")->required();
  c->add_option("--end", o.end, "end time")->required();
  c->add_option("--description", o.description, "description");
  c->add_option("--reference-id", o.reference_id, "your own id for the session");
  c->add_option("--set", o.set, "setting KEY=VALUE (repeatable; see below)");
  c->add_flag("--allow-long", o.allow_long, "permit sessions longer than 24 hours");
  c->add_flag("--record", o.record, "record the session: its recording template is made in the same request");
}

void add_list(Commands& commands, CLI::App* event, EventOpts& o) {
  auto* l = commands.leaf(event, "list", "list sessions",
                          examples({"kmeet event list --room 42",
                                    "kmeet event list --from 2026-03-01 --to 2026-04-01 --all -o csv",
                                    "kmeet event list --reference-id kmeet:abc..."}),
                          [&o](Ctx& ctx) { return event_list(ctx, o); });
  l->add_option("--room", o.room, "only sessions in this room")->check(id_value());
  l->add_option("--from", o.from, "only sessions starting at or after this time");
  l->add_option("--to", o.to, "only sessions starting at or before this time");
  l->add_option("--status", o.status, "active, cancelled")->check(CLI::IsMember({"active", "cancelled"}));
  l->add_option("--reference-id", o.filter_reference_id, "only the session with this reference id");
  l->add_flag("--all", o.all, "every session, page after page");
  l->add_option("--page-size", o.page_size, "sessions per page (1..500)")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  l->add_option("--page", o.page, "page number, from 1")->check(page_number())->capture_default_str();
}

void add_update(Commands& commands, CLI::App* event, EventOpts& o) {
  auto* u = commands.leaf(event, "update", "change a session (only what is given is sent)",
                          examples({"kmeet event update 77 --summary \"Algebra II\"",
                                    "kmeet event update 77 --start +1d --end +1d1h",
                                    "kmeet event update 77 --set rs_show_chat=off"}) +
                              setting_help(SettingScope::event),
                          [&o](Ctx& ctx) { return event_update(ctx, o); });
  u->add_option("ID", o.id, "event id")->required()->check(id_value());
  u->add_option("--summary", o.summary, "new title");
  u->add_option("--description", o.description, "new description");
  u->add_flag("--clear-description", o.clear_description, "remove the description");
  u->add_option("--start", o.start, "new start time");
  u->add_option("--end", o.end, "new end time");
  u->add_option("--reference-id", o.reference_id, "new reference id");
  u->add_option("--set", o.set, "change a setting KEY=VALUE, keeping the others (repeatable)");
  u->add_flag("--allow-long", o.allow_long, "permit sessions longer than 24 hours");
}

// `event get|cancel|delete ID`: one call on one event, which is printed.
void add_by_id(Commands& commands, CLI::App* event, EventOpts& o, const char* name, const char* description,
               const char* example, Event (*call)(const Events&, EventId)) {
  auto* leaf = commands.leaf(event, name, description, examples({example}), [&o, call](Ctx& ctx) {
    ctx.print(to_json(call(ctx.client().events(), EventId{o.id})));
    return kOk;
  });
  leaf->add_option("ID", o.id, "event id")->required()->check(id_value());
}

}  // namespace

void register_event(Commands& commands) {
  auto& o = commands.options<EventOpts>();
  CLI::App* event =
      commands.group("event", "schedule, list, change, cancel and delete sessions",
                     {"kmeet event create --room 42 --summary Algebra --start 2026-03-01T09:00:00Z --end +1h",
                      "kmeet event list --room 42 --from now --to +7d", "kmeet event cancel 77"});
  add_create(commands, event, o);
  add_list(commands, event, o);
  add_by_id(commands, event, o, "get", "show one session", "kmeet event get 77",
            [](const Events& events, EventId id) { return events.get(id); });
  add_update(commands, event, o);
  add_by_id(commands, event, o, "cancel", "cancel a session (it stays listed as cancelled)", "kmeet event cancel 77",
            [](const Events& events, EventId id) { return events.cancel(id); });
  add_by_id(commands, event, o, "delete", "delete a session (soft delete)", "kmeet event delete 77",
            [](const Events& events, EventId id) { return events.remove(id); });
}

}  // namespace kmeet::cli
