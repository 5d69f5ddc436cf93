#pragma once
// Shared by the tests of issue 19 (throttling, deadlines and cancellation, hooks): a Client over a
// MockTransport with short waits, canned api_v3 answers, and recorders for the hooks.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/json.hpp"
#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/hooks.hpp"
#include "kmeet/http.hpp"
#include "kmeet/testing/mock_transport.hpp"
#include "services/fixture.hpp"

namespace kmeet::scale_test {

using MockTransport = kmeet::testing::MockTransport;

inline constexpr const char* kRoom =
    R"({"id":11,"partnerId":1234567,"name":"Room-1","systemName":"KEY","status":2,"tags":"vcprovider:newrow","createdAt":1586100234,"updatedAt":1586100234,"objectType":"KalturaLocationScheduleResource"})";
inline constexpr const char* kEvent =
    R"({"id":22,"partnerId":1234567,"summary":"Session","status":2,"startDate":1586185200,"endDate":1586188800,"referenceId":"KEY","recurrenceType":0,"createdAt":1586113200,"updatedAt":1586113200,"objectType":"KalturaRecordScheduleEvent"})";
inline constexpr const char* kLink =
    R"({"eventId":22,"resourceId":11,"partnerId":1234567,"createdAt":1586148953,"updatedAt":1586148953,"objectType":"KalturaScheduleEventResource"})";

inline std::string with_key(std::string json, const std::string& key) {
  json.replace(json.find("KEY"), 3, key);
  return json;
}

inline std::string page(const std::string& items, const char* type) {
  return R"({"objects":[)" + items + R"(],"totalCount":)" + (items.empty() ? "0" : "1") +
         R"(,"objectType":")" + type + R"("})";
}
inline std::string room_page(const std::string& items) {
  return page(items, "KalturaScheduleResourceListResponse");
}
inline std::string event_page(const std::string& items) {
  return page(items, "KalturaScheduleEventListResponse");
}

/// The server's ACTION_BLOCKED answer (protocol.md K.2): lower-cased ids.
inline std::string blocked(const std::string& service, const std::string& action) {
  return R"({"code":"ACTION_BLOCKED","message":"Action \")" + action + R"(\" in service \")" + service +
         R"(\" is blocked","objectType":"KalturaAPIException","args":{"ACTION_NAME":")" + action +
         R"(","SERVICE_NAME":")" + service + R"("}})";
}

inline std::string api_error(const std::string& code) {
  return R"({"code":")" + code + R"(","message":"m","objectType":"KalturaAPIException","args":[]})";
}

inline HttpResponse status(int code, std::string body = "<html>busy</html>") {
  HttpResponse r;
  r.status = code;
  r.headers = {{"Content-Type", "text/html"}};
  r.body = std::move(body);
  return r;
}

/// Records what the hooks receive (copies of every field).
struct HookLog {
  struct Log {
    LogLevel level;
    std::string call, request, request_id, outcome, server, session;
    int attempt, status, calls, throttled;
    std::chrono::steady_clock::time_point at;
    std::size_t bytes_sent, bytes_received;
  };
  struct Metric {
    std::string call, request_id, error;
    bool ok;
    int requests, retries, throttles;
    std::chrono::microseconds latency, waited;
    std::size_t bytes_sent, bytes_received;
  };
  mutable std::mutex mutex;
  std::vector<Log> logs;
  std::vector<Metric> metrics;

  void attach(Config& c) {
    c.log = [this](const LogRecord& r) {
      std::lock_guard lock(mutex);
      logs.push_back(Log{r.level, std::string(r.call), std::string(r.request), std::string(r.request_id),
                         std::string(r.outcome), std::string(r.server), std::string(r.session), r.attempt,
                         r.status, r.calls, r.throttled, std::chrono::steady_clock::now(), r.bytes_sent,
                         r.bytes_received});
    };
    c.metrics = [this](const CallMetrics& m) {
      std::lock_guard lock(mutex);
      metrics.push_back(Metric{std::string(m.call), std::string(m.request_id), std::string(m.error), m.ok,
                               m.requests, m.retries, m.throttles, m.latency, m.waited, m.bytes_sent,
                               m.bytes_received});
    };
  }
};

/// A client over a MockTransport: 4 attempts, millisecond backoffs, a 5 ms throttling window.
struct Fixture {
  std::shared_ptr<MockTransport> mock = std::make_shared<MockTransport>();
  HookLog hooks;
  Client client;
  explicit Fixture(const std::function<void(Config&)>& adjust = {}) : client(config(adjust)) {}
  Config config(const std::function<void(Config&)>& adjust) {
    Config c = testing_support::mock_config(mock);
    c.retry = RetryPolicy{};
    c.retry.initial_backoff = std::chrono::milliseconds(1);
    c.retry.max_backoff = std::chrono::milliseconds(2);
    c.retry.throttle_wait = std::chrono::milliseconds(5);
    hooks.attach(c);
    if (adjust) adjust(c);
    return c;
  }
  /// `service.action` of each request (`multi:` + its calls for a multirequest), `schedule_` dropped.
  [[nodiscard]] std::vector<std::string> actions() const {
    std::vector<std::string> out;
    for (const auto& r : mock->requests()) {
      if (r.url.ends_with("/multirequest")) {
        const detail::Json b = detail::Json::parse(r.body);
        std::string all = "multi:";
        for (int i = 0; b.contains(std::to_string(i)); ++i) {
          const detail::Json& item = b[std::to_string(i)];
          all += (i ? "," : "") + item["service"].get<std::string>().substr(9) + "." +
                 item["action"].get<std::string>();
        }
        out.push_back(all);
      } else {
        std::string s = r.url.substr(r.url.find("/service/") + 9 + 9);
        s.replace(s.find("/action/"), 8, ".");
        out.push_back(s);
      }
    }
    return out;
  }
  [[nodiscard]] detail::Json body(std::size_t i) const {
    return detail::Json::parse(mock->requests().at(i).body);
  }
};

inline Room new_room() {
  Room r;
  r.name = "Room-1";
  return r;
}

inline MeetingSpec meeting() {
  MeetingSpec s;
  s.room = new_room();
  s.event.summary = "Session";
  s.event.start = Timestamp(std::chrono::seconds(1586185200));
  s.event.end = Timestamp(std::chrono::seconds(1586188800));
  return s;
}

inline std::function<void()> reset_after_send() {
  return [] { throw TransportError(TransportError::Kind::reset, "connection reset after sending", true); };
}

}  // namespace kmeet::scale_test
