#pragma once
/// @file settings.hpp
/// Typed Kaltura Meetings room and session settings (protocol.md G.3), carried on the wire
/// as comma-separated `key:value` pairs in the `tags` field of a room or an event.
///
/// On/off settings are `std::optional<bool>` (unset = not sent, the room's default applies) and
/// go out as `1`/`0`; URLs are held plain and percent-encoded into the tag; enumerations are
/// `enum class`. Tags kmeet does not know are kept in `extra`, and the order in which tags were
/// read is kept in `read_order`, so `from_tags(t).to_tags() == t` for every tag string the
/// server returns.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kmeet/export.hpp"

namespace kmeet {

/// `custom_rs_class_mode`.
enum class ClassMode {
  virtual_classroom,  ///< users are set Live and prompted to activate webcams
  webinar,            ///< users are not live
};

/// `custom_rs_user_lang`: the room's forced interface locale (G.3 list).
enum class Language { fr_FR, de_DE, ko_KR, pt_BR, ja_JP, en_US, zh_CN, it_IT, es_LA, he_IL, en_VE };

/// `custom_xl_room_geo`: where the presenters of an XL room are.
enum class XlRoomGeo { us_east_1, eu_central_1, ap_southeast_1, ap_northeast_1, global };

/// The wire spelling, e.g. `virtual_classroom`, `es-LA`, `eu-central-1` (empty for a value that is not an enumerator; never throws: see types.hpp).
[[nodiscard]] KMEET_EXPORT std::string_view to_string(ClassMode mode) noexcept;
/// The wire name of the value (empty for a value that is not an enumerator; never throws: see types.hpp).
[[nodiscard]] KMEET_EXPORT std::string_view to_string(Language language) noexcept;
/// The wire name of the value (empty for a value that is not an enumerator; never throws: see types.hpp).
[[nodiscard]] KMEET_EXPORT std::string_view to_string(XlRoomGeo geo) noexcept;
/// The enumerator for a wire spelling; nullopt when it is not one of the documented values.
[[nodiscard]] KMEET_EXPORT std::optional<ClassMode> parse_class_mode(std::string_view text);
/// Parses a locale such as `es-LA`; nullopt for an unknown one (never throws).
[[nodiscard]] KMEET_EXPORT std::optional<Language> parse_language(std::string_view text);
/// Parses a geo such as `us-east-1`; nullopt for an unknown one (never throws).
[[nodiscard]] KMEET_EXPORT std::optional<XlRoomGeo> parse_xl_room_geo(std::string_view text);

/// Settings of one event (event tags; the guide's "session-level" settings, G.3). Set on a room
/// (`RoomSettings::session`) they are the room's defaults; set on an event they override the
/// room's when people join by event id.
struct KMEET_EXPORT EventSettings {
  std::optional<bool> rec_auto_start;                     ///< `custom_rec_auto_start`
  std::optional<bool> rec_set_reminder;                   ///< `custom_rec_set_reminder`
  std::optional<bool> rs_auto_clear_chat_end_of_session;  ///< `custom_rs_auto_clear_chat_end_of_session`
  std::optional<ClassMode> rs_class_mode;                 ///< `custom_rs_class_mode`
  std::optional<bool> rs_enable_guests_to_join;           ///< `custom_rs_enable_guests_to_join`
  std::optional<bool> rs_enable_media_library;            ///< `custom_rs_enable_media_library`
  std::optional<bool> rs_hide_end_session;                ///< `custom_rs_hide_end_session`
  std::optional<bool> rs_hide_leave_session;              ///< `custom_rs_hide_leave_session`
  std::optional<bool> rs_show_chat;                       ///< `custom_rs_show_chat`
  std::optional<bool> rs_show_chat_moderators;            ///< `custom_rs_show_chat_moderators`
  std::optional<bool> rs_show_chat_questions;             ///< `custom_rs_show_chat_questions`
  std::optional<bool> rs_show_invite;                     ///< `custom_rs_show_invite`
  std::optional<bool> rs_show_language_selection;         ///< `custom_rs_show_language_selection`
  std::optional<bool> rs_show_ondemand_page_link;         ///< `custom_rs_show_ondemand_page_link`
  std::optional<bool> rs_show_participant;                ///< `custom_rs_show_participant`
  std::optional<Language> rs_user_lang;                   ///< `custom_rs_user_lang`

  /// Tags kmeet does not know (or known keys with a value kmeet does not read), kept as
  /// `{key, value}`; an entry with an empty value is written as the bare key.
  std::vector<std::pair<std::string, std::string>> extra;
  /// Keys in the order they were read; `to_tags()` writes them in that order first. Leave empty
  /// when building settings in code (the G.3 order is used).
  std::vector<std::string> read_order;

