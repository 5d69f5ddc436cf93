#include "kmeet/analytics.hpp"

#include <fmt/format.h>

#include <cctype>
#include <utility>

#include "api/service_context.hpp"
#include "core/encoding.hpp"
#include "kaf/analytics_decode.hpp"
#include "kaf/analytics_request.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/urls.hpp"

namespace kmeet {

std::string_view to_string(MessageType type) {
  switch (type) {
    case MessageType::questions: return "questions";
    case MessageType::public_chat: return "public";
    case MessageType::moderators: return "moderators";
  }
  throw ValidationError("type", "unknown message type");
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
  if (from && from->time_since_epoch().count() <= 0) throw ValidationError("from", "must be after 1970-01-01");
  if (to && to->time_since_epoch().count() <= 0) throw ValidationError("to", "must be after 1970-01-01");
  if (from && to && *from > *to) throw ValidationError("from", "must not be after `to`");
}

std::string unix_string(Timestamp t) { return std::to_string(t.time_since_epoch().count()); }

/// A paged listing: its action, list key, scope, and its params for a given page.
struct Listing {
  std::string action;
  std::string list_key;
  AnalyticsScope scope;
  std::function<AnalyticsParams(std::int64_t page)> params;
};

template <class T, class Decode>
AnalyticsRange<T> make_range(std::shared_ptr<const ServiceContext> ctx, Listing listing, Decode decode,
                             std::int64_t max_pages) {
  auto tracker = std::make_shared<PageTracker>(listing.action, max_pages);
  auto shared = std::make_shared<const Listing>(std::move(listing));
  return AnalyticsRange<T>([ctx = std::move(ctx), shared, tracker, decode]() {
    const Listing& l = *shared;
    const std::int64_t index = tracker->next_index();
    const std::string what = fmt::format("{} page {}", l.action, index);
    const Json body = kaf_api_get(*ctx, l.scope, l.action, l.params(index), what);
    const PageEnvelope env = read_envelope(body, l.list_key, what);
    const std::int64_t base = tracker->seen();
    tracker->accept(env);
    AnalyticsPage<T> page;
    page.items.reserve(env.items->size());
    for (std::size_t i = 0; i < env.items->size(); ++i) {
      page.items.push_back(
          decode((*env.items)[i], fmt::format("{}[{}]", l.list_key, base + static_cast<std::int64_t>(i))));
    }
    page.total_count = env.total_count;
    page.last = tracker->done();
    return page;
  });
}

}  // namespace
}  // namespace detail

Analytics::Analytics(std::shared_ptr<const detail::ServiceContext> context) : ctx_(std::move(context)) {
  if (!ctx_) throw ValidationError("client", "Analytics needs a Client");
}

Analytics Analytics::max_pages(std::int64_t pages) const {
  if (pages < 1) throw ValidationError("max_pages", fmt::format("must be at least 1 (got {})", pages));
  Analytics copy = *this;
  copy.max_pages_ = pages;
  return copy;
}

AnalyticsRange<RoomSession> Analytics::sessions(RoomId room, std::optional<Timestamp> from,
                                                std::optional<Timestamp> to) const {
  detail::check_scope(room);
  detail::check_range(from, to);
  ctx_->issuer->check("analytics");
  detail::Listing l{.action = "analytics/sessions",
                    .list_key = "sessions",
                    .scope = room,
                    .params = [room, from, to](std::int64_t page) {
                      AnalyticsParams p;
                      // For API-created rooms the third-party room id is the resource id (guide).
                      p.emplace_back("third_party_room_id", room.str());
                      p.emplace_back("page", page);
                      if (from) p.emplace_back("from_date", detail::unix_string(*from));
                      if (to) p.emplace_back("to_date", detail::unix_string(*to));
                      return p;
                    }};
  return detail::make_range<RoomSession>(ctx_, std::move(l), detail::decode_session, max_pages_);
}

AnalyticsRange<Attendee> Analytics::session_attendees(SessionId session, AnalyticsScope scope,
                                                      std::optional<Timestamp> from,
                                                      std::optional<Timestamp> to) const {
  if (!session.valid()) throw ValidationError("session", "must be a positive id");
  detail::check_scope(scope);
  detail::check_range(from, to);
  ctx_->issuer->check("analytics");
  detail::Listing l{.action = "analytics/session-attendees",  // not "sessions-attendees" (protocol.md G.2)
                    .list_key = "session_attendance",
                    .scope = scope,
                    .params = [session, from, to](std::int64_t page) {
                      AnalyticsParams p;
                      p.emplace_back("session_id", session.value());
                      p.emplace_back("page", page);
                      if (from) p.emplace_back("from_date", detail::unix_string(*from));
                      if (to) p.emplace_back("to_date", detail::unix_string(*to));
                      p.emplace_back("include_third_party_data", std::int64_t{1});
                      return p;
                    }};
  return detail::make_range<Attendee>(ctx_, std::move(l), [session](const detail::Json& item, std::string_view path) {
    Attendee a = detail::decode_attendee(item, path);
    if (!a.session_id.valid()) {
      a.session_id = session;
    } else if (a.session_id != session) {
      throw ProtocolError(fmt::format("KAF analytics: {}.session_id is {}, but session {} was asked for", path,
                                      a.session_id.value(), session.value()));
    }
    return a;
  }, max_pages_);
}

AnalyticsRange<RoomMessage> Analytics::room_messages(RoomId room, MessageType type) const {
  detail::check_scope(room);
  const std::string type_name(to_string(type));
  ctx_->issuer->check("analytics");
  detail::Listing l{.action = "analytics/room-messages",
                    .list_key = "messages",
                    .scope = room,
                    .params = [room, type_name](std::int64_t page) {
                      AnalyticsParams p;
                      p.emplace_back("third_party_room_id", room.str());
                      p.emplace_back("type", type_name);
                      p.emplace_back("page", page);
                      return p;
                    }};
  return detail::make_range<RoomMessage>(ctx_, std::move(l), detail::decode_message, max_pages_);
}

AnalyticsRange<AnalyticsRoom> Analytics::rooms(AnalyticsScope scope) const {
  detail::check_scope(scope);
  ctx_->issuer->check("analytics");
  detail::Listing l{.action = "rooms", .list_key = "rooms", .scope = scope, .params = [](std::int64_t page) {
                      AnalyticsParams p;
                      p.emplace_back("page", page);
                      return p;
                    }};
  return detail::make_range<AnalyticsRoom>(ctx_, std::move(l), detail::decode_room, max_pages_);
}

AnalyticsRange<AnalyticsUser> Analytics::users(AnalyticsScope scope) const {
  detail::check_scope(scope);
  ctx_->issuer->check("analytics");
  detail::Listing l{.action = "users", .list_key = "users", .scope = scope, .params = [](std::int64_t page) {
                      AnalyticsParams p;
                      p.emplace_back("page", page);
                      return p;
                    }};
  return detail::make_range<AnalyticsUser>(ctx_, std::move(l), detail::decode_user, max_pages_);
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
