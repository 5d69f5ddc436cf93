// Guide step 2: schedule a session in a room. The event and its link to the room are created in
// ONE round trip; if any part fails, nothing is left behind.
//
//   KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... kmeet_example_schedule_event ROOM_ID "Summary" [minutes]
#include <kmeet/client.hpp>
#include <kmeet/errors.hpp>

#include <chrono>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0] << " ROOM_ID SUMMARY [MINUTES]\n";
    return 2;
  }
  try {
    const kmeet::Client client = kmeet::Client::from_env();
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const int minutes = argc > 3 ? std::stoi(argv[3]) : 60;

    kmeet::Event event;
    event.summary = argv[2];
    event.start = now + std::chrono::hours(24);  // absolute Unix seconds (never small numbers)
    event.end = *event.start + std::chrono::minutes(minutes);
    event.settings.rec_auto_start = true;        // custom_rec_auto_start:1
    event.settings.rs_show_invite = true;
    event.settings.rs_user_lang = kmeet::Language::es_LA;

    const kmeet::Meeting meeting = client.create_meeting(kmeet::MeetingSpec{
        .room = kmeet::RoomId(std::stoll(argv[1])),
        .event = event,
    });
    std::cout << "event " << meeting.event.id.value() << " in room " << meeting.room.id.value() << " (\""
              << meeting.room.name << "\"), tags: " << meeting.event.tags << '\n';
    return 0;
  } catch (const kmeet::MeetingError& e) {
    std::cerr << "failed at step " << kmeet::to_string(e.step()) << " (" << e.code() << "): " << e.what() << '\n';
  } catch (const kmeet::ValidationError& e) {
    std::cerr << "invalid " << e.field() << ": " << e.reason() << '\n';
  } catch (const kmeet::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "bad argument: " << e.what() << '\n';
  }
  return 1;
}
