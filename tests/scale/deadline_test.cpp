// Per-call options (Client::with): a deadline and a cancellation token stop a call's requests and
// waits and report what state it left (CancelledError; MeetingError for meetings); the timeout and
// the retry policy apply to the view's calls only (docs/reliability.md, "Deadlines and cancellation").

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "scale/support.hpp"
#include "support/emulator.hpp"

namespace kmeet::scale_test {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

const std::string kGeneratedKey = "kmeet-abababababababababababababababab";

CallOptions cancel_with(const CancellationToken& token) {
  CallOptions o;
  o.cancel = token;
  return o;
}

TEST(Deadlines, ACancelledCallSendsNothing) {
  Fixture f;
  const CancellationToken token;
  token.cancel();
  try {
    (void)f.client.with(cancel_with(token)).rooms().get(RoomId(11));
    FAIL() << "no error";
  } catch (const CancelledError& e) {
    EXPECT_EQ(e.reason(), CancelledError::Reason::cancelled);
    EXPECT_EQ(e.call(), "schedule_scheduleresource.get");
    EXPECT_FALSE(e.outcome_unknown());
    EXPECT_EQ(e.cause(), nullptr);
  }
  EXPECT_EQ(f.mock->request_count(), 0U);
  // The client itself is not cancelled.
  f.mock->reply_json(with_key(kRoom, "r"));
  EXPECT_EQ(f.client.rooms().get(RoomId(11)).id, RoomId(11));
}

TEST(Deadlines, CancelWakesAWaitAtOnce) {
  // 503 with Retry-After: 30: the retry would wait 30 s; the cancel ends it.
  Fixture f([](Config& c) { c.retry.deadline = std::chrono::minutes(2); });
  HttpResponse busy = status(503);
  busy.headers.emplace_back("Retry-After", "30");
  f.mock->reply(busy);
  const CancellationToken token;
  const auto t0 = Clock::now();
  auto stopper = std::async(std::launch::async, [token] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    token.cancel();
  });
  try {
    (void)f.client.with(cancel_with(token)).rooms().get(RoomId(11));
    FAIL() << "no error";
  } catch (const CancelledError& e) {
    EXPECT_EQ(e.reason(), CancelledError::Reason::cancelled);
    ASSERT_NE(e.cause(), nullptr);
    EXPECT_THROW(std::rethrow_exception(e.cause()), HttpError);
  }
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(10));
  EXPECT_EQ(f.mock->request_count(), 1U);
}

TEST(Deadlines, ADeadlineStopsAThrottledWait) {
  // The window (30 s) would end after the caller's deadline: no retry starts.
  Fixture f([](Config& c) { c.retry.throttle_wait = std::chrono::seconds(30); });
  f.mock->reply_json(blocked("schedule_scheduleresource", "get"));
  try {
    (void)f.client.with({.deadline = CallOptions::deadline_in(std::chrono::milliseconds(500))})
        .rooms()
        .get(RoomId(11));
    FAIL() << "no error";
  } catch (const CancelledError& e) {
    EXPECT_EQ(e.reason(), CancelledError::Reason::deadline);
    EXPECT_FALSE(e.outcome_unknown());
    EXPECT_THROW(std::rethrow_exception(e.cause()), ThrottledError);
    EXPECT_THAT(e.what(), HasSubstr("deadline passed"));
  }
  EXPECT_EQ(f.mock->request_count(), 1U);
}

TEST(Deadlines, EachAttemptsTimeoutIsCutToTheTimeLeft) {
  Fixture f;
  f.mock->reply_json(with_key(kRoom, "r"));
  f.mock->reply_json(with_key(kRoom, "r"));
  f.mock->reply_json(with_key(kRoom, "r"));
  (void)f.client.rooms().get(RoomId(11));
  (void)f.client.with({.deadline = CallOptions::deadline_in(std::chrono::seconds(2))})
      .rooms()
      .get(RoomId(11));
  (void)f.client.with({.timeout = std::chrono::milliseconds(250)}).rooms().get(RoomId(11));
  const auto requests = f.mock->requests();
  EXPECT_EQ(requests[0].timeout.count(), 0);  // the transport's own
  EXPECT_GT(requests[1].timeout.count(), 0);
  EXPECT_LE(requests[1].timeout, std::chrono::seconds(2));
  EXPECT_EQ(requests[2].timeout, std::chrono::milliseconds(250));
}

