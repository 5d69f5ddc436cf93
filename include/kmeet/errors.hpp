#pragma once
/// @file errors.hpp
/// kmeet's exception hierarchy. No message ever contains a secret or a whole KS.

#include <chrono>
#include <exception>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "kmeet/export.hpp"

namespace kmeet {

/// Root of every exception kmeet throws.
class KMEET_EXPORT Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Input refused before anything was sent. Names the field and the reason.
class KMEET_EXPORT ValidationError : public Error {
 public:
  /// `field` names the refused input, `reason` says why; what() reads `invalid FIELD: REASON`.
  ValidationError(std::string field, std::string reason);
  /// The field (or CLI flag / CSV column) that was refused, e.g. `room.name`.
  [[nodiscard]] const std::string& field() const { return field_; }
  /// Why it was refused, e.g. `must not be empty`.
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

/// The request did not complete at the network level (connect, timeout, TLS, reset, size cap).
class KMEET_EXPORT TransportError : public Error {
 public:
  /// What went wrong at the network level.
  enum class Kind { connect, timeout, tls, reset, too_large, other };
  /// `message` must already be free of secrets and query strings.
  TransportError(Kind kind, std::string message, bool outcome_unknown);
  /// What went wrong at the network level.
  [[nodiscard]] Kind kind() const { return kind_; }
  /// True when the request may have reached the server and been executed (e.g. the connection
  /// died after the body was sent). A create must then be looked up before it is sent again.
  [[nodiscard]] bool outcome_unknown() const { return outcome_unknown_; }

 private:
  Kind kind_;
  bool outcome_unknown_;
};

/// The server answered with an HTTP status other than 200 (proxy pages, 5xx, 429, 403...).
class KMEET_EXPORT HttpError : public Error {
 public:
  /// `body_snippet` must already be redacted (see `body_snippet()`).
  HttpError(int status, std::string body_snippet, std::optional<std::chrono::seconds> retry_after = {});
  /// The HTTP status code, e.g. 503.
  [[nodiscard]] int status() const { return status_; }
  /// The first few hundred bytes of the body, with anything that looks like a KS redacted.
  [[nodiscard]] const std::string& body_snippet() const { return snippet_; }
  /// Parsed `Retry-After`, when the server sent one.
  [[nodiscard]] std::optional<std::chrono::seconds> retry_after() const { return retry_after_; }

 private:
  int status_;
  std::string snippet_;
  std::optional<std::chrono::seconds> retry_after_;
};

/// The body was not what the API returns (HTML, truncated or malformed JSON, wrong shape, too deep).
class KMEET_EXPORT ProtocolError : public Error {
 public:
  /// `message` says what was wrong; `body_snippet` must already be redacted.
  ProtocolError(std::string message, int status = 200, std::string body_snippet = {});
  /// The HTTP status of the response (usually 200).
  [[nodiscard]] int status() const { return status_; }
  /// The start of the body, with anything that looks like a KS redacted.
  [[nodiscard]] const std::string& body_snippet() const { return snippet_; }

 private:
  int status_;
  std::string snippet_;
};

/// A `KalturaAPIException` returned by the server.
class KMEET_EXPORT ApiError : public Error {
 public:
  /// Everything the server said about the error.
  struct Details {
    std::string code;                          ///< e.g. `INVALID_KS`, `INVALID_OBJECT_ID`
    std::string message;                       ///< server message (KS values redacted)
    std::map<std::string, std::string> args;   ///< placeholder values (KS values redacted)
    std::string server;                        ///< `X-Me` response header
    std::string session;                       ///< `X-Kaltura-Session` response header
  };
  /// what() reads `CODE: message [server X, session Y]`; KS values in the message and args are redacted.
  explicit ApiError(Details details);
  /// The Kaltura error code, e.g. `INVALID_KS`.
  [[nodiscard]] const std::string& code() const { return d_.code; }
  /// The server's message (KS values redacted).
  [[nodiscard]] const std::string& api_message() const { return d_.message; }
  /// The message's placeholder values by name (KS values redacted).
  [[nodiscard]] const std::map<std::string, std::string>& args() const { return d_.args; }
  /// For `INVALID_KS`: the reason (`EXPIRED`, `LOGOUT`, `INVALID_STR`...), else empty.
  [[nodiscard]] std::string ks_reason() const;
  /// The `X-Me` response header: which server answered (quote it to Kaltura support).
  [[nodiscard]] const std::string& server() const { return d_.server; }
  /// The `X-Kaltura-Session` response header: the server-side request id.
  [[nodiscard]] const std::string& session() const { return d_.session; }
  /// All of the above as one value.
  [[nodiscard]] const Details& details() const { return d_; }
  /// True for errors that every other call with these credentials will meet too (`INVALID_KS`,
  /// `SERVICE_FORBIDDEN`, `START_SESSION_ERROR`, `INVALID_PARTNER_ID`): a bulk loop stops on
  /// them instead of failing item after item (what `kmeet import` and sync do).
  [[nodiscard]] bool fails_every_call() const noexcept;

