// The async engine (issue 19, docs/async.md) against kmeet-emulator with latency, faults and a
// rate limit: hundreds of calls in flight from one engine thread, with every guarantee of the
// blocking path (no duplicate, idempotency look-ups, rollback, throttled calls retried,
// cancellation and deadlines honoured).

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <stdexcept>
#include <typeinfo>

#include "kmeet/async.hpp"
#include "scale/support.hpp"
#include "support/emulator.hpp"

namespace kmeet::scale_test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

int threads_now() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

detail::Json objects_of(const std::string& base_url) {
  CurlTransport t(HttpOptions{.timeout = std::chrono::seconds(60), .max_response_bytes = 256U << 20U});
  HttpRequest r;
  r.method = HttpMethod::get;
  r.url = base_url + "/__emulator/objects";
  r.idempotent = true;
  return detail::Json::parse(t.send(r).body);
}

Config emulator_config(const test::EmulatorProcess& e) {
  Config c;
  c.service_url = e.base_url();
  c.partner_id = PartnerId(e.partner_id());
  c.admin_secret = e.admin_secret();
  c.retry.initial_backoff = milliseconds(10);
  c.retry.max_backoff = milliseconds(100);
  c.retry.deadline = std::chrono::minutes(2);
  c.retry.budget_max = 1000;  // many calls fail at once under the seeded faults
  return c;
}

test::EmulatorProcess emulator(std::vector<std::string> args) {
  test::EmulatorProcess::Options o;
  o.extra_args = std::move(args);
  return test::EmulatorProcess(o);
}

MeetingSpec spec_for(int i, bool keyed) {
  static const auto base =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + std::chrono::hours(24);
  MeetingSpec s;
  Room room;
  room.name = "async room " + std::to_string(i);
  if (keyed) room.system_name = "async-room-" + std::to_string(i);
  s.room = room;
  s.event.summary = "async session " + std::to_string(i);
  if (keyed) s.event.reference_id = "async-event-" + std::to_string(i);
  const auto start = base + std::chrono::minutes(i);
  s.event.start = start;
  s.event.end = start + std::chrono::minutes(30);
  return s;
}

/// Live (not deleted) objects by name / summary: every meeting must be there exactly once.
struct Store {
  std::map<std::string, int> rooms, events;
  std::size_t links = 0;
  explicit Store(const detail::Json& objects) {
    for (const auto& r : objects["resources"]) {
      if (r.value("status", 0) != 3) ++rooms[r.value("name", "")];
    }
    for (const auto& ev : objects["events"]) {
      if (ev.value("status", 0) != 3) ++events[ev.value("summary", "")];
    }
    links = objects["links"].size();
  }
};

TEST(AsyncEngine, TwoHundredFiftySixMeetingsInFlightFromOneEngineThread) {
  constexpr int kMeetings = 256;
  auto e = emulator({"--latency", "300", "--threads", "4"});
  const Client client(emulator_config(e));
  // ThreadSanitizer starts a helper thread of its own at the process's first thread creation: make
  // that happen before counting, so `before` includes it (scripts/sanitize.sh thread).
  std::thread([] {}).join();
  const int before = threads_now();
  std::vector<std::future<Meeting>> made;
  const auto t0 = Clock::now();
  for (int i = 0; i < kMeetings; ++i) made.push_back(client.async().create_meeting(spec_for(i, false)));
  std::this_thread::sleep_for(milliseconds(100));
  const int during = threads_now();
  const std::size_t in_flight = client.async().in_flight();
  std::set<std::int64_t> events;
  for (auto& f : made) EXPECT_TRUE(events.insert(f.get().event.id.value()).second);
  const auto took = Clock::now() - t0;
  EXPECT_EQ(during, before + 1) << "one engine thread, nothing per request";
  EXPECT_GE(in_flight, 200U);
  // One round trip each (fresh keys need no look-up): together about one latency, not 256.
  EXPECT_LT(took, std::chrono::seconds(10));
  const Store store(objects_of(e.base_url()));
  EXPECT_EQ(store.events.size(), static_cast<std::size_t>(kMeetings));
  EXPECT_EQ(store.rooms.size(), static_cast<std::size_t>(kMeetings));
  for (const auto& [name, n] : store.events) EXPECT_EQ(n, 1) << name;
  EXPECT_EQ(store.links, static_cast<std::size_t>(kMeetings));
}

