#include "kaf/analytics_request.hpp"

#include <fmt/format.h>

#include <variant>

#include "api/service_context.hpp"
#include "core/encoding.hpp"
#include "kaf/analytics_decode.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/urls.hpp"

namespace kmeet::detail {

std::string analytics_privileges(const AnalyticsScope& scope, std::string_view api_json) {
  Privileges p;
  // Exactly one of resourceId / eventId (guide: "Do not populate both").
  if (const auto* room = std::get_if<RoomId>(&scope)) {
    p.resource_id(*room);
  } else {
    p.event_id(std::get<EventId>(scope));
  }
  p.role(Role::attendee);  // role:viewerRole
  p.api(api_json);         // URL-encoded JSON
  return p.str();
}

HttpRequest analytics_request(const ServiceContext& ctx, const AnalyticsScope& scope, std::string_view action,
                              const AnalyticsParams& params) {
  // A KS for exactly this call (protocol.md G.2), from whatever credential the client has.
  const std::string ks = ctx.issuer
                             ->issue(PersonKsRequest{.type = SessionType::user,
                                                     .user_id = {},
                                                     .privileges = analytics_privileges(scope, analytics_api_json(action, params)),
                                                     .ttl = kAnalyticsKsTtl,
                                                     .via_api = false,
                                                     .purpose = "analytics"})
                             .ks;
  HttpRequest r;
  r.method = HttpMethod::get;
  r.url = analytics_url(ctx.kaf_base, ks);
  r.headers = {{"Accept", "application/json"}};
  r.idempotent = true;  // a read: safe to repeat
  return r;
}

Json kaf_api_get(const ServiceContext& ctx, const AnalyticsScope& scope, std::string_view action,
                 const AnalyticsParams& params, std::string_view what) {
  const HttpRequest request = analytics_request(ctx, scope, action, params);
  HttpResponse response;
  SendReport report;
  try {
    response = ctx.api.send_with_retry(request, &report);
  } catch (const HttpError& e) {
    // Classify from the whole (size-capped) body: an error envelope longer than the HttpError's
    // short snippet must still give its typed error (INVALID_KS/EXPIRED...).
    if (report.error_response) rethrow_kaf_http_error(e, report.error_response->body, what);
    rethrow_kaf_http_error(e, what);
  }
  return decode_kaf_body(response, what);
}

}  // namespace kmeet::detail
