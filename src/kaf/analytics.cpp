#include "kmeet/analytics.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <optional>
#include <utility>

#include "api/service_context.hpp"
#include "core/encoding.hpp"
#include "kaf/analytics_decode.hpp"
#include "kaf/analytics_request.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/urls.hpp"

namespace kmeet {

namespace {
constexpr std::array<std::string_view, 3> kMessageTypes = {"questions", "public", "moderators"};
}  // namespace

std::string_view to_string(MessageType type) noexcept {
  const auto i = static_cast<std::size_t>(type);
  return i < kMessageTypes.size() ? kMessageTypes[i] : std::string_view{};
}

namespace detail {
namespace {

void check_scope(const AnalyticsScope& scope) {
  if (const auto* room = std::get_if<RoomId>(&scope)) {
    if (!room->valid()) throw ValidationError("room", "must be a positive id");
  } else if (!std::get<EventId>(scope).valid()) {
    throw ValidationError("event", "must be a positive id");
  }
}

void check_range(std::optional<Timestamp> from, std::optional<Timestamp> to) {
  if (from && from->time_since_epoch().count() <= 0)
    throw ValidationError("from", "must be after 1970-01-01");
  if (to && to->time_since_epoch().count() <= 0) throw ValidationError("to", "must be after 1970-01-01");
  if (from && to && *from > *to) throw ValidationError("from", "must not be after `to`");
}

std::string unix_string(Timestamp t) { return std::to_string(t.time_since_epoch().count()); }

// `from_date` / `to_date`, when given (Unix seconds as strings, as in the guide's examples).
AnalyticsParams dates(std::optional<Timestamp> from, std::optional<Timestamp> to) {
  AnalyticsParams p;
  if (from) p.emplace_back("from_date", unix_string(*from));
  if (to) p.emplace_back("to_date", unix_string(*to));
  return p;
}

/// A paged KAF listing: its action, list key and scope, and its params: `before`, then `page`,
/// then `after` (the order of the guide's examples).
struct KafListing {
  std::string action;
  std::string list_key;
  AnalyticsScope scope;
  AnalyticsParams before;
  AnalyticsParams after;

  [[nodiscard]] AnalyticsParams params(std::int64_t page) const {
    AnalyticsParams p = before;
    p.emplace_back("page", page);
    p.insert(p.end(), after.begin(), after.end());
    return p;
  }
};

/// The pages of one KAF listing: one `GET` each, checked by a PageTracker, decoded by `decode`.
template <class T, class Decode>
class KafPages final : public PageSource<T> {
 public:
  KafPages(std::shared_ptr<const ServiceContext> ctx, KafListing listing, Decode decode)
      : ctx_(std::move(ctx)),
        listing_(std::move(listing)),
        decode_(std::move(decode)),
        tracker_(listing_.action) {}

  FetchedPage<T> fetch() override {
    index_ = tracker_.next_index();
    const std::string what = fmt::format("{} page {}", listing_.action, index_);
    const Json body = kaf_api_get(*ctx_, listing_.scope, listing_.action, listing_.params(index_), what);
    const PageEnvelope env = read_envelope(body, listing_.list_key, what);
    const std::int64_t base = tracker_.seen();
    tracker_.accept(env);
    FetchedPage<T> page;
    page.items.reserve(env.items->size());
    for (std::size_t i = 0; i < env.items->size(); ++i) {
      page.items.push_back(decode_(
          (*env.items)[i], fmt::format("{}[{}]", listing_.list_key, base + static_cast<std::int64_t>(i))));
    }
    page.total_count = env.total_count;
    page.last = tracker_.done();
    page.continues_query = index_ > 0;
    page.fingerprint = std::hash<std::string>{}(env.items->dump());
    return page;
  }

  [[nodiscard]] std::string where() const override {
    return fmt::format("KAF {} page {}", listing_.action, index_);
  }

