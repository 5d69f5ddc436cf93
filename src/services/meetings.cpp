// create_meeting / create_meetings: room + event + link in one multirequest (protocol.md C), with
// rollback. The meetings of one call move through a small state machine (docs/reliability.md):
//
//   prepare --> settle --> send round --> judge items --+--> (all done) verify keys --> report
//                 ^                                     |
//                 +------ something unconfirmed --------+--> (failed) roll back --> report
//
// A round ends with the lists that verify its caller keys (judged with its items); the separate
// verify keys round runs only for the keys no such list settled.
//
// The truth rules live in settle() and verdict(): an object exists when an answer showed it, is
// absent when no add of it ran (an API error, a provably unexecuted request) or a look-up by its key
// found nothing; everything else is "unsure" until a look-up settles it. A meeting is reported as
// rolled back only when nothing it made can be left; when kmeet cannot settle the truth before the
// deadline it says so (MeetingError::outcome_unknown()) and hands back the keys.

#include "services/meetings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/recording_wire.hpp"
#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/idempotent.hpp"
#include "services/meeting_template.hpp"
#include "services/service_call.hpp"

namespace kmeet {

std::string_view to_string(MeetingStep step) noexcept {
  switch (step) {
    case MeetingStep::room: return "room";
    case MeetingStep::event: return "event";
    case MeetingStep::link: return "link";
    case MeetingStep::recording_template: return "recording_template";
  }
  return {};
}

void MeetingKeys::apply_to(MeetingSpec& spec) const {
  if (auto* room = std::get_if<Room>(&spec.room); room != nullptr && room_system_name) {
    room->system_name = *room_system_name;
  }
  spec.event.reference_id = event_reference_id;
  if (spec.record && template_reference_id) spec.record->reference_id = *template_reference_id;
  spec.keys_checked = false;  // an earlier attempt may have made objects under these keys: look
}

namespace {

ApiError::Details with_step_message(MeetingStep step, ApiError::Details d, const std::string& note) {
  d.message = fmt::format("create_meeting failed at step '{}': {}{}{}", to_string(step), d.message,
                          note.empty() ? "" : "; ", note);
  return d;
}

}  // namespace

MeetingError::MeetingError(MeetingStep step, ApiError::Details original, std::string rollback_note,
                           Outcome outcome, MeetingKeys keys, std::exception_ptr cause)
    : ApiError(with_step_message(step, original, rollback_note)),
      step_(step),
      outcome_(outcome),
      keys_(std::move(keys)),
      cause_(std::move(cause)),
      original_message_(std::move(original.message)) {}

namespace detail {
namespace {

// One meeting on its way: what the caller asked for (with its idempotency keys filled in), what is
// known to exist on the server so far, and how it ended.
struct Work {
  std::size_t spec = 0;
  bool new_room = false;
  bool room_key_given = false;   // the caller chose the systemName: a room under it may predate us
  bool event_key_given = false;  // the caller chose the referenceId: an event under it may predate us
  Room room_in;                  // new room, with its systemName key
  RoomId existing_room;          // when !new_room
  Event event_in;                // with its referenceId key
  std::optional<Room> room;      // created, found by key, or read (existing room)
  std::optional<Event> event;
  std::optional<EventRoomLink> link;
  bool room_ours = false;        // made by this call: deleted on rollback (adopted rooms never are)
  bool room_add_may_have_run = false;  // a room add of this call may have run (unknown outcome)
  bool event_ours = false;       // made by this call: deleted on rollback (adopted events never are)
  bool event_add_may_have_run = false;  // an event add of this call may have run (unknown outcome)
  std::optional<EventId> event_made;    // the event our add answered with (proven ours)
  bool link_ours = false;        // made by this call
  bool room_in_use = false;      // another meeting's event is linked to our room: it stays
  // Other events of this very meeting (same key, summary, start and end) made by a concurrent
  // writer or a late copy of our own request: the lowest id is the meeting, the rest are deleted
  // with their links (every writer that sees them does the same, so they converge).
  std::vector<EventId> twins;
  std::vector<EventRoomLink> twin_links;
  // Links the server made to room 0: when the room add fails, its `{N:result:id}` becomes "" and the
  // link add still runs with resourceId 0, which the server accepts (protocol.md C.3, D.4). Always deleted.
  std::vector<EventRoomLink> stray_links;
  // The recording template (protocol.md J.3), when the meeting records.
  bool record = false;
  bool tmpl_key_given = false;   // its key is or derives from a caller's key: a template may predate us
  RecordingTemplate tmpl_in;     // as sent, with its referenceId key
  std::optional<Recording> tmpl;
  bool tmpl_ours = false;        // made by this call: deleted on rollback (adopted templates never are)
  bool tmpl_add_may_have_run = false;
  // Templates this call made that the meeting does not use (a lost twin's, a copy of a lost add):
  // always deleted.
  std::vector<std::string> stray_templates;
  bool sent = false;             // an add of this meeting may have run
  // Set when a step of the last round was ACTION_BLOCKED (did not run: send it again); the failure
  // when the retries run out.
  std::exception_ptr blocked;
  bool unsure = false;           // something may exist that kmeet has not seen: look the keys up first
  bool verified = false;         // the event key was checked for a twin made by a concurrent writer
  bool done = false;
  // Set when the meeting failed (it is then rolled back).
  std::optional<MeetingStep> failed_step;
  ApiError::Details failure;
  std::exception_ptr cause;      // the non-API error behind `failure`, if any
  [[nodiscard]] bool pending() const { return !done && !failed_step; }
  [[nodiscard]] bool complete() const { return room && event && link && (!record || tmpl); }
  [[nodiscard]] MeetingStep next_step() const {
    if (!room) return MeetingStep::room;
    if (record && !tmpl) return MeetingStep::recording_template;
    return event ? MeetingStep::link : MeetingStep::event;
  }
  /// The room the meeting's link goes to, when known.
  [[nodiscard]] std::optional<RoomId> target_room() const {
    if (room) return room->id;
    if (!new_room) return existing_room;
    return std::nullopt;
  }
  [[nodiscard]] MeetingKeys keys() const {
    MeetingKeys k;
    if (new_room) k.room_system_name = room_in.system_name;
    k.event_reference_id = event_in.reference_id.value_or("");
    if (record) k.template_reference_id = tmpl_in.reference_id;
    return k;
  }
};

// Where one work's items sit in this round's multirequest (-1 = not sent this round).
struct Slots {
  int room = -1, tmpl = -1, event = -1, link = -1;
  [[nodiscard]] bool any() const { return room >= 0 || tmpl >= 0 || event >= 0 || link >= 0; }
};

/// A verification list folded into a round (see fold_verification): its item and the works whose
/// keys it lists.
struct Fold {
  std::size_t slot = 0;
  std::vector<std::size_t> works;
};

struct Round {
  std::vector<ApiCall> calls;
  std::vector<Slots> slots;
  std::vector<Fold> folds;  // after every add of the round
};

ApiError::Details details_of(const std::exception_ptr& error) {
  ApiError::Details d;
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return e.details();
  } catch (const TransportError& e) {
    d.code = "KMEET_TRANSPORT_ERROR";
    d.message = e.what();
  } catch (const HttpError& e) {
    d.code = "KMEET_HTTP_ERROR";
    d.message = e.what();
  } catch (const ProtocolError& e) {
    d.code = "KMEET_BAD_RESPONSE";
    d.message = e.what();
  } catch (const CancelledError& e) {
    const bool cancelled = e.reason() == CancelledError::Reason::cancelled;
    d.code = cancelled ? "KMEET_CANCELLED" : "KMEET_DEADLINE";
    d.message = cancelled ? "the call was cancelled (CallOptions::cancel)"
                          : "the call's deadline passed (CallOptions::deadline)";
  } catch (const std::exception& e) {
    d.code = "KMEET_ERROR";
    d.message = e.what();
  }
  return d;
}

void fail(Work& w, MeetingStep step, const std::exception_ptr& error) {
  if (w.failed_step) return;
  w.failed_step = step;
  w.failure = details_of(error);
  try {
    std::rethrow_exception(error);
  } catch (const ApiError&) {
  } catch (...) {
    w.cause = error;
  }
}

void fail(Work& w, MeetingStep step, ApiError::Details details) {
  if (w.failed_step) return;
  w.failed_step = step;
  w.failure = std::move(details);
}

// ---------------------------------------------------------------------------------------------
// prepare: validate every spec, fill in the idempotency keys.

/// The recording template of a meeting that records (protocol.md J.3): validated, defaults and key
/// filled in. Throws ValidationError.
void prepare_template(Work& w, const MeetingSpec& spec) {
  if (!spec.record) return;
  validate_recording(spec);
  w.record = true;
  w.tmpl_key_given = spec.record->reference_id.has_value() || w.event_key_given;
  w.tmpl_in = meeting_template(*spec.record, w.event_in, w.new_room ? &w.room_in : nullptr);
  check_json_utf8(template_to_wire(w.tmpl_in), "record");
}

std::vector<Work> prepare(const ServiceContext& ctx, std::span<const MeetingSpec> specs,
                          std::vector<std::optional<MeetingResult>>& results) {
  std::vector<Work> works;
  std::vector<TemplateUse> shared_templates;  // events that name a template entry themselves (J.2)
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
        w.room_key_given = w.room_in.system_name.has_value();
        if (!w.room_key_given) w.room_in.system_name = new_idempotency_key(ctx);
        check_json_utf8(to_wire(w.room_in), "room");
      } else {
        w.existing_room = std::get<RoomId>(spec.room);
        validate_id(w.existing_room.value(), "room");
      }
      validate(spec.event, spec.allow_long_event, "event");
      w.event_in = spec.event;
      w.event_key_given = w.event_in.reference_id.has_value();
      if (!w.event_key_given) w.event_in.reference_id = new_idempotency_key(ctx);
      // Encode now too: any remaining ValidationError belongs to this meeting alone.
      check_json_utf8(to_wire(w.event_in), "event");
      prepare_template(w, spec);
      check_template_sharing(spec, i, shared_templates);
      // A caller's key may name objects an earlier attempt made: look them up before adding.
      w.unsure = (w.room_key_given || w.event_key_given || w.tmpl_key_given) && !spec.keys_checked;
      w.verified = !w.event_key_given;  // a generated key cannot have a twin
      works.push_back(std::move(w));
    } catch (const ValidationError& err) {
      results[i].emplace(std::make_exception_ptr(err), err.what());
    }
  }
  return works;
}

