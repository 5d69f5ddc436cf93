// Join links for a scheduled session (guide step "Creating a Kaltura Session" and "Creating the
// Virtual Meeting Room URL"): one for a moderator, one for an attendee, and the iframe snippet to
// embed the attendee's room in a page. Each KS is minted locally from the admin secret (or through
// session.start with the user secret when no admin secret is configured).
//
//   KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... kmeet_example_join_urls EVENT_ID
//   (EVENT_ID defaults to $KMEET_EVENT_ID; add KALTURA_SERVICE_URL / KALTURA_KAF_URL for the emulator)
//
// The links carry personal credentials: print them only to the person they are for. This example
// prints them because it is one.
#include <kmeet/client.hpp>
#include <kmeet/errors.hpp>
#include <kmeet/urls.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  std::string event_text;
  if (argc == 2) {
    event_text = argv[1];
  } else if (const char* env = std::getenv("KMEET_EVENT_ID"); argc == 1 && env != nullptr) {
    event_text = env;
  } else {
    std::cerr << "usage: " << argv[0] << " EVENT_ID   (or set KMEET_EVENT_ID; config from KALTURA_*)\n";
    return 2;
  }

  try {
    char* end = nullptr;
    const long long event_id = std::strtoll(event_text.c_str(), &end, 10);
    if (end == event_text.c_str() || *end != '\0') {
      throw kmeet::ValidationError("EVENT_ID", "must be a number");
    }
    const kmeet::Client client = kmeet::Client::from_env();

    kmeet::JoinRequest moderator;
    moderator.event = kmeet::EventId(event_id);
    moderator.user_id = "speaker@example.com";
    moderator.role = kmeet::Role::moderator;
    moderator.last_name = "Speaker";
    moderator.ttl = std::chrono::hours(4);  // moderators often open the room early
    const kmeet::JoinLink moderator_link = client.join(moderator);

    kmeet::JoinRequest attendee;
    attendee.event = kmeet::EventId(event_id);
    attendee.user_id = "max@example.com";  // unique per person
    attendee.role = kmeet::Role::attendee;
    attendee.first_name = "Max";
    attendee.ttl = std::chrono::hours(2);
    const kmeet::JoinLink attendee_link = client.join(attendee);

    kmeet::IframeOptions frame;
    frame.width = "1100px";
    frame.height = "700px";

    std::cout << "moderator: " << moderator_link.url << '\n'
              << "attendee:  " << attendee_link.url << '\n'
              << "attendee link expires at "
              << std::chrono::duration_cast<std::chrono::seconds>(
                     attendee_link.expires_at.time_since_epoch()).count()
              << " (Unix time)\n\n"
              << "<!DOCTYPE html>\n<html>\n<body>\n  " << kmeet::iframe_html(attendee_link.url, frame)
              << "\n</body>\n</html>\n";
  } catch (const kmeet::ValidationError& e) {
    std::cerr << "invalid input: " << e.what() << '\n';
    return 2;
  } catch (const kmeet::Error& e) {
    std::cerr << "kmeet: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
