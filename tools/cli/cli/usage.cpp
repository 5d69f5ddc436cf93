#include "cli/usage.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "cli/settings.hpp"

namespace kmeet::cli {

std::optional<std::int64_t> parse_positive_id(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::string bad_id_reason(std::string_view text) {
  constexpr std::size_t kShown = 40;  // a pasted paragraph is not echoed whole
  std::string shown(text.substr(0, kShown));
  if (text.size() > kShown) shown += "...";
  return fmt::format("'{}' is not a positive whole number", shown);
}

namespace {

// SDK field -> the flag that sets it. Fields of settings (`room.rs_room_cap`) are handled below.
constexpr std::array<std::pair<std::string_view, std::string_view>, 30> kFlags{{
    {"room", "--room"},
    {"event", "--event"},
    {"room.name", "--name"},
    {"room.description", "--description"},
    {"room.system_name", "--system-name"},
    {"room.settings", "--set"},
    {"event.summary", "--summary"},
    {"event.description", "--description"},
    {"event.start", "--start"},
    {"event.end", "--end"},
    {"event.reference_id", "--reference-id"},
    {"event.settings", "--set"},
    {"join.user_id", "--user"},
    {"join.ttl", "--ttl"},
    {"join.event", "--event"},
    {"join.room", "--room"},
    {"join.event/join.room", "--event/--room"},
    {"join.first_name", "--first-name"},
    {"join.last_name", "--last-name"},
    {"join.email", "--email"},
    {"privileges.firstName", "--first-name"},
    {"privileges.lastName", "--last-name"},
    {"privileges.email", "--email"},
    {"privileges.role", "--role"},
    {"privileges.userContextualRole", "--contextual-role"},
    {"privileges.eventId", "--event"},
    {"privileges.resourceId", "--room"},
    {"privileges.api", "--api"},
    {"session.userId", "--user"},
    {"session.expiry", "--ttl"},
}};

}  // namespace

// The SDK's HttpOptions / Config members as the CLI's flags.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kOptionNames{{
    {"HttpOptions::ca_file / ca_path", "--ca-file"},
    {"HttpOptions::ca_file", "--ca-file"},
    {"HttpOptions::ca_path", "--ca-file"},
    {"HttpOptions::proxy", "--proxy"},
    {"HttpOptions::timeout", "--timeout"},
    {"HttpOptions::verify_tls", "--insecure"},
    {"HttpOptions::max_response_bytes", "the response size limit"},
    {"allow_long_event", "--allow-long"},
    {"http.timeout", "--timeout"},
}};

std::string flag_for_field(std::string_view field) {
  for (const auto& [sdk, flag] : kFlags) {
    if (field == sdk) return std::string(flag);
  }
  for (const auto& [sdk, flag] : kOptionNames) {
    if (field == sdk) return std::string(flag);
  }
  // A setting as the SDK's RoomSettings/EventSettings::set names it: `settings.rs_room_cap`.
  if (field.substr(0, 9) == "settings.") return fmt::format("--set {}", field.substr(9));
  // A setting given with --set: `room.rs_room_cap` / `event.rs_show_chat` / `room.settings.x`.
  for (std::string_view scope : {"room.", "event."}) {
    if (field.substr(0, scope.size()) != scope) continue;
    std::string_view key = field.substr(scope.size());
    if (key.substr(0, 9) == "settings.") key.remove_prefix(9);
    for (auto s : {SettingScope::room, SettingScope::event}) {
      const auto& known = known_settings(s);
      if (std::any_of(known.begin(), known.end(), [&](const SettingInfo& i) { return i.name == key; })) {
        return fmt::format("--set {}", key);
      }
    }
  }
  if (field.substr(0, 11) == "privileges.") return fmt::format("--privilege {}", field.substr(11));
  return std::string(field);
}

std::string reason_for_cli(std::string reason) {
  for (const auto& [sdk, flag] : kOptionNames) {
    for (auto at = reason.find(sdk); at != std::string::npos; at = reason.find(sdk, at + flag.size())) {
      reason.replace(at, sdk.size(), flag);
    }
  }
  return reason;
}

}  // namespace kmeet::cli