// ---------------------------------------------------------------------------------------------
// settle: look the keys of every unsure meeting up (one multirequest of lists, then one for the
// links of the events now known).

/// KAF opens only resources tagged vcprovider:newrow (protocol.md E.2, G.1): every join would fail.
void check_meetings_room(Work& w) {
  if (!w.room || w.room_ours || w.room->settings.newrow) return;
  ApiError::Details d;
  d.code = "KMEET_NOT_A_MEETINGS_ROOM";
  d.message = fmt::format("room {} is not a Meetings room (its tags lack vcprovider:newrow), so KAF "
                          "cannot open it; add the tag (rooms().update with settings) or use another room",
                          w.room->id.value());
  fail(w, MeetingStep::room, std::move(d));
}

void take_links_of_event(Work& w, const Json& page) {
  const std::optional<RoomId> target = w.target_room();
  for (EventRoomLink& l : link_page_from_wire(page).items) {
    if (target && l.room_id == *target) {
      w.link = std::move(l);
    } else if (l.room_id.value() == 0) {
      const bool known = std::any_of(w.stray_links.begin(), w.stray_links.end(),
                                     [&](const EventRoomLink& s) { return s.event_id == l.event_id; });
      if (!known) w.stray_links.push_back(std::move(l));
    }
  }
}

/// A look-up by an event key lists this many, wide enough to see every twin.
constexpr int kTwinPage = 50;

bool twin_of(const Event& a, const Event& b) {
  return a.reference_id == b.reference_id && a.summary == b.summary && a.start == b.start && a.end == b.end;
}

void add_twin(Work& w, EventId id) {
  if (std::find(w.twins.begin(), w.twins.end(), id) == w.twins.end()) w.twins.push_back(id);
}

/// The events a list by this meeting's referenceId found: the twins of this meeting's event (same
/// summary, start and end) resolve to the lowest id, the others are recorded for deletion. An
/// event under the key that is not a twin is another meeting: the key is ambiguous for this one.
/// Returns false (and fails the work) in that case.
bool take_events(Work& w, const std::vector<Event>& found) {
  std::optional<Event> lowest;
  std::vector<EventId> all;
  bool foreign = false;
  Event mine = w.event_in;
  for (const Event& e : found) {
    mine.reference_id = e.reference_id;  // the filter matched it; compare the rest
    if (!twin_of(e, mine)) {
      foreign = true;
      continue;
    }
    all.push_back(e.id);
    if (!lowest || e.id.value() < lowest->id.value()) lowest = e;
  }
  if (!lowest && foreign) {
    ApiError::Details d;
    d.code = "KMEET_AMBIGUOUS_KEY";
    d.message = fmt::format("an event with reference_id '{}' exists with another summary, start or end, so "
                            "kmeet will neither adopt it nor make a second event under the key: give this "
                            "meeting its own reference_id",
                            w.event_in.reference_id.value_or(""));
    fail(w, MeetingStep::event, std::move(d));
    return false;
  }
  if (!lowest) return true;
  for (EventId id : all) {
    if (id != lowest->id) add_twin(w, id);
  }
  // Under kmeet's key, ours when our own event add may have run (nobody else can hold the key).
  // Under the caller's key, ours only when our add answered with this very event: another writer
  // (or an earlier run) may hold the key, and a concurrent writer deletes our twin when it sees
  // it, so "one event under the key after a lost answer" may well be theirs. A rollback keeps
  // what is not proven ours (docs/reliability.md).
  w.event_ours = w.event_key_given ? w.event_made == lowest->id : w.event_add_may_have_run;
  w.event = std::move(*lowest);
  return true;
}

