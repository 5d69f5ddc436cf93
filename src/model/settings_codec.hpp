#pragma once
// The tags codec behind RoomSettings / EventSettings (protocol.md G.3).

#include <string>
#include <string_view>

#include "kmeet/settings.hpp"

namespace kmeet::detail {

/// The tags string of `s`; ValidationError fields are `<prefix>.<key>`, e.g. `room.settings.rs_room_cap`.
std::string encode_room_tags(const RoomSettings& s, std::string_view prefix);
std::string encode_event_tags(const EventSettings& s, std::string_view prefix);

/// Percent-encoding of a URL setting (RFC 3986 unreserved characters kept) and its inverse.
std::string tag_url_encode(std::string_view plain);
std::string tag_url_decode(std::string_view encoded);

}  // namespace kmeet::detail
