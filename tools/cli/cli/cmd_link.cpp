// `kmeet link list|add|delete`: the links between events and rooms.
#include "cli/commands.hpp"
#include "cli/convert.hpp"
#include "kmeet/links.hpp"

namespace kmeet::cli {
namespace {

struct LinkOpts {
  std::int64_t event = 0;
  std::int64_t room = 0;
  bool all = false;
  int page_size = 100;
};

int link_list(Ctx& ctx, const LinkOpts& o) {
  LinkFilter f;
  if (o.event > 0) f.event_id = EventId{o.event};
  if (o.room > 0) f.room_id = RoomId{o.room};
  Json out = Json::array();
  if (o.all) {
    for (const EventRoomLink& l : ctx.client().links().list_all(f, o.page_size)) out.push_back(to_json(l));
  } else {
    for (const EventRoomLink& l : ctx.client().links().list(f, Pager{o.page_size, 1}).items) out.push_back(to_json(l));
  }
  ctx.print_list(out, link_columns());
  return kOk;
}

int link_add(Ctx& ctx, const LinkOpts& o) {
  ctx.print(to_json(ctx.client().links().add(EventId{o.event}, RoomId{o.room})));
  return kOk;
}

int link_delete(Ctx& ctx, const LinkOpts& o) {
  ctx.client().links().remove(EventId{o.event}, RoomId{o.room});
  Json j;
  j["eventId"] = o.event;
  j["resourceId"] = o.room;
  j["deleted"] = true;
  ctx.print(j);
  return kOk;
}

}  // namespace

void register_link(Commands& commands) {
  auto& o = commands.options<LinkOpts>();
  CLI::App* link = commands.group("link", "list, add and delete event-room links",
                                  {"kmeet link list --room 42", "kmeet link add --event 77 --room 43",
                                   "kmeet link delete --event 77 --room 42"});
  auto* l = commands.leaf(link, "list", "list links",
                          examples({"kmeet link list --event 77", "kmeet link list --room 42 --all"}),
                          [&o](Ctx& ctx) { return link_list(ctx, o); });
  l->add_option("--event", o.event, "only links of this event")->check(id_value());
  l->add_option("--room", o.room, "only links of this room")->check(id_value());
  l->add_flag("--all", o.all, "every link, page after page");
  l->add_option("--page-size", o.page_size, "links per page (1..500)")->check(CLI::Range(1, 500))->capture_default_str();
  auto* a = commands.leaf(link, "add", "link an event to a room", examples({"kmeet link add --event 77 --room 42"}),
                          [&o](Ctx& ctx) { return link_add(ctx, o); });
  a->add_option("--event", o.event, "event id")->required()->check(id_value());
  a->add_option("--room", o.room, "room id")->required()->check(id_value());
  auto* d = commands.leaf(link, "delete", "remove the link between an event and a room",
                          examples({"kmeet link delete --event 77 --room 42"}),
                          [&o](Ctx& ctx) { return link_delete(ctx, o); });
  d->add_option("--event", o.event, "event id")->required()->check(id_value());
  d->add_option("--room", o.room, "room id")->required()->check(id_value());
}

}  // namespace kmeet::cli