void add_stray_template(Work& w, const std::string& id) {
  if (std::find(w.stray_templates.begin(), w.stray_templates.end(), id) == w.stray_templates.end()) {
    w.stray_templates.push_back(id);
  }
}

/// Takes `found` (one of `roots`, the templates under the key) as the meeting's template. Under a
/// key kmeet made, nobody else can hold a template: the others are copies of our own lost adds.
void strays_besides(Work& w, const std::string& kept, const std::vector<Recording>& roots) {
  if (w.tmpl_key_given || !w.tmpl_add_may_have_run) return;
  for (const Recording& r : roots) {
    if (r.id != kept) add_stray_template(w, r.id);
  }
}

void adopt_template(Work& w, const Recording& found, const std::vector<Recording>& roots) {
  w.tmpl = found;
  w.tmpl_ours = w.tmpl_add_may_have_run && (!w.tmpl_key_given || roots.size() == 1);
  strays_besides(w, found.id, roots);
}

ApiError::Details template_problem(const Work& w, const std::string& code, const std::string& what) {
  ApiError::Details d;
  d.code = code;
  d.message = fmt::format("{} (recording template reference_id '{}'): kmeet will neither adopt another entry nor make "
                          "a second template for this event",
                          what, w.tmpl_in.reference_id.value_or(""));
  return d;
}

/// Settles the meeting's template against `roots`, the root entries its key lists (protocol.md
/// J.4). A known event decides: its `templateEntryId` must be one of them (else the meeting fails
/// with KMEET_RECORDING_TEMPLATE_MISSING: an event of this key without this meeting's template).
/// Without an event, one root is adopted; several under a caller's key are ambiguous.
void settle_template(Work& w, const std::vector<Recording>& roots) {
  if (!w.record) return;
  const auto find = [&](const std::string& id) -> const Recording* {
    auto it = std::find_if(roots.begin(), roots.end(), [&](const Recording& r) { return r.id == id; });
    return it == roots.end() ? nullptr : &*it;
  };
  if (w.failed_step) {
    // Before a rollback: only find what may be this call's to delete (the ownership rule of
    // adopt_template decides), never fail again.
    if (w.tmpl) return strays_besides(w, w.tmpl->id, roots);
    const Recording* kept = w.event ? find(w.event->template_entry_id.value_or("")) : nullptr;
    if (kept == nullptr && !roots.empty() && (!w.tmpl_key_given || roots.size() == 1)) kept = &roots.front();
    if (kept != nullptr) adopt_template(w, *kept, roots);
    return;
  }
  if (w.event) {
    const std::string t = w.event->template_entry_id.value_or("");
    if (w.tmpl && w.tmpl->id == t) return strays_besides(w, t, roots);
    if (w.tmpl) {  // the event kept is a twin's, with its own template: ours goes
      if (w.tmpl_ours) add_stray_template(w, w.tmpl->id);
      w.tmpl.reset();
      w.tmpl_ours = false;
    }
    if (const Recording* found = t.empty() ? nullptr : find(t)) {
      adopt_template(w, *found, roots);
      return;
    }
    fail(w, MeetingStep::recording_template,
         template_problem(w, "KMEET_RECORDING_TEMPLATE_MISSING",
                          t.empty() ? fmt::format("event {} has no recording template", w.event->id.value())
                                    : fmt::format("event {} names template entry '{}', which is not this meeting's",
                                                  w.event->id.value(), t)));
    return;
  }
  if (w.tmpl) return strays_besides(w, w.tmpl->id, roots);
  if (roots.empty()) return;
  if (roots.size() > 1 && w.tmpl_key_given) {
    fail(w, MeetingStep::recording_template,
         template_problem(w, "KMEET_AMBIGUOUS_KEY", fmt::format("{} template entries share the key", roots.size())));
    return;
  }
  adopt_template(w, roots.front(), roots);  // listed oldest first
}

/// One pass of look-ups for `which` (indexes into works); throws what the API layer throws for
/// the whole request. A look-up item the server refuses fails only its own meeting, which stays
/// unsure (returned in `refused`).
void look_up_once(const ServiceContext& ctx, std::vector<Work>& works, const std::vector<std::size_t>& which,
                  std::vector<std::size_t>& refused) {
  std::vector<ApiCall> calls;
  std::vector<std::pair<std::size_t, int>> what;  // (work, 0 room / 1 event / 2 links of event / 3 twin links / 4 templates)
  for (std::size_t i : which) {
    const Work& w = works[i];
    if (w.new_room && !w.room) calls.push_back(find_room_call(*w.room_in.system_name)), what.emplace_back(i, 0);
    if (!w.event) calls.push_back(find_event_call(*w.event_in.reference_id, kTwinPage)), what.emplace_back(i, 1);
    // After the event's look-up: its templateEntryId decides which template is the meeting's.
    if (w.record) calls.push_back(find_templates_call(*w.tmpl_in.reference_id)), what.emplace_back(i, 4);
  }
  auto run = [&] {
    if (calls.empty()) return;
    const std::vector<ItemResult> items = ctx.api.multirequest(calls, &one_attempt());
    for (std::size_t k = 0; k < calls.size(); ++k) {
      Work& w = works[what[k].first];
      if (!items.at(k).ok()) {
        fail(w, w.next_step(), std::make_exception_ptr(*items[k].error));
        refused.push_back(what[k].first);
      }
    }
    for (std::size_t k = 0; k < calls.size(); ++k) {
      Work& w = works[what[k].first];
      if (!items[k].ok() || std::find(refused.begin(), refused.end(), what[k].first) != refused.end()) continue;
      const Json& v = items[k].value;
      if (what[k].second == 0) {
        w.room = found_room(v);
        // Ours only when one of our room adds may have run; a room found otherwise was made by
        // someone else (an earlier run, another process) under the caller's key: never deleted.
        if (w.room) w.room_ours = w.room_add_may_have_run;
      } else if (what[k].second == 1) {
        (void)take_events(w, event_page_from_wire(v).items);
      } else if (what[k].second == 2) {
        take_links_of_event(w, v);
      } else if (what[k].second == 4) {
        settle_template(w, template_roots(v));
      } else {
        for (EventRoomLink& l : link_page_from_wire(v).items) w.twin_links.push_back(std::move(l));
      }
    }
  };
  run();
  calls.clear();
  what.clear();
  for (std::size_t i : which) {
    Work& w = works[i];
    if (w.event && !w.link) calls.push_back(find_links_of_event_call(w.event->id)), what.emplace_back(i, 2);
    w.twin_links.clear();
    for (EventId twin : w.twins) calls.push_back(find_links_of_event_call(twin)), what.emplace_back(i, 3);
  }
  run();
}

