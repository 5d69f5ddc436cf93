// Room and session settings <-> the `tags` string (protocol.md G.3).
//
// Tags are comma-separated `key:value` pairs; a value must never contain `,`. Known keys are
// typed; anything kmeet cannot read exactly (unknown keys, a second occurrence of a key, a value
// that is not in kmeet's canonical spelling) is kept verbatim in `extra`, and the order of the
// keys read is kept in `read_order`, so decoding then encoding gives back the same string.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>
#include <memory>
#include <set>

#include "core/encoding.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/settings.hpp"
#include "model/settings_codec.hpp"

namespace kmeet {
namespace {

constexpr std::string_view kPrefix = "custom_";
constexpr std::string_view kProviderTag = "vcprovider:newrow";

// How a setting's value is checked and spelled.
enum class Kind { flag, positive_int, xl_max, category, text, url, rtmp, class_mode, language, geo };

// ---- enum spellings ---------------------------------------------------------------------------

constexpr std::array<std::string_view, 2> kClassModes = {"virtual_classroom", "webinar"};
constexpr std::array<std::string_view, 11> kLanguages = {"fr-FR", "de-DE", "ko-KR", "pt-BR",
                                                         "ja-JP", "en-US", "zh-CN", "it-IT",
                                                         "es-LA", "he-IL", "en-VE"};
constexpr std::array<std::string_view, 5> kGeos = {"us-east-1", "eu-central-1", "ap-southeast-1",
                                                   "ap-northeast-1", "global"};

template <class E, std::size_t N>
std::optional<E> parse_enum(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view enum_name(const std::array<std::string_view, N>& names, E value) {
  auto i = static_cast<std::size_t>(value);
  return i < N ? names[i] : std::string_view{};
}

template <std::size_t N>
std::string join_names(const std::array<std::string_view, N>& names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// ---- value helpers ----------------------------------------------------------------------------

std::optional<std::int64_t> parse_canonical_int(std::string_view raw) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
  if (ec != std::errc{} || ptr != raw.data() + raw.size()) return std::nullopt;
  if (std::to_string(v) != raw) return std::nullopt;  // no leading zeros or '+'
  return v;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// Why `value` is not acceptable for `kind`, or empty when it is.
std::string text_problem(Kind kind, std::string_view value) {
  if (value.empty()) return "must not be empty";
  if (has_control(value)) return "must not contain control characters";
  if (kind == Kind::url) {
    if (!starts_with_ci(value, "http://") && !starts_with_ci(value, "https://"))
      return "must be an absolute http:// or https:// URL";
    return {};  // percent-encoded on the wire, so any character is safe
  }
  if (kind == Kind::rtmp && !starts_with_ci(value, "rtmp://") && !starts_with_ci(value, "rtmps://"))
    return "must be an rtmp:// or rtmps:// URL";
  if (value.find(',') != std::string_view::npos)
    return "must not contain ',' (it separates tags)";
  if (value.front() == ' ' || value.back() == ' ') return "must not start or end with a space";
  return {};
}

std::string int_problem(Kind kind, std::int64_t v) {
  switch (kind) {
    case Kind::xl_max:
      if (v < 300 || v > 700 || v % 100 != 0) return "must be one of 300, 400, 500, 600, 700";
      return {};
    case Kind::positive_int:
    case Kind::category:
      if (v <= 0) return "must be greater than 0";
      if (kind == Kind::positive_int && v > 1'000'000) return "must be at most 1000000";
      return {};
    default:
      return {};
  }
}

// ---- per-type operations: canonical encoding, exact decoding, checking, setting from text -----

// bool
std::optional<std::string> enc(const std::optional<bool>& v, Kind /*k*/) {
  if (!v) return std::nullopt;
  return std::string(*v ? "1" : "0");
}
bool dec(std::string_view raw, std::optional<bool>& v, Kind /*k*/) {
  if (raw == "1") v = true;
  else if (raw == "0") v = false;
  else return false;
  return true;
}
std::string check(const std::optional<bool>& /*v*/, Kind /*k*/) { return {}; }
std::string set_text(std::string_view text, std::optional<bool>& v, Kind /*k*/) {
  std::string t(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "1" || t == "on" || t == "true" || t == "yes") v = true;
  else if (t == "0" || t == "off" || t == "false" || t == "no") v = false;
  else return fmt::format("must be on/off (1/0, true/false), not '{}'", text);
  return {};
}

// integers
template <class I>
  requires std::is_integral_v<I> && (!std::is_same_v<I, bool>)
std::optional<std::string> enc(const std::optional<I>& v, Kind /*k*/) {
  if (!v) return std::nullopt;
  return std::to_string(*v);
}
template <class I>
  requires std::is_integral_v<I> && (!std::is_same_v<I, bool>)
std::string check(const std::optional<I>& v, Kind k) {
  return v ? int_problem(k, static_cast<std::int64_t>(*v)) : std::string{};
}
template <class I>
  requires std::is_integral_v<I> && (!std::is_same_v<I, bool>)
bool dec(std::string_view raw, std::optional<I>& v, Kind k) {
  auto n = parse_canonical_int(raw);
  if (!n || *n < std::numeric_limits<I>::min() || *n > std::numeric_limits<I>::max()) return false;
  if (!int_problem(k, *n).empty()) return false;
  v = static_cast<I>(*n);
  return true;
}
template <class I>
  requires std::is_integral_v<I> && (!std::is_same_v<I, bool>)
std::string set_text(std::string_view text, std::optional<I>& v, Kind k) {
  if (k == Kind::category && text.find(',') != std::string_view::npos) {
    // The guide calls custom_cat_id "a comma separated list", but tags are themselves a comma
    // separated list of key:value items and no public source shows how a list travels inside one
    // tag (protocol.md G.3): sent as it is, the server would split it into separate tags.
    return "one category id only: a list is not supported, because tags are separated by ',' and no "
           "public source shows how a list of ids is carried in one tag (docs/protocol.md G.3)";
  }
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty() ||
      n < std::numeric_limits<I>::min() || n > std::numeric_limits<I>::max())
    return fmt::format("must be a whole number, not '{}'", text);
  if (auto p = int_problem(k, n); !p.empty()) return p;
  v = static_cast<I>(n);
  return {};
}

// strings (text, url, rtmp)
std::optional<std::string> enc(const std::optional<std::string>& v, Kind k) {
  if (!v) return std::nullopt;
  return k == Kind::url ? detail::tag_url_encode(*v) : *v;
}
std::string check(const std::optional<std::string>& v, Kind k) {
  return v ? text_problem(k, *v) : std::string{};
}
bool dec(std::string_view raw, std::optional<std::string>& v, Kind k) {
  std::string plain = k == Kind::url ? detail::tag_url_decode(raw) : std::string(raw);
  if (!text_problem(k, plain).empty()) return false;
  if (k == Kind::url && detail::tag_url_encode(plain) != raw) return false;  // not canonical
  v = std::move(plain);
  return true;
}
std::string set_text(std::string_view text, std::optional<std::string>& v, Kind k) {
  if (auto p = text_problem(k, text); !p.empty()) return p;
  v = std::string(text);
  return {};
}

// enumerations
template <class E>
struct EnumNames;
template <>
struct EnumNames<ClassMode> {
  static constexpr const auto& names = kClassModes;
};
template <>
struct EnumNames<Language> {
  static constexpr const auto& names = kLanguages;
};
template <>
struct EnumNames<XlRoomGeo> {
  static constexpr const auto& names = kGeos;
};

template <class E>
  requires std::is_enum_v<E>
std::optional<std::string> enc(const std::optional<E>& v, Kind /*k*/) {
  if (!v) return std::nullopt;
  return std::string(enum_name(EnumNames<E>::names, *v));
}
template <class E>
  requires std::is_enum_v<E>
std::string check(const std::optional<E>& v, Kind /*k*/) {
  if (v && enum_name(EnumNames<E>::names, *v).empty())
    return fmt::format("{} is not a valid value (one of: {})", static_cast<int>(*v),
                       join_names(EnumNames<E>::names));
  return {};
}
template <class E>
  requires std::is_enum_v<E>
bool dec(std::string_view raw, std::optional<E>& v, Kind /*k*/) {
  auto e = parse_enum<E>(EnumNames<E>::names, raw);
  if (!e) return false;
  v = e;
  return true;
}
template <class E>
  requires std::is_enum_v<E>
std::string set_text(std::string_view text, std::optional<E>& v, Kind /*k*/) {
  auto e = parse_enum<E>(EnumNames<E>::names, text);
  if (!e) return fmt::format("'{}' is not one of: {}", text, join_names(EnumNames<E>::names));
  v = e;
  return {};
}

// ---- the setting tables -----------------------------------------------------------------------

// Calls f(key, member, kind) for every session setting, in G.3 order.
template <class S, class F>
void visit_event(S& s, F&& f) {
  f("rec_auto_start", s.rec_auto_start, Kind::flag);
  f("rec_set_reminder", s.rec_set_reminder, Kind::flag);
  f("rs_auto_clear_chat_end_of_session", s.rs_auto_clear_chat_end_of_session, Kind::flag);
  f("rs_class_mode", s.rs_class_mode, Kind::class_mode);
  f("rs_enable_guests_to_join", s.rs_enable_guests_to_join, Kind::flag);
  f("rs_enable_media_library", s.rs_enable_media_library, Kind::flag);
  f("rs_hide_end_session", s.rs_hide_end_session, Kind::flag);
  f("rs_hide_leave_session", s.rs_hide_leave_session, Kind::flag);
  f("rs_show_chat", s.rs_show_chat, Kind::flag);
  f("rs_show_chat_moderators", s.rs_show_chat_moderators, Kind::flag);
  f("rs_show_chat_questions", s.rs_show_chat_questions, Kind::flag);
  f("rs_show_invite", s.rs_show_invite, Kind::flag);
  f("rs_show_language_selection", s.rs_show_language_selection, Kind::flag);
  f("rs_show_ondemand_page_link", s.rs_show_ondemand_page_link, Kind::flag);
  f("rs_show_participant", s.rs_show_participant, Kind::flag);
  f("rs_user_lang", s.rs_user_lang, Kind::language);
}

// Calls f for every room setting in G.3 order, then for the session defaults.
template <class S, class F>
void visit_room(S& s, F&& f) {
  f("cat_id", s.cat_id, Kind::category);
  f("company_logo", s.company_logo, Kind::url);
  f("live_entry", s.live_entry, Kind::text);
  f("playlist_id", s.playlist_id, Kind::text);
  f("reset_playlist_instance", s.reset_playlist_instance, Kind::flag);
  f("redirect_url", s.redirect_url, Kind::url);
  f("rs_room_cap", s.rs_room_cap, Kind::positive_int);
  f("rs_show_logo", s.rs_show_logo, Kind::flag);
  f("p_rtmp_url", s.p_rtmp_url, Kind::rtmp);
  f("s_rtmp_url", s.s_rtmp_url, Kind::rtmp);
  f("rtmp_key", s.rtmp_key, Kind::text);
  f("tp_playlist_id", s.tp_playlist_id, Kind::text);
  f("xl_room_max", s.xl_room_max, Kind::xl_max);
  f("xl_room_pres", s.xl_room_pres, Kind::positive_int);
  f("xl_room_geo", s.xl_room_geo, Kind::geo);
  f("rs_room_version", s.rs_room_version, Kind::text);
  visit_event(s.session, f);
}

using Extras = std::vector<std::pair<std::string, std::string>>;

std::string extra_item(const std::pair<std::string, std::string>& e) {
  return e.second.empty() ? e.first : e.first + ":" + e.second;
}

void check_extras(const Extras& extra, std::string_view prefix) {
  for (std::size_t i = 0; i < extra.size(); ++i) {
    const auto& [key, value] = extra[i];
    std::string field = fmt::format("{}.extra[{}]", prefix, i);
    if (key.find(',') != std::string::npos || value.find(',') != std::string::npos)
      throw ValidationError(field, "must not contain ',' (it separates tags)");
    if (has_control(key) || has_control(value))
      throw ValidationError(field, "must not contain control characters");
    if (!value.empty() && key.find(':') != std::string::npos)
      throw ValidationError(field, "key must not contain ':' (it separates key and value)");
    if (key.empty() && !value.empty()) throw ValidationError(field, "key must not be empty");
  }
}

// A known tag, ready to write.
struct KnownItem {
  std::string key;   // full key as in the tags, e.g. custom_rs_room_cap
  std::string item;  // key:value
};

std::string assemble(const std::vector<KnownItem>& known, const Extras& extra,
                     const std::vector<std::string>& read_order) {
  std::vector<bool> known_done(known.size(), false);
  std::vector<bool> extra_done(extra.size(), false);
  std::vector<std::string> items;
  for (const auto& key : read_order) {
    bool placed = false;
    for (std::size_t i = 0; i < known.size() && !placed; ++i) {
      if (!known_done[i] && known[i].key == key) {
        known_done[i] = true;
        items.push_back(known[i].item);
        placed = true;
      }
    }
    for (std::size_t i = 0; i < extra.size() && !placed; ++i) {
      if (!extra_done[i] && extra[i].first == key) {
        extra_done[i] = true;
        items.push_back(extra_item(extra[i]));
        placed = true;
      }
    }
  }
  for (std::size_t i = 0; i < known.size(); ++i) {
    if (!known_done[i]) items.push_back(known[i].item);
  }
  for (std::size_t i = 0; i < extra.size(); ++i) {
    if (!extra_done[i]) items.push_back(extra_item(extra[i]));
  }
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ',';
    out += items[i];
  }
  return out;
}

template <class Visit, class S>
std::vector<KnownItem> known_items(Visit visit, const S& s, std::string_view prefix) {
  std::vector<KnownItem> out;
  visit(s, [&](std::string_view key, const auto& member, Kind kind) {
    if (auto problem = check(member, kind); !problem.empty())
      throw ValidationError(fmt::format("{}.{}", prefix, key), problem);
    if (auto value = enc(member, kind)) {
      std::string full = fmt::format("{}{}", kPrefix, key);
      out.push_back({full, full + ":" + *value});
    }
  });
  return out;
}

// Splits tags into items and offers each to `take(key, value, item, first)`, which returns the
// key to record in `order` when it consumed the item; anything not consumed goes to `extra`.
template <class Take>
void split_tags(std::string_view tags, Extras& extra, std::vector<std::string>& order, Take take) {
  if (tags.empty()) return;
  std::set<std::string, std::less<>> seen;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = tags.find(',', start);
    std::string_view item = tags.substr(start, comma == std::string_view::npos ? tags.npos : comma - start);
    std::size_t colon = item.find(':');
    std::string_view key = item.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : item.substr(colon + 1);
    // Only the first occurrence of a key can be typed, so typed values always precede extras
    // with the same key and the order can be rebuilt.
    bool first = seen.insert(std::string(key)).second;
    if (auto order_key = take(key, value, item, first && colon != std::string_view::npos)) {
      order.push_back(std::move(*order_key));
    } else if (colon != std::string_view::npos && value.empty()) {
      // `key:` with nothing after: keep the colon in the key so it is written back the same.
      extra.emplace_back(std::string(item), std::string{});
      order.emplace_back(item);
    } else {
      extra.emplace_back(std::string(key), std::string(value));
      order.emplace_back(key);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

template <class Visit, class S>
std::optional<std::string> take_known(Visit visit, S& s, std::string_view key, std::string_view value,
                                      bool first) {
  if (!first || key.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view name = key.substr(kPrefix.size());
  bool taken = false;
  visit(s, [&](std::string_view k, auto& member, Kind kind) {
    if (!taken && k == name) taken = dec(value, member, kind);
  });
  if (!taken) return std::nullopt;
  return std::string(key);
}

template <class Visit, class S>
void set_by_key(Visit visit, S& s, std::string_view key, std::string_view value) {
  std::string_view name = key;
  if (name.substr(0, kPrefix.size()) == kPrefix) name = name.substr(kPrefix.size());
  bool found = false;
  std::string problem;
  visit(s, [&](std::string_view k, auto& member, Kind kind) {
    if (!found && k == name) {
      found = true;
      problem = set_text(value, member, kind);
    }
  });
  std::string field = fmt::format("settings.{}", name);
  if (!found) throw ValidationError(field, "unknown setting (see docs/protocol.md G.3)");
  if (!problem.empty()) throw ValidationError(field, problem);
}

template <class Visit, class S>
std::vector<std::pair<std::string, std::string>> snapshot(Visit visit, const S& s) {
  std::vector<std::pair<std::string, std::string>> out;
  visit(s, [&](std::string_view key, const auto& member, Kind kind) {
    if (auto v = enc(member, kind)) out.emplace_back(std::string(key), *v);
  });
  return out;
}

constexpr auto kVisitEvent = [](auto& s, auto&& f) { visit_event(s, f); };
constexpr auto kVisitRoom = [](auto& s, auto&& f) { visit_room(s, f); };

}  // namespace

// ---- detail -----------------------------------------------------------------------------------

namespace detail {

// One percent-encoder for the whole SDK (core/encoding). Decoding is PHP urldecode; a value
// whose re-encoding differs from what was read is kept verbatim in `extra` instead.
std::string tag_url_encode(std::string_view plain) { return url_encode_component(plain); }
std::string tag_url_decode(std::string_view encoded) { return php_urldecode(encoded); }

std::string encode_event_tags(const EventSettings& s, std::string_view prefix) {
  auto known = known_items(kVisitEvent, s, prefix);
  check_extras(s.extra, prefix);
  return assemble(known, s.extra, s.read_order);
}

std::string encode_room_tags(const RoomSettings& s, std::string_view prefix) {
  std::vector<KnownItem> known;
  // The provider tag as it was read (see from_tags), else canonical.
  std::string provider(kProviderTag);
  for (const auto& key : s.read_order) {
    if (trim(key) == kProviderTag) {
      provider = key;
      break;
    }
  }
  known.push_back({provider, provider});
  auto rest = known_items(kVisitRoom, s, prefix);
  known.insert(known.end(), rest.begin(), rest.end());
  check_extras(s.extra, prefix);
  return assemble(known, s.extra, s.read_order);
}

}  // namespace detail

// ---- public API -------------------------------------------------------------------------------

std::string_view to_string(ClassMode mode) noexcept { return enum_name(kClassModes, mode); }
std::string_view to_string(Language language) noexcept { return enum_name(kLanguages, language); }
std::string_view to_string(XlRoomGeo geo) noexcept { return enum_name(kGeos, geo); }
std::optional<ClassMode> parse_class_mode(std::string_view text) {
  return parse_enum<ClassMode>(kClassModes, text);
}
std::optional<Language> parse_language(std::string_view text) {
  return parse_enum<Language>(kLanguages, text);
}
std::optional<XlRoomGeo> parse_xl_room_geo(std::string_view text) {
  return parse_enum<XlRoomGeo>(kGeos, text);
}

std::string EventSettings::to_tags() const { return detail::encode_event_tags(*this, "settings"); }

EventSettings EventSettings::from_tags(std::string_view tags) {
  EventSettings s;
  split_tags(tags, s.extra, s.read_order,
             [&](std::string_view key, std::string_view value, std::string_view /*item*/, bool first) {
               return take_known(kVisitEvent, s, key, value, first);
             });
  return s;
}

void EventSettings::set(std::string_view key, std::string_view value) {
  set_by_key(kVisitEvent, *this, key, value);
}

bool EventSettings::empty() const { return snapshot(kVisitEvent, *this).empty() && extra.empty(); }

bool EventSettings::same_values(const EventSettings& other) const {
  return snapshot(kVisitEvent, *this) == snapshot(kVisitEvent, other) && extra == other.extra;
}

std::string RoomSettings::to_tags() const { return detail::encode_room_tags(*this, "settings"); }

RoomSettings RoomSettings::from_tags(std::string_view tags) {
  RoomSettings s;
  s.newrow = false;
  split_tags(tags, s.extra, s.read_order,
             [&](std::string_view key, std::string_view value, std::string_view item,
                 bool first) -> std::optional<std::string> {
               // The provider tag is recorded by its whole text (spaces included), so it can
               // never be confused with an extra keyed `vcprovider`.
               if (!s.newrow && trim(item) == kProviderTag) {
                 s.newrow = true;
                 return std::string(item);
               }
               return take_known(kVisitRoom, s, key, value, first);
             });
  return s;
}

void RoomSettings::set(std::string_view key, std::string_view value) {
  set_by_key(kVisitRoom, *this, key, value);
}

bool RoomSettings::same_values(const RoomSettings& other) const {
  return snapshot(kVisitRoom, *this) == snapshot(kVisitRoom, other) && extra == other.extra;
}

std::vector<std::string_view> room_setting_keys() {
  std::vector<std::string_view> keys;
  RoomSettings s;
  visit_room(s, [&](std::string_view key, auto& /*m*/, Kind /*k*/) { keys.push_back(key); });
  return keys;
}

std::vector<std::string_view> event_setting_keys() {
  std::vector<std::string_view> keys;
  EventSettings s;
  visit_event(s, [&](std::string_view key, auto& /*m*/, Kind /*k*/) { keys.push_back(key); });
  return keys;
}

}  // namespace kmeet