/// Every 10th meeting is two days long: allowed locally, refused by the server
/// (MAX_SCHEDULE_DURATION_REACHED) after its room was made in the same round trip, so the room
/// must be rolled back.
bool refused_by_server(int i) { return i % 10 == 0; }

MeetingSpec faulted_spec(int i) {
  MeetingSpec s = spec_for(i, true);
  if (refused_by_server(i)) {
    s.event.end = *s.event.start + std::chrono::hours(48);
    s.allow_long_event = true;
  }
  return s;
}

TEST(AsyncEngine, UnderFaultsNothingDoublesLookUpsAndRollbacksHappenAndAReRunCompletes) {
  constexpr int kMeetings = 200;
  auto e = emulator({"--latency", "50", "--faults", "reset_after=0.08,5xx=0.08,malformed=0.04,reset_before=0.04",
                     "--seed", "19"});
  Config c = emulator_config(e);
  HookLog hooks;
  hooks.attach(c);
  const Client client(c);
  std::vector<std::future<Meeting>> made;
  for (int i = 0; i < kMeetings; ++i) made.push_back(client.async().create_meeting(faulted_spec(i)));
  std::vector<int> redo;
  int rolled_back = 0;
  for (int i = 0; i < kMeetings; ++i) {
    try {
      (void)made[static_cast<std::size_t>(i)].get();
      EXPECT_FALSE(refused_by_server(i)) << i;
    } catch (const MeetingError& err) {
      if (refused_by_server(i) && err.step() == MeetingStep::event && err.rolled_back()) {
        ++rolled_back;
        continue;
      }
      redo.push_back(i);  // a fault left it unknown: the keys say how to finish it
    } catch (const Error& err) {  // nothing can have run (refused before sending)
      redo.push_back(i);
    }
  }
  // Every meeting's keys were looked up first (multirequest(2): its room and event keys), and
  // again after each unknown outcome; the makes are multirequest(3).
  int look_ups = 0;
  {
    const std::lock_guard lock(hooks.mutex);
    for (const auto& l : hooks.logs) look_ups += l.request == "multirequest(2)" ? 1 : 0;
  }
  std::cout << redo.size() << " of " << kMeetings << " unfinished, " << rolled_back << " rolled back, " << look_ups
            << " key look-ups\n";
  EXPECT_GT(look_ups, kMeetings) << "no look-up after an unknown outcome";
  // The refused meetings were rolled back (their rooms deleted: checked in the store below).
  EXPECT_GE(rolled_back, kMeetings / 10 - static_cast<int>(redo.size()));
  // Run the unfinished ones again with the same keys (asynchronously too): each completes, or is
  // rolled back, or finds what an earlier attempt made; never a second copy.
  for (int round = 0; round < 5 && !redo.empty(); ++round) {
    std::vector<std::pair<int, std::future<Meeting>>> again;
    for (const int i : redo) again.emplace_back(i, client.async().create_meeting(faulted_spec(i)));
    redo.clear();
    for (auto& [i, f] : again) {
      try {
        (void)f.get();
      } catch (const MeetingError& err) {
        if (!(refused_by_server(i) && err.rolled_back())) redo.push_back(i);
      } catch (const Error&) {
        redo.push_back(i);
      }
    }
  }
  EXPECT_TRUE(redo.empty());
  const Store store(objects_of(e.base_url()));
  EXPECT_EQ(store.events.size(), static_cast<std::size_t>(kMeetings - kMeetings / 10));
  EXPECT_EQ(store.rooms.size(), static_cast<std::size_t>(kMeetings - kMeetings / 10)) << "a refused meeting's room was left";
  for (const auto& [name, n] : store.events) EXPECT_EQ(n, 1) << name;
  for (const auto& [name, n] : store.rooms) EXPECT_EQ(n, 1) << name;
}

