#include "api/api_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <random>
#include <thread>

#include "api/retry_loop.hpp"
#include "core/redact.hpp"

namespace kmeet::detail {

std::string result_ref(int n, std::string_view path) {
  if (path.empty()) return fmt::format("{{{}:result}}", n);
  return fmt::format("{{{}:result:{}}}", n, path);
}

// ---------------------------------------------------------------------------------------------
// Encoding (protocol.md A)

namespace {

void append_common(WireJson& body, const ApiSettings& s, std::string_view ks) {
  // Same order as the official Node client (protocol.md A.7): format, apiVersion, clientTag, ks.
  body["format"] = 1;
  if (!s.api_version.empty()) body["apiVersion"] = s.api_version;
  if (!s.client_tag.empty()) body["clientTag"] = s.client_tag;
  if (!ks.empty()) body["ks"] = ks;
}

HttpRequest make_post(std::string url, const ApiSettings& /*s*/) {
  HttpRequest r;
  r.method = HttpMethod::post;
  r.url = std::move(url);
  // Exactly `application/json`: with a charset parameter the server ignores the body (protocol.md A.2).
  r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  // The call's request id, as the official clients send it (protocol.md A.4): one per logical call.
  if (const CallState* call = CallScope::current()) r.headers.emplace_back("X-Kaltura-Session-Id", call->request_id);
  return r;
}

// The fast path below writes the body text directly instead of copying the parameters into a new
// DOM and adding the common fields to it (which cost a deep copy and a re-serialisation per call).
// It produces the same bytes as the DOM path, which stays for the cases where they could differ: a
// parameter object that already has one of the keys the encoder adds (the DOM path overwrites it in
// place), or parameters that are not an object.

/// True when `text` serialises as itself between quotes (printable ASCII, no `"` or `\`).
bool plain_json_text(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
  });
}

void append_json_string(std::string& out, std::string_view text) {
  if (plain_json_text(text)) {
    out += '"';
    out += text;
    out += '"';
  } else {
    out += WireJson(text).dump();
  }
}

bool has_any_key(const WireJson& object, std::initializer_list<std::string_view> keys) {
  for (const auto& [key, value] : object.items()) {
    for (const std::string_view k : keys) {
      if (key == k) return true;
    }
  }
  return false;
}

/// Appends `params` without its closing brace: `{` or `{...` (a comma follows when not empty).
void append_open_object(std::string& out, const WireJson& params) {
  if (params.empty()) {
    out += '{';
    return;
  }
  out += params.dump();
  out.back() = ',';  // the closing brace
}

/// `"format":1,"apiVersion":..,"clientTag":..,"ks":..}` — the common fields and the closing brace.
void append_common_text(std::string& out, const std::string& common, std::string_view ks) {
  out += common;
  if (!ks.empty()) {
    out += R"(,"ks":)";
    append_json_string(out, ks);
  }
  out += '}';
}

}  // namespace

namespace {

/// The encoders below throw nlohmann's type_error only for text that is not UTF-8: report it as
/// the ValidationError it is, naming the parameter, before anything is sent.
[[noreturn]] void throw_invalid_utf8(std::span<const ApiCall> calls) {
  for (const ApiCall& c : calls) check_json_utf8(c.params, fmt::format("{}.{}", c.service, c.action));
  throw ValidationError("request", "must be valid UTF-8");
}

}  // namespace

HttpRequest ApiClient::encode(const ApiCall& call, std::string_view ks) const {
  try {
    return encode_unchecked(call, ks);
  } catch (const nlohmann::json::type_error&) {
    throw_invalid_utf8(std::span<const ApiCall>(&call, 1));
  }
}

HttpRequest ApiClient::encode_multi(std::span<const ApiCall> calls, std::string_view ks) const {
  try {
    return encode_multi_unchecked(calls, ks);
  } catch (const nlohmann::json::type_error&) {
    throw_invalid_utf8(calls);
  }
}

HttpRequest ApiClient::encode_unchecked(const ApiCall& call, std::string_view ks) const {
  HttpRequest r = make_post(
      fmt::format("{}/api_v3/service/{}/action/{}", settings_.service_url, call.service, call.action),
      settings_);
  const std::string_view call_ks = call.with_ks ? ks : std::string_view{};
  if (common_ok_ && call.params.is_object() && !has_any_key(call.params, {"format", "apiVersion", "clientTag", "ks"})) {
    r.body.reserve(256 + call_ks.size());
    append_open_object(r.body, call.params);
    append_common_text(r.body, common_fields_, call_ks);
  } else {
    WireJson body = call.params;
    append_common(body, settings_, call_ks);
    r.body = body.dump();
  }
  r.idempotent = call.idempotent;
  return r;
}