/// Settles every unsure work in `which`, retrying as truth look-ups (deadline only, then once
/// more). A work whose look-up hit a final API error fails with it; when the server cannot be
/// reached the works stay unsure and false is returned with `error` set.
bool settle(const ServiceContext& ctx, std::vector<Work>& works, RetryLoop& loop, std::exception_ptr& error) {
  std::vector<std::size_t> which;
  // Pending meetings while making them; failed ones only in the rollback, before deleting.
  const bool making = std::any_of(works.begin(), works.end(), [](const Work& w) { return w.pending(); });
  for (std::size_t i = 0; i < works.size(); ++i) {
    const Work& w = works[i];
    // A failed meeting that never sent anything has nothing of its own to find.
    if (w.unsure && !w.done && (w.pending() || (!making && w.sent))) which.push_back(i);
  }
  if (which.empty()) return true;
  std::vector<std::size_t> refused;
  try {
    error = retry_for_truth(loop, [&] {
      refused.clear();
      look_up_once(ctx, works, which, refused);
    });
    if (error) return false;
  } catch (const ApiError&) {
    // A final answer (KMEET_AMBIGUOUS_KEY, SERVICE_FORBIDDEN...): these meetings cannot be judged.
    for (std::size_t i : which) fail(works[i], works[i].next_step(), std::current_exception());
    return true;
  }
  for (std::size_t i : which) {
    Work& w = works[i];
    if (std::find(refused.begin(), refused.end(), i) != refused.end()) continue;  // still unsettled
    w.unsure = false;
    check_meetings_room(w);
    if (w.pending() && w.complete()) w.done = true;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// send round: every missing step of every pending, settled meeting in one multirequest.

void fold_verification(const std::vector<Work>& works, Round& r);

Round plan_round(std::vector<Work>& works) {
  Round r;
  r.slots.resize(works.size());
  for (std::size_t i = 0; i < works.size(); ++i) {
    Work& w = works[i];
    if (!w.pending() || w.unsure) continue;
    if (w.record && !w.tmpl && w.event) {  // settle fails such a meeting first; never link it half-recorded
      fail(w, MeetingStep::recording_template,
           template_problem(w, "KMEET_RECORDING_TEMPLATE_MISSING", "the event exists without its recording template"));
      continue;
    }
    Slots& s = r.slots[i];
    WireJson room_ref;
    if (w.room) {
      room_ref = w.room->id.value();
    } else {
      if (w.new_room) {
        WireJson p = WireJson::object();
        p["scheduleResource"] = to_wire(w.room_in);
        r.calls.push_back(make_call(kRoomService, "add", std::move(p), false));
      } else {
        // Read the existing room in the same round trip: the Meeting carries it, and a wrong id
        // is reported as the room step.
        r.calls.push_back(make_call(kRoomService, "get", id_param("scheduleResourceId", w.existing_room.value()), true));
      }
      s.room = static_cast<int>(r.calls.size()) - 1;
      // References are 1-based execution positions (protocol.md C.3).
      room_ref = w.new_room ? WireJson(result_ref(s.room + 1, "id")) : WireJson(w.existing_room.value());
    }
    // The template goes before the event that names it (protocol.md J.3, J.7).
    std::string tmpl_ref;
    if (w.record && w.tmpl) {
      tmpl_ref = w.tmpl->id;
    } else if (w.record && !w.event) {
      r.calls.push_back(template_add_call(w.tmpl_in));
      s.tmpl = static_cast<int>(r.calls.size()) - 1;
      tmpl_ref = result_ref(s.tmpl + 1, "id");
    }
    WireJson event_ref;
    if (w.event) {
      event_ref = w.event->id.value();
    } else {
      Event ev = w.event_in;
      if (w.record) ev.template_entry_id = tmpl_ref;
      WireJson e = WireJson::object();
      e["scheduleEvent"] = to_wire(ev);
      r.calls.push_back(make_call(kEventService, "add", std::move(e), false));
      s.event = static_cast<int>(r.calls.size()) - 1;
      event_ref = result_ref(s.event + 1, "id");
    }
    if (w.link) continue;  // found by a look-up (an existing room is still read for the Meeting)
    WireJson l = WireJson::object();
    l["scheduleEventResource"] = link_to_wire(std::move(event_ref), std::move(room_ref));
    r.calls.push_back(make_call(kLinkService, "add", std::move(l), false));
    s.link = static_cast<int>(r.calls.size()) - 1;
  }
  fold_verification(works, r);
  return r;
}

// ---------------------------------------------------------------------------------------------
// judge items: what each answer proves.

template <class Take>
void judge(Work& w, const std::vector<ItemResult>& items, int slot, MeetingStep step, std::string_view taken, Take&& take) {
  if (slot < 0) return;
  const ItemResult& r = items.at(static_cast<std::size_t>(slot));
  if (r.ok()) {
    try {
      take(r.value);
    } catch (const ProtocolError&) {
      w.unsure = true;  // a garbled item: the object may exist; find it by its key
    }
    return;
  }
  // Throttled (protocol.md K): the add did not run; the next round sends it again.
  if (r.error->code() == "ACTION_BLOCKED") {
    w.blocked = std::make_exception_ptr(ThrottledError(r.error->details()));
    return;
  }
  // The key is taken (see judge_round): the object we want exists; find it by its key.
  if (!taken.empty() && r.error->code() == taken) {
    w.unsure = true;
    return;
  }
  fail(w, step, std::make_exception_ptr(*r.error));
}

void judge_round(std::vector<Work>& works, const Round& round, const std::vector<ItemResult>& items) {
  for (std::size_t i = 0; i < works.size(); ++i) {
    Work& w = works[i];
    const Slots& s = round.slots[i];
    if (!w.pending() || !s.any()) continue;
    // "Key taken" means the object we want exists only when it may predate this round: our own
    // earlier round ran, or the caller's key names an object of an earlier run or another writer.
    const std::string_view room_taken = w.sent || w.room_key_given ? kRoomKeyTaken : std::string_view{};
    const std::string_view link_taken = w.sent || w.event_key_given ? kLinkExists : std::string_view{};
    if (s.room >= 0 && w.new_room && items.at(static_cast<std::size_t>(s.room)).ok()) w.room_add_may_have_run = true;
    judge(w, items, s.room, MeetingStep::room, room_taken, [&](const Json& v) {
      w.room = room_from_wire(v);
      w.room_ours = w.new_room;
      check_meetings_room(w);
    });
    if (s.tmpl >= 0 && items.at(static_cast<std::size_t>(s.tmpl)).ok()) w.tmpl_add_may_have_run = true;
    judge(w, items, s.tmpl, MeetingStep::recording_template, {}, [&](const Json& v) {
      w.tmpl = recording_from_wire(v);
      w.tmpl_ours = true;
    });
    if (s.event >= 0 && items.at(static_cast<std::size_t>(s.event)).ok()) w.event_add_may_have_run = true;
    judge(w, items, s.event, MeetingStep::event, {}, [&](const Json& v) {
      w.event = event_from_wire(v);
      w.event_ours = true;
      w.event_made = w.event->id;
    });
    // A link whose room or event is not confirmed says nothing about the meeting; but one that
    // succeeded anyway (room 0, see Work::stray_links) must not be left behind.
    if (w.room && w.event) {
      judge(w, items, s.link, MeetingStep::link, link_taken, [&](const Json& v) {
        w.link = link_from_wire(v);
        w.link_ours = true;
      });
    } else if (s.link >= 0) {
      const ItemResult& link_item = items.at(static_cast<std::size_t>(s.link));
      if (link_item.ok()) {
        try {
          EventRoomLink l = link_from_wire(link_item.value);
          // Only a link to room 0 is a stray; any other is the meeting's own link, found by the look-up.
          if (l.room_id.value() == 0) {
            w.stray_links.push_back(std::move(l));
          } else {
            w.unsure = true;
          }
        } catch (const ProtocolError&) {
          w.unsure = true;
        }
      }
    }
    if (w.pending() && w.complete()) w.done = true;
  }
}

// ---------------------------------------------------------------------------------------------
// verify keys: two writers that looked a caller's key up at the same time (two processes
// importing one file) may each have made the event. Every writer that sees twins keeps the lowest
// id and deletes the others with their links (in the rollback step, confirmed), so they converge
// on one meeting. Twins are events with the same referenceId, summary, start and end; any other
// event under the key is left alone.
//
// The check rides in the create's own multirequest: the lists go after every add of the round,
// and the server runs a multirequest's items in order, one after another (protocol.md C.1), so each
// writer's list runs after its own event add. Why the writers converge: take F, the event whose add
// ran first; ids grow in the order adds run, so F has the lowest id. Every writer's list runs after
// its own add, hence after F's, so every writer sees F and keeps it, and deletes any other twin it
// sees (the last writer's list sees them all). Both the folded list and a separate round assume a
// list shows every event added before it ran (protocol.md does not say how soon a search-engine list,
// D.6, shows a new event; a twin that no writer's list shows stays, as before the fold). A folded
// list that is refused, garbled or absent (the round's answer was lost and look-ups settled the
// meeting; a key kmeet made, checked only after an unknown outcome) leaves its meetings to
// verify_keys, which lists their keys in a round of their own.

/// Keys per verification list: one `referenceIdIn` list answers for a whole batch of meetings.
constexpr std::size_t kKeysPerList = 50;

/// Calls in a round, lists included, up to which lists are folded into it. protocol.md does not
/// say how many calls a server takes in one multirequest; kmeet-emulator takes 500 (docs/emulator.md,
/// "Limits"). A batch of the CLI and sync (at most 100 meetings, 4 adds each, and a list per 50 keys,
/// or one per key with a ',') stays within it: 400 + 100. A list that would pass it is not folded:
/// its keys are checked by verify_keys in a round of their own.
constexpr std::size_t kMaxFoldedRound = 500;

/// One verification list and the works whose keys it lists.
struct VerifyList {
  ApiCall call;
  std::vector<std::size_t> works;
};

/// The lists that verify `which`: `referenceIdIn` for up to kKeysPerList keys each (a page of 500
/// leaves room for several twins per key); a key holding a ',' (the In separator) gets its own list.
std::vector<VerifyList> verification_lists(const std::vector<Work>& works, const std::vector<std::size_t>& which) {
  std::vector<VerifyList> lists;
  EventFilter in;
  std::vector<std::size_t> in_works;
  auto flush = [&] {
    if (in.reference_id_in.empty()) return;
    WireJson filter = to_wire(in);
    filter["objectType"] = "KalturaScheduleEventFilter";  // record and meeting events alike
    lists.push_back({make_call(kEventService, "list", list_params(std::move(filter), to_wire(Pager{500, 1})), true),
                     std::move(in_works)});
    in.reference_id_in.clear();
    in_works.clear();
  };
  for (std::size_t i : which) {
    const std::string& key = *works[i].event_in.reference_id;
    if (key.find(',') != std::string::npos) {
      lists.push_back({find_event_call(key, kTwinPage), {i}});
      continue;
    }
    in.reference_id_in.push_back(key);
    in_works.push_back(i);
    if (in.reference_id_in.size() == kKeysPerList) flush();
  }
  flush();
  return lists;
}

/// Appends to `r`, after its adds, the lists that check the caller's event keys of its meetings
/// (a key kmeet made has no twin to find), as far as kMaxFoldedRound allows.
void fold_verification(const std::vector<Work>& works, Round& r) {
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < works.size(); ++i) {
    const Work& w = works[i];
    if (r.slots[i].any() && w.pending() && w.event_key_given && !w.verified) which.push_back(i);
  }
  if (which.empty()) return;
  for (VerifyList& l : verification_lists(works, which)) {
    if (r.calls.size() >= kMaxFoldedRound) return;
    r.folds.push_back(Fold{r.calls.size(), std::move(l.works)});
    r.calls.push_back(std::move(l.call));
  }
}

/// Judges one verified work against the events listed under its key.
void judge_twins(Work& w, const std::vector<Event>& found) {
  w.verified = true;
  const Event ours = *w.event;
  const bool was_ours = w.event_ours;
  // Only twins of our event count here: another meeting's event under the key is not ours to judge
  // (and must not fail a meeting that is made).
  std::vector<Event> twins;
  for (const Event& e : found) {
    if (twin_of(e, ours)) twins.push_back(e);
  }
  w.event.reset();
  if (!take_events(w, twins) || !w.event) {
    w.event = ours;  // our own event is not listed (yet): keep it
    return;
  }
  if (w.event->id == ours.id) {
    w.event_ours = was_ours;
    return;
  }
  // Ours lost: it becomes a twin to delete; adopt the winner (take_events decided whether it is
  // ours: under the caller's key it is not, so a rollback keeps it) and link it to the room if its
  // writer has not yet.
  add_twin(w, ours.id);
  w.link.reset();
  w.done = false;
  w.unsure = true;
}

/// The events of a list page, by key. Throws ProtocolError for a garbled page.
void events_by_key(const Json& page, std::map<std::string, std::vector<Event>>& by_key) {
  for (Event& e : event_page_from_wire(page).items) {
    if (e.reference_id) by_key[*e.reference_id].push_back(std::move(e));
  }
}

/// Judges the meetings this round made against the lists folded into it. A list refused
/// (ACTION_BLOCKED included) or garbled leaves its meetings unverified: verify_keys checks them.
void judge_folded(std::vector<Work>& works, const Round& round, const std::vector<ItemResult>& items) {
  for (const Fold& f : round.folds) {
    const ItemResult& page = items.at(f.slot);
    if (!page.ok()) continue;
    std::map<std::string, std::vector<Event>> by_key;
    try {
      events_by_key(page.value, by_key);
    } catch (const ProtocolError&) {
      continue;
    }
    for (std::size_t i : f.works) {
      Work& w = works[i];
      if (w.done && !w.verified) judge_twins(w, by_key[*w.event_in.reference_id]);
    }
  }
}

/// The fallback: checks the keys of the made meetings no folded list verified, in a round of their own.
void verify_keys(const ServiceContext& ctx, std::vector<Work>& works, RetryLoop& loop) {
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < works.size(); ++i) {
    if (works[i].done && !works[i].verified) which.push_back(i);
  }
  if (which.empty()) return;
  std::vector<ApiCall> calls;
  for (VerifyList& l : verification_lists(works, which)) calls.push_back(std::move(l.call));
  // Decoded inside the attempt: a garbled page is one more failed attempt, like a lost answer.
  std::map<std::string, std::vector<Event>> by_key;
  bool refused = false;
  try {
    if (retry_for_truth(loop, [&] {
          by_key.clear();
          refused = false;
          for (const ItemResult& page : ctx.api.multirequest(calls, &one_attempt())) {
            refused = refused || !page.ok();
            if (page.ok()) events_by_key(page.value, by_key);
          }
        })) {
      return;
    }
  } catch (const ApiError&) {
    return;
  }
  // Any way out above leaves the meetings unverified: they are made; a twin, if any, is removed by
  // the other writer's check. So does a list the server refused.
  if (refused) return;
  for (std::size_t i : which) judge_twins(works[i], by_key[*works[i].event_in.reference_id]);
}

