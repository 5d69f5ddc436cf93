#include "api/call_scope.hpp"

#include "core/fiber.hpp"
#include "core/redact.hpp"

#include <fmt/format.h>

#include <exception>
#include <random>
#include <thread>

namespace kmeet {

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return {};
}

namespace detail {
namespace {

/// The call open on this fiber (or thread): fiber-local, so calls running as fibers on one
/// engine thread (docs/async.md) each see their own.
CallState* current_call() { return static_cast<CallState*>(fiber_local(FiberSlot::call)); }
void set_current_call(CallState* call) { fiber_local(FiberSlot::call) = call; }

std::chrono::microseconds micros(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d);
}

void emit_metrics(const CallState& s) {
  if (s.hooks == nullptr || !s.hooks->metrics) return;
  CallMetrics m;
  m.call = s.name;
  m.request_id = s.request_id;
  m.ok = std::uncaught_exceptions() <= s.exceptions_at_open;
  if (!m.ok) m.error = s.last_failure.empty() ? std::string_view("error") : std::string_view(s.last_failure);
  m.latency = micros(CallState::Clock::now() - s.start);
  m.requests = s.requests;
  m.retries = s.requests > 0 ? s.requests - 1 : 0;
  m.throttles = s.throttles;
  m.waited = s.waited;
  m.bytes_sent = s.bytes_sent;
  m.bytes_received = s.bytes_received;
  try {
    s.hooks->metrics(m);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a hook must not break the call it reports
  }
}

}  // namespace

std::optional<CancelledError::Reason> CallState::stopped() const {
  if (options.cancel && options.cancel->cancelled()) return CancelledError::Reason::cancelled;
  if (options.deadline && Clock::now() >= *options.deadline) return CancelledError::Reason::deadline;
  return std::nullopt;
}

void CallState::throw_if_stopped(bool outcome_unknown) const {
  if (const auto reason = stopped()) throw CancelledError(*reason, name, outcome_unknown);
}

void CallState::wait_until(Clock::time_point until, bool outcome_unknown) {
  const Clock::time_point from = Clock::now();
  if (until <= from) return throw_if_stopped(outcome_unknown);
  if (options.deadline && until > *options.deadline) {
    throw CancelledError(CancelledError::Reason::deadline, name, outcome_unknown);
  }
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - from);
  if (options.cancel) {
    options.cancel->wait_for(wait);  // a fiber suspends (core/fiber.hpp)
  } else {
    sleep_until(from + wait);
  }
  waited += micros(Clock::now() - from);
  throw_if_stopped(outcome_unknown);
}

CallScope::CallScope(std::string_view name, const CallOptions* options, const ApiHooks* hooks,
                     const void* owner) {
  CallState* current = current_call();
  if (current != nullptr && current->owner == owner) {
    state_ = current;
    return;
  }
  outer_ = current;
  own_.emplace();
  state_ = &*own_;
  state_->name = std::string(name);
  state_->request_id = new_request_id();
  if (options != nullptr) state_->options = *options;
  state_->hooks = hooks;
  state_->start = CallState::Clock::now();
  state_->exceptions_at_open = std::uncaught_exceptions();
  state_->owner = owner;
  set_current_call(state_);
}

CallScope::~CallScope() {
  if (!own_) return;
  set_current_call(outer_);
  emit_metrics(*own_);
}

CallState* CallScope::current() { return current_call(); }

void emit_log(const CallState& state, const LogRecord& record) {
  if (state.hooks == nullptr || !state.hooks->log) return;
  try {
    state.hooks->log(record);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a hook must not break the call it logs
  }
}

std::string mask_secrets(std::string text, const ApiHooks& hooks) {
  for (const std::string_view secret : hooks.secrets) {
    if (secret.size() < 4) continue;  // too short to tell from ordinary text
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "[secret]");
    }
  }
  return text;
}

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t hi = rng();
  const std::uint64_t lo = rng();
  // RFC 4122 version 4 layout: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx (y = 8..b).
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", hi >> 32U, (hi >> 16U) & 0xffffU, hi & 0xfffU,
                     0x8000U | (lo >> 48U & 0x3fffU), lo & 0xffffffffffffULL);
}

std::string request_name(std::string_view url) {
  const std::size_t query = url.find_first_of("?#");
  if (query != std::string_view::npos) url = url.substr(0, query);
  const std::size_t api = url.find("/api_v3/service/");
  if (api != std::string_view::npos) {
    std::string_view rest = url.substr(api + 16);
    const std::size_t action = rest.find("/action/");
    if (action == std::string_view::npos) return std::string(rest.substr(0, rest.find('/')));
    std::string_view name = rest.substr(action + 8);
    return fmt::format("{}.{}", rest.substr(0, action), name.substr(0, name.find('/')));
  }
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  return path == std::string_view::npos ? std::string("/") : one_line(redact_tokens(url.substr(path)));
}

}  // namespace detail
}  // namespace kmeet