 private:
  Details d_;
};

/// The server throttled the call: `ACTION_BLOCKED` (protocol.md K), an HTTP 200 API error with no
/// `Retry-After`. Nothing ran (the check comes before the action), so kmeet retries it, even an
/// add, after at least the rate-limit window (`RetryPolicy::throttle_wait`, 10 s) with jitter and
/// slows the whole client down; this error reaches you only when the deadline or the cancellation
/// of the call stopped those retries first. `args()` hold the lower-cased `SERVICE_NAME` and
/// `ACTION_NAME` the server blocked.
class KMEET_EXPORT ThrottledError : public ApiError {
 public:
  /// `details` of an `ACTION_BLOCKED` answer (code checked by the caller).
  explicit ThrottledError(Details details) : ApiError(std::move(details)) {}
  /// The blocked service id, lower-cased by the server (`schedule_scheduleresource`).
  [[nodiscard]] std::string blocked_service() const;
  /// The blocked action, lower-cased (`add`).
  [[nodiscard]] std::string blocked_action() const;
};

/// A call stopped by its `CallOptions`: cancelled (CancellationToken) or out of time (the
/// deadline). Says what state it left: `outcome_unknown()` is true when a request of the call may
/// have run on the server without kmeet seeing its answer; for an add, `key()` is the idempotency
/// key it was sent with (a room's `system_name`, an event's `reference_id`, a link's
/// `eventId,resourceId`): look the object up by it, or run the add again with it (kmeet then
/// finds the object instead of making a second one). `cause()` is the last failure before the
/// stop, if any. A meeting stopped this way is reported as a MeetingError with `cause()` this error
/// and its keys.
class KMEET_EXPORT CancelledError : public Error {
 public:
  /// Why the call stopped.
  enum class Reason { cancelled, deadline };
  /// `call` names it (`schedule_scheduleresource.add`); `key_field`/`key` are empty except for adds.
  CancelledError(Reason reason, std::string call, bool outcome_unknown, std::string key_field = {},
                 std::string key = {}, std::exception_ptr cause = {});
  /// Why the call stopped.
  [[nodiscard]] Reason reason() const { return reason_; }
  /// The call that was stopped, as `service.action`.
  [[nodiscard]] const std::string& call() const { return call_; }
  /// True when something the call sent may have run (an add may have made its object).
  [[nodiscard]] bool outcome_unknown() const { return outcome_unknown_; }
  /// For an add: the name of its idempotency key (`system_name`, `reference_id`, `event_id,room_id`).
  [[nodiscard]] const std::string& key_field() const { return key_field_; }
  /// For an add: the key's value as sent (empty for other calls).
  [[nodiscard]] const std::string& key() const { return key_; }
  /// The failure of the last attempt before the stop, or null.
  [[nodiscard]] std::exception_ptr cause() const { return cause_; }

 private:
  Reason reason_;
  std::string call_;
  bool outcome_unknown_;
  std::string key_field_;
  std::string key_;
  std::exception_ptr cause_;
};

/// An application token was refused (protocol.md I.9), with what to do about it in what().
/// The token value never appears; the token id does (it is not a secret).
class KMEET_EXPORT AppTokenError : public ApiError {
 public:
  /// Why: `APP_TOKEN_ID_NOT_FOUND` (not_found), `APP_TOKEN_NOT_ACTIVE` (not_active),
  /// `INVALID_APP_TOKEN_HASH` (wrong_hash), `APP_TOKEN_EXPIRED` (expired), or `INVALID_KS` with
  /// reason `LOGOUT` for a KS the token issued and the token no longer found (revoked).
  enum class Reason { not_found, not_active, wrong_hash, expired, revoked };
  /// Made by kmeet from the server's error `cause` for the token `token_id`.
  AppTokenError(Reason reason, std::string token_id, const ApiError& cause);
  /// Why the token was refused.
  [[nodiscard]] Reason reason() const { return reason_; }
  /// The token's id (`0_o7l19k80`).
  [[nodiscard]] const std::string& token_id() const { return token_id_; }
  /// One line: what happened and what to do, then the server's code and request ids.
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  Reason reason_;
  std::string token_id_;
  std::string message_;
};

/// `error` holds an ApiError whose fails_every_call() is true; false for any other error.
KMEET_EXPORT bool fails_every_call(const std::exception_ptr& error) noexcept;

}  // namespace kmeet
