#pragma once
// Decoding of KAF analytics answers (protocol.md G.2): the Newrow envelope, paging checks and the typed
// records. Lenient where the public sources disagree (strings or numbers, seconds or milliseconds,
// both spellings of the date fields, unknown fields), strict about anything that would make a
// listing incomplete or wrong (missing list, wrong types, next_page loops).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/json.hpp"
#include "kmeet/analytics.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/http.hpp"

namespace kmeet::detail {

/// Records per page KAF serves (guide: "each page gets 30 records max").
inline constexpr std::int64_t kAnalyticsPageSize = 30;

/// Turns one KAF answer into its JSON document: an HTML page (KAF's error and login pages), a body
/// that is not JSON or not an object -> ProtocolError; non-200 -> HttpError, or ApiError when the
/// body is KAF's JSON error envelope; `status` other than `success` -> ApiError (code and message
/// from the envelope, redacted). `what` names the call in messages, e.g. `analytics/sessions page 2`.
Json decode_kaf_body(const HttpResponse& response, std::string_view what);

/// Rethrows an HttpError of a KAF call as the most useful error: its body was KAF's JSON error
/// envelope -> ApiError (e.g. `INVALID_KS` with reason `EXPIRED`); an HTML page -> HttpError with a
/// message saying so; anything else unchanged. Reads only the error's (redacted) body snippet.
[[noreturn]] void rethrow_kaf_http_error(const HttpError& error, std::string_view what);

/// The same, classifying from `body`, the whole (size-capped, kMaxErrorBody) body of the answer
/// that gave `error`. Messages stay redacted; status and Retry-After come from `error`.
[[noreturn]] void rethrow_kaf_http_error(const HttpError& error, std::string_view body, std::string_view what);

/// The paging part of `data` of one list page.
struct PageEnvelope {
  const Json* items = nullptr;               ///< data.<list key>, an array
  std::optional<std::int64_t> total_count;   ///< data.total_count, when sent
  /// True when data.next_page is set and not empty: another page follows. Its value is not
  /// used (docs/protocol.md G.2 only says "empty means last page"); the next request is page + 1.
  bool more = false;
  std::string next_page;                     ///< the value as sent, for error messages
};

/// Reads `data.<list_key>`, `data.total_count` and `data.next_page`; ProtocolError when `data` or
/// the list is missing or a value has the wrong type.
PageEnvelope read_envelope(const Json& body, std::string_view list_key, std::string_view what);

/// `data` of a single-object answer (`users/<id>`): must be an object.
const Json& read_object_data(const Json& body, std::string_view what);

/// Follows the pages of one listing (0, 1, 2...) and refuses any answer that would lose or repeat
/// records by KAF's own paging fields: an empty page that claims a successor, more records or
/// pages than total_count implies, a last page short of total_count. (The rules of every listing,
/// a repeated page and the page cap, are `Listing`'s: kmeet/listing.hpp.)
class PageTracker {
 public:
  explicit PageTracker(std::string action) : action_(std::move(action)) {}
  /// The 0-based page to fetch next.
  [[nodiscard]] std::int64_t next_index() const { return next_; }
  /// Records received so far.
  [[nodiscard]] std::int64_t seen() const { return seen_; }
  [[nodiscard]] bool done() const { return done_; }
  /// Takes the envelope of page `next_index()`; throws ProtocolError on an inconsistency.
  void accept(const PageEnvelope& page);

 private:
  std::string action_;
  std::int64_t next_ = 0;
  std::int64_t seen_ = 0;
  bool done_ = false;
};

/// Timestamp of a value in seconds or milliseconds (values above 1e11 are milliseconds), given as
/// a number or a numeric string; empty, null, `0` -> nullopt. Throws ProtocolError naming `path`.
std::optional<Timestamp> decode_timestamp(const Json& value, std::string_view path);

/// `instructors`: a JSON-encoded string (or an already decoded value) holding either an object
/// keyed by user id (`{"203":{"role":"admin","name":"…"}}`, the guide) or an array of objects with
/// `id`. Throws ProtocolError naming `path`.
std::vector<Instructor> decode_instructors(const Json& value, std::string_view path);

/// The records; `path` (e.g. `sessions[31]`) names the record in error messages.
RoomSession decode_session(const Json& item, std::string_view path);
Attendee decode_attendee(const Json& item, std::string_view path);
RoomMessage decode_message(const Json& item, std::string_view path);
AnalyticsRoom decode_room(const Json& item, std::string_view path);
AnalyticsUser decode_user(const Json& item, std::string_view path);

}  // namespace kmeet::detail