  /// The `tags` string, e.g. `custom_rec_auto_start:1,custom_rs_user_lang:es-LA`; empty when
  /// nothing is set. Throws ValidationError (field `settings.<key>`) for a value that would
  /// corrupt the tags.
  [[nodiscard]] std::string to_tags() const;
  /// Reads a `tags` string; never throws (what kmeet cannot type goes to `extra`).
  [[nodiscard]] static EventSettings from_tags(std::string_view tags);
  /// Sets one setting by its G.3 name without `custom_` (e.g. `rs_class_mode`, `rec_auto_start`)
  /// from text (`1/0/on/off/true/false` for on/off settings). Throws ValidationError naming
  /// `settings.<key>` for an unknown key or a bad value. Used by the CLI `--set` and CSV import.
  void set(std::string_view key, std::string_view value);
  /// True when nothing at all is set.
  [[nodiscard]] bool empty() const;
  /// Value equality of the settings (ignores `read_order`).
  [[nodiscard]] bool same_values(const EventSettings& other) const;
};

/// Settings of a room (resource tags, G.3). `vcprovider:newrow` is always written: it is what
/// makes a resource a Meetings room.
struct KMEET_EXPORT RoomSettings {
  /// `custom_cat_id`: the category recordings go to. One id: the guide calls it a "comma separated
  /// list", but tags are themselves comma-separated `key:value` items and no public source shows
  /// how a list is carried in one tag, so a list is unconfirmed (protocol.md G.3) and refused.
  std::optional<std::int64_t> cat_id;
  std::optional<std::string> company_logo;          ///< `custom_company_logo`: logo URL (plain; percent-encoded on the wire)
  std::optional<std::string> live_entry;            ///< `custom_live_entry`: live entry id for the broadcast module
  std::optional<std::string> playlist_id;           ///< `custom_playlist_id`
  std::optional<bool> reset_playlist_instance;      ///< `custom_reset_playlist_instance`
  std::optional<std::string> redirect_url;          ///< `custom_redirect_url`: URL after leaving (plain; percent-encoded on the wire)
  std::optional<int> rs_room_cap;                   ///< `custom_rs_room_cap`: capacity, > 0
  std::optional<bool> rs_show_logo;                 ///< `custom_rs_show_logo`
  std::optional<std::string> p_rtmp_url;            ///< `custom_p_rtmp_url`: primary RTMP URL (rtmp:// or rtmps://)
  std::optional<std::string> s_rtmp_url;            ///< `custom_s_rtmp_url`: secondary RTMP URL
  std::optional<std::string> rtmp_key;              ///< `custom_rtmp_key`: stream key
  std::optional<std::string> tp_playlist_id;        ///< `custom_tp_playlist_id`: third-party playlist id
  std::optional<int> xl_room_max;                   ///< `custom_xl_room_max`: 300, 400, 500, 600 or 700
  std::optional<int> xl_room_pres;                  ///< `custom_xl_room_pres`: concurrent live presenters, > 0
  std::optional<XlRoomGeo> xl_room_geo;             ///< `custom_xl_room_geo`
  std::optional<std::string> rs_room_version;       ///< `custom_rs_room_version` (e.g. `NR2`)
  /// Event settings set on the room as its defaults (`custom_rs_show_invite:0` etc.; the guide
  /// calls them session-level settings).
  EventSettings session;

  /// Unknown tags, as in EventSettings::extra.
  std::vector<std::pair<std::string, std::string>> extra;
  /// Keys in the order they were read, as in EventSettings::read_order.
  std::vector<std::string> read_order;
  /// False when the tags read lacked `vcprovider:newrow` (not a Meetings room). `to_tags()`
  /// writes it regardless.
  bool newrow = true;

  /// The `tags` string, always containing `vcprovider:newrow`. Throws ValidationError.
  [[nodiscard]] std::string to_tags() const;
  /// Reads a `tags` string; never throws.
  [[nodiscard]] static RoomSettings from_tags(std::string_view tags);
  /// Sets a room or session setting by its G.3 name without `custom_` (e.g. `rs_room_cap`,
  /// `company_logo`, `rs_show_invite`). Throws ValidationError naming `settings.<key>`.
  void set(std::string_view key, std::string_view value);
  /// Value equality of the settings (ignores `read_order` and `newrow`).
  [[nodiscard]] bool same_values(const RoomSettings& other) const;
};

/// The G.3 names (without `custom_`) that `RoomSettings::set` / `EventSettings::set` accept.
[[nodiscard]] KMEET_EXPORT std::vector<std::string_view> room_setting_keys();
/// The names of every session setting (without `custom_`), in the guide's order.
[[nodiscard]] KMEET_EXPORT std::vector<std::string_view> event_setting_keys();

}  // namespace kmeet