// ---------------------------------------------------------------------------------------------
// roll back: delete what each failed meeting left (links, then events, then rooms it made) and
// confirm every deletion; an unknown outcome is sent again (a "not found" then means it ran).

struct Undo {
  std::size_t work;
  std::string what;
  ApiCall call;
  enum class State { pending, gone, kept } state = State::pending;
  std::string why;
};

std::vector<Undo> plan_undo(const std::vector<Work>& works) {
  std::vector<Undo> undo;
  auto add = [&](std::size_t i, std::string what, ApiCall call) {
    undo.push_back(Undo{i, std::move(what), std::move(call)});
  };
  auto undo_link = [&](std::size_t i, const EventRoomLink& link) {
    WireJson p = id_param("scheduleEventId", link.event_id.value());
    p["scheduleResourceId"] = link.room_id.value();
    add(i, fmt::format("link {}-{}", link.event_id.value(), link.room_id.value()),
        make_call(kLinkService, "delete", std::move(p), true));
  };
  for (std::size_t i = 0; i < works.size(); ++i) {
    const Work& w = works[i];
    // Stray links and twins go whatever became of the meeting (a done meeting's are cleaned up silently).
    for (const EventRoomLink& stray : w.stray_links) undo_link(i, stray);
    for (const EventRoomLink& l : w.twin_links) undo_link(i, l);
    for (EventId twin : w.twins) {
      add(i, fmt::format("duplicate event {}", twin.value()),
          make_call(kEventService, "delete", id_param("scheduleEventId", twin.value()), true));
    }
    for (const std::string& t : w.stray_templates) add(i, fmt::format("duplicate recording template {}", t), delete_entry_call(t));
    if (!w.failed_step) continue;
    if (w.link && (w.link_ours || w.event_ours || w.room_ours)) undo_link(i, *w.link);
    if (w.event && w.event_ours) {
      add(i, fmt::format("event {}", w.event->id.value()),
          make_call(kEventService, "delete", id_param("scheduleEventId", w.event->id.value()), true));
    }
    if (w.tmpl && w.tmpl_ours) add(i, fmt::format("recording template {}", w.tmpl->id), delete_entry_call(w.tmpl->id));
    if (w.room && w.room_ours && !w.room_in_use) {
      add(i, fmt::format("room {}", w.room->id.value()),
          make_call(kRoomService, "delete", id_param("scheduleResourceId", w.room->id.value()), true));
    }
  }
  return undo;
}

