#pragma once
// One KAF analytics call (protocol.md G.2): a KS minted for exactly this call (scope, viewerRole, the
// `api` JSON with its page), `GET {KAF}/newrowkaf/index/api?ks=…`, the answer decoded.

#include <chrono>
#include <string>
#include <string_view>

#include "api/json.hpp"
#include "kmeet/analytics.hpp"
#include "kmeet/http.hpp"
#include "kmeet/urls.hpp"

namespace kmeet::detail {

struct ServiceContext;

/// Time to live of the KS minted for one analytics page: long enough for retries, short enough to be
/// useless if it leaks (it only grants that one read anyway).
inline constexpr std::chrono::seconds kAnalyticsKsTtl = std::chrono::minutes(5);

/// The privileges of an analytics KS: `resourceId:<id>` or `eventId:<id>`, `role:viewerRole`,
/// `api:<URL-encoded JSON>`.
std::string analytics_privileges(const AnalyticsScope& scope, std::string_view api_json);

/// The GET request for one call, with a KS issued for it (minted locally, or from the app token
/// or `session.start`: a round trip per page then).
HttpRequest analytics_request(const ServiceContext& ctx, const AnalyticsScope& scope, std::string_view action,
                              const AnalyticsParams& params);

/// Sends one call (retrying what the client's retry policy allows) and returns the decoded
/// `success` document; `what` names the call in errors.
Json kaf_api_get(const ServiceContext& ctx, const AnalyticsScope& scope, std::string_view action,
                 const AnalyticsParams& params, std::string_view what);

}  // namespace kmeet::detail
