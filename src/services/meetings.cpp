// create_meeting / create_meetings: room + event + link in one multirequest (protocol.md C), with rollback.

#include "services/meetings.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/idempotent.hpp"
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

// One meeting on its way: what the caller asked for (with its idempotency keys filled in), what is
// known to exist on the server so far, and how it ended.
struct Work {
  std::size_t spec = 0;
  bool new_room = false;
  Room room_in;                  // new room, with its systemName key
  RoomId existing_room;          // when !new_room
  Event event_in;                // with its referenceId key
  std::optional<Room> room;      // created, found by key, or read (existing room)
  std::optional<Event> event;
  std::optional<EventRoomLink> link;
  // Links the server made to room 0: when the room add fails, its `{N:result:id}` becomes "" and the
  // link add still runs with resourceId 0, which the server accepts (protocol.md C.3, D.4). Always deleted.
  std::vector<EventRoomLink> stray_links;
  bool maybe_sent = false;       // an earlier round's outcome was unknown
  bool need_lookup = false;      // look the keys up before the next round
  bool done = false;
  // Set when the meeting failed (it is then rolled back).
  std::optional<MeetingStep> failed_step;
  ApiError::Details failure;
  [[nodiscard]] bool pending() const { return !done && !failed_step; }
};

// Where one work's items sit in this round's multirequest (-1 = not sent this round).
struct Slots {
  int room = -1, event = -1, link = -1;
};

ApiError::Details details_of(const std::exception_ptr& error, std::string_view what) {
  ApiError::Details d;
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return e.details();
  } catch (const TransportError&) {
    d.code = "KMEET_TRANSPORT_ERROR";
  } catch (const HttpError&) {
    d.code = "KMEET_HTTP_ERROR";
  } catch (const ProtocolError&) {
    d.code = "KMEET_BAD_RESPONSE";
  } catch (const std::exception&) {
    d.code = "KMEET_ERROR";
  }
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    d.message = fmt::format("{}: {}", what, e.what());
  }
  return d;
}

void fail(Work& w, MeetingStep step, ApiError::Details details) {
  if (w.failed_step) return;
  w.failed_step = step;
  w.failure = std::move(details);
}

/// Looks up the keys of every work marked need_lookup (one multirequest of lists, then one for the
/// links of the pairs now known). Throws what the API layer throws.
void lookup(const ClientContext& ctx, std::vector<Work>& works) {
  enum class Find { room, event, link, stray_links };
  std::vector<ApiCall> calls;
  std::vector<std::pair<std::size_t, Find>> what;
  for (std::size_t i = 0; i < works.size(); ++i) {
    Work& w = works[i];
    if (!w.pending() || !w.need_lookup) continue;
    if (!w.room && w.new_room) {
      calls.push_back(find_room_call(*w.room_in.system_name));
      what.emplace_back(i, Find::room);
    }
    if (!w.event) {
      calls.push_back(find_event_call(*w.event_in.reference_id));
      what.emplace_back(i, Find::event);
    }
  }
  auto run = [&] {
    if (calls.empty()) return;
    const std::vector<ItemResult> items = ctx.api.multirequest(calls);
    for (std::size_t k = 0; k < calls.size(); ++k) {
      const ItemResult& r = items.at(k);
      if (!r.ok()) throw *r.error;
      Work& w = works[what[k].first];
      switch (what[k].second) {
        case Find::room: w.room = found_room(r.value); break;
        case Find::event: w.event = found_event(r.value); break;
        case Find::link: w.link = found_link(r.value); break;
        case Find::stray_links:
          for (EventRoomLink& l : links_to_room_zero(r.value)) {
            const bool known = std::any_of(w.stray_links.begin(), w.stray_links.end(),
                                           [&](const EventRoomLink& s) { return s.event_id == l.event_id; });
            if (!known) w.stray_links.push_back(std::move(l));
          }
          break;
      }
    }
  };
  run();
  calls.clear();
  what.clear();
  for (std::size_t i = 0; i < works.size(); ++i) {
    Work& w = works[i];
    if (!w.pending() || !w.need_lookup) continue;
    if (!w.link && w.room && w.event) {
      calls.push_back(find_link_call(w.event->id, w.room->id));
      what.emplace_back(i, Find::link);
    }
    // Our event exists but our new room does not: a lost round may have added the link with
    // resourceId 0 (the failed room's reference became "", protocol.md C.3/D.4). Find it to delete it.
    if (w.event && w.new_room && !w.room) {
      calls.push_back(find_links_of_event_call(w.event->id));
      what.emplace_back(i, Find::stray_links);
    }
  }
  run();
  for (Work& w : works) {
    if (!w.pending() || !w.need_lookup) continue;
    w.need_lookup = false;
    if (w.room && w.event && w.link) w.done = true;
  }
}

