#pragma once
// Room and event settings by their G.3 names without the `custom_` prefix, as the CLI takes them
// (`--set rs_room_cap=50`, CSV columns `room.rs_room_cap` / `event.rs_class_mode`).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kmeet::cli {

enum class SettingScope { room, event };

/// One known setting: name (without `custom_`), what values it takes, and a one-line help.
struct SettingInfo {
  std::string_view name;
  std::string_view values;  ///< e.g. `on|off`, `integer`, `virtual_classroom|webinar`
  std::string_view help;
};

/// Every setting of a scope, in the guide's order.
const std::vector<SettingInfo>& known_settings(SettingScope scope);

/// Checks one setting and returns its value as it goes into the tag: on/off settings become `1`/`0`
/// (accepting 1/0, on/off, true/false, yes/no), integers are checked, enums matched exactly.
/// Throws ValidationError(field, reason) where field is `room.KEY` or `event.KEY`.
std::string normalize_setting(SettingScope scope, std::string_view key, std::string_view value);

/// Parses `KEY=VALUE` (from `--set`) and normalizes it. A `custom_` prefix is accepted and dropped.
std::pair<std::string, std::string> parse_set(SettingScope scope, std::string_view key_value);

}  // namespace kmeet::cli
