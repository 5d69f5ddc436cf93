// apptoken.* and the app-token session flow (protocol.md I).

#include "kmeet/app_tokens.hpp"

#include "api/service_context.hpp"
#include "api/wire_read.hpp"
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
  detail::validate(pager);
  const detail::Json v = ctx_->api.call(detail::make_call(
      kService, "list", detail::list_params(detail::app_token_filter_to_wire(filter), detail::to_wire(pager)), true));
  if (!v.is_object()) throw ProtocolError("apptoken.list did not return a list response");
  Page<AppToken> page;
  // An empty result may have no `objects` key at all (protocol.md I.4).
  if (const detail::Json* objects = detail::wire_read::field(v, "objects")) {
    if (!objects->is_array()) throw ProtocolError("apptoken.list: objects is not an array");
    for (const auto& o : *objects) page.items.push_back(detail::app_token_from_wire(o));
  }
  page.total_count = detail::wire_read::integer(v, "totalCount", "KalturaAppTokenListResponse")
                         .value_or(static_cast<std::int64_t>(page.items.size()));
  return page;
}

Listing<AppToken> AppTokens::list_all(const AppTokenFilter& filter, int page_size) const {
  detail::validate_page_size(page_size);
  auto self = *this;
  auto fetch = [self, filter](const detail::WindowQuery& q) {
    AppTokenFilter f = filter;
    if (q.created_gte && (!f.created_at_gte || *f.created_at_gte < *q.created_gte)) f.created_at_gte = q.created_gte;
    detail::WireJson wf = detail::app_token_filter_to_wire(f);
    wf["orderBy"] = "+createdAt";
    const detail::Json v = self.ctx_->api.call(detail::make_call(
        kService, "list", detail::list_params(std::move(wf), detail::to_wire(Pager{q.page_size, q.page_index})), true));
    std::vector<AppToken> items;
    if (const detail::Json* objects = detail::wire_read::field(v, "objects")) {
      if (!objects->is_array()) throw ProtocolError("apptoken.list: objects is not an array");
      for (const auto& o : *objects) items.push_back(detail::app_token_from_wire(o));
    }
    return items;
  };
  auto key = [](const AppToken& t) { return std::make_pair(t.id, std::optional<Timestamp>(t.created_at)); };
  return Listing<AppToken>(
      std::make_shared<detail::WindowSource<AppToken>>(std::move(fetch), std::move(key), filter.created_at_gte, page_size));
}

AppTokenSession AppTokens::start_session(const std::string& id, const std::string& token, AppTokenHash hash,
                                         const AppTokenSessionRequest& request) const {
  check_id(id);
  if (token.empty()) throw ValidationError("app_token", "must not be empty");
  const detail::WidgetKs widget = detail::start_widget_session(ctx_->api, ctx_->partner_id, ctx_->now());
  return detail::app_token_start_session(ctx_->api, widget.ks, id, token, hash, request);
}

}  // namespace kmeet
