// Guide step 3: list every session scheduled in a room (all pages, fetched lazily).
//
//   KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... kmeet_example_list_room_events ROOM_ID
#include <kmeet/client.hpp>
#include <kmeet/errors.hpp>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " ROOM_ID\n";
    return 2;
  }
  try {
    const kmeet::Client client = kmeet::Client::from_env();
    const kmeet::RoomId room(std::stoll(argv[1]));
    const kmeet::Room info = client.rooms().get(room);
    std::cout << "room " << info.id.value() << " \"" << info.name << "\"\n";

    kmeet::EventFilter filter;
    filter.room_id = room;  // resourceIdEqual
    int n = 0;
    for (const kmeet::Event& e : client.events().list_all(filter)) {
      std::cout << "  event " << e.id.value() << "  " << (e.start ? e.start->time_since_epoch().count() : 0) << ".."
                << (e.end ? e.end->time_since_epoch().count() : 0) << "  "
                << (e.status == kmeet::EventStatus::cancelled ? "[cancelled] " : "") << e.summary << '\n';
      ++n;
    }
    std::cout << n << " event(s)\n";
    return 0;
  } catch (const kmeet::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "bad argument: " << e.what() << '\n';
  }
  return 1;
}
