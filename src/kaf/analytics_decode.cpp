#include "kaf/analytics_decode.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>

#include "core/redact.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail {
namespace {

/// Seconds above this are milliseconds (1e11 s is the year 5138).
constexpr double kMillisThreshold = 1e11;

const char* type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    default: return "an unknown value";
  }
}

[[noreturn]] void bad_field(std::string_view path, std::string_view expected, const Json& got) {
  std::string shown;
  if (got.is_string() || got.is_number()) {
    shown = fmt::format(" {}", safe_snippet(got.is_string() ? got.get_ref<const std::string&>() : got.dump(), 40));
  }
  throw ProtocolError(fmt::format("KAF analytics: {} should be {}, got {}{}", path, expected, type_name(got), shown));
}

std::string field_path(std::string_view path, std::string_view key) { return fmt::format("{}.{}", path, key); }

/// The first of `keys` present with a non-null value.
const Json* find_field(const Json& item, std::initializer_list<std::string_view> keys) {
  for (auto key : keys) {
    auto it = item.find(key);
    if (it != item.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

/// A string field: strings as they are, numbers printed (ids come both ways), absent -> "".
std::string read_string(const Json& item, std::initializer_list<std::string_view> keys, std::string_view path) {
  const Json* v = find_field(item, keys);
  if (v == nullptr) return {};
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return std::to_string(v->get<std::int64_t>());
  if (v->is_number_unsigned()) return std::to_string(v->get<std::uint64_t>());
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) {
      return std::to_string(static_cast<std::int64_t>(d));
    }
    return v->dump();
  }
  bad_field(field_path(path, *keys.begin()), "a string", *v);
}

/// A record (a JSON object) with its string fields `{key, &T::member}` read by read_string.
template <class T>
T read_record(const Json& item, std::string_view path,
              std::initializer_list<std::pair<std::string_view, std::string T::*>> strings) {
  if (!item.is_object()) bad_field(path, "an object", item);
  T out;
  for (const auto& [key, member] : strings) out.*member = read_string(item, {key}, path);
  return out;
}

/// A number from a JSON number or a numeric string; "" -> nullopt. `percent` accepts `34%`.
std::optional<double> number_of(const Json& v, std::string_view path, bool percent = false) {
  if (v.is_null()) return std::nullopt;
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) bad_field(path, "a number", v);
  std::string s = trimmed(v.get_ref<const std::string&>());
  if (percent && !s.empty() && s.back() == '%') s.pop_back();
  if (s.empty()) return std::nullopt;
  double d = 0;
  const char* b = s.data();
  const char* e = b + s.size();
  if (*b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, e, d);
  if (ec != std::errc{} || ptr != e || !std::isfinite(d)) bad_field(path, "a number", v);
  return d;
}

std::optional<double> read_double(const Json& item, std::initializer_list<std::string_view> keys,
                                  std::string_view path, bool percent = false) {
  const Json* v = find_field(item, keys);
  if (v == nullptr) return std::nullopt;
  return number_of(*v, field_path(path, *keys.begin()), percent);
}

/// An integer from a JSON number (integral) or a string of digits; "" -> nullopt.
std::optional<std::int64_t> integer_of(const Json& v, std::string_view path) {
  if (v.is_null()) return std::nullopt;
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) bad_field(path, "an integer", v);
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9e15) bad_field(path, "an integer", v);
    return static_cast<std::int64_t>(d);
  }
  if (!v.is_string()) bad_field(path, "an integer", v);
  const std::string s = trimmed(v.get_ref<const std::string&>());
  if (s.empty()) return std::nullopt;
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || ptr != s.data() + s.size()) bad_field(path, "an integer", v);
  return n;
}

std::optional<std::int64_t> read_int(const Json& item, std::initializer_list<std::string_view> keys,
                                     std::string_view path) {
  const Json* v = find_field(item, keys);
  if (v == nullptr) return std::nullopt;
  return integer_of(*v, field_path(path, *keys.begin()));
}

std::optional<Timestamp> read_time(const Json& item, std::initializer_list<std::string_view> keys,
                                   std::string_view path) {
  const Json* v = find_field(item, keys);
  if (v == nullptr) return std::nullopt;
  return decode_timestamp(*v, field_path(path, *keys.begin()));
}

void require_object(const Json& item, std::string_view path) {
  if (!item.is_object()) bad_field(path, "an object", item);
}