 private:
  std::shared_ptr<const ServiceContext> ctx_;
  KafListing listing_;
  Decode decode_;
  PageTracker tracker_;
  std::int64_t index_ = 0;
};

template <class T, class Decode>
Listing<T> make_range(std::shared_ptr<const ServiceContext> ctx, KafListing listing, Decode decode,
                      std::int64_t max_pages) {
  return make_listing<T>(
      std::make_shared<KafPages<T, Decode>>(std::move(ctx), std::move(listing), std::move(decode)),
      max_pages);
}

}  // namespace
}  // namespace detail

Analytics Analytics::max_pages(std::int64_t pages) const {
  if (pages < 1) throw ValidationError("max_pages", fmt::format("must be at least 1 (got {})", pages));
  Analytics copy = *this;
  copy.max_pages_ = pages;
  return copy;
}

Listing<RoomSession> Analytics::sessions(RoomId room, std::optional<Timestamp> from,
                                         std::optional<Timestamp> to) const {
  detail::check_scope(room);
  detail::check_range(from, to);
  ctx_->issuer->check("analytics");
  // For API-created rooms the third-party room id is the resource id (guide).
  detail::KafListing l{
      "analytics/sessions", "sessions", room, {{"third_party_room_id", room.str()}}, detail::dates(from, to)};
  return detail::make_range<RoomSession>(ctx_, std::move(l), detail::decode_session, max_pages_);
}

Listing<Attendee> Analytics::session_attendees(SessionId session, AnalyticsScope scope,
                                               std::optional<Timestamp> from,
                                               std::optional<Timestamp> to) const {
  if (!session.valid()) throw ValidationError("session", "must be a positive id");
  detail::check_scope(scope);
  detail::check_range(from, to);
  ctx_->issuer->check("analytics");
  AnalyticsParams after = detail::dates(from, to);
  after.emplace_back("include_third_party_data", std::int64_t{1});
  // "analytics/session-attendees", not "sessions-attendees" (protocol.md G.2).
  detail::KafListing l{"analytics/session-attendees",
                       "session_attendance",
                       scope,
                       {{"session_id", session.value()}},
                       std::move(after)};
  return detail::make_range<Attendee>(
      ctx_, std::move(l),
      [session](const detail::Json& item, std::string_view path) {
        Attendee a = detail::decode_attendee(item, path);
        if (!a.session_id.valid()) {
          a.session_id = session;
        } else if (a.session_id != session) {
          throw ProtocolError(fmt::format("KAF analytics: {}.session_id is {}, but session {} was asked for",
                                          path, a.session_id.value(), session.value()));
        }
        return a;
      },
      max_pages_);
}

Listing<RoomMessage> Analytics::room_messages(RoomId room, MessageType type) const {
  detail::check_scope(room);
  const std::string type_name(to_string(type));
  if (type_name.empty()) throw ValidationError("type", "unknown message type");
  ctx_->issuer->check("analytics");
  detail::KafListing l{"analytics/room-messages",
                       "messages",
                       room,
                       {{"third_party_room_id", room.str()}, {"type", type_name}},
                       {}};
  return detail::make_range<RoomMessage>(ctx_, std::move(l), detail::decode_message, max_pages_);
}

Listing<AnalyticsRoom> Analytics::rooms(AnalyticsScope scope) const {
  detail::check_scope(scope);
  ctx_->issuer->check("analytics");
  return detail::make_range<AnalyticsRoom>(ctx_, {"rooms", "rooms", scope, {}, {}}, detail::decode_room,
                                           max_pages_);
}

Listing<AnalyticsUser> Analytics::users(AnalyticsScope scope) const {
  detail::check_scope(scope);
  ctx_->issuer->check("analytics");
  return detail::make_range<AnalyticsUser>(ctx_, {"users", "users", scope, {}, {}}, detail::decode_user,
                                           max_pages_);
}

AnalyticsUser Analytics::user(std::string_view user_id, AnalyticsScope scope) const {
  if (user_id.empty()) throw ValidationError("user_id", "must not be empty");
  if (user_id.size() > 128) throw ValidationError("user_id", "must be at most 128 characters");
  for (const char c : user_id) {
    const auto u = static_cast<unsigned char>(c);
    // It becomes part of the action path (`users/<id>`): nothing that could change the path.
    if (std::isalnum(u) == 0 && c != '-' && c != '_' && c != '.') {
      throw ValidationError("user_id", "must only contain letters, digits, '-', '_' and '.' (a KAF user id)");
    }
  }
  if (user_id == "." || user_id == "..") throw ValidationError("user_id", "must be a KAF user id");
  detail::check_scope(scope);
  ctx_->issuer->check("analytics");
  const std::string action = fmt::format("users/{}", user_id);
  const detail::Json body = detail::kaf_api_get(*ctx_, scope, action, {}, action);
  return detail::decode_user(detail::read_object_data(body, action), "data");
}

}  // namespace kmeet
