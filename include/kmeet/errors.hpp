#pragma once
/// @file errors.hpp
/// kmeet's exception hierarchy. No message ever contains a secret or a whole KS.

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace kmeet {

/// Root of every exception kmeet throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Input refused before anything was sent. Names the field and the reason.
class ValidationError : public Error {
 public:
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
class TransportError : public Error {
 public:
  enum class Kind { connect, timeout, tls, reset, too_large, other };
  TransportError(Kind kind, std::string message, bool outcome_unknown);
  [[nodiscard]] Kind kind() const { return kind_; }
  /// True when the request may have reached the server and been executed (e.g. the connection
  /// died after the body was sent). A create must then be looked up before it is sent again.
  [[nodiscard]] bool outcome_unknown() const { return outcome_unknown_; }

 private:
  Kind kind_;
  bool outcome_unknown_;
};

/// The server answered with an HTTP status other than 200 (proxy pages, 5xx, 429, 403...).
class HttpError : public Error {
 public:
  HttpError(int status, std::string body_snippet, std::optional<std::chrono::seconds> retry_after = {});
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
class ProtocolError : public Error {
 public:
  ProtocolError(std::string message, int status = 200, std::string body_snippet = {});
  [[nodiscard]] int status() const { return status_; }
  [[nodiscard]] const std::string& body_snippet() const { return snippet_; }

 private:
  int status_;
  std::string snippet_;
};

/// A `KalturaAPIException` returned by the server.
class ApiError : public Error {
 public:
  struct Details {
    std::string code;                          ///< e.g. `INVALID_KS`, `INVALID_OBJECT_ID`
    std::string message;                       ///< server message (KS values redacted)
    std::map<std::string, std::string> args;   ///< placeholder values (KS values redacted)
    std::string server;                        ///< `X-Me` response header
    std::string session;                       ///< `X-Kaltura-Session` response header
  };
  explicit ApiError(Details details);
  [[nodiscard]] const std::string& code() const { return d_.code; }
  [[nodiscard]] const std::string& api_message() const { return d_.message; }
  [[nodiscard]] const std::map<std::string, std::string>& args() const { return d_.args; }
  /// For `INVALID_KS`: the reason (`EXPIRED`, `LOGOUT`, `INVALID_STR`...), else empty.
  [[nodiscard]] std::string ks_reason() const;
  [[nodiscard]] const std::string& server() const { return d_.server; }
  [[nodiscard]] const std::string& session() const { return d_.session; }
  [[nodiscard]] const Details& details() const { return d_; }

 private:
  Details d_;
};

}  // namespace kmeet