std::string what_prefix(std::string_view what) { return fmt::format("KAF {}", what); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Answers

namespace {

bool looks_like_html(std::string_view body) {
  while (!body.empty() && (body.front() == ' ' || body.front() == '\n' || body.front() == '\r' ||
                           body.front() == '\t' || body.front() == '\xEF' || body.front() == '\xBB' ||
                           body.front() == '\xBF')) {
    body.remove_prefix(1);
  }
  return !body.empty() && body.front() == '<';
}

/// `<title>…</title>` of an HTML page, if any (KAF's error pages name the problem there).
std::string html_title(std::string_view body) {
  auto lower = std::string(body.substr(0, 4096));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto b = lower.find("<title>");
  if (b == std::string::npos) return {};
  const auto e = lower.find("</title>", b);
  if (e == std::string::npos) return {};
  return trimmed(body.substr(b + 7, e - b - 7));
}

/// KAF's error envelope: `{"status":"error","error":{"code":…,"message":…}}`, or `message` /
/// `error` as plain strings.
ApiError envelope_error(const Json& doc, const HttpResponse& response) {
  ApiError::Details d;
  auto text = [](const Json& v) { return v.is_string() ? v.get<std::string>() : (v.is_null() ? "" : v.dump()); };
  if (auto e = doc.find("error"); e != doc.end()) {
    if (e->is_object()) {
      if (auto c = e->find("code"); c != e->end()) d.code = text(*c);
      if (auto m = e->find("message"); m != e->end()) d.message = text(*m);
    } else {
      d.message = text(*e);
    }
  }
  if (d.code.empty()) {
    if (auto c = doc.find("code"); c != doc.end()) d.code = text(*c);
  }
  if (d.message.empty()) {
    if (auto m = doc.find("message"); m != doc.end()) d.message = text(*m);
  }
  if (d.code.empty()) {
    auto s = doc.find("status");
    d.code = s != doc.end() && s->is_string() && !s->get_ref<const std::string&>().empty()
                 ? "KAF_" + s->get<std::string>()
                 : std::string("KAF_ERROR");
  }
  if (d.message.empty()) d.message = "KAF reported a failure without a message";
  // Expired or ended KS: the reason where ApiError::ks_reason() looks for it, read from the whole
  // message (before it is cut and redacted below).
  if (d.code == "INVALID_KS") {
    for (const char* reason : {"EXPIRED", "LOGOUT", "INVALID_STR", "INVALID_PARTNER"}) {
      if (d.message.find(reason) != std::string::npos) {
        d.args["KSID"] = reason;
        break;
      }
    }
  }
  d.message = safe_snippet(d.message, 300);
  d.server = response.header("X-Me").value_or("");
  return ApiError(std::move(d));
}

bool is_kaf_error_envelope(const Json& doc) {
  if (!doc.is_object()) return false;
  auto s = doc.find("status");
  return s != doc.end() && s->is_string() && s->get_ref<const std::string&>() != "success";
}

std::string html_message(std::string_view body, int status, std::string_view what) {
  const std::string title = html_title(body);
  return fmt::format("{} answered HTTP {} with an HTML page{}{} instead of JSON: check the KAF URL, that "
                     "Meetings is enabled for the partner and that the KS privileges are right",
                     what_prefix(what), status, title.empty() ? "" : " titled ",
                     title.empty() ? "" : fmt::format("\"{}\"", safe_snippet(title, 80)));
}

}  // namespace

void rethrow_kaf_http_error(const HttpError& error, std::string_view what) {
  rethrow_kaf_http_error(error, error.body_snippet(), what);
}

void rethrow_kaf_http_error(const HttpError& error, std::string_view body, std::string_view what) {
  if (looks_like_html(body)) {
    throw HttpError(error.status(), html_message(body, error.status(), what), error.retry_after());
  }
  Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded() && json_depth_within(body, kMaxJsonDepth) && is_kaf_error_envelope(doc)) {
    throw envelope_error(doc, HttpResponse{.status = error.status(), .headers = {}, .body = {}});
  }
  throw error;
}

Json decode_kaf_body(const HttpResponse& response, std::string_view what) {
  if (looks_like_html(response.body)) {
    const std::string msg = html_message(response.body, response.status, what);
    if (response.status != 200) throw HttpError(response.status, msg);
    throw ProtocolError(msg, response.status, safe_snippet(response.body));
  }
  if (response.status != 200) {
    // KAF's JSON error envelope carries a code worth a typed error (INVALID_KS, SESSION_NOT_FOUND…).
    Json doc = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_discarded() && json_depth_within(response.body, kMaxJsonDepth) && is_kaf_error_envelope(doc)) {
      throw envelope_error(doc, response);
    }
    throw HttpError(response.status, safe_snippet(response.body));
  }
  Json doc = parse_json(response.body, response.status);
  if (!doc.is_object()) {
    throw ProtocolError(fmt::format("{}: the answer is {}, not a JSON object", what_prefix(what), type_name(doc)),
                        response.status, safe_snippet(response.body));
  }
  auto status = doc.find("status");
  if (status == doc.end() || !status->is_string()) {
    throw ProtocolError(fmt::format("{}: the answer has no \"status\"", what_prefix(what)), response.status,
                        safe_snippet(response.body));
  }
  if (status->get_ref<const std::string&>() != "success") throw envelope_error(doc, response);
  return doc;
}