HttpRequest ApiClient::encode_multi_unchecked(std::span<const ApiCall> calls, std::string_view ks) const {
  HttpRequest r = make_post(fmt::format("{}/api_v3/service/multirequest", settings_.service_url), settings_);
  bool idempotent = true;
  for (const auto& c : calls) idempotent = idempotent && c.idempotent;
  r.idempotent = idempotent;
  const bool fast = common_ok_ && std::all_of(calls.begin(), calls.end(), [](const ApiCall& c) {
    return c.params.is_object() && !has_any_key(c.params, {"service", "action"});
  });
  if (fast) {
    std::string& out = r.body;
    out.reserve(256 * (calls.size() + 1) + ks.size());
    out += '{';
    for (std::size_t i = 0; i < calls.size(); ++i) {
      fmt::format_to(std::back_inserter(out), R"("{}":)", i);
      append_open_object(out, calls[i].params);
      out += R"("service":)";
      append_json_string(out, calls[i].service);
      out += R"(,"action":)";
      append_json_string(out, calls[i].action);
      out += "},";
    }
    append_common_text(out, common_fields_, ks);
    return r;
  }
  WireJson body = WireJson::object();
  for (std::size_t i = 0; i < calls.size(); ++i) {
    WireJson item = calls[i].params;
    item["service"] = calls[i].service;
    item["action"] = calls[i].action;
    body[std::to_string(i)] = std::move(item);
  }
  append_common(body, settings_, ks);
  r.body = body.dump();
  return r;
}

// ---------------------------------------------------------------------------------------------
// Decoding (protocol.md B)

namespace {

std::optional<std::chrono::seconds> parse_retry_after(const HttpResponse& response) {
  auto v = response.header("Retry-After");
  if (!v) return std::nullopt;
  long long secs = 0;
  const char* b = v->data();
  const char* e = b + v->size();
  while (b < e && *b == ' ') ++b;
  auto [ptr, ec] = std::from_chars(b, e, secs);
  if (ec != std::errc{} || secs < 0) return std::nullopt;  // HTTP-date form: ignored
  return std::chrono::seconds(std::min(secs, 3600LL));
}

std::string as_string(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return {};
  return v.dump();
}

}  // namespace

Json decode_body(const HttpResponse& response) {
  if (response.status != 200) {
    throw HttpError(response.status, safe_snippet(response.body), parse_retry_after(response));
  }
  return parse_json(response.body, response.status);
}

std::optional<ApiError> as_api_error(const Json& value, const HttpResponse& response) {
  if (!value.is_object()) return std::nullopt;
  auto ot = value.find("objectType");
  if (ot == value.end() || !ot->is_string() || *ot != "KalturaAPIException") return std::nullopt;
  ApiError::Details d;
  if (auto it = value.find("code"); it != value.end()) d.code = as_string(*it);
  if (auto it = value.find("message"); it != value.end()) d.message = as_string(*it);
  if (auto it = value.find("args"); it != value.end() && it->is_object()) {
    // With no args PHP serializes an empty array `[]` (protocol.md B.2): nothing to read then.
    for (const auto& [k, v] : it->items()) d.args.emplace(k, as_string(v));
  }
  if (d.code.empty()) d.code = "UNKNOWN_ERROR";
  d.server = response.header("X-Me").value_or("");
  d.session = response.header("X-Kaltura-Session").value_or("");
  return ApiError(std::move(d));
}

// ---------------------------------------------------------------------------------------------
// Retries

ApiClient::ApiClient(std::shared_ptr<Transport> transport, ApiSettings settings, std::shared_ptr<KsProvider> ks,
                     std::shared_ptr<RetryBudget> budget)
    : transport_(std::move(transport)),
      settings_(std::move(settings)),
      ks_(std::move(ks)),
      budget_(budget ? std::move(budget) : std::make_shared<RetryBudget>(settings_.retry)) {
  while (!settings_.service_url.empty() && settings_.service_url.back() == '/') settings_.service_url.pop_back();
  // `"format":1,"apiVersion":"..","clientTag":".."` (protocol.md A.7 order), serialised once.
  // A value that cannot be serialised (invalid UTF-8) keeps the DOM path, which reports it per call.
  try {
    WireJson common = WireJson::object();
    append_common(common, settings_, {});
    const std::string text = common.dump();
    common_fields_ = text.substr(1, text.size() - 2);
    common_ok_ = true;
  } catch (const nlohmann::json::exception&) {
    common_ok_ = false;
  }
}