/// A room made under the caller's system_name may already serve another writer's meeting (it
/// found the room by its key): such a room is kept. Best effort within `loop`'s deadline; a room
/// that cannot be checked is kept too.
void check_rooms_in_use(const ServiceContext& ctx, std::vector<Work>& works, RetryLoop& loop) {
  std::vector<std::size_t> which;
  std::vector<ApiCall> calls;
  for (std::size_t i = 0; i < works.size(); ++i) {
    const Work& w = works[i];
    if (!w.failed_step || !w.room || !w.room_ours || !w.room_key_given) continue;
    LinkFilter f;
    f.room_id = w.room->id;
    calls.push_back(make_call(kLinkService, "list", list_params(to_wire(f), to_wire(Pager{50, 1})), true));
    which.push_back(i);
  }
  if (calls.empty()) return;
  // Decoded inside the attempt: a garbled page is one more failed attempt, like a lost answer.
  std::vector<bool> in_use(which.size(), false);
  bool checked = false;
  try {
    checked = !retry_for_truth(loop, [&] {
      const std::vector<ItemResult> pages = ctx.api.multirequest(calls, &one_attempt());
      for (std::size_t k = 0; k < which.size(); ++k) {
        const Work& w = works[which[k]];
        in_use[k] = !pages[k].ok();  // a refused list: kept
        if (in_use[k]) continue;
        for (const EventRoomLink& l : link_page_from_wire(pages[k].value).items) {
          const bool mine = (w.event && l.event_id == w.event->id) ||
                            std::find(w.twins.begin(), w.twins.end(), l.event_id) != w.twins.end();
          if (!mine) in_use[k] = true;
        }
      }
    });
  } catch (const ApiError&) {
  }
  // A room that could not be checked is kept too.
  for (std::size_t k = 0; k < which.size(); ++k) works[which[k]].room_in_use = !checked || in_use[k];
}