/// Deletes what each failed meeting left (links, then events, then rooms it created) in one round
/// trip; returns, per work, the note for its MeetingError and whether everything is gone.
std::vector<std::pair<std::string, bool>> roll_back(const ClientContext& ctx, const std::vector<Work>& works) {
  std::vector<ApiCall> undo;
  std::vector<std::pair<std::size_t, std::string>> undo_what;  // (work index, description)
  auto undo_link = [&](std::size_t i, const EventRoomLink& link) {
    WireJson p = id_param("scheduleEventId", link.event_id.value());
    p["scheduleResourceId"] = link.room_id.value();
    undo.push_back(make_call(kLinkService, "delete", std::move(p), true));
    undo_what.emplace_back(i, fmt::format("link {}-{}", link.event_id.value(), link.room_id.value()));
  };
  for (std::size_t i = 0; i < works.size(); ++i) {
    const Work& w = works[i];
    // Stray links go whatever became of the meeting (a done meeting's are cleaned up silently).
    for (const EventRoomLink& stray : w.stray_links) undo_link(i, stray);
    if (!w.failed_step) continue;
    if (w.link) undo_link(i, *w.link);
    if (w.event) {
      undo.push_back(make_call(kEventService, "delete", id_param("scheduleEventId", w.event->id.value()), true));
      undo_what.emplace_back(i, fmt::format("event {}", w.event->id.value()));
    }
    if (w.room && w.new_room) {
      undo.push_back(make_call(kRoomService, "delete", id_param("scheduleResourceId", w.room->id.value()), true));
      undo_what.emplace_back(i, fmt::format("room {}", w.room->id.value()));
    }
  }
  std::vector<std::vector<std::string>> deleted(works.size()), kept(works.size());
  if (!undo.empty()) {
    try {
      std::vector<ItemResult> undone = ctx.api.multirequest(undo);
      for (std::size_t u = 0; u < undo.size(); ++u) {
        const auto& [i, what] = undo_what[u];
        const ItemResult& r = undone.at(u);
        // A retried delete may find its object already gone: that is deleted too.
        const bool gone = r.ok() || is_absent_code(r.error->code());
        if (gone) {
          deleted[i].push_back(what);
        } else {
          kept[i].push_back(fmt::format("{} ({})", what, r.error->code()));
        }
      }
    } catch (const Error& err) {
      for (const auto& [i, what] : undo_what) kept[i].push_back(fmt::format("{} ({})", what, err.what()));
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  };
  std::vector<std::pair<std::string, bool>> notes(works.size());
  for (std::size_t i = 0; i < works.size(); ++i) {
    const Work& w = works[i];
    if (!w.failed_step) continue;
    std::string note;
    if (!deleted[i].empty()) note = "rolled back: deleted " + join(deleted[i]);
    if (!kept[i].empty()) {
      note += fmt::format("{}ROLLBACK INCOMPLETE, still on the server: {}", note.empty() ? "" : "; ", join(kept[i]));
    }
    if (note.empty()) note = "nothing was created";
    notes[i] = {fmt::format("{} [{}]", note, step_action(*w.failed_step, w.new_room)), kept[i].empty()};
  }
  return notes;
}

}  // namespace