ApiClient ApiClient::with_options(const CallOptions& options) const {
  ApiClient copy = *this;
  CallOptions merged = options_ ? *options_ : CallOptions{};
  if (options.deadline) merged.deadline = options.deadline;
  if (options.cancel) merged.cancel = options.cancel;
  if (options.timeout) merged.timeout = options.timeout;
  if (options.retry) merged.retry = options.retry;
  copy.options_ = std::make_shared<const CallOptions>(std::move(merged));
  return copy;
}

const RetryPolicy& ApiClient::policy_of(const RetryPolicy* override_policy) const {
  if (override_policy != nullptr) return *override_policy;
  if (const CallState* call = CallScope::current(); call != nullptr && call->options.retry) return *call->options.retry;
  return settings_.retry;
}

bool outcome_unknown(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const TransportError& e) {
    return e.outcome_unknown();
  } catch (const HttpError& e) {
    return e.status() >= 500;
  } catch (const ProtocolError&) {
    return true;
  } catch (const CancelledError& e) {
    return e.outcome_unknown();
  } catch (...) {
    return false;
  }
}

bool is_absent_code(std::string_view code) {
  return code == "INVALID_OBJECT_ID" || code == "SCHEDULE_EVENT_RESOURCE_NOT_FOUND" || code == "APP_TOKEN_ID_NOT_FOUND";
}


namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kBlocked = "ACTION_BLOCKED";

bool is_blocked(const Json& v) {
  if (!v.is_object()) return false;
  auto ot = v.find("objectType");
  auto code = v.find("code");
  return ot != v.end() && ot->is_string() && *ot == "KalturaAPIException" && code != v.end() && code->is_string() &&
         *code == kBlocked;
}

/// What a parsed 200 answer says: how many calls it answers, how many were throttled, its log
/// outcome, and whether the attempt failed as throttled (see SendOptions::parsed).
struct Answer {
  int calls = 1;
  int blocked = 0;
  int errors = 0;
  std::string outcome = "ok";
  bool throttled = false;
};

Answer read_answer(const Json& v, const HttpResponse& response, bool idempotent) {
  Answer a;
  if (v.is_array()) {
    a.calls = static_cast<int>(v.size());
    for (const Json& item : v) {
      if (is_blocked(item)) ++a.blocked;
      if (as_api_error(item, response)) ++a.errors;
    }
    if (a.errors > 0) a.outcome = fmt::format("items failed: {}", a.errors);
    // Every item blocked: nothing ran. Any item of independent (idempotent) calls: sent again whole.
    a.throttled = a.blocked > 0 && (a.blocked == a.calls || idempotent);
  } else if (auto err = as_api_error(v, response)) {
    a.blocked = err->code() == kBlocked ? 1 : 0;
    a.errors = 1;
    a.outcome = err->code();
    a.throttled = a.blocked == 1;
  }
  return a;
}

[[noreturn]] void throw_throttled(const Json& v, const HttpResponse& response) {
  const Json* first = &v;
  if (v.is_array()) {
    for (const Json& item : v) {
      if (is_blocked(item)) {
        first = &item;
        break;
      }
    }
  }
  throw ThrottledError(as_api_error(*first, response)->details());
}

std::string transport_kind(TransportError::Kind kind) {
  switch (kind) {
    case TransportError::Kind::connect: return "connect";
    case TransportError::Kind::timeout: return "timeout";
    case TransportError::Kind::tls: return "tls";
    case TransportError::Kind::reset: return "reset";
    case TransportError::Kind::too_large: return "too_large";
    case TransportError::Kind::other: return "other";
  }
  return "other";
}

/// The log outcome of a failed attempt.
std::string failure_outcome(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return e.code();
  } catch (const TransportError& e) {
    return "transport " + transport_kind(e.kind());
  } catch (const HttpError& e) {
    return fmt::format("http {}", e.status());
  } catch (const ProtocolError&) {
    return "bad response";
  } catch (const CancelledError& e) {
    return e.reason() == CancelledError::Reason::cancelled ? "cancelled" : "deadline";
  } catch (...) {
    return "error";
  }
}

/// A server header as logs may show it: redacted first (a hostile server may echo a KS or a
/// secret), then cut.
std::string log_header(const HttpResponse& response, std::string_view name, const ApiHooks& hooks) {
  std::string v = one_line(redact_tokens(mask_secrets(response.header(name).value_or(""), hooks)));
  if (v.size() > 256) v.resize(256);
  return v;
}