/// Sends the pending deletions until each is confirmed or refused, or the deadline passes.
void run_undo(const ServiceContext& ctx, std::vector<Undo>& undo) {
  RetryLoop loop = ctx.api.retry_loop();
  for (;;) {
    std::vector<ApiCall> calls;
    std::vector<std::size_t> at;
    for (std::size_t u = 0; u < undo.size(); ++u) {
      if (undo[u].state == Undo::State::pending) calls.push_back(undo[u].call), at.push_back(u);
    }
    if (calls.empty()) return;
    try {
      const std::vector<ItemResult> done = ctx.api.multirequest(calls, &one_attempt());
      for (std::size_t k = 0; k < at.size(); ++k) {
        Undo& u = undo[at[k]];
        const ItemResult& r = done.at(k);
        // A resent delete may find its object already gone: that is deleted too.
        if (r.ok() || is_absent_code(r.error->code()) || r.error->code() == kEntryNotFound) {
          u.state = Undo::State::gone;
        } else {
          u.state = Undo::State::kept;
          u.why = r.error->code();
        }
      }
    } catch (const Error& e) {
      const std::exception_ptr error = std::current_exception();
      if (!loop.next(error, true, RetryCost::truth)) {
        for (std::size_t u : at) undo[u].why = e.what();
        return;  // still pending: unconfirmed
      }
    }
  }
}

std::string join_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string_view step_action(MeetingStep step, bool new_room) {
  switch (step) {
    case MeetingStep::room: return new_room ? "scheduleResource.add" : "scheduleResource.get";
    case MeetingStep::event: return "scheduleEvent.add";
    case MeetingStep::link: return "scheduleEventResource.add";
    case MeetingStep::recording_template: return "media.add";
  }
  return "?";
}

std::string key_text(const MeetingKeys& k) {
  std::string out = fmt::format("event reference_id '{}'", k.event_reference_id);
  if (k.room_system_name) out = fmt::format("room system_name '{}', ", *k.room_system_name) + out;
  if (k.template_reference_id) out += fmt::format(", recording template reference_id '{}'", *k.template_reference_id);
  return out;
}

/// The verdict for one failed work: its outcome and the note for its MeetingError.
std::pair<MeetingError::Outcome, std::string> verdict(const Work& w, const std::vector<Undo>& undo, std::size_t i,
                                                      const std::string& unsettled_reason) {
  std::vector<std::string> gone, kept, unconfirmed;
  for (const Undo& u : undo) {
    if (u.work != i) continue;
    if (u.state == Undo::State::gone) gone.push_back(u.what);
    if (u.state == Undo::State::kept) kept.push_back(fmt::format("{} ({})", u.what, u.why));
    if (u.state == Undo::State::pending) unconfirmed.push_back(u.what);
  }
  std::string note = gone.empty() ? "" : "rolled back: deleted " + join_list(gone);
  auto add = [&](const std::string& s) { note += (note.empty() ? "" : "; ") + s; };
  const std::string action = fmt::format(" [{}]", step_action(*w.failed_step, w.new_room));
  if (w.unsure || !unconfirmed.empty()) {
    if (!unconfirmed.empty()) add("deletion not confirmed: " + join_list(unconfirmed));
    add(fmt::format("OUTCOME UNKNOWN: kmeet could not confirm what exists ({}); the meeting may be live under "
                    "{}: look it up, or call create_meeting again with these keys (MeetingKeys::apply_to)",
                    unsettled_reason.empty() ? "the server did not answer" : unsettled_reason, key_text(w.keys())));
    return {MeetingError::Outcome::unknown, note + action};
  }
  if (!kept.empty()) {
    add("ROLLBACK INCOMPLETE, still on the server: " + join_list(kept));
    return {MeetingError::Outcome::incomplete, note + action};
  }
  if (note.empty()) note = "nothing was created";
  if (w.room && !w.room_ours && w.new_room) {
    add(fmt::format("room {} (found by its system_name, not made by this call) was kept", w.room->id.value()));
  }
  if (w.room && w.room_ours && w.room_in_use) {
    add(fmt::format("room {} was kept: another meeting is linked to it (or that could not be checked)",
                    w.room->id.value()));
  }
  // After a lost answer the event under the caller's key may be ours or a concurrent writer's
  // (whose twin check deleted ours): it is kept, and what exists is not known to be undone.
  const bool maybe_ours = w.event && !w.event_ours && w.event_add_may_have_run && !w.event_made;
  if (maybe_ours) {
    add(fmt::format("OUTCOME UNKNOWN: event {} was kept: found by its reference_id after an add whose answer was "
                    "lost, it may be this call's or another writer's; the meeting may be live under {}: look it "
                    "up, or call create_meeting again with these keys (MeetingKeys::apply_to)",
                    w.event->id.value(), key_text(w.keys())));
  } else if (w.event && !w.event_ours) {
    add(fmt::format("event {} (found by its reference_id, not made by this call) was kept", w.event->id.value()));
  }
  if (w.tmpl && !w.tmpl_ours) {
    add(fmt::format("recording template {} (found by its reference_id, not made by this call) was kept", w.tmpl->id));
  }
  return {maybe_ours ? MeetingError::Outcome::unknown : MeetingError::Outcome::rolled_back, note + action};
}

// ---------------------------------------------------------------------------------------------
// The machine.

class MeetingRun {
 public:
  MeetingRun(const ServiceContext& ctx, std::vector<Work> works)
      : ctx_(ctx), works_(std::move(works)), loop_(ctx.api.retry_loop()) {}

  /// Runs every meeting to done or failed. Throws a request-wide failure only when nothing of
  /// this call can have run on the server (then nothing was created: the error itself says why).
  void run() {
    for (;;) {
      settle_or_fail();
      verify_keys(ctx_, works_, loop_);
      settle_or_fail();
      Round round = plan_round(works_);
      if (round.calls.empty()) return;
      // Every round after the first sends adds that may have run before: a budgeted retry; steps
      // the server throttled wait for its window, and alone cost no budget (nothing ran).
      if (rounds_++ > 0 && !next_round(round)) {
        if (const auto reason = loop_.stopped_by_caller()) {
          last_error_ = std::make_exception_ptr(CancelledError(*reason, "create_meetings", anything_sent()));
        }
        fail_pending(round, last_error_);
        return;
      }
      send(round);
    }
  }