PageEnvelope read_envelope(const Json& body, std::string_view list_key, std::string_view what) {
  auto data = body.find("data");
  if (data == body.end() || !data->is_object()) {
    throw ProtocolError(fmt::format("{}: the answer has no \"data\" object{}", what_prefix(what),
                                    data == body.end() ? "" : fmt::format(" (got {})", type_name(*data))),
                        200, safe_snippet(body.dump()));
  }
  PageEnvelope env;
  auto list = data->find(list_key);
  if (list == data->end() || !list->is_array()) {
    throw ProtocolError(fmt::format("{}: data.{} is {}, not a list", what_prefix(what), list_key,
                                    list == data->end() ? "missing" : type_name(*list)),
                        200, safe_snippet(body.dump()));
  }
  env.items = &*list;
  const std::string base = fmt::format("{} data", what_prefix(what));
  if (auto t = data->find("total_count"); t != data->end() && !t->is_null()) {
    env.total_count = integer_of(*t, base + ".total_count");
    if (env.total_count && *env.total_count < 0) bad_field(base + ".total_count", "a count (>= 0)", *t);
  }
  if (auto n = data->find("next_page"); n != data->end() && !n->is_null()) {
    // "" and null both mean "last page" (guide vs NRAPI getChat.py); any other value means another
    // page follows, whatever it says (a number, 0- or 1-based, a URL): docs/protocol.md G.2 defines no more.
    if (n->is_string()) {
      env.next_page = trimmed(n->get_ref<const std::string&>());
      env.more = !env.next_page.empty();
    } else if (n->is_number() || n->is_boolean()) {
      env.next_page = n->dump();
      env.more = !n->is_boolean() || n->get<bool>();
    } else {
      bad_field(base + ".next_page", "a page number, or empty on the last page", *n);
    }
  }
  return env;
}

const Json& read_object_data(const Json& body, std::string_view what) {
  auto data = body.find("data");
  if (data == body.end() || !data->is_object()) {
    throw ProtocolError(fmt::format("{}: the answer has no \"data\" object", what_prefix(what)), 200,
                        safe_snippet(body.dump()));
  }
  return *data;
}

void PageTracker::accept(const PageEnvelope& page) {
  const std::int64_t index = next_;
  const auto count = static_cast<std::int64_t>(page.items->size());
  seen_ += count;
  const auto where = fmt::format("KAF {} page {}", action_, index);
  if (page.total_count && seen_ > *page.total_count) {
    throw ProtocolError(fmt::format("{}: {} records received so far, more than total_count {}", where, seen_,
                                    *page.total_count));
  }
  if (!page.more) {
    if (page.total_count && seen_ < *page.total_count) {
      throw ProtocolError(fmt::format("{}: the last page ends after {} of {} records (total_count); the "
                                      "listing is incomplete",
                                      where, seen_, *page.total_count));
    }
    done_ = true;
    return;
  }
  const std::string next_text = safe_snippet(page.next_page, 40);
  if (count == 0) {
    throw ProtocolError(fmt::format("{}: the page is empty but next_page says {}", where, next_text));
  }
  if (page.total_count && seen_ >= *page.total_count) {
    throw ProtocolError(fmt::format("{}: next_page {} although all {} records (total_count) were received: "
                                    "more pages than total_count implies",
                                    where, next_text, *page.total_count));
  }
  next_ = index + 1;
}

// ---------------------------------------------------------------------------------------------
// Records

std::optional<Timestamp> decode_timestamp(const Json& value, std::string_view path) {
  const auto d = number_of(value, path);
  if (!d || *d == 0) return std::nullopt;
  double secs = *d;
  if (secs < 0) bad_field(path, "a Unix time", value);
  if (secs > kMillisThreshold) secs /= 1000.0;  // milliseconds (NRAPI: "may be in milliseconds")
  if (secs > kMillisThreshold) bad_field(path, "a Unix time in seconds or milliseconds", value);
  return Timestamp(std::chrono::seconds(static_cast<std::int64_t>(std::floor(secs))));
}