/// Cuts the attempt's timeout to the caller's deadline (and applies CallOptions::timeout).
void fit_timeout(HttpRequest& request, const CallState& call, std::chrono::milliseconds http_timeout) {
  if (call.options.timeout) request.timeout = *call.options.timeout;
  if (!call.options.deadline) return;
  const auto left = std::max(std::chrono::ceil<std::chrono::milliseconds>(*call.options.deadline - SteadyClock::now()),
                             std::chrono::milliseconds(1));
  const auto current = request.timeout.count() > 0 ? request.timeout : http_timeout;
  if (current.count() == 0 || left < current) request.timeout = left;
}

}  // namespace

HttpResponse ApiClient::attempt(const HttpRequest& request, const SendOptions& o, CallState& call) const {
  // What the hooks need is computed only when there is a hook to receive it.
  const bool logging = static_cast<bool>(settings_.hooks.log);
  const bool observed = logging || static_cast<bool>(settings_.hooks.metrics);
  LogRecord rec;
  const std::string name = !logging ? std::string() : o.name.empty() ? request_name(request.url) : std::string(o.name);
  rec.call = call.name;
  rec.request = name;
  rec.request_id = call.request_id;
  rec.attempt = ++call.requests;
  rec.calls = o.calls;
  rec.bytes_sent = request.body.size();
  call.bytes_sent += rec.bytes_sent;
  std::string outcome = "ok";
  std::string server;
  std::string session;
  const auto t0 = SteadyClock::now();
  auto log = [&](LogLevel level) {
    if (!logging) return;
    rec.level = level;
    rec.duration = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - t0);
    rec.outcome = outcome;
    rec.server = server;
    rec.session = session;
    emit_log(call, rec);
  };
  try {
    HttpResponse response = transport_->send(request);
    rec.status = response.status;
    rec.bytes_received = response.body.size();
    call.bytes_received += rec.bytes_received;
    if (logging) {
      server = log_header(response, "X-Me", settings_.hooks);
      session = log_header(response, "X-Kaltura-Session", settings_.hooks);
    }
    if (o.report != nullptr && response.sends > 1) o.report->outcome_unknown = true;
    if (response.status != 200) {
      if (o.report != nullptr) {
        HttpResponse kept = response;
        if (kept.body.size() > kMaxErrorBody) kept.body.resize(kMaxErrorBody);
        o.report->error_response = std::move(kept);
      }
      (void)decode_body(response);  // throws the HttpError
    }
    if (o.parsed != nullptr) {
      *o.parsed = parse_json(response.body, response.status);
      const Answer a = read_answer(*o.parsed, response, request.idempotent);
      rec.throttled = a.blocked;
      call.throttles += a.blocked;
      if (logging) outcome = mask_secrets(a.outcome, settings_.hooks);
      if (settings_.limiter && o.calls > 0) settings_.limiter->record(a.calls - a.blocked, a.blocked);
      if (a.throttled) throw_throttled(*o.parsed, response);
      log(a.errors > 0 ? LogLevel::warning : LogLevel::info);
    } else {
      log(LogLevel::info);
    }
    return response;
  } catch (const Error&) {
    const std::exception_ptr failure = std::current_exception();
    if (observed) {
      outcome = mask_secrets(failure_outcome(failure), settings_.hooks);
      call.last_failure = outcome;
    }
    // An API answer (ACTION_BLOCKED) is a warning; no usable answer at all is an error.
    bool api_answer = false;
    try {
      std::rethrow_exception(failure);
    } catch (const ApiError&) {
      api_answer = true;
    } catch (...) {  // NOLINT(bugprone-empty-catch): judged above
    }
    log(api_answer ? LogLevel::warning : LogLevel::error);
    throw;
  }
}

