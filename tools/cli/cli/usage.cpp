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

std::string flag_for_field(std::string_view field) {
  for (const auto& [sdk, flag] : kFlags) {
    if (field == sdk) return std::string(flag);
  }
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
  constexpr std::string_view kSdk = "allow_long_event";
  for (auto at = reason.find(kSdk); at != std::string::npos; at = reason.find(kSdk, at)) {
    reason.replace(at, kSdk.size(), "--allow-long");
  }
  return reason;
}

}  // namespace kmeet::cli
