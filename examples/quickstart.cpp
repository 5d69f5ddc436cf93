// The README's quick-start program, built and run against the emulator in ctest so the README stays true.
#include <kmeet/kmeet.hpp>

#include <iostream>

int main() {
  using namespace std::chrono_literals;
  kmeet::Client client = kmeet::Client::from_env();  // KALTURA_SERVICE_URL, _PARTNER_ID, _ADMIN_SECRET
  kmeet::Room room{.name = "Physics 101"};
  room.settings.rs_room_cap = 50;
  const auto start = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + 1h;
  kmeet::Event lecture{.summary = "Lecture 1", .start = start, .end = start + 1h};
  lecture.settings.rec_auto_start = true;
  const kmeet::Meeting m = client.create_meeting({.room = room, .event = lecture});  // one round trip
  const kmeet::JoinLink link = client.join(
      {.event = m.event.id, .user_id = "max@example.com", .role = kmeet::Role::attendee, .first_name = "Max"});
  std::cout << "room " << m.room.id.value() << ", event " << m.event.id.value() << "\n" << link.url << "\n";
}
