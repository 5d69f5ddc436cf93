// kmeet::AsyncClient (include/kmeet/async.hpp): each call is the blocking call run as a fiber on
// the client's async engine (docs/async.md).

#include "kmeet/async.hpp"

#include "client/context.hpp"
#include "http/async_engine.hpp"

namespace kmeet {

void AsyncClient::spawn(std::function<void()> body) const {
  detail::ClientAccess::context(*client_)->engine().spawn(std::move(body));
}

std::thread::id AsyncClient::engine_thread() const {
  return detail::ClientAccess::context(*client_)->engine().thread_id();
}

std::size_t AsyncClient::in_flight() const { return detail::ClientAccess::context(*client_)->engine().fibers(); }

std::future<Meeting> AsyncClient::create_meeting(MeetingSpec spec, Completion<Meeting> done) const {
  return run([spec = std::move(spec)](const Client& c) { return c.create_meeting(spec); }, std::move(done));
}

std::future<std::vector<MeetingResult>> AsyncClient::create_meetings(std::vector<MeetingSpec> specs,
                                                                     Completion<std::vector<MeetingResult>> done) const {
  return run([specs = std::move(specs)](const Client& c) { return c.create_meetings(specs); }, std::move(done));
}

std::future<Room> AsyncClient::add_room(Room room, Completion<Room> done) const {
  return run([room = std::move(room)](const Client& c) { return c.rooms().add(room); }, std::move(done));
}

std::future<Page<Room>> AsyncClient::list_rooms(RoomFilter filter, Pager pager, Completion<Page<Room>> done) const {
  return run([filter = std::move(filter), pager](const Client& c) { return c.rooms().list(filter, pager); },
             std::move(done));
}

std::future<Event> AsyncClient::add_event(Event event, EventAddOptions options, Completion<Event> done) const {
  return run([event = std::move(event), options = std::move(options)](const Client& c) {
    return c.events().add(event, options);
  }, std::move(done));
}

std::future<Page<Event>> AsyncClient::list_events(EventFilter filter, Pager pager, Completion<Page<Event>> done) const {
  return run([filter = std::move(filter), pager](const Client& c) { return c.events().list(filter, pager); },
             std::move(done));
}

std::future<EventRoomLink> AsyncClient::add_link(EventId event, RoomId room, Completion<EventRoomLink> done) const {
  return run([event, room](const Client& c) { return c.links().add(event, room); }, std::move(done));
}

std::future<JoinLink> AsyncClient::join(JoinRequest request, Completion<JoinLink> done) const {
  return run([request = std::move(request)](const Client& c) { return c.join(request); }, std::move(done));
}

std::future<std::vector<RoomSession>> AsyncClient::analytics_sessions(RoomId room, std::optional<Timestamp> from,
                                                                      std::optional<Timestamp> to,
                                                                      Completion<std::vector<RoomSession>> done) const {
  return run([room, from, to](const Client& c) { return c.analytics().sessions(room, from, to).to_vector(); },
             std::move(done));
}

std::future<std::vector<Attendee>> AsyncClient::analytics_attendees(SessionId session, AnalyticsScope scope,
                                                                    Completion<std::vector<Attendee>> done) const {
  return run([session, scope](const Client& c) { return c.analytics().session_attendees(session, scope).to_vector(); },
             std::move(done));
}

}  // namespace kmeet