TEST(Deadlines, AViewsRetryPolicyLeavesTheClientsAlone) {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.mock->reply(status(503));
  const Client once =
      f.client.with({.timeout = std::chrono::milliseconds(100)}).with({.retry = RetryPolicy::none()});
  EXPECT_THROW((void)once.rooms().get(RoomId(11)), HttpError);
  EXPECT_EQ(f.mock->request_count(), 1U);
  EXPECT_EQ(f.mock->last_request().timeout, std::chrono::milliseconds(100));  // both views' options
  EXPECT_THROW((void)f.client.rooms().get(RoomId(11)), HttpError);
  EXPECT_EQ(f.mock->request_count(), 5U);  // the client's own 4 attempts
  EXPECT_EQ(f.mock->last_request().timeout.count(), 0);
}

TEST(Deadlines, BadOptionsAreRefusedNamingTheField) {
  Fixture f;
  const auto field_of = [&f](const CallOptions& o) {
    try {
      (void)f.client.with(o);
    } catch (const ValidationError& e) {
      return e.field();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(field_of({.timeout = std::chrono::milliseconds(0)}), "options.timeout");
  RetryPolicy bad;
  bad.max_attempts = 0;
  EXPECT_EQ(field_of({.retry = bad}), "options.retry.max_attempts");
  bad = RetryPolicy{};
  bad.throttle_wait = std::chrono::milliseconds(-1);
  EXPECT_EQ(field_of({.retry = bad}), "options.retry.throttle_wait");
  // A deadline already past is allowed: the call stops at once, nothing sent.
  EXPECT_THROW((void)f.client.with({.deadline = CallOptions::Deadline{}}).rooms().get(RoomId(11)), CancelledError);
  EXPECT_EQ(f.mock->request_count(), 0U);
}

TEST(Deadlines, AnAddCancelledBeforeSendingSaysNothingWasCreated) {
  Fixture f;
  const CancellationToken token;
  token.cancel();
  try {
    (void)f.client.with(cancel_with(token)).rooms().add(new_room());
    FAIL() << "no error";
  } catch (const CancelledError& e) {
    EXPECT_FALSE(e.outcome_unknown());
    EXPECT_EQ(e.key_field(), "system_name");
    EXPECT_EQ(e.key(), kGeneratedKey);
    EXPECT_THAT(e.what(), HasSubstr("nothing of it ran"));
  }
  EXPECT_EQ(f.mock->request_count(), 0U);
}

TEST(Deadlines, AnAddStoppedAfterAnUnknownOutcomeNamesItsKey) {
  // The add's answer is lost; while kmeet looks the key up, the caller cancels.
  const CancellationToken token;
  auto mock = std::make_shared<MockTransport>([token](const HttpRequest&) -> HttpResponse {
    token.cancel();
    throw TransportError(TransportError::Kind::timeout, "timed out", true);
  });
  mock->fail(reset_after_send());
  Config c = testing_support::mock_config(mock);
  c.retry = RetryPolicy{};
  c.retry.initial_backoff = std::chrono::milliseconds(1);
  const Client client(c);
  Room room = new_room();
  room.system_name = "room-k";
  try {
    (void)client.with(cancel_with(token)).rooms().add(room);
    FAIL() << "no error";
  } catch (const CancelledError& e) {
    EXPECT_EQ(e.reason(), CancelledError::Reason::cancelled);
    EXPECT_EQ(e.call(), "schedule_scheduleresource.add");
    EXPECT_TRUE(e.outcome_unknown());
    EXPECT_EQ(e.key_field(), "system_name");
    EXPECT_EQ(e.key(), "room-k");
    EXPECT_THAT(e.what(), HasSubstr("OUTCOME UNKNOWN"));
    EXPECT_THAT(e.what(), HasSubstr("system_name 'room-k'"));
    ASSERT_NE(e.cause(), nullptr);
    EXPECT_THROW(std::rethrow_exception(e.cause()), TransportError);
  }
  EXPECT_EQ(mock->request_count(), 2U);  // the add and one look-up; nothing after the cancel
}

TEST(Deadlines, AMeetingStoppedMidwayReportsOutcomeUnknownWithItsKeys) {
  const CancellationToken token;
  auto mock = std::make_shared<MockTransport>([token](const HttpRequest&) -> HttpResponse {
    token.cancel();
    throw TransportError(TransportError::Kind::timeout, "timed out", true);
  });
  mock->fail(reset_after_send());  // the round may have run
  Config c = testing_support::mock_config(mock);
  c.retry = RetryPolicy{};
  c.retry.initial_backoff = std::chrono::milliseconds(1);
  const Client client(c);
  try {
    (void)client.with(cancel_with(token)).create_meeting(meeting());
    FAIL() << "no error";
  } catch (const MeetingError& e) {
    EXPECT_TRUE(e.outcome_unknown()) << e.what();
    EXPECT_EQ(e.keys().event_reference_id, kGeneratedKey);
    EXPECT_EQ(e.keys().room_system_name, kGeneratedKey);
    ASSERT_NE(e.cause(), nullptr);
    EXPECT_THROW(std::rethrow_exception(e.cause()), CancelledError);
    EXPECT_EQ(e.code(), "KMEET_CANCELLED");
  }
  EXPECT_EQ(mock->request_count(), 2U);  // the round and one look-up; no rollback after the cancel
}

TEST(Deadlines, AMeetingCancelledBeforeAnythingThrowsCancelledError) {
  Fixture f;
  const CancellationToken token;
  token.cancel();
  try {
    (void)f.client.with(cancel_with(token)).create_meeting(meeting());
    FAIL() << "no error";
  } catch (const CancelledError& e) {
    EXPECT_FALSE(e.outcome_unknown());
    EXPECT_EQ(e.call(), "create_meetings");
  }
  EXPECT_EQ(f.mock->request_count(), 0U);
}

TEST(Deadlines, AMeetingWhoseKeyLookUpIsThrottledPastTheDeadlineThrowsCancelledError) {
  // The look-up of the caller's keys (before anything is sent) is throttled; the window ends after
  // the deadline: the caller learns the deadline stopped it, with the server's answer as cause.
  Fixture f([](Config& c) { c.retry.throttle_wait = std::chrono::seconds(30); });
  f.mock->reply_json(R"([)" + blocked("schedule_scheduleresource", "list") + "," +
                     blocked("schedule_scheduleevent", "list") + "]");
  f.mock->reply_json(R"([)" + blocked("schedule_scheduleresource", "list") + "," +
                     blocked("schedule_scheduleevent", "list") + "]");
  MeetingSpec keyed = meeting();
  std::get<Room>(keyed.room).system_name = "room-k";
  keyed.event.reference_id = "event-k";
  try {
    (void)f.client.with({.deadline = CallOptions::deadline_in(std::chrono::milliseconds(300))}).create_meeting(keyed);
    FAIL() << "no error";
  } catch (const CancelledError& e) {
    EXPECT_EQ(e.reason(), CancelledError::Reason::deadline);
    EXPECT_FALSE(e.outcome_unknown()) << "only look-ups ran";
    EXPECT_EQ(e.call(), "create_meetings");
    ASSERT_NE(e.cause(), nullptr);
    EXPECT_THROW(std::rethrow_exception(e.cause()), ThrottledError);
  }
}

TEST(Deadlines, ADeadlineAgainstASlowServerStopsTheCallOnTime) {
  // The emulator answers after 800 ms; the caller gives the call 200 ms.
  test::EmulatorProcess::Options o;
  o.extra_args = {"--latency", "800"};
  test::EmulatorProcess e(o);
  Config c;
  c.service_url = e.base_url();
  c.partner_id = PartnerId(e.partner_id());
  c.admin_secret = e.admin_secret();
  const Client client(c);
  const auto t0 = Clock::now();
  try {
    (void)client.with({.deadline = CallOptions::deadline_in(std::chrono::milliseconds(200))}).rooms().list();
    FAIL() << "no error";
  } catch (const CancelledError& err) {
    EXPECT_EQ(err.reason(), CancelledError::Reason::deadline);
    ASSERT_NE(err.cause(), nullptr);
    try {
      std::rethrow_exception(err.cause());
    } catch (const TransportError& t) {
      EXPECT_EQ(t.kind(), TransportError::Kind::timeout);
    }
  }
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(700));
}

}  // namespace
}  // namespace kmeet::scale_test
