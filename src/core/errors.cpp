#include "kmeet/errors.hpp"

#include <fmt/format.h>

#include "core/redact.hpp"

namespace kmeet {

ValidationError::ValidationError(std::string field, std::string reason)
    : Error(fmt::format("invalid {}: {}", field, reason)),
      field_(std::move(field)),
      reason_(std::move(reason)) {}

TransportError::TransportError(Kind kind, std::string message, bool outcome_unknown)
    : Error(std::move(message)), kind_(kind), outcome_unknown_(outcome_unknown) {}

HttpError::HttpError(int status, std::string body_snippet,
                     std::optional<std::chrono::seconds> retry_after)
    : Error(body_snippet.empty() ? fmt::format("HTTP {}", status)
                                 : fmt::format("HTTP {}: {}", status, body_snippet)),
      status_(status),
      snippet_(std::move(body_snippet)),
      retry_after_(retry_after) {}

ProtocolError::ProtocolError(std::string message, int status, std::string body_snippet)
    : Error(body_snippet.empty() ? message : fmt::format("{} (body: {})", message, body_snippet)),
      status_(status),
      snippet_(std::move(body_snippet)) {}

namespace {
std::string api_what(const ApiError::Details& d) {
  std::string what = fmt::format("{}: {}", d.code, d.message);
  if (!d.server.empty() || !d.session.empty()) {
    what += fmt::format(" [server {}, session {}]", d.server.empty() ? "?" : d.server,
                        d.session.empty() ? "?" : d.session);
  }
  return detail::one_line(what);
}

/// An error code as Kaltura writes them (`INVALID_KS`, `KMEET_AMBIGUOUS_KEY`): kept as it is.
bool plain_code(std::string_view code) {
  if (code.empty() || code.size() > 80 || code.front() < 'A' || code.front() > 'Z') return false;
  for (const char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

/// Every field comes from the server: any of them may carry a KS (a hostile or buggy server may put
/// one in the code or an argument's name), so every one is redacted here, by construction.
ApiError::Details redacted(ApiError::Details d) {
  if (!plain_code(d.code)) d.code = detail::one_line(detail::redact_tokens(d.code));
  d.message = detail::redact_tokens(d.message);
  std::map<std::string, std::string> args;
  for (auto& [name, value] : d.args) args.emplace(detail::redact_tokens(name), detail::redact_tokens(value));
  d.args = std::move(args);
  d.server = detail::one_line(detail::redact_tokens(d.server));
  d.session = detail::one_line(detail::redact_tokens(d.session));
  return d;
}
}  // namespace

ApiError::ApiError(Details details) : Error(api_what(redacted(details))), d_(redacted(std::move(details))) {}

bool ApiError::fails_every_call() const noexcept {
  return d_.code == "INVALID_KS" || d_.code == "SERVICE_FORBIDDEN" || d_.code == "START_SESSION_ERROR" ||
         d_.code == "INVALID_PARTNER_ID";
}

bool fails_every_call(const std::exception_ptr& error) noexcept {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& a) {
    return a.fails_every_call();
  } catch (...) {
    return false;
  }
}

std::string ApiError::ks_reason() const {
  if (d_.code != "INVALID_KS") return {};
  // With a valid signature the server puts the reason (EXPIRED, LOGOUT...) into KSID;
  // for an unreadable token KSID is the token itself and the reason is ERR_DESC (INVALID_STR).
  if (auto it = d_.args.find("KSID"); it != d_.args.end()) {
    static constexpr std::string_view kReasons[] = {
        "EXPIRED", "LOGOUT", "INVALID_PARTNER", "INVALID_USER", "INVALID_TYPE",
        "EXCEEDED_ACTIONS_LIMIT", "EXCEEDED_RESTRICTED_IP", "EXCEEDED_RESTRICTED_URI", "INVALID_STR"};
    for (auto r : kReasons) {
      if (it->second == r) return it->second;
    }
  }
  if (auto it = d_.args.find("ERR_DESC"); it != d_.args.end()) return it->second;
  return "INVALID_STR";
}

namespace {
std::string app_token_advice(AppTokenError::Reason reason, const std::string& id) {
  switch (reason) {
    case AppTokenError::Reason::not_found:
      return "app token " + id + " was not found: it was deleted (which revokes every KS it issued) or never existed; "
             "check app_token_id";
    case AppTokenError::Reason::not_active:
      return "app token " + id + " is not active (disabled): it cannot issue KSs";
    case AppTokenError::Reason::wrong_hash:
      return "app token " + id + " refused the token hash: the token value or its hash type (app_token_hash) is wrong";
    case AppTokenError::Reason::expired:
      return "app token " + id + " has expired: extend its expiry (apptoken.update) or replace it (kmeet apptoken rotate " + id + " --expiry +180d)";
    case AppTokenError::Reason::revoked:
      return "the app token " + id + " was deleted or revoked: every KS it issued is refused (INVALID_KS LOGOUT); "
             "configure a current token";
  }
  return "app token " + id + " was refused";
}
}  // namespace

AppTokenError::AppTokenError(Reason reason, std::string token_id, const ApiError& cause)
    : ApiError(cause.details()), reason_(reason), token_id_(detail::one_line(detail::redact_tokens(token_id))) {
  message_ = app_token_advice(reason_, token_id_) + " (" + ApiError::what() + ")";
}

}  // namespace kmeet

namespace kmeet {

namespace {
std::string arg_or_empty(const ApiError& e, const char* name) {
  auto it = e.args().find(name);
  return it == e.args().end() ? std::string{} : it->second;
}

std::string cancelled_what(CancelledError::Reason reason, const std::string& call, bool unknown,
                           const std::string& key_field, const std::string& key) {
  std::string what = fmt::format("{} {}", call.empty() ? "call" : call,
                                 reason == CancelledError::Reason::cancelled ? "cancelled" : "stopped: deadline passed");
  if (!unknown) return detail::one_line(what + "; nothing of it ran on the server");
  what += "; OUTCOME UNKNOWN: a request of it may have run on the server";
  if (!key.empty()) {
    what += fmt::format(": look the object up by {} '{}', or run the add again with it", key_field, key);
  }
  return detail::one_line(detail::redact_tokens(what));
}
}  // namespace

std::string ThrottledError::blocked_service() const { return arg_or_empty(*this, "SERVICE_NAME"); }
std::string ThrottledError::blocked_action() const { return arg_or_empty(*this, "ACTION_NAME"); }

CancelledError::CancelledError(Reason reason, std::string call, bool outcome_unknown, std::string key_field,
                               std::string key, std::exception_ptr cause)
    : Error(cancelled_what(reason, call, outcome_unknown, key_field, key)),
      reason_(reason),
      call_(std::move(call)),
      outcome_unknown_(outcome_unknown),
      key_field_(std::move(key_field)),
      key_(std::move(key)),
      cause_(std::move(cause)) {}

}  // namespace kmeet
