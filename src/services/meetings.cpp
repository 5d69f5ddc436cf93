// create_meeting / create_meetings: room + event + link in one multirequest (spec C), with rollback.

#include "services/meetings.hpp"

#include <fmt/format.h>

#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/service_call.hpp"

namespace kmeet {

std::string_view to_string(MeetingStep step) {
  switch (step) {
    case MeetingStep::room: return "room";
    case MeetingStep::event: return "event";
    case MeetingStep::link: return "link";
  }
  return "?";
}

namespace {

std::string_view step_action(MeetingStep step, bool new_room) {
  switch (step) {
    case MeetingStep::room: return new_room ? "scheduleResource.add" : "scheduleResource.get";
    case MeetingStep::event: return "scheduleEvent.add";
    case MeetingStep::link: return "scheduleEventResource.add";
  }
  return "?";
}

ApiError::Details with_step_message(MeetingStep step, ApiError::Details d, const std::string& note) {
  d.message = fmt::format("create_meeting failed at step '{}': {}{}{}", to_string(step), d.message,
                          note.empty() ? "" : "; ", note);
  return d;
}

}  // namespace

MeetingError::MeetingError(MeetingStep step, ApiError::Details original, std::string rollback_note,
                           bool rolled_back)
    : ApiError(with_step_message(step, original, rollback_note)),
      step_(step),
      rolled_back_(rolled_back),
      original_message_(std::move(original.message)) {}

namespace detail {
namespace {

// Where the items of one meeting sit in the multirequest (0-based; -1 = none).
struct Plan {
  std::size_t spec = 0;
  bool new_room = false;
  int room_item = -1;  // add of a new room, or get of an existing one
  int event_item = -1;
  int link_item = -1;
};

// What one meeting left on the server, and how to delete it again.
struct Leftover {
  std::optional<RoomId> room;  // created here
  std::optional<EventId> event;
  std::optional<EventRoomLink> link;
};

std::optional<std::int64_t> id_of(const ItemResult& r, const char* key) {
  if (!r.ok() || !r.value.is_object()) return std::nullopt;
  auto it = r.value.find(key);
  if (it == r.value.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

ApiError::Details protocol_details(const std::string& what) {
  ApiError::Details d;
  d.code = "KMEET_BAD_RESPONSE";
  d.message = what;
  return d;
}

}  // namespace

std::vector<MeetingResult> create_meetings(const ClientContext& ctx, std::span<const MeetingSpec> specs) {
  std::vector<std::optional<MeetingResult>> results(specs.size());
  std::vector<ApiCall> calls;
  std::vector<Plan> plans;

  for (std::size_t i = 0; i < specs.size(); ++i) {
    const MeetingSpec& spec = specs[i];
    try {
      if (const auto* room = std::get_if<Room>(&spec.room)) {
        validate(*room, "room");
      } else {
        validate_id(std::get<RoomId>(spec.room).value(), "room");
      }
      validate(spec.event, spec.allow_long_event, "event");
      // Encode now too: any remaining ValidationError belongs to this meeting alone.
      Plan plan;
      plan.spec = i;
      std::vector<ApiCall> mine;
      WireJson room_ref;
      if (const auto* room = std::get_if<Room>(&spec.room)) {
        plan.new_room = true;
        WireJson p = WireJson::object();
        p["scheduleResource"] = to_wire(*room);
        mine.push_back(make_call(kRoomService, "add", std::move(p), false));
      } else {
        // Read the existing room in the same round trip: the Meeting carries it, and a wrong id
        // is reported as the room step.
        mine.push_back(make_call(kRoomService, "get",
                                 id_param("scheduleResourceId", std::get<RoomId>(spec.room).value()), true));
      }
      plan.room_item = static_cast<int>(calls.size());
      room_ref = plan.new_room ? WireJson(result_ref(plan.room_item + 1, "id"))
                               : WireJson(std::get<RoomId>(spec.room).value());
      WireJson e = WireJson::object();
      e["scheduleEvent"] = to_wire(spec.event);
      mine.push_back(make_call(kEventService, "add", std::move(e), false));
      plan.event_item = plan.room_item + 1;
      WireJson l = WireJson::object();
      // References are 1-based execution positions (spec C.3).
      l["scheduleEventResource"] = link_to_wire(result_ref(plan.event_item + 1, "id"), std::move(room_ref));
      mine.push_back(make_call(kLinkService, "add", std::move(l), false));
      plan.link_item = plan.event_item + 1;
      for (auto& c : mine) calls.push_back(std::move(c));
      plans.push_back(plan);
    } catch (const ValidationError& err) {
      results[i].emplace(std::make_exception_ptr(err), err.what());
    }
  }

  std::vector<ItemResult> items;
  if (!calls.empty()) items = ctx.api.multirequest(calls);

  // Judge every meeting; collect what failed meetings left behind.
  struct Failure {
    const Plan* plan;
    MeetingStep step;
    ApiError::Details details;
    Leftover left;
  };
  std::vector<Failure> failures;
  for (const Plan& plan : plans) {
    const ItemResult& room_r = items.at(static_cast<std::size_t>(plan.room_item));
    const ItemResult& event_r = items.at(static_cast<std::size_t>(plan.event_item));
    const ItemResult& link_r = items.at(static_cast<std::size_t>(plan.link_item));
    Leftover left;
    if (plan.new_room) {
      if (auto id = id_of(room_r, "id")) left.room = RoomId(*id);
    }
    if (auto id = id_of(event_r, "id")) left.event = EventId(*id);
    if (link_r.ok() && left.event) {
      auto r = id_of(link_r, "resourceId");
      if (r) left.link = EventRoomLink{.event_id = *left.event, .room_id = RoomId(*r)};
    }

    std::optional<MeetingStep> failed;
    ApiError::Details details;
    const ItemResult* step_items[] = {&room_r, &event_r, &link_r};
    constexpr MeetingStep steps[] = {MeetingStep::room, MeetingStep::event, MeetingStep::link};
    for (int s = 0; s < 3 && !failed; ++s) {
      if (!step_items[s]->ok()) {
        failed = steps[s];
        details = step_items[s]->error->details();
      }
    }
    if (!failed) {
      try {
        Meeting m{room_from_wire(room_r.value), event_from_wire(event_r.value), link_from_wire(link_r.value)};
        results[plan.spec].emplace(std::move(m));
        continue;
      } catch (const ProtocolError& err) {
        failed = MeetingStep::link;
        details = protocol_details(fmt::format("unexpected response: {}", err.what()));
      }
    }
    failures.push_back(Failure{&plan, *failed, std::move(details), left});
  }

  if (!failures.empty()) {
    // Roll back in one round trip: links, then events, then rooms created here.
    std::vector<ApiCall> undo;
    std::vector<std::pair<std::size_t, std::string>> undo_what;  // (failure index, description)
    for (std::size_t f = 0; f < failures.size(); ++f) {
      const Leftover& left = failures[f].left;
      if (left.link) {
        WireJson p = id_param("scheduleEventId", left.link->event_id.value());
        p["scheduleResourceId"] = left.link->room_id.value();
        undo.push_back(make_call(kLinkService, "delete", std::move(p), true));
        undo_what.emplace_back(f, fmt::format("link {}-{}", left.link->event_id.value(), left.link->room_id.value()));
      }
      if (left.event) {
        undo.push_back(make_call(kEventService, "delete", id_param("scheduleEventId", left.event->value()), true));
        undo_what.emplace_back(f, fmt::format("event {}", left.event->value()));
      }
      if (left.room) {
        undo.push_back(make_call(kRoomService, "delete", id_param("scheduleResourceId", left.room->value()), true));
        undo_what.emplace_back(f, fmt::format("room {}", left.room->value()));
      }
    }
    std::vector<std::vector<std::string>> deleted(failures.size()), kept(failures.size());
    if (!undo.empty()) {
      try {
        std::vector<ItemResult> undone = ctx.api.multirequest(undo);
        for (std::size_t u = 0; u < undo.size(); ++u) {
          auto [f, what] = undo_what[u];
          if (undone.at(u).ok()) {
            deleted[f].push_back(what);
          } else {
            kept[f].push_back(fmt::format("{} ({})", what, undone[u].error->code()));
          }
        }
      } catch (const Error& err) {
        for (auto& [f, what] : undo_what) kept[f].push_back(fmt::format("{} ({})", what, err.what()));
      }
    }
    for (std::size_t f = 0; f < failures.size(); ++f) {
      Failure& fail = failures[f];
      std::string note;
      auto join = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
        return out;
      };
      if (!deleted[f].empty()) note = "rolled back: deleted " + join(deleted[f]);
      if (!kept[f].empty()) {
        note += fmt::format("{}ROLLBACK INCOMPLETE, still on the server: {}", note.empty() ? "" : "; ", join(kept[f]));
      }
      if (note.empty()) note = "nothing was created";
      note = fmt::format("{} [{}]", note, step_action(fail.step, fail.plan->new_room));
      MeetingError err(fail.step, std::move(fail.details), note, kept[f].empty());
      std::string message = err.what();
      results[fail.plan->spec].emplace(std::make_exception_ptr(err), std::move(message));
    }
  }

  std::vector<MeetingResult> out;
  out.reserve(results.size());
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

}  // namespace detail
}  // namespace kmeet
