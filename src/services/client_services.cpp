// Client accessors for rooms, events, links and meetings (kept apart from client/client.cpp).

#include "kmeet/client.hpp"
#include "services/meetings.hpp"

namespace kmeet {

Rooms Client::rooms() const { return Rooms(ctx_); }
Events Client::events() const { return Events(ctx_); }
Links Client::links() const { return Links(ctx_); }
Recordings Client::recordings() const { return Recordings(ctx_); }

Meeting Client::create_meeting(const MeetingSpec& spec) const {
  auto results = detail::create_meetings(*ctx_, std::span<const MeetingSpec>(&spec, 1));
  return results.at(0).value();  // rethrows the ValidationError / MeetingError
}

std::vector<MeetingResult> Client::create_meetings(std::span<const MeetingSpec> specs) const {
  return detail::create_meetings(*ctx_, specs);
}

}  // namespace kmeet