namespace {

Instructor instructor_from(const Json& v, std::string key, std::string_view path) {
  Instructor in;
  if (v.is_string()) {  // {"203":"Denis Sicun"}
    in.id = std::move(key);
    in.name = v.get<std::string>();
    return in;
  }
  require_object(v, path);
  in.id = read_string(v, {"id", "user_id"}, path);
  if (in.id.empty()) in.id = std::move(key);
  in.third_party_id = read_string(v, {"third_party_id", "third_party_user_id"}, path);
  in.name = read_string(v, {"name", "user_name"}, path);
  in.role = read_string(v, {"role"}, path);
  return in;
}

}  // namespace

std::vector<Instructor> decode_instructors(const Json& value, std::string_view path) {
  Json decoded;
  const Json* v = &value;
  if (value.is_null()) return {};
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (trimmed(s).empty()) return {};
    if (!json_depth_within(s, 8)) bad_field(path, "a JSON-encoded list of instructors", value);
    decoded = Json::parse(s, nullptr, /*allow_exceptions=*/false);
    if (decoded.is_discarded()) bad_field(path, "a JSON-encoded list of instructors", value);
    v = &decoded;
  }
  std::vector<Instructor> out;
  if (v->is_null()) return out;
  if (v->is_object()) {
    for (const auto& [key, item] : v->items()) {
      out.push_back(instructor_from(item, key, fmt::format("{}[\"{}\"]", path, safe_snippet(key, 40))));
    }
  } else if (v->is_array()) {
    for (std::size_t i = 0; i < v->size(); ++i) {
      out.push_back(instructor_from((*v)[i], {}, fmt::format("{}[{}]", path, i)));
    }
  } else {
    bad_field(path, "a JSON-encoded list of instructors", *v);
  }
  return out;
}

RoomSession decode_session(const Json& item, std::string_view path) {
  using S = RoomSession;
  RoomSession s = read_record<S>(item, path,
                                 {{"room_id", &S::room_id}, {"third_party_room_id", &S::third_party_room_id},
                                  {"room_name", &S::room_name}, {"type", &S::type}});
  const auto id = read_int(item, {"id", "session_id"}, path);
  if (!id || *id <= 0) {
    if (const Json* raw = find_field(item, {"id", "session_id"})) bad_field(field_path(path, "id"), "a session id", *raw);
    throw ProtocolError(fmt::format("KAF analytics: {}.id is missing", path));
  }
  s.id = SessionId(*id);
  // `date_start`/`date_end` (guide, KAF) or `start_date`/`end_date` (direct Newrow API).
  s.start = read_time(item, {"date_start", "start_date"}, path);
  s.end = read_time(item, {"date_end", "end_date"}, path);
  s.duration = read_double(item, {"duration"}, path);
  if (const Json* in = find_field(item, {"instructors"})) s.instructors = decode_instructors(*in, field_path(path, "instructors"));
  s.participants_count = read_int(item, {"participants_count"}, path);
  return s;
}

Attendee decode_attendee(const Json& item, std::string_view path) {
  using A = Attendee;
  Attendee a = read_record<A>(item, path,
                              {{"user_id", &A::user_id}, {"lti_user_id", &A::lti_user_id},
                               {"user_type", &A::user_type}, {"user_name", &A::user_name},
                               {"user_email", &A::user_email}, {"lti_user_email", &A::lti_user_email}});
  if (auto sid = read_int(item, {"session_id"}, path)) a.session_id = SessionId(*sid);
  a.joined = read_time(item, {"time_joined"}, path);
  a.left = read_time(item, {"time_left"}, path);
  a.duration = read_double(item, {"duration"}, path);
  a.attention = read_double(item, {"attention"}, path, /*percent=*/true);
  return a;
}

RoomMessage decode_message(const Json& item, std::string_view path) {
  using M = RoomMessage;
  RoomMessage m = read_record<M>(item, path,
                                 {{"id", &M::id}, {"third_party_user_id", &M::third_party_user_id},
                                  {"user_name", &M::user_name}, {"message", &M::message}, {"type", &M::type}});
  m.date = read_time(item, {"date"}, path);
  return m;
}

AnalyticsRoom decode_room(const Json& item, std::string_view path) {
  using R = AnalyticsRoom;
  return read_record<R>(item, path, {{"id", &R::id}, {"third_party_id", &R::third_party_id}, {"name", &R::name}});
}

AnalyticsUser decode_user(const Json& item, std::string_view path) {
  using U = AnalyticsUser;
  return read_record<U>(item, path,
                        {{"id", &U::id}, {"third_party_id", &U::third_party_id}, {"email", &U::email},
                         {"first_name", &U::first_name}, {"last_name", &U::last_name}, {"role", &U::role}});
}

}  // namespace kmeet::detail