TEST(AsyncEngine, ThrottledCallsAreRetriedAfterTheWindowWithoutDuplicates) {
  constexpr int kRooms = 90;
  auto e = emulator({"--rate-limit", "30", "--rate-window", "1", "--latency", "20"});
  Config c = emulator_config(e);
  c.retry.throttle_wait = std::chrono::seconds(1);
  HookLog hooks;
  hooks.attach(c);
  const Client client(c);
  std::vector<std::future<Room>> added;
  for (int i = 0; i < kRooms; ++i) {
    Room r;
    r.name = "throttled " + std::to_string(i);
    added.push_back(client.async().add_room(r));
  }
  for (auto& f : added) EXPECT_GT(f.get().id.value(), 0);
  int throttled = 0;
  for (const auto& m : hooks.metrics) throttled += m.throttles;
  EXPECT_GT(throttled, 0) << "the scenario did not throttle";
  const Store store(objects_of(e.base_url()));
  EXPECT_EQ(store.rooms.size(), static_cast<std::size_t>(kRooms));
  for (const auto& [name, n] : store.rooms) EXPECT_EQ(n, 1) << name;
}

TEST(AsyncEngine, CancellationAndDeadlinesEndWaitsAtOnceAndNameTheKeys) {
  // One call per 10 s window: every call after the first waits out a 10 s throttling window.
  auto e = emulator({"--rate-limit", "1", "--rate-window", "10"});
  Config c = emulator_config(e);
  c.retry.throttle_wait = std::chrono::seconds(10);
  const Client client(c);
  (void)client.rooms().list();  // uses the window's one call
  CancellationToken token;
  const Client cancellable = client.with({.cancel = token});
  const Client bounded = client.with({.deadline = CallOptions::deadline_in(milliseconds(700))});
  std::vector<std::future<Page<Room>>> lists;
  for (int i = 0; i < 50; ++i) lists.push_back(cancellable.async().list_rooms());
  Room keyed;
  keyed.name = "cancelled";
  keyed.system_name = "cancelled-key";
  auto add = cancellable.async().add_room(keyed);
  auto late = bounded.async().create_meeting(spec_for(1, true));
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(milliseconds(300));
  token.cancel();
  for (auto& f : lists) {
    try {
      (void)f.get();
      ADD_FAILURE() << "a throttled list was not cancelled";
    } catch (const CancelledError& err) {
      EXPECT_EQ(err.reason(), CancelledError::Reason::cancelled);
    }
  }
  try {
    (void)add.get();
    ADD_FAILURE() << "the add was not cancelled";
  } catch (const CancelledError& err) {
    EXPECT_EQ(err.key(), "cancelled-key");
    EXPECT_FALSE(err.outcome_unknown()) << "ACTION_BLOCKED: nothing ran";
  }
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(3)) << "the waits did not end at the cancellation";
  try {
    (void)late.get();
    ADD_FAILURE() << "the meeting outlived its deadline";
  } catch (const CancelledError& err) {
    EXPECT_EQ(err.reason(), CancelledError::Reason::deadline);
  } catch (const MeetingError& err) {
    EXPECT_EQ(err.code(), "KMEET_DEADLINE");
    EXPECT_EQ(err.keys().event_reference_id, "async-event-1");
  }
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(3));
}

