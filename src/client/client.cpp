// kmeet::Client: every method of it is defined here (docs/architecture.md).

#include "kmeet/client.hpp"

#include "client/context.hpp"
#include "kmeet/async.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/urls.hpp"
#include "services/meetings.hpp"

namespace kmeet {

Client::Client(Config config) {
  config.validate();
  ctx_ = std::make_shared<detail::ClientContext>(std::move(config));
}

Client Client::from_env() { return Client(Config::from_env()); }

namespace {
/// A with() view: the client's context (kept alive) and a ServiceContext whose api client carries
/// the view's CallOptions.
struct View {
  std::shared_ptr<detail::ClientContext> ctx;
  detail::ServiceContext services;
};
}  // namespace

namespace {
void check_options(const CallOptions& o) {
  if (o.timeout && o.timeout->count() <= 0) throw ValidationError("options.timeout", "must be positive");
  if (!o.retry) return;
  if (o.retry->max_attempts < 1) throw ValidationError("options.retry.max_attempts", "must be at least 1");
  if (o.retry->throttle_wait.count() < 0) {
    throw ValidationError("options.retry.throttle_wait", "must not be negative");
  }
}
}  // namespace

Client Client::with(const CallOptions& options) const {
  check_options(options);
  Client view = *this;
  auto holder = std::make_shared<View>(View{ctx_, *services()});
  holder->services.api = holder->services.api.with_options(options);
  view.view_ = std::shared_ptr<const detail::ServiceContext>(holder, &holder->services);
  return view;
}

std::shared_ptr<const detail::ServiceContext> Client::services() const {
  return view_ ? view_ : detail::services_of(ctx_);
}

const Config& Client::config() const { return ctx_->config; }

std::string Client::kaf_base_url() const { return ctx_->services.kaf_base; }

std::string Client::admin_ks() const {
  const detail::CallScope scope = services()->api.scope("admin_ks");
  return ctx_->api_ks->get();
}

KsSessions Client::ks_sessions() const { return KsSessions(services()); }
AppTokens Client::app_tokens() const { return AppTokens(services()); }
Rooms Client::rooms() const { return Rooms(services()); }
Events Client::events() const { return Events(services()); }
Links Client::links() const { return Links(services()); }
Recordings Client::recordings() const { return Recordings(services()); }
Analytics Client::analytics() const { return Analytics(services()); }

AsyncClient Client::async() const { return AsyncClient(*this); }

Meeting Client::create_meeting(const MeetingSpec& spec) const {
  auto results = create_meetings(std::span<const MeetingSpec>(&spec, 1));
  return results.at(0).value();  // rethrows the ValidationError / MeetingError
}

std::vector<MeetingResult> Client::create_meetings(std::span<const MeetingSpec> specs) const {
  const auto ctx = services();
  // One logical call: every round, look-up and rollback request shares its id and options.
  const detail::CallScope scope = ctx->api.scope("create_meetings");
  return detail::create_meetings(*ctx, specs);
}

namespace {

/// The privileges of a join KS (protocol.md G.1), every value validated: names cannot smuggle
/// privileges in (protocol.md F.6).
Privileges join_privileges(const JoinRequest& r) {
  if (r.event.has_value() == r.room.has_value()) {
    throw ValidationError("join.event/join.room", "give exactly one of an event id or a room id");
  }
  if (r.event && !r.event->valid()) throw ValidationError("join.event", "must be a positive id");
  if (r.room && !r.room->valid()) throw ValidationError("join.room", "must be a positive id");
  if (r.user_id.empty()) {
    throw ValidationError("join.user_id", "must not be empty (one id per person: a second join with the same id drops the first)");
  }
  if (r.ttl.count() <= 0) throw ValidationError("join.ttl", "must be positive");
  Privileges p;
  if (r.event) p.event_id(*r.event);
  if (r.room) p.resource_id(*r.room);
  p.role(r.role);
  p.contextual_role(r.role == Role::moderator ? ContextualRole::moderator : ContextualRole::attendee);
  if (!r.first_name.empty()) p.first_name(r.first_name);
  if (!r.last_name.empty()) p.last_name(r.last_name);
  if (!r.email.empty()) p.email(r.email);
  // Control characters, invalid UTF-8, ';' and '|' (a v1 KS field separator, KAF's own).
  validate_user_id(r.user_id, "join.user_id");
  return p;
}

}  // namespace

JoinLink Client::join(const JoinRequest& r) const {
  const Privileges p = join_privileges(r);
  ctx_->issuer->check("join");
  const detail::CallScope scope = services()->api.scope("join");
  const detail::IssuedKs issued = ctx_->issuer->issue(detail::PersonKsRequest{.type = SessionType::user,
                                                                              .user_id = r.user_id,
                                                                              .privileges = p.str(),
                                                                              .ttl = r.ttl,
                                                                              .via_api = r.via_api,
                                                                              .purpose = "join"});
  JoinLink link;
  link.ks = issued.ks;
  link.expires_at = issued.expires_at;
  link.url = launch_url(services()->kaf_base, link.ks);
  return link;
}

}  // namespace kmeet
