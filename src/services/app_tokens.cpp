// apptoken.* and the app-token session flow (protocol.md I).

#include "kmeet/app_tokens.hpp"

#include "api/service_context.hpp"
#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/app_token_wire.hpp"
#include "services/list_all.hpp"
#include "services/service_call.hpp"

namespace kmeet {

using detail::WireJson;

namespace {

constexpr const char* kService = "apptoken";

void check_id(const std::string& id) {
  if (id.empty()) throw ValidationError("app_token.id", "must not be empty");
  for (const char c : id) {
    if (c <= ' ' || c > '~') throw ValidationError("app_token.id", "must be printable characters without spaces");
  }
}

// One page of `apptoken.list`, validated, sent and decoded; `order` is the `orderBy`, if any.
Page<AppToken> list_page(const detail::ServiceContext& ctx, const AppTokenFilter& filter, const Pager& pager,
                         std::string_view order = {}) {
  detail::validate(filter);
  detail::validate(pager);
  WireJson wire_filter = detail::to_wire(filter);
  if (!order.empty()) wire_filter["orderBy"] = order;
  return detail::app_token_page_from_wire(ctx.api.call(
      detail::make_call(kService, "list", detail::list_params(std::move(wire_filter), detail::to_wire(pager)), true)));
}

WireJson id_params(const std::string& id) {
  WireJson p = WireJson::object();
  p["id"] = id;
  return p;
}

// A token past its `expiry` cannot start a session (protocol.md I.7: APP_TOKEN_EXPIRED), so
// creating or updating one with an expiry that has passed (by this client's clock) is refused.
void check_future(const std::optional<Timestamp>& expires_at, Timestamp now) {
  if (expires_at && *expires_at <= now) {
    throw ValidationError("app_token.expiry", "is not in the future (by this computer's clock): a token past its expiry "
                                              "cannot start sessions; omit it for a token that never expires");
  }
}

}  // namespace

AppToken AppTokens::add(const AppTokenSpec& spec) const {
  WireJson p = WireJson::object();
  p["appToken"] = detail::app_token_to_wire(spec);
  check_future(spec.expires_at, ctx_->now());
  // Not idempotent: a token has no key to look up, so an add with an unknown outcome is not
  // resent (the caller lists tokens by description to find a twin).
  return detail::app_token_from_wire(ctx_->api.call(detail::make_call(kService, "add", std::move(p), false)));
}

AppToken AppTokens::get(const std::string& id) const {
  check_id(id);
  try {
    return detail::app_token_from_wire(ctx_->api.call(detail::make_call(kService, "get", id_params(id), true)));
  } catch (const ApiError& e) {
    if (auto typed = detail::as_app_token_error(e, id)) throw *typed;
    throw;
  }
}

AppToken AppTokens::update(const std::string& id, const AppTokenUpdate& changes) const {
  check_id(id);
  WireJson p = id_params(id);
  p["appToken"] = detail::app_token_update_to_wire(changes);
  check_future(changes.expires_at, ctx_->now());
  try {
    return detail::app_token_from_wire(ctx_->api.call(detail::make_call(kService, "update", std::move(p), true)));
  } catch (const ApiError& e) {
    if (auto typed = detail::as_app_token_error(e, id)) throw *typed;
    throw;
  }
}

void AppTokens::remove(const std::string& id) const {
  check_id(id);
  try {
    // After an unknown outcome, APP_TOKEN_ID_NOT_FOUND on the resend means the first attempt
    // deleted it (is_absent_code); without one it is the caller's unknown id.
    (void)ctx_->api.call(detail::make_delete(kService, id_params(id)));
  } catch (const ApiError& e) {
    if (auto typed = detail::as_app_token_error(e, id)) throw *typed;
    throw;
  }
}

Page<AppToken> AppTokens::list(const AppTokenFilter& filter, const Pager& pager) const {
  return list_page(*ctx_, filter, pager);
}

Listing<AppToken> AppTokens::list_all(const AppTokenFilter& filter, int page_size) const {
  detail::validate(filter);
  detail::validate_page_size(page_size);
  auto fetch = [ctx = ctx_, filter](const detail::ListQuery& q) {
    AppTokenFilter f = filter;
    if (q.created_gte && (!f.created_at_gte || *f.created_at_gte < *q.created_gte)) f.created_at_gte = q.created_gte;
    return list_page(*ctx, f, Pager{q.page_size, q.page_index}, "+createdAt").items;
  };
  auto key = [](const AppToken& t) { return t.id; };
  return detail::make_listing<AppToken>(std::make_shared<detail::WindowSource<AppToken>>(
      std::move(fetch), std::move(key), "app tokens", filter.created_at_gte, page_size));
}

AppTokenSession AppTokens::start_session(const std::string& id, const std::string& token, AppTokenHash hash,
                                         const AppTokenSessionRequest& request) const {
  check_id(id);
  if (token.empty()) throw ValidationError("app_token", "must not be empty");
  const detail::WidgetKs widget = detail::start_widget_session(ctx_->api, ctx_->partner_id, ctx_->now());
  return detail::app_token_start_session(ctx_->api, widget.ks, id, token, hash, request);
}

}  // namespace kmeet
