// ACTION_BLOCKED (protocol.md K) and the client's rate limiter, against a MockTransport: a throttled
// call is retried after the window (an add too: nothing ran), a blocked step of a meeting is sent
// again instead of being rolled back, look-ups and rollback deletes wait the window out, and the
// limiter paces the client (docs/reliability.md, "Throttling").

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "api/rate_limiter.hpp"
#include "api/retry_loop.hpp"
#include "scale/support.hpp"

namespace kmeet::scale_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kRoomKey = "kmeet-abababababababababababababababab";

TEST(Throttling, AThrottledGetIsRetriedAfterTheWindow) {
  Fixture f;
  f.mock->reply_json(blocked("schedule_scheduleresource", "get"));
  f.mock->reply_json(with_key(kRoom, "r"));
  EXPECT_EQ(f.client.rooms().get(RoomId(11)).id, RoomId(11));
  EXPECT_EQ(f.mock->request_count(), 2U);
  ASSERT_EQ(f.hooks.metrics.size(), 1U);
  const auto& m = f.hooks.metrics[0];
  EXPECT_TRUE(m.ok);
  EXPECT_EQ(m.requests, 2);
  EXPECT_EQ(m.retries, 1);
  EXPECT_EQ(m.throttles, 1);
  // At least the window (RetryPolicy::throttle_wait, 5 ms here) before the retry.
  EXPECT_GE(m.waited, std::chrono::milliseconds(5));
}

TEST(Throttling, AThrottledAddIsSentAgainWithoutALookUp) {
  // Nothing ran (K.1: the check comes before the action), so the add itself is repeated, same key.
  Fixture f;
  f.mock->reply_json(blocked("schedule_scheduleresource", "add"));
  f.mock->reply_json(with_key(kRoom, kRoomKey));
  EXPECT_EQ(f.client.rooms().add(new_room()).id, RoomId(11));
  EXPECT_THAT(f.actions(), ElementsAre("scheduleresource.add", "scheduleresource.add"));
  EXPECT_EQ(f.body(0), f.body(1));
}

TEST(Throttling, WithoutRetriesTheThrottledErrorReachesTheCaller) {
  Fixture f([](Config& c) { c.retry = RetryPolicy::none(); });
  f.mock->reply_json(blocked("schedule_scheduleresource", "get"));
  try {
    (void)f.client.rooms().get(RoomId(11));
    FAIL() << "no error";
  } catch (const ThrottledError& e) {
    EXPECT_EQ(e.code(), "ACTION_BLOCKED");
    EXPECT_EQ(e.blocked_service(), "schedule_scheduleresource");
    EXPECT_EQ(e.blocked_action(), "get");
    EXPECT_THAT(e.what(), HasSubstr("is blocked"));
  }
  EXPECT_EQ(f.mock->request_count(), 1U);
}

TEST(Throttling, ThrottledRetriesDoNotSpendAttemptsOrBudget) {
  // max_attempts 2 and a budget of one token: three blocks in a row are still waited out.
  Fixture f([](Config& c) {
    c.retry.max_attempts = 2;
    c.retry.budget_max = 1;
  });
  for (int i = 0; i < 3; ++i) f.mock->reply_json(blocked("schedule_scheduleresource", "get"));
  f.mock->reply_json(with_key(kRoom, "r"));
  EXPECT_EQ(f.client.rooms().get(RoomId(11)).id, RoomId(11));
  EXPECT_EQ(f.mock->request_count(), 4U);
}

TEST(Throttling, ThrottledRetriesStopAtThePolicyDeadline) {
  // A window longer than the deadline: no retry starts, the ThrottledError is the answer.
  Fixture f([](Config& c) {
    c.retry.deadline = std::chrono::milliseconds(50);
    c.retry.throttle_wait = std::chrono::milliseconds(100);
  });
  f.mock->reply_json(blocked("schedule_scheduleresource", "get"));
  EXPECT_THROW((void)f.client.rooms().get(RoomId(11)), ThrottledError);
  EXPECT_EQ(f.mock->request_count(), 1U);
}

