#include "cli/settings.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "kmeet/errors.hpp"
#include "kmeet/settings.hpp"

namespace kmeet::cli {
namespace {

constexpr std::string_view kOnOff = "on|off";

const std::vector<SettingInfo> kRoom = {
    {"cat_id", "text", "category ids that session recordings are published to"},
    {"company_logo", "url", "logo URL, http:// or https:// (URL-encoded into the tag)"},
    {"live_entry", "text", "live entry id pre-loaded into the Live Broadcast module"},
    {"playlist_id", "text", "playlist id to load in the room"},
    {"reset_playlist_instance", kOnOff, "create a new playlist instance if the id is already loaded"},
    {"redirect_url", "url", "where participants go after leaving (URL-encoded into the tag)"},
    {"rs_room_cap", "integer", "room capacity for the coming session (1..1000000)"},
    {"rs_show_logo", kOnOff, "show the company logo in the toolbar"},
    {"p_rtmp_url", "rtmp-url", "primary RTMP URL of the broadcast service (rtmp:// or rtmps://)"},
    {"s_rtmp_url", "rtmp-url", "secondary RTMP URL of the broadcast service (rtmp:// or rtmps://)"},
    {"rtmp_key", "text", "broadcast key of the RTMP stream"},
    {"tp_playlist_id", "text", "third-party playlist id"},
    {"xl_room_max", "300|400|500|600|700", "participants expected in an XL room"},
    {"xl_room_pres", "integer", "presenters live at the same time in an XL room"},
    {"xl_room_geo", "us-east-1|eu-central-1|ap-southeast-1|ap-northeast-1|global", "XL room region"},
    {"rs_room_version", "text", "room version, e.g. NR2"},
};

const std::vector<SettingInfo> kEvent = {
    {"rec_auto_start", kOnOff, "start recording when the instructor joins"},
    {"rec_set_reminder", kOnOff, "remind the instructor to record after two minutes"},
    {"rs_auto_clear_chat_end_of_session", kOnOff, "clear the chat when the session ends"},
    {"rs_class_mode", "virtual_classroom|webinar", "room mode"},
    {"rs_enable_guests_to_join", kOnOff, "let guests join with the invite link"},
    {"rs_enable_media_library", kOnOff, "show the Video Library tool"},
    {"rs_hide_end_session", kOnOff, "hide the End Session button"},
    {"rs_hide_leave_session", kOnOff, "hide the Leave Session button"},
    {"rs_show_chat", kOnOff, "chat for students and guests"},
    {"rs_show_chat_moderators", kOnOff, "moderator chat"},
    {"rs_show_chat_questions", kOnOff, "Q&A for students and guests"},
    {"rs_show_invite", kOnOff, "invite option for moderators"},
    {"rs_show_language_selection", kOnOff, "Select Language in the options menu"},
    {"rs_show_ondemand_page_link", kOnOff, "On Demand Course in the options menu"},
    {"rs_show_participant", kOnOff, "participant list for students and guests"},
    {"rs_user_lang", "fr-FR|de-DE|ko-KR|pt-BR|ja-JP|en-US|zh-CN|it-IT|es-LA|he-IL|en-VE", "room language"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The SDK's own check of the value (RoomSettings/EventSettings::set and the tag encoder: the code
// Rooms::add runs), so what --set and the CSV accept is exactly what the SDK sends.
std::string sdk_checked(SettingScope scope, std::string_view key, std::string value, const std::string& field) {
  try {
    if (scope == SettingScope::room) {
      RoomSettings s;
      s.set(key, value);
      (void)s.to_tags();
    } else {
      EventSettings s;
      s.set(key, value);
      (void)s.to_tags();
    }
  } catch (const ValidationError& e) {
    throw ValidationError(field, e.reason());
  }
  return value;
}

bool is_choice(std::string_view values) { return values.find('|') != std::string_view::npos; }

bool in_choices(std::string_view values, std::string_view v) {
  while (!values.empty()) {
    auto bar = values.find('|');
    if (values.substr(0, bar) == v) return true;
    if (bar == std::string_view::npos) break;
    values.remove_prefix(bar + 1);
  }
  return false;
}

}  // namespace

const std::vector<SettingInfo>& known_settings(SettingScope scope) {
  return scope == SettingScope::room ? kRoom : kEvent;
}

std::string normalize_setting(SettingScope scope, std::string_view key, std::string_view value) {
  const char* prefix = scope == SettingScope::room ? "room." : "event.";
  std::string field = prefix + std::string(key);
  const auto& list = known_settings(scope);
  auto it = std::find_if(list.begin(), list.end(), [&](const SettingInfo& s) { return s.name == key; });
  if (it == list.end() && scope == SettingScope::room) {
    // Session settings set on a room are its defaults (guide FAQ: "on the resource or event").
    it = std::find_if(kEvent.begin(), kEvent.end(), [&](const SettingInfo& s) { return s.name == key; });
    if (it == kEvent.end()) it = list.end();
  }
  if (it == list.end()) {
    std::string names;
    for (const auto& s : list) names += (names.empty() ? "" : ", ") + std::string(s.name);
    throw ValidationError(field, fmt::format("unknown {} setting (known: {})",
                                             scope == SettingScope::room ? "room" : "event", names));
  }
  if (value.empty()) throw ValidationError(field, "must not be empty");
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      throw ValidationError(field, "must not contain control characters");
    }
  }
  if (it->values == kOnOff) {
    auto v = lower(value);
    if (v == "1" || v == "on" || v == "true" || v == "yes") return "1";
    if (v == "0" || v == "off" || v == "false" || v == "no") return "0";
    throw ValidationError(field, fmt::format("'{}' is not on/off (use 1/0, on/off, true/false)", value));
  }
  if (it->values == "integer") {
    bool digits = std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    if (!digits || value.size() > 9) throw ValidationError(field, fmt::format("'{}' is not a whole number", value));
  } else if (is_choice(it->values) && !in_choices(it->values, value)) {
    throw ValidationError(field, fmt::format("'{}' is not one of {}", value, it->values));
  }
  return sdk_checked(scope, key, std::string(value), field);
}

std::pair<std::string, std::string> parse_set(SettingScope scope, std::string_view key_value) {
  auto eq = key_value.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw ValidationError("--set", fmt::format("'{}' is not KEY=VALUE", key_value));
  }
  std::string key = lower(key_value.substr(0, eq));
  if (key.rfind("custom_", 0) == 0) key.erase(0, 7);
  return {key, normalize_setting(scope, key, key_value.substr(eq + 1))};
}

}  // namespace kmeet::cli
