// The whole integration guide in one program: a room and a scheduled session linked to it (one
// round trip), join links for a moderator and an attendee with the iframe snippet, and the room's
// analytics: the sessions held and who attended each.
//
//   KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... kmeet_example_full_meeting_flow [--open-links]
//
// --open-links fetches both launch URLs the way a browser opening them would (against
// kmeet-emulator this records the joins, so the analytics have attendees to show). Against a real
// account leave it out and open the links yourself; KAF analytics may take a while to show them.
#include <kmeet/kmeet.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

namespace {

kmeet::Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace

int main(int argc, char** argv) {
  const bool open_links = argc == 2 && std::string(argv[1]) == "--open-links";
  if (argc > 2 || (argc == 2 && !open_links)) {
    std::cerr << "usage: " << argv[0] << " [--open-links]   (config from KALTURA_*)\n";
    return 2;
  }
  try {
    const kmeet::Client client = kmeet::Client::from_env();

    // Steps 1 and 2: room + session + link, in one HTTP request; rolled back if a step fails.
    kmeet::Room room;
    room.name = "Full flow room";
    room.description = "Made by examples/full_meeting_flow.cpp";
    kmeet::MeetingSpec spec;
    spec.room = room;
    spec.event.summary = "Full flow session";
    spec.event.start = now();
    spec.event.end = now() + std::chrono::hours(1);
    spec.event.settings.rs_show_invite = false;  // custom_rs_show_invite:0 (guide, Security)
    const kmeet::Meeting meeting = client.create_meeting(spec);
    std::cout << "room " << meeting.room.id.value() << " (" << meeting.room.name << ")\n"
              << "event " << meeting.event.id.value() << " (" << meeting.event.summary << ")\n";

    // Steps 3 and 4: a join link per person, and the iframe for the attendee's page.
    kmeet::JoinRequest moderator;
    moderator.event = meeting.event.id;
    moderator.user_id = "teacher@example.com";
    moderator.role = kmeet::Role::moderator;
    moderator.first_name = "Grace";
    moderator.last_name = "Hopper";
    kmeet::JoinRequest attendee;
    attendee.event = meeting.event.id;
    attendee.user_id = "student@example.com";
    attendee.first_name = "Alan";
    attendee.last_name = "Turing";
    const kmeet::JoinLink moderator_link = client.join(moderator);
    const kmeet::JoinLink attendee_link = client.join(attendee);
    std::cout << "moderator link: " << moderator_link.url << '\n'
              << "attendee link:  " << attendee_link.url << '\n'
              << kmeet::iframe_html(attendee_link.url) << '\n';

    if (open_links) {
      kmeet::CurlTransport browser(client.config().http);
      for (const kmeet::JoinLink* link : {&moderator_link, &attendee_link}) {
        kmeet::HttpRequest get;
        get.method = kmeet::HttpMethod::get;
        get.url = link->url;
        get.idempotent = true;
        const kmeet::HttpResponse page = browser.send(get);
        std::cout << "opened a launch page: HTTP " << page.status << '\n';
        if (page.status != 200) {
          return 1;
        }
      }
    }

    // Step 5: analytics of the room, every page fetched.
    int sessions = 0;
    for (const kmeet::RoomSession& session : client.analytics().sessions(meeting.room.id)) {
      ++sessions;
      std::cout << "session " << session.id.value() << " in " << session.room_name << '\n';
      for (const kmeet::Attendee& a : client.analytics().session_attendees(session.id, meeting.room.id)) {
        std::cout << "  attendee " << a.user_name << " <" << a.lti_user_id << "> " << a.user_type;
        if (const auto t = a.time_in_room()) {
          std::cout << ", " << t->count() << " s in the room";
        }
        std::cout << '\n';
      }
    }
    std::cout << sessions << " session(s) held in room " << meeting.room.id.value() << '\n';
  } catch (const kmeet::Error& e) {
    std::cerr << "kmeet: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
