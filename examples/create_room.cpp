// Guide step 1: create a Meetings room (a KalturaLocationScheduleResource tagged vcprovider:newrow)
// with a few typed settings.
//
//   KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... kmeet_example_create_room "Room-1" [capacity]
#include <kmeet/client.hpp>
#include <kmeet/errors.hpp>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " NAME [CAPACITY]\n";
    return 2;
  }
  try {
    const kmeet::Client client = kmeet::Client::from_env();

    kmeet::Room room;
    room.name = argv[1];
    room.description = "Created by the kmeet create_room example";
    if (argc > 2) room.settings.set("rs_room_cap", argv[2]);  // validated: a positive number
    room.settings.rs_show_logo = true;
    room.settings.session.rs_show_invite = false;  // a session default kept on the room

    const kmeet::Room created = client.rooms().add(room);
    std::cout << "room " << created.id.value() << " \"" << created.name << "\" tags: " << created.tags << '\n';
    return 0;
  } catch (const kmeet::ValidationError& e) {
    std::cerr << "invalid " << e.field() << ": " << e.reason() << '\n';
  } catch (const kmeet::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
  }
  return 1;
}
