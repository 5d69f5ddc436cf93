// `kmeet room create|list|get|update|delete`.
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/convert.hpp"
#include "kmeet/rooms.hpp"

namespace kmeet::cli {
namespace {

struct RoomOpts {
  std::int64_t id = 0;
  std::optional<std::string> name, description, system_name;
  std::vector<std::string> set;
  bool clear_description = false;
  // list
  bool all = false;
  int page_size = 100;
  int page = 1;
  std::optional<std::string> filter_name, filter_system_name;
  bool deleted = false;
};

RoomSettings room_settings_from(const std::vector<std::string>& sets, RoomSettings base = {}) {
  for (const auto& kv : sets) {
    auto [k, v] = parse_set(SettingScope::room, kv);
    base.set(k, v);
  }
  return base;
}

int room_create(Ctx& ctx, const RoomOpts& o) {
  Room r;
  r.name = *o.name;
  r.description = o.description;
  r.system_name = o.system_name;
  r.settings = room_settings_from(o.set);
  ctx.print(to_json(ctx.client().rooms().add(r)));
  return kOk;
}

int room_list(Ctx& ctx, const RoomOpts& o) {
  RoomFilter f;
  f.name = o.filter_name;
  f.system_name = o.filter_system_name;
  if (o.deleted) f.status = RoomStatus::deleted;
  Json out = Json::array();
  if (o.all) {
    for (const Room& r : ctx.client().rooms().list_all(f, o.page_size)) out.push_back(to_json(r));
  } else {
    for (const Room& r : ctx.client().rooms().list(f, Pager{o.page_size, o.page}).items) out.push_back(to_json(r));
  }
  ctx.print_list(out, room_columns());
  return kOk;
}

int room_get(Ctx& ctx, const RoomOpts& o) {
  ctx.print(to_json(ctx.client().rooms().get(RoomId{o.id})));
  return kOk;
}

int room_update(Ctx& ctx, const RoomOpts& o) {
  RoomUpdate u;
  if (o.name) u.name = *o.name;
  if (o.description) u.description = *o.description;
  if (o.clear_description) u.description = kmeet::clear;
  if (o.system_name) u.system_name = *o.system_name;
  require_change(o.name || o.description || o.clear_description || o.system_name || !o.set.empty(), "room update");
  auto rooms = ctx.client().rooms();
  if (!o.set.empty()) {
    // --set changes the given settings and keeps the room's others.
    Room current = rooms.get(RoomId{o.id});
    u.settings = room_settings_from(o.set, current.settings);
  }
  ctx.print(to_json(rooms.update(RoomId{o.id}, u)));
  return kOk;
}

int room_delete(Ctx& ctx, const RoomOpts& o) {
  ctx.print(to_json(ctx.client().rooms().remove(RoomId{o.id})));
  return kOk;
}

void add_create(Commands& commands, CLI::App* room, RoomOpts& o) {
  auto* c = commands.leaf(room, "create", "create a room (scheduleResource.add, tagged vcprovider:newrow)",
                          examples({"kmeet room create --name \"Room 101\" --description \"Main hall\" --system-name "
                                    "room-101 --set rs_room_cap=30 --set rs_show_logo=off"}) +
                              setting_help(SettingScope::room),
                          [&o](Ctx& ctx) { return room_create(ctx, o); });
  c->add_option("--name", o.name, "room name (1..256 characters)")->required();
  c->add_option("--description", o.description, "room description");
  c->add_option("--system-name", o.system_name, "unique system name (your idempotency key)");
  c->add_option("--set", o.set, "setting KEY=VALUE (repeatable; see below)");
}

void add_list(Commands& commands, CLI::App* room, RoomOpts& o) {
  auto* l = commands.leaf(room, "list", "list rooms (newest first; --all for every room)",
                          examples({"kmeet room list", "kmeet room list --all -o json | jq '.[].id'",
                                    "kmeet room list --system-name room-101"}),
                          [&o](Ctx& ctx) { return room_list(ctx, o); });
  l->add_flag("--all", o.all, "every room, page after page");
  l->add_option("--page-size", o.page_size, "rooms per page (1..500)")->check(CLI::Range(1, 500))->capture_default_str();
  l->add_option("--page", o.page, "page number, from 1")->check(page_number())->capture_default_str();
  l->add_option("--name", o.filter_name, "only rooms with exactly this name");
  l->add_option("--system-name", o.filter_system_name, "only the room with this system name");
  l->add_flag("--deleted", o.deleted, "list deleted rooms instead");
}

void add_update(Commands& commands, CLI::App* room, RoomOpts& o) {
  auto* u = commands.leaf(room, "update", "change a room (only what is given is sent)",
                          examples({"kmeet room update 42 --name \"Room 101b\"",
                                    "kmeet room update 42 --set rs_room_cap=50"}) +
                              setting_help(SettingScope::room),
                          [&o](Ctx& ctx) { return room_update(ctx, o); });
  u->add_option("ID", o.id, "room id")->required()->check(id_value());
  u->add_option("--name", o.name, "new name");
  u->add_option("--description", o.description, "new description");
  u->add_flag("--clear-description", o.clear_description, "remove the description");
  u->add_option("--system-name", o.system_name, "new system name");
  u->add_option("--set", o.set, "change a setting KEY=VALUE, keeping the others (repeatable)");
}

}  // namespace

void register_room(Commands& commands) {
  auto& o = commands.options<RoomOpts>();
  CLI::App* room = commands.group("room", "create, list, get, update and delete rooms",
                                  {"kmeet room create --name \"Room 101\"", "kmeet room list --all -o csv",
                                   "kmeet room get 42", "kmeet room delete 42"});
  add_create(commands, room, o);
  add_list(commands, room, o);
  auto* g = commands.leaf(room, "get", "show one room", examples({"kmeet room get 42", "kmeet room get 42 -o json"}),
                          [&o](Ctx& ctx) { return room_get(ctx, o); });
  g->add_option("ID", o.id, "room id")->required()->check(id_value());
  add_update(commands, room, o);
  auto* d = commands.leaf(room, "delete", "delete a room (soft delete)", examples({"kmeet room delete 42"}),
                          [&o](Ctx& ctx) { return room_delete(ctx, o); });
  d->add_option("ID", o.id, "room id")->required()->check(id_value());
}

}  // namespace kmeet::cli