TEST(Throttling, ABlockedStepOfAMeetingIsSentAgainNotRolledBack) {
  // The room ran; the event add and the link add were blocked: only they go again, with the room's id.
  Fixture f;
  f.mock->reply_json("[" + with_key(kRoom, kRoomKey) + "," + blocked("schedule_scheduleevent", "add") + "," +
                     blocked("schedule_scheduleeventresource", "add") + "]");
  f.mock->reply_json("[" + with_key(kEvent, kRoomKey) + "," + kLink + "]");
  const Meeting m = f.client.create_meeting(meeting());
  EXPECT_EQ(m.room.id, RoomId(11));
  EXPECT_EQ(m.event.id, EventId(22));
  EXPECT_THAT(f.actions(),
              ElementsAre("multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add",
                          "multi:scheduleevent.add,scheduleeventresource.add"));
  EXPECT_EQ(f.body(1)["1"]["scheduleEventResource"]["resourceId"], 11);
  EXPECT_EQ(f.body(1)["1"]["scheduleEventResource"]["eventId"], "{1:result:id}");
  ASSERT_EQ(f.hooks.metrics.size(), 1U);
  EXPECT_EQ(f.hooks.metrics[0].call, "create_meetings");
  EXPECT_EQ(f.hooks.metrics[0].throttles, 2);
}

TEST(Throttling, AMeetingStillBlockedWhenTheRetriesRunOutFailsWithTheThrottle) {
  // The room ran; the event and link adds stay blocked past the policy's deadline. The meeting
  // fails with the server's ACTION_BLOCKED (nothing else went wrong), not a "bad response".
  Fixture f([](Config& c) {
    c.retry.deadline = std::chrono::milliseconds(50);
    c.retry.throttle_wait = std::chrono::milliseconds(100);
  });
  f.mock->reply_json("[" + with_key(kRoom, kRoomKey) + "," + blocked("schedule_scheduleevent", "add") + "," +
                     blocked("schedule_scheduleeventresource", "add") + "]");
  f.mock->reply_json(std::string("[") + kRoom + "]");  // the rollback deletes the room it made
  try {
    (void)f.client.create_meeting(meeting());
    FAIL() << "no error";
  } catch (const MeetingError& e) {
    EXPECT_EQ(e.code(), "ACTION_BLOCKED") << e.what();
    EXPECT_EQ(e.step(), MeetingStep::event);
    EXPECT_THAT(e.what(), HasSubstr("is blocked"));
    EXPECT_TRUE(e.rolled_back()) << e.what();
  }
  EXPECT_EQ(f.mock->request_count(), 2U);
}

TEST(Throttling, AWholeRoundBlockedIsSentAgainAsItWas) {
  Fixture f;
  f.mock->reply_json("[" + blocked("schedule_scheduleresource", "add") + "," +
                     blocked("schedule_scheduleevent", "add") + "," +
                     blocked("schedule_scheduleeventresource", "add") + "]");
  f.mock->reply_json("[" + with_key(kRoom, kRoomKey) + "," + with_key(kEvent, kRoomKey) + "," + kLink + "]");
  EXPECT_EQ(f.client.create_meeting(meeting()).link.room_id, RoomId(11));
  ASSERT_EQ(f.mock->request_count(), 2U);
  EXPECT_EQ(f.body(0), f.body(1));
}

TEST(Throttling, ABlockedLookUpIsSentAgainNotCountedAsARefusal) {
  // Caller keys are looked up first; one list of that multirequest is blocked: the look-up is
  // repeated whole (lists are safe to repeat) instead of failing the meeting.
  Fixture f;
  MeetingSpec s = meeting();
  std::get<Room>(s.room).system_name = "room-a";
  s.event.reference_id = "event-a";
  f.mock->reply_json("[" + room_page("") + "," + blocked("schedule_scheduleevent", "list") + "]");
  f.mock->reply_json("[" + room_page("") + "," + event_page("") + "]");
  // The adds, with the key's twin check folded after them.
  f.mock->reply_json("[" + with_key(kRoom, "room-a") + "," + with_key(kEvent, "event-a") + "," + kLink + "," +
                     event_page(with_key(kEvent, "event-a")) + "]");
  EXPECT_EQ(f.client.create_meeting(s).event.id, EventId(22));
  EXPECT_THAT(f.actions(),
              ElementsAre("multi:scheduleresource.list,scheduleevent.list",
                          "multi:scheduleresource.list,scheduleevent.list",
                          "multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add,scheduleevent.list"));
}

