#include "kmeet/client.hpp"

#include "client/context.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/urls.hpp"

namespace kmeet {

Client::Client(Config config) {
  config.validate();
  ctx_ = std::make_shared<detail::ClientContext>(std::move(config));
}

Client Client::from_env() { return Client(Config::from_env()); }

const Config& Client::config() const { return ctx_->config; }

Sessions Client::sessions() const { return Sessions(ctx_); }

std::string Client::admin_ks() const { return ctx_->admin_session->get(); }

std::string Client::kaf_base_url() const { return ctx_->kaf_base; }

JoinLink Client::join(const JoinRequest& r) const {
  if (r.event.has_value() == r.room.has_value()) {
    throw ValidationError("join.event/join.room", "give exactly one of an event id or a room id");
  }
  if (r.event && !r.event->valid()) throw ValidationError("join.event", "must be a positive id");
  if (r.room && !r.room->valid()) throw ValidationError("join.room", "must be a positive id");
  if (r.user_id.empty()) {
    throw ValidationError("join.user_id", "must not be empty (one id per person: a second join with the same id drops the first)");
  }
  if (r.ttl.count() <= 0) throw ValidationError("join.ttl", "must be positive");

  Privileges p;  // validates every value: names cannot smuggle privileges in (protocol.md F.6)
  if (r.event) p.event_id(*r.event);
  if (r.room) p.resource_id(*r.room);
  p.role(r.role);
  p.contextual_role(r.role == Role::moderator ? ContextualRole::moderator : ContextualRole::attendee);
  if (!r.first_name.empty()) p.first_name(r.first_name);
  if (!r.last_name.empty()) p.last_name(r.last_name);
  if (!r.email.empty()) p.email(r.email);
  // Control characters, invalid UTF-8, ';' and '|' (a v1 KS field separator, KAF's own).
  validate_user_id(r.user_id, "join.user_id");

  JoinLink link;
  const Timestamp now = ctx_->now();
  if (ctx_->signer && !r.via_api) {
    link.expires_at = now + r.ttl;
    link.ks = ctx_->signer->mint(KsParams{.partner_id = ctx_->config.partner_id,
                                          .type = SessionType::user,
                                          .user_id = r.user_id,
                                          .privileges = p.str(),
                                          .expires_at = link.expires_at},
                                 ctx_->config.ks_version);
  } else {
    const std::string& secret = !ctx_->config.user_secret.empty() ? ctx_->config.user_secret : ctx_->config.admin_secret;
    if (secret.empty()) {
      throw ValidationError("user_secret", "a join KS needs the admin secret (local) or the user secret (session.start)");
    }
    link.ks = sessions().start(SessionStart{.secret = secret,
                                            .type = SessionType::user,
                                            .user_id = r.user_id,
                                            .expiry = r.ttl,
                                            .privileges = p.str()});
    // The server clamps long lifetimes to the partner's maximum (one day by default).
    link.expires_at = detail::issued_ks_expiry(ctx_->config, link.ks,
                                               now + std::min<std::chrono::seconds>(r.ttl, std::chrono::hours(24)));
  }
  link.url = launch_url(ctx_->kaf_base, link.ks);
  return link;
}


}  // namespace kmeet