HttpResponse ApiClient::send_with_retry(HttpRequest request, const SendOptions& o) const {
  const CallScope scope(o.name.empty() ? request_name(request.url) : o.name, options_.get(), &settings_.hooks,
                        budget_.get());
  CallState& call = scope.state();
  RetryLoop loop(policy_of(o.policy), budget_.get(), settings_.sleep);
  bool unknown = false;  // an attempt of this request may have run
  for (;;) {
    // Paced by the client's rate limiter; nothing starts once the caller stopped the call.
    if (settings_.limiter && o.calls > 0) call.wait_until(settings_.limiter->reserve(o.calls), unknown);
    call.throw_if_stopped(unknown);
    fit_timeout(request, call, settings_.http_timeout);
    std::exception_ptr failure;
    try {
      HttpResponse response = attempt(request, o, call);
      budget_->earn();
      return response;
    } catch (const Error&) {
      failure = std::current_exception();
    }
    if (outcome_unknown(failure)) {
      unknown = true;
      if (o.report != nullptr) o.report->outcome_unknown = true;
    }
    if (!loop.next(failure, request.idempotent)) {
      if (const auto reason = loop.stopped_by_caller()) {
        call.last_failure = *reason == CancelledError::Reason::cancelled ? "cancelled" : "deadline";
        throw CancelledError(*reason, call.name, unknown, {}, {}, failure);
      }
      std::rethrow_exception(failure);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Calls

namespace {
/// Only a KS that expired or was ended can be replaced by a fresh one; a malformed or foreign KS
/// would be refused again.
bool renewable(std::string_view reason) { return reason == "EXPIRED" || reason == "LOGOUT"; }
}  // namespace

Json ApiClient::call(const ApiCall& c, const RetryPolicy* policy) const {
  const std::string name = fmt::format("{}.{}", c.service, c.action);
  const CallScope scope(name, options_.get(), &settings_.hooks, budget_.get());
  const bool own_ks = c.with_ks && c.ks.empty() && ks_;
  std::string ks = !c.ks.empty() ? c.ks : own_ks ? ks_->get() : std::string{};
  SendReport report;  // accumulates over the rounds: an unknown outcome in round 0 still counts
  for (int round = 0;; ++round) {
    report.error_response.reset();
    Json value;
    const HttpResponse response = send_with_retry(
        encode(c, ks), SendOptions{.report = &report, .parsed = &value, .policy = policy, .name = name, .calls = 1});
    if (auto err = as_api_error(value, response)) {
      // A delete resent after an unknown outcome: "not found" means the earlier attempt did it;
      // likewise a session.end whose KS is already ended.
      if (report.outcome_unknown &&
          ((c.absent_after_unknown_is_success && is_absent_code(err->code())) ||
           (c.logout_after_unknown_is_success && err->code() == "INVALID_KS" && err->ks_reason() == "LOGOUT"))) {
        return Json();
      }
      // An expired or ended locally managed session is renewed once; nothing ran on the server.
      if (round == 0 && err->code() == "INVALID_KS" && own_ks && renewable(err->ks_reason()) &&
          ks_->refresh_after_rejection(ks, err->ks_reason())) {
        ks = ks_->get();
        continue;
      }
      scope.state().last_failure = mask_secrets(err->code(), settings_.hooks);
      throw *err;
    }
    return value;
  }
}

std::vector<ItemResult> ApiClient::multirequest(std::span<const ApiCall> calls, const RetryPolicy* policy) const {
  if (calls.empty()) return {};
  const std::string name = fmt::format("multirequest({})", calls.size());
  const CallScope scope(name, options_.get(), &settings_.hooks, budget_.get());
  std::string ks = ks_ ? ks_->get() : std::string{};
  for (int round = 0;; ++round) {
    Json value;
    const HttpResponse response =
        send_with_retry(encode_multi(calls, ks), SendOptions{.parsed = &value,
                                                             .policy = policy,
                                                             .name = name,
                                                             .calls = static_cast<int>(calls.size())});
    if (auto err = as_api_error(value, response)) {
      scope.state().last_failure = mask_secrets(err->code(), settings_.hooks);
      throw *err;
    }
    if (!value.is_array() || value.size() != calls.size()) {
      throw ProtocolError(fmt::format("multirequest of {} calls answered with {}", calls.size(),
                                      value.is_array() ? fmt::format("{} results", value.size())
                                                       : std::string("a non-array body")),
                          response.status, safe_snippet(response.body, 120));
    }
    std::vector<ItemResult> results;
    results.reserve(calls.size());
    bool all_ks_rejected = true;
    std::string reason;
    for (auto& item : value) {
      ItemResult r;
      r.error = as_api_error(item, response);
      if (r.error && r.error->code() == "INVALID_KS") {
        reason = r.error->ks_reason();
      } else {
        all_ks_rejected = false;
      }
      if (!r.error) r.value = std::move(item);
      results.push_back(std::move(r));
    }
    // Every item refused the KS: nothing ran, so a renewed KS may be tried once.
    if (all_ks_rejected && round == 0 && ks_ && renewable(reason) && ks_->refresh_after_rejection(ks, reason)) {
      ks = ks_->get();
      continue;
    }
    return results;
  }
}

}  // namespace kmeet::detail
