#pragma once
// KAF: the room launch page (`/virtualEvent/launch?ks=`) and the analytics proxy
// (`/newrowkaf/index/api?ks=`), protocol.md G.

#include <cstdint>
#include <string>

#include "world.hpp"

namespace kmeet::emulator {

struct KafResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
};

/// Validates the KS and the meeting, records the join and renders the room page; an HTML error
/// page with 403 (KS), 400 (bad meeting request) or 404 (unknown room/event) otherwise.
KafResponse kaf_launch(World& w, const std::string& ks, std::int64_t now);

/// Serves the analytics actions of the `api` privilege in the Newrow envelope.
KafResponse kaf_api(World& w, const std::string& ks, std::int64_t now);

/// Records a chat message (for `analytics/room-messages`); used by `POST /__emulator/messages`.
/// Returns an empty string on success, else why it was refused.
std::string add_message(World& w, std::int64_t resource_id, const std::string& type,
                        const std::string& user_id, const std::string& user_name,
                        const std::string& text, std::int64_t now);

}  // namespace kmeet::emulator