  /// Rolls back the failed meetings and writes every result.
  void finish(std::vector<std::optional<MeetingResult>>& results) {
    for (Work& w : works_) {
      // Unsettled objects under a caller's key that this call never sent to are not its own.
      if (w.failed_step && w.unsure && !w.sent) w.unsure = false;
    }
    // Re-check what is still unsettled before giving up, with a fresh deadline: the rollback
    // matters even when making the meeting ran out of time.
    RetryLoop rollback_loop = ctx_.api.retry_loop();
    std::exception_ptr error;
    if (!settle(ctx_, works_, rollback_loop, error) && error) last_error_ = error;
    check_rooms_in_use(ctx_, works_, rollback_loop);
    std::vector<Undo> undo = plan_undo(works_);
    run_undo(ctx_, undo);
    const std::string reason = last_error_ ? details_of(last_error_).message : std::string{};
    for (std::size_t i = 0; i < works_.size(); ++i) {
      Work& w = works_[i];
      if (w.done) {
        if (w.tmpl) w.tmpl->event = w.event->id;
        results[w.spec].emplace(Meeting{std::move(*w.room), std::move(*w.event), std::move(*w.link), std::move(w.tmpl)});
      } else if (w.failed_step) {
        auto [outcome, note] = verdict(w, undo, i, reason);
        const MeetingError err =
            MeetingErrorFactory::make(*w.failed_step, std::move(w.failure), note, outcome, w.keys(), w.cause);
        std::string message = err.what();
        results[w.spec].emplace(std::make_exception_ptr(err), std::move(message));
      }
    }
  }

 private:
  /// Waits for the next round as the loop allows: after the server's window when some of its steps
  /// were ACTION_BLOCKED, and free of the budget when those are all it sends (nothing ran).
  bool next_round(const Round& round) {
    bool throttled = false;
    bool other = false;
    for (std::size_t i = 0; i < works_.size(); ++i) {
      if (!round.slots[i].any()) continue;
      (works_[i].blocked ? throttled : other) = true;  // send() clears it for the next round
    }
    return loop_.next(RetryDecision{.retry = true, .min_delay = {}, .throttled = throttled},
                      throttled && !other ? RetryCost::throttled : RetryCost::budgeted);
  }

  /// `failure`, or the CancelledError of the caller's token or deadline when it ended the loop.
  [[nodiscard]] std::exception_ptr stopped_error(const std::exception_ptr& failure) const {
    const auto reason = loop_.stopped_by_caller();
    if (!reason) return failure;
    return std::make_exception_ptr(CancelledError(*reason, "create_meetings", anything_sent(), {}, {}, failure));
  }

  [[nodiscard]] bool anything_sent() const {
    return std::any_of(works_.begin(), works_.end(), [](const Work& w) { return w.sent; });
  }

  /// Settles the unsure meetings; those the server does not let kmeet settle fail (and stay
  /// unsure: their verdict is "outcome unknown").
  void settle_or_fail() {
    std::exception_ptr error;
    if (settle(ctx_, works_, loop_, error)) return;
    // The caller's deadline or token ended the look-ups: say so (with the server's last answer as
    // the cause), not only what the last look-up got.
    if (const auto reason = loop_.stopped_by_caller()) {
      error = std::make_exception_ptr(CancelledError(*reason, "create_meetings", anything_sent(), {}, {}, error));
    }
    last_error_ = error;
    if (!anything_sent()) std::rethrow_exception(error);  // only look-ups ran: nothing was created
    for (Work& w : works_) {
      if (w.unsure && w.pending()) fail(w, w.next_step(), error);
    }
  }

  /// Fails the pending meetings of `round` with `error` (or, without one, "not confirmed").
  void fail_pending(const Round& round, const std::exception_ptr& error) {
    for (std::size_t i = 0; i < works_.size(); ++i) {
      Work& w = works_[i];
      if (!w.pending() || !round.slots[i].any()) continue;
      if (w.blocked && !loop_.stopped_by_caller()) {
        fail(w, w.next_step(), w.blocked);  // still throttled when the retries ran out
      } else if (error) {
        fail(w, w.next_step(), error);
      } else {
        ApiError::Details d;
        d.code = "KMEET_BAD_RESPONSE";
        d.message = "the meeting was still not complete when the RetryPolicy ran out (its attempts, budget or deadline)";
        fail(w, w.next_step(), std::move(d));
      }
    }
  }

  void send(const Round& round) {
    // This round's answers say whether a meeting is still throttled (a lost answer says nothing).
    for (std::size_t i = 0; i < works_.size(); ++i) {
      if (round.slots[i].any()) works_[i].blocked = nullptr;
    }
    std::vector<ItemResult> items;
    try {
      items = ctx_.api.multirequest(round.calls, &one_attempt());
    } catch (const Error&) {
      const std::exception_ptr failure = std::current_exception();
      last_error_ = failure;
      if (outcome_unknown(failure)) {
        for (std::size_t i = 0; i < works_.size(); ++i) {
          Work& w = works_[i];
          if (!w.pending() || !round.slots[i].any()) continue;
          w.sent = w.unsure = true;
          if (round.slots[i].room >= 0 && w.new_room) w.room_add_may_have_run = true;
          if (round.slots[i].tmpl >= 0) w.tmpl_add_may_have_run = true;
          if (round.slots[i].event >= 0) w.event_add_may_have_run = true;
          w.verified = false;  // a late copy of this request may make a twin: check the key once made
        }
        return;  // settled by the next look-up
      }
      // Provably not executed: the same round again as the policy allows (Retry-After honoured).
      if (loop_.next(failure, false)) {
        --rounds_;
        return;
      }
      // A wait (a throttling window, a backoff) ended by the caller's token or deadline: that is
      // what stopped the call, with the server's last answer as the cause.
      const std::exception_ptr error = stopped_error(failure);
      last_error_ = error;
      if (!anything_sent()) std::rethrow_exception(error);
      fail_pending(round, error);
      return;
    }
    judge_round(works_, round, items);
    judge_folded(works_, round, items);
    for (std::size_t i = 0; i < works_.size(); ++i) {
      if (round.slots[i].any()) works_[i].sent = true;
    }
  }

  const ServiceContext& ctx_;
  std::vector<Work> works_;
  RetryLoop loop_;
  int rounds_ = 0;
  std::exception_ptr last_error_;
};

}  // namespace

std::vector<MeetingResult> create_meetings(const ServiceContext& ctx, std::span<const MeetingSpec> specs) {
  std::vector<std::optional<MeetingResult>> results(specs.size());
  MeetingRun run(ctx, prepare(ctx, specs, results));
  run.run();
  run.finish(results);
  std::vector<MeetingResult> out;
  out.reserve(results.size());
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

}  // namespace detail
}  // namespace kmeet