TEST(Throttling, ABlockedFoldedTwinCheckIsSentAgainInARoundOfItsOwn) {
  // The twin check folded into the create is blocked (it did not run): the meeting is made, and
  // its key is listed in a round of its own.
  Fixture f;
  MeetingSpec s = meeting();
  std::get<Room>(s.room).system_name = "room-a";
  s.event.reference_id = "event-a";
  s.keys_checked = true;
  f.mock->reply_json("[" + with_key(kRoom, "room-a") + "," + with_key(kEvent, "event-a") + "," + kLink + "," +
                     blocked("schedule_scheduleevent", "list") + "]");
  f.mock->reply_json("[" + event_page(with_key(kEvent, "event-a")) + "]");
  EXPECT_EQ(f.client.create_meeting(s).event.id, EventId(22));
  EXPECT_THAT(f.actions(),
              ElementsAre("multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add,scheduleevent.list",
                          "multi:scheduleevent.list"));
}

TEST(Throttling, ABlockedRollbackDeleteIsRetriedUntilConfirmed) {
  // The event add is refused for good; the room this call made is deleted, the first delete blocked.
  Fixture f;
  f.mock->reply_json("[" + with_key(kRoom, kRoomKey) + "," + api_error("INVALID_ENUM_VALUE") + "," +
                     api_error("INVALID_OBJECT_ID") + "]");
  f.mock->reply_json("[" + blocked("schedule_scheduleresource", "delete") + "]");
  f.mock->reply_json("[" + with_key(kRoom, kRoomKey) + "]");
  try {
    (void)f.client.create_meeting(meeting());
    FAIL() << "no error";
  } catch (const MeetingError& e) {
    EXPECT_EQ(e.code(), "INVALID_ENUM_VALUE");
    EXPECT_TRUE(e.rolled_back()) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("deleted room 11"));
  }
  EXPECT_THAT(f.actions(),
              ElementsAre("multi:scheduleresource.add,scheduleevent.add,scheduleeventresource.add",
                          "multi:scheduleresource.delete", "multi:scheduleresource.delete"));
}

TEST(Throttling, TheLimiterPacesAClientWithARateLimit) {
  // Config::rate_limit 200 calls/s: 11 calls take at least 10 intervals of 5 ms.
  std::vector<std::chrono::steady_clock::time_point> sent;
  auto mock = std::make_shared<MockTransport>([&sent](const HttpRequest&) {
    sent.push_back(std::chrono::steady_clock::now());
    HttpResponse r;
    r.status = 200;
    r.body = with_key(kRoom, "r");
    return r;
  });
  Config c = testing_support::mock_config(mock);
  c.rate_limit = 200;
  const Client client(c);
  for (int i = 0; i < 11; ++i) (void)client.rooms().get(RoomId(11));
  ASSERT_EQ(sent.size(), 11U);
  EXPECT_GE(sent.back() - sent.front(), std::chrono::milliseconds(49));
}

TEST(Throttling, ConfigRefusesABadRateLimit) {
  Config c = testing_support::mock_config(std::make_shared<MockTransport>());
  c.rate_limit = -1;
  try {
    c.validate();
    FAIL() << "accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "rate_limit");
  }
  c.rate_limit = std::nan("");
  EXPECT_THROW(c.validate(), ValidationError);
  c.rate_limit = 0;
  c.retry.throttle_wait = std::chrono::milliseconds(-1);
  try {
    c.validate();
    FAIL() << "accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "retry.throttle_wait");
  }
}

TEST(Throttling, TheWaitIsOneToOneAndAHalfWindowsAndSpendsNothing) {
  RetryPolicy p;
  p.max_attempts = 2;
  p.budget_max = 0;  // no budget at all: a budgeted retry would be refused
  p.throttle_wait = std::chrono::milliseconds(1000);
  p.deadline = std::chrono::hours(1);
  std::vector<std::chrono::milliseconds> waits;
  detail::RetryBudget budget(p);
  detail::RetryLoop loop(p, &budget, [&waits](std::chrono::milliseconds d) { waits.push_back(d); });
  const auto blocked = std::make_exception_ptr(ThrottledError(ApiError::Details{.code = "ACTION_BLOCKED"}));
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(loop.next(blocked, false));
  for (const auto w : waits) {
    EXPECT_GE(w, std::chrono::milliseconds(1000));
    EXPECT_LE(w, std::chrono::milliseconds(1500));
  }
  EXPECT_FALSE(loop.next(std::make_exception_ptr(HttpError(503, "")), true));  // the budget was never there
}