TEST(AsyncEngine, CancellingThrottledCreatesReportsTheCancellationWithTheKeys) {
  // 200 meetings against 60 calls a window: most wait out throttling windows (or are throttled
  // again) when the token is cancelled. Each must end made, or cancelled as documented
  // (CancelledError before anything was sent, else MeetingError KMEET_CANCELLED with its keys),
  // never with the throttling error of the attempt before the cancellation.
  constexpr int kMeetings = 200;
  auto e = emulator({"--rate-limit", "60", "--latency", "20"});
  Config c = emulator_config(e);
  const Client client(c);
  CancellationToken token;
  const Client cancellable = client.with({.cancel = token});
  std::vector<std::future<Meeting>> made;
  for (int i = 0; i < kMeetings; ++i) made.push_back(cancellable.async().create_meeting(spec_for(i, i % 2 == 0)));
  std::this_thread::sleep_for(milliseconds(1500));
  token.cancel();
  const auto t0 = Clock::now();
  int ok = 0;
  int cancelled = 0;
  for (int i = 0; i < kMeetings; ++i) {
    try {
      (void)made[static_cast<std::size_t>(i)].get();
      ++ok;
    } catch (const MeetingError& err) {
      EXPECT_EQ(err.code(), "KMEET_CANCELLED") << i << ": " << err.what();
      EXPECT_FALSE(err.keys().event_reference_id.empty()) << i;
      if (i % 2 == 0) {
        EXPECT_EQ(err.keys().event_reference_id, "async-event-" + std::to_string(i));
      }
      ++cancelled;
    } catch (const CancelledError& err) {
      EXPECT_EQ(err.reason(), CancelledError::Reason::cancelled) << i;
      ++cancelled;
    } catch (const Error& err) {
      ADD_FAILURE() << i << ": " << typeid(err).name() << ": " << err.what();
    }
  }
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(5)) << "the waits did not end at the cancellation";
  EXPECT_GT(cancelled, 0) << "the scenario did not cancel anything (ok " << ok << ")";
}

TEST(AsyncEngine, CallbacksRunOnTheEngineThreadMayCallTheBlockingApiAndPrecedeTheFuture) {
  auto e = emulator({"--latency", "20"});
  const Client client(emulator_config(e));
  Room r;
  r.name = "callback room";
  std::atomic<bool> called{false};
  std::thread::id where;
  std::optional<Room> read_back;
  auto f = client.async().add_room(r, [&](const AsyncResult<Room>& result) {
    where = std::this_thread::get_id();
    read_back = client.rooms().get(result.value().id);  // blocking API inside the fiber: suspends it
    called = true;
  });
  const Room made = f.get();
  EXPECT_TRUE(called.load()) << "the future was ready before the callback returned";
  EXPECT_EQ(where, client.async().engine_thread());
  EXPECT_NE(where, std::this_thread::get_id());
  ASSERT_TRUE(read_back.has_value());
  EXPECT_EQ(read_back->id, made.id);
  // Errors reach both the callback and the future.
  std::atomic<bool> failed{false};
  auto bad = client.async().join(JoinRequest{}, [&](const AsyncResult<JoinLink>& result) { failed = !result.ok(); });
  EXPECT_THROW((void)bad.get(), ValidationError);
  EXPECT_TRUE(failed.load());
}

TEST(AsyncEngine, OneSessionStartServesEveryFiberThatWaitsForTheKs) {
  auto e = emulator({"--latency", "100"});
  Config c = emulator_config(e);
  c.mint_locally = false;  // the admin KS comes from session.start: one, shared under a fiber lock
  HookLog hooks;
  hooks.attach(c);
  const Client client(c);
  std::vector<std::future<Page<Room>>> lists;
  for (int i = 0; i < 100; ++i) lists.push_back(client.async().list_rooms());
  for (auto& f : lists) (void)f.get();
  int starts = 0;
  for (const auto& l : hooks.logs) starts += l.request == "session.start" ? 1 : 0;
  EXPECT_EQ(starts, 1);
}

TEST(AsyncEngine, AFiberSuspendedInACatchBlockKeepsItsOwnException) {
  auto e = emulator({"--latency", "50"});
  const Client client(emulator_config(e));
  std::vector<std::future<int>> runs;
  for (int i = 0; i < 100; ++i) {
    runs.push_back(client.async().run([i](const Client& c) {
      try {
        throw std::runtime_error(std::to_string(i));
      } catch (const std::runtime_error&) {
        (void)c.rooms().list();  // suspends inside the handler while the others throw theirs
        try {
          throw;
        } catch (const std::runtime_error& again) {
          return std::stoi(again.what());
        }
      }
    }));
  }
  for (int i = 0; i < 100; ++i) EXPECT_EQ(runs[static_cast<std::size_t>(i)].get(), i);
  EXPECT_EQ(std::uncaught_exceptions(), 0);
}

}  // namespace
}  // namespace kmeet::scale_test
