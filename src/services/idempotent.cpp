#include "services/idempotent.hpp"

#include <array>
#include <cmath>
#include <random>
#include <thread>

#include "ks/crypto.hpp"

namespace kmeet::detail {

std::string new_idempotency_key(const ClientContext& ctx) {
  std::array<std::uint8_t, 16> bytes{};
  if (ctx.config.random) {
    ctx.config.random(bytes);
  } else {
    secure_random(bytes);
  }
  return "kmeet-" + to_hex(bytes);
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
  } catch (...) {
    return false;
  }
}

CreateAttempts::CreateAttempts(const ClientContext& ctx)
    : ctx_(ctx), policy_(ctx.api.settings().retry), start_(std::chrono::steady_clock::now()) {}

bool CreateAttempts::next() {
  if (attempt_ >= policy_.max_attempts || std::chrono::steady_clock::now() - start_ >= policy_.deadline) {
    return false;
  }
  const double cap = std::min<double>(static_cast<double>(policy_.max_backoff.count()),
                                      static_cast<double>(policy_.initial_backoff.count()) *
                                          std::pow(policy_.multiplier, attempt_ - 1));
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.0, std::max(cap, 0.0));
  ++attempt_;
  const auto delay = std::chrono::milliseconds(static_cast<long long>(jitter(rng)));
  if (ctx_.api.settings().sleep) {
    ctx_.api.settings().sleep(delay);
  } else {
    std::this_thread::sleep_for(delay);
  }
  return true;
}

}  // namespace kmeet::detail