// ---- the limiter itself (src/api/rate_limiter.*) ----------------------------------------------

using detail::RateLimiter;
using Clock = std::chrono::steady_clock;

TEST(RateLimiter, NothingLimitsUntilAConfiguredRateOrABlock) {
  RateLimiter l(0, std::chrono::seconds(10));
  EXPECT_EQ(l.rate(), 0.0);
  const auto before = Clock::now();
  for (int i = 0; i < 100; ++i) {
    const auto start = l.reserve(1);
    EXPECT_LE(start, Clock::now());
  }
  EXPECT_GE(Clock::now(), before);
  l.record(100, 0);
  EXPECT_EQ(l.rate(), 0.0);
}

TEST(RateLimiter, ReservationsArePacedOneSlotPerCall) {
  RateLimiter l(100, std::chrono::seconds(10));  // 10 ms a call
  const auto a = l.reserve(3);                   // a multirequest of 3 calls
  const auto b = l.reserve(1);
  const auto c = l.reserve(1);
  EXPECT_GE(b - a, std::chrono::milliseconds(29));
  EXPECT_GE(c - b, std::chrono::milliseconds(9));
  EXPECT_EQ(l.rate(), 100.0);
}

TEST(RateLimiter, AFirstBlockCutsToMostOfWhatGotThroughAndOnlyOncePerWindow) {
  RateLimiter l(0, std::chrono::seconds(10));
  l.record(70, 0);
  l.record(0, 1);
  const double cut = l.rate();
  EXPECT_GT(cut, 0.0);
  // At most kDecrease × the pass rate (70 calls in at least one bucket of 1 s).
  EXPECT_LE(cut, RateLimiter::kDecrease * 70.0 * 1.001);
  // Blocks of the same window answer requests already in flight: no second cut.
  l.record(0, 5);
  EXPECT_NEAR(l.rate(), cut, cut * 0.01);
}

TEST(RateLimiter, NeverAboveTheConfiguredRate) {
  RateLimiter l(5, std::chrono::milliseconds(100));
  l.record(1000, 0);
  l.record(0, 1);
  EXPECT_LE(l.rate(), 5.0);
  EXPECT_GT(l.rate(), 0.0);
}

TEST(RateLimiter, TheLimitGrowsBackAndIsLiftedWithoutBlocks) {
  // A 10 ms window: kRelease / kIncrease windows later (≈ 0.6 s) the adaptive limit is gone.
  RateLimiter l(0, std::chrono::milliseconds(10));
  l.record(50, 0);
  l.record(0, 1);
  const double cut = l.rate();
  ASSERT_GT(cut, 0.0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GT(l.rate(), cut);
  const auto give_up = Clock::now() + std::chrono::seconds(5);
  while (l.rate() != 0.0 && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(l.rate(), 0.0);
}

TEST(RateLimiter, ABlockWithNothingThroughProbesAndDoublesBack) {
  // The quota was used up by someone else: one call per window, doubling while nothing is blocked.
  RateLimiter l(0, std::chrono::milliseconds(100));
  l.record(0, 1);
  EXPECT_NEAR(l.rate(), 10.0, 1.0);  // one call per 100 ms
  std::this_thread::sleep_for(std::chrono::milliseconds(110));
  const double later = l.rate();
  EXPECT_TRUE(later >= 19.0 || later == 0.0) << later;  // doubled (or already lifted)
}

TEST(RateLimiter, AProbingClientSendsOneRequestPerWindowWhateverItsSize) {
  // Fully blocked (one call per window): a multirequest of 21 calls waits one window, not 21.
  RateLimiter l(0, std::chrono::milliseconds(100));
  l.record(0, 1);
  const auto first = l.reserve(21);
  const auto second = l.reserve(21);
  EXPECT_LE(second - first, std::chrono::milliseconds(101));
  EXPECT_GE(second - first, std::chrono::milliseconds(99));
  // With a configured rate, a big request still takes its share of it.
  RateLimiter slow(1, std::chrono::milliseconds(100));
  slow.record(0, 1);
  const auto a = slow.reserve(5);
  const auto b = slow.reserve(5);
  EXPECT_GE(b - a, std::chrono::milliseconds(4999));
}

}  // namespace
}  // namespace kmeet::scale_test
