#pragma once
// The app-token protocol (docs/protocol.md section I): the three calls of I.1, the token hash of
// I.6, the KalturaAppToken mapping of I.3/I.4 and the error mapping of I.9. Shared by the
// `AppTokens` service handle and the client's app-token credential (src/client/credentials.cpp).

#include <chrono>
#include <string>

#include "api/api_client.hpp"
#include "api/json.hpp"
#include "kmeet/app_tokens.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail {

/// A widget KS (`session.startWidgetSession`, I.5) and when kmeet should stop using it.
struct WidgetKs {
  std::string ks;
  Timestamp expires_at{};
};

/// How long kmeet asks widget KSs to live (the action's default, I.5).
inline constexpr std::chrono::seconds kWidgetKsLifetime{86400};

/// `session.startWidgetSession` with `widgetId = "_" + partnerId` and no KS. `now` is the issue
/// time; the expiry is read from a v1 KS or estimated as now + the asked lifetime.
WidgetKs start_widget_session(const ApiClient& api, PartnerId partner, Timestamp now);

/// `apptoken.startSession` carrying `widget_ks` as its KS and the hash over it (I.6, I.11).
/// Refusals of I.9 are thrown as AppTokenError; the KS in the answer is checked to be a string.
AppTokenSession app_token_start_session(const ApiClient& api, const std::string& widget_ks, const std::string& id,
                                        const std::string& token, AppTokenHash hash,
                                        const AppTokenSessionRequest& request);

/// The AppTokenError for an ApiError of I.9, or nullopt when `e` is something else.
std::optional<AppTokenError> as_app_token_error(const ApiError& e, const std::string& token_id);

/// `KalturaAppToken` → AppToken (partnerId as number or numeric string; unknown hash types are a
/// ProtocolError naming the field).
AppToken app_token_from_wire(const Json& v);
/// A `KalturaAppTokenListResponse` (an empty one may have no `objects` at all, protocol.md I.4);
/// `total_count` is the number of items when the server does not say.
Page<AppToken> app_token_page_from_wire(const Json& v);
/// AppTokenSpec → `KalturaAppToken` for `add` (validated first: ValidationError naming the field).
WireJson app_token_to_wire(const AppTokenSpec& spec);
/// AppTokenUpdate → `KalturaAppToken` for `update` (only what is set).
WireJson app_token_update_to_wire(const AppTokenUpdate& changes);

}  // namespace kmeet::detail
