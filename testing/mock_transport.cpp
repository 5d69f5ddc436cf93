#include <stdexcept>

#include <fmt/format.h>

#include "kmeet/testing/mock_transport.hpp"

namespace kmeet::testing {

MockTransport& MockTransport::reply_json(std::string body) {
  HttpResponse response;
  response.status = 200;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = std::move(body);
  return reply(std::move(response));
}

MockTransport& MockTransport::reply(HttpResponse response) {
  const std::lock_guard lock(mutex_);
  queue_.push_back(Scripted{.response = std::move(response), .thrower = {}});
  return *this;
}

MockTransport& MockTransport::fail(std::function<void()> thrower) {
  if (!thrower) throw std::invalid_argument("MockTransport::fail: the thrower must not be empty");
  const std::lock_guard lock(mutex_);
  queue_.push_back(Scripted{.response = std::nullopt, .thrower = std::move(thrower)});
  return *this;
}

HttpResponse MockTransport::send(const HttpRequest& request) {
  Scripted step;
  std::size_t number = 0;
  {
    const std::lock_guard lock(mutex_);
    requests_.push_back(request);
    number = requests_.size();
    if (next_ < queue_.size()) {
      step = queue_[next_++];
    } else if (!handler_) {
      throw std::logic_error(fmt::format(
          "MockTransport: no scripted response left for request #{} ({} scripted)", number, queue_.size()));
    }
  }
  // Scripted steps and the handler run outside the lock: a handler may block or call back.
  if (step.thrower) {
    step.thrower();
    throw std::logic_error(
        fmt::format("MockTransport: the failure scripted for request #{} did not throw", number));
  }
  if (step.response) return *step.response;
  return handler_(request);
}

std::vector<HttpRequest> MockTransport::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t MockTransport::request_count() const {
  const std::lock_guard lock(mutex_);
  return requests_.size();
}

HttpRequest MockTransport::last_request() const {
  const std::lock_guard lock(mutex_);
  if (requests_.empty()) throw std::logic_error("MockTransport: no request was sent");
  return requests_.back();
}

}  // namespace kmeet::testing