std::vector<MeetingResult> create_meetings(const ClientContext& ctx, std::span<const MeetingSpec> specs) {
  std::vector<std::optional<MeetingResult>> results(specs.size());
  std::vector<Work> works;

  for (std::size_t i = 0; i < specs.size(); ++i) {
    const MeetingSpec& spec = specs[i];
    try {
      Work w;
      w.spec = i;
      if (const auto* room = std::get_if<Room>(&spec.room)) {
        validate(*room, "room");
        w.new_room = true;
        w.room_in = *room;
        // Idempotency keys: the caller's, or made here (docs/reliability.md).
        if (!w.room_in.system_name) w.room_in.system_name = new_idempotency_key(ctx);
        check_json_utf8(to_wire(w.room_in), "room");
      } else {
        w.existing_room = std::get<RoomId>(spec.room);
        validate_id(w.existing_room.value(), "room");
      }
      validate(spec.event, spec.allow_long_event, "event");
      w.event_in = spec.event;
      if (!w.event_in.reference_id) w.event_in.reference_id = new_idempotency_key(ctx);
      // Encode now too: any remaining ValidationError belongs to this meeting alone.
      check_json_utf8(to_wire(w.event_in), "event");
      works.push_back(std::move(w));
    } catch (const ValidationError& err) {
      results[i].emplace(std::make_exception_ptr(err), err.what());
    }
  }

  // Rounds: send every missing step of every pending meeting in one multirequest. After an unknown
  // outcome, look the keys up and send only what is still missing, as the RetryPolicy allows.
  CreateAttempts attempts(ctx);
  bool progress = false;  // something may exist on the server (no more throwing: roll back instead)
  for (bool first = true;; first = false) {
    std::vector<ApiCall> calls;
    std::vector<Slots> slots(works.size());
    for (std::size_t i = 0; i < works.size(); ++i) {
      Work& w = works[i];
      if (!w.pending()) continue;
      Slots& s = slots[i];
      WireJson room_ref;
      if (w.room) {
        room_ref = w.room->id.value();
      } else {
        if (w.new_room) {
          WireJson p = WireJson::object();
          p["scheduleResource"] = to_wire(w.room_in);
          calls.push_back(make_call(kRoomService, "add", std::move(p), false));
        } else {
          // Read the existing room in the same round trip: the Meeting carries it, and a wrong id
          // is reported as the room step.
          calls.push_back(
              make_call(kRoomService, "get", id_param("scheduleResourceId", w.existing_room.value()), true));
        }
        s.room = static_cast<int>(calls.size()) - 1;
        // References are 1-based execution positions (protocol.md C.3).
        room_ref = w.new_room ? WireJson(result_ref(s.room + 1, "id")) : WireJson(w.existing_room.value());
      }
      WireJson event_ref;
      if (w.event) {
        event_ref = w.event->id.value();
      } else {
        WireJson e = WireJson::object();
        e["scheduleEvent"] = to_wire(w.event_in);
        calls.push_back(make_call(kEventService, "add", std::move(e), false));
        s.event = static_cast<int>(calls.size()) - 1;
        event_ref = result_ref(s.event + 1, "id");
      }
      WireJson l = WireJson::object();
      l["scheduleEventResource"] = link_to_wire(std::move(event_ref), std::move(room_ref));
      calls.push_back(make_call(kLinkService, "add", std::move(l), false));
      s.link = static_cast<int>(calls.size()) - 1;
    }
    if (calls.empty()) break;

    std::vector<ItemResult> items;
    std::exception_ptr failure;
    try {
      items = ctx.api.multirequest(calls);
    } catch (const Error&) {
      failure = std::current_exception();
    }
    if (failure) {
      const bool unknown = outcome_unknown(failure);
      // Nothing can exist yet: the caller gets the error itself, as from any other call.
      if (first && !unknown) std::rethrow_exception(failure);
      bool resolved = false;
      if (unknown) {
        for (Work& w : works) {
          if (w.pending()) w.maybe_sent = w.need_lookup = true;
        }
        // Look the keys up before anything is sent again; a failed look-up is one more attempt.
        while (attempts.next()) {
          try {
            lookup(ctx, works);
            resolved = progress = true;
            break;
          } catch (const ApiError&) {
            break;
          } catch (const Error&) {
          }
        }
      } else {
        resolved = attempts.next();  // provably not executed: the same round may go again
      }
      if (!resolved) {
        // Nothing confirmed on the server: the caller gets the error itself (outcome_unknown()
        // tells whether objects may exist under the keys).
        if (!progress) std::rethrow_exception(failure);
        const auto details = details_of(failure, "outcome unknown after retries");
        for (Work& w : works) {
          if (w.pending()) {
            fail(w, w.room ? (w.event ? MeetingStep::link : MeetingStep::event) : MeetingStep::room, details);
          }
        }
        break;
      }
      continue;
    }

    // Judge every item of this round.
    progress = true;
    bool again = false;
    for (std::size_t i = 0; i < works.size(); ++i) {
      Work& w = works[i];
      if (!w.pending()) continue;
      const Slots& s = slots[i];
      auto judge = [&](int slot, MeetingStep step, std::string_view taken_code, auto&& take) {
        if (slot < 0) return;
        const ItemResult& r = items.at(static_cast<std::size_t>(slot));
        if (r.ok()) {
          try {
            take(r.value);
          } catch (const ProtocolError&) {
            // A garbled item: the object may exist; find it by its key.
            w.need_lookup = true;
          }
          return;
        }
        if (w.maybe_sent && !taken_code.empty() && r.error->code() == taken_code) {
          w.need_lookup = true;  // our own earlier add went through
          return;
        }
        fail(w, step, r.error->details());
      };
      judge(s.room, MeetingStep::room, kRoomKeyTaken, [&](const Json& v) {
        w.room = room_from_wire(v);
        if (!w.new_room && !w.room->settings.newrow) {
          // protocol.md E.2 / G.1: KAF opens only resources tagged vcprovider:newrow; every join would fail.
          ApiError::Details d;
          d.code = "KMEET_NOT_A_MEETINGS_ROOM";
          d.message = fmt::format("room {} is not a Meetings room (its tags lack vcprovider:newrow), so KAF "
                                  "cannot open it; add the tag (rooms().update with settings) or use another room",
                                  w.room->id.value());
          fail(w, MeetingStep::room, std::move(d));
        }
      });
      judge(s.event, MeetingStep::event, {}, [&](const Json& v) { w.event = event_from_wire(v); });
      // A link whose room or event is not confirmed says nothing about the meeting; but one that
      // succeeded anyway (room 0, see Work::stray_links) must not be left behind.
      if (w.room && w.event) {
        judge(s.link, MeetingStep::link, kLinkExists, [&](const Json& v) { w.link = link_from_wire(v); });
      } else if (s.link >= 0) {
        const ItemResult& link_item = items.at(static_cast<std::size_t>(s.link));
        try {
          if (link_item.ok()) w.stray_links.push_back(link_from_wire(link_item.value));
        } catch (const ProtocolError&) {
        }
      }
      if (w.pending() && w.room && w.event && w.link) {
        w.done = true;
      } else if (w.pending()) {
        again = true;
        w.need_lookup = true;
        w.maybe_sent = true;
      }
    }
    if (!again) break;
    bool resolved = false;
    while (attempts.next()) {
      try {
        lookup(ctx, works);
        resolved = true;
        break;
      } catch (const ApiError&) {
        break;
      } catch (const Error&) {
      }
    }
    if (!resolved) {
      ApiError::Details d;
      d.code = "KMEET_BAD_RESPONSE";
      d.message = "unexpected response: the meeting's objects could not be confirmed";
      for (Work& w : works) {
        if (w.pending()) fail(w, MeetingStep::link, d);
      }
      break;
    }
  }

  const auto notes = roll_back(ctx, works);
  for (std::size_t i = 0; i < works.size(); ++i) {
    Work& w = works[i];
    if (w.done) {
      results[w.spec].emplace(Meeting{std::move(*w.room), std::move(*w.event), std::move(*w.link)});
    } else if (w.failed_step) {
      MeetingError err(*w.failed_step, std::move(w.failure), notes[i].first, notes[i].second);
      std::string message = err.what();
      results[w.spec].emplace(std::make_exception_ptr(err), std::move(message));
    }
  }

  std::vector<MeetingResult> out;
  out.reserve(results.size());
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

}  // namespace detail
}  // namespace kmeet
