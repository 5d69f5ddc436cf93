// apply_sync at scale (issue 19): `concurrency` batches in flight on the client's async engine —
// one thread, however many are in flight — with the same results as one at a time; a credential
// error still stops the rest, and transport faults under concurrency fail items, never duplicate.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "kmeet/async.hpp"
#include "kmeet/http.hpp"
#include "sync/sync_fixture.hpp"

namespace kmeet::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

int threads_now() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

/// `sessions` sessions two hours apart (one hour long: no two overlap in any room), in 8 shared
/// rooms and, every 25th, a room of its own. `edited`: every 3rd renamed, every 5th half an hour
/// later, every 7th gone (cancelled), every 11th in a new shared room, and 20 more sessions.
Timetable timetable(int sessions, bool edited) {
  Timetable t;
  t.from = utc(2035, 1, 1, 0);
  t.to = utc(2036, 1, 1, 0);
  const int count = edited ? sessions + 20 : sessions;
  for (int i = 0; i < count; ++i) {
    if (edited && i % 7 == 0 && i < sessions) continue;
    SyncSession s;
    s.key = "lecture-" + std::to_string(i);
    s.summary = (edited && i % 3 == 0 ? "Moved lecture " : "Lecture ") + std::to_string(i);
    s.start = utc(2035, 3, 1, 0) + std::chrono::hours(2 * i);
    if (edited && i % 5 == 0) s.start += std::chrono::minutes(30);
    s.end = s.start + std::chrono::hours(1);
    s.room.name = i % 25 == 0 ? "Solo room " + std::to_string(i) : "Room " + std::to_string(i % 8);
    if (edited && i % 11 == 0 && i < sessions) s.room.name = "Overflow room";
    s.origin = "session " + std::to_string(i);
    t.sessions.push_back(std::move(s));
  }
  return t;
}

const char* status_name(SyncStatus s) {
  switch (s) {
    case SyncStatus::done: return "done";
    case SyncStatus::conflict: return "conflict";
    case SyncStatus::failed: break;
  }
  return "failed";
}

/// Each item's status and message, in plan order, with the key it is for.
std::vector<std::string> outcome(const SyncPlan& plan, const SyncResult& r) {
  std::vector<std::string> out;
  const auto add = [&](const std::string& what, const SyncItemResult& item) {
    out.push_back(what + ": " + status_name(item.status) + ": " + item.message);
  };
  for (std::size_t i = 0; i < r.create.size(); ++i) add("create " + plan.create[i].session.key, r.create[i]);
  for (std::size_t i = 0; i < r.update.size(); ++i) add("update " + plan.update[i].session.key, r.update[i]);
  for (std::size_t i = 0; i < r.cancel.size(); ++i) add("cancel " + plan.cancel[i].key.value_or("?"), r.cancel[i]);
  for (std::size_t i = 0; i < r.remove.size(); ++i) add("remove " + plan.remove[i].key.value_or("?"), r.remove[i]);
  return out;
}

/// The server's state without its ids: each event's reference id, summary, times, status and the
/// system names of its rooms, sorted.
std::vector<std::string> server_state(const Client& c) {
  RoomFilter rf;
  rf.tags_like.reset();
  std::map<RoomId, std::string> rooms;
  for (const Room& r : c.rooms().list_all(rf)) rooms[r.id] = r.system_name.value_or("?");
  std::map<EventId, std::set<std::string>> linked;
  for (const EventRoomLink& l : c.links().list_all()) linked[l.event_id].insert(rooms[l.room_id]);
  EventFilter f;
  f.type = EventListType::any;
  std::vector<std::string> out;
  for (const Event& e : c.events().list_all(f)) {
    std::string line = e.reference_id.value_or("") + "|" + e.summary + "|" +
                       std::to_string(e.start ? e.start->time_since_epoch().count() : -1) + "|" +
                       std::to_string(e.end ? e.end->time_since_epoch().count() : -1) + "|" +
                       std::to_string(static_cast<int>(e.status));
    for (const auto& name : linked[e.id]) line += "|" + name;
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Config config_of(const EmulatorProcess& e) {
  Config c;
  c.service_url = e.base_url();
  c.kaf_url = e.base_url();
  c.partner_id = PartnerId(e.partner_id());
  c.admin_secret = e.admin_secret();
  c.admin_user_id = "admin@example.com";
  return c;
}

/// What one run (apply a term, then its edited version) did, and what the calls saw.
struct ApplyRun {
  std::vector<std::string> first, second, state;
  int threads_before = 0;
  int threads_most = 0;
  std::size_t in_flight_most = 0;
  std::set<std::thread::id> call_threads;
};

void set(std::mutex& mutex, bool& flag, bool value) {
  const std::lock_guard lock(mutex);
  flag = value;
}

ApplyRun apply_term(const EmulatorProcess& emulator, int concurrency) {
  ApplyRun run;
  std::mutex mutex;
  bool applying = false;  // the calls of apply_sync (not plan_sync's) are the ones checked
  std::optional<Client> client;
  Config config = config_of(emulator);
  // Called once per logical call, on the thread that made it: samples threads and calls in flight.
  config.metrics = [&](const CallMetrics&) {
    const int threads = threads_now();
    const std::size_t in_flight = concurrency > 1 ? client->async().in_flight() : 1;
    const std::lock_guard lock(mutex);
    run.threads_most = std::max(run.threads_most, threads);
    if (!applying) return;
    run.in_flight_most = std::max(run.in_flight_most, in_flight);
    run.call_threads.insert(std::this_thread::get_id());
  };
  client.emplace(config);
  SyncOptions o;
  o.concurrency = concurrency;
  o.batch = 3;
  const SyncPlan first = plan_sync(*client, timetable(120, false), o);
  {
    const std::lock_guard lock(mutex);
    run.threads_before = threads_now();
    run.threads_most = run.threads_before;
    applying = true;
  }
  run.first = outcome(first, apply_sync(*client, first, o));
  set(mutex, applying, false);
  const SyncPlan second = plan_sync(*client, timetable(120, true), o);
  EXPECT_FALSE(second.update.empty() || second.cancel.empty() || second.create.empty());
  set(mutex, applying, true);
  run.second = outcome(second, apply_sync(*client, second, o));
  set(mutex, applying, false);
  run.state = server_state(*client);
  return run;
}

class SyncAtScale : public SyncOnEmulator {
 protected:
  EmulatorProcess::Options emulator_options() override { return {.extra_args = {"--latency", "20"}}; }
};

TEST_F(SyncAtScale, SixteenInFlightOnTheEngineThreadGiveTheResultsOfOneAtATime) {
  const ApplyRun many = apply_term(emulator(), 16);
  EmulatorProcess other({.extra_args = {"--latency", "20"}});
  const ApplyRun one = apply_term(other, 1);

  EXPECT_EQ(many.first, one.first);
  EXPECT_EQ(many.second, one.second);
  EXPECT_EQ(many.state, one.state);
  EXPECT_EQ(many.state.size(), 140U);
  EXPECT_EQ(many.first.size(), 120U);
  for (const auto& line : many.first) EXPECT_THAT(line, HasSubstr(": done: ")) << line;
  for (const auto& line : many.second) EXPECT_THAT(line, HasSubstr(": done: ")) << line;

  // 16 batches in flight from one thread: the engine's, the only new thread of the process.
  EXPECT_LE(many.threads_most, many.threads_before + 1);
  EXPECT_GT(many.in_flight_most, 1U);
  EXPECT_LE(many.in_flight_most, 16U);
  ASSERT_EQ(many.call_threads.size(), 1U) << "every call of the apply on one thread";
  EXPECT_NE(*many.call_threads.begin(), std::this_thread::get_id());
  // One at a time: on the calling thread, no engine.
  EXPECT_EQ(one.threads_most, one.threads_before);
  ASSERT_EQ(one.call_threads.size(), 1U);
  EXPECT_EQ(*one.call_threads.begin(), std::this_thread::get_id());
}


/// POST /__emulator/faults: `spec` from now on ("" = none).
void set_faults(const EmulatorProcess& e, const std::string& spec, int seed) {
  CurlTransport t(HttpOptions{.timeout = std::chrono::seconds(30)});
  HttpRequest r;
  r.method = HttpMethod::post;
  r.url = e.base_url() + "/__emulator/faults";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"faults":")" + spec + R"(","seed":)" + std::to_string(seed) + "}";
  ASSERT_EQ(t.send(r).status, 200);
}

TEST_F(SyncOnEmulator, ACredentialErrorUnderConcurrencyStopsTheRestAsOneAtATimeDoes) {
  const Client good = client();
  const SyncPlan plan = plan_sync(good, timetable(60, false));
  ASSERT_EQ(plan.create.size(), 60U);
  Config bad = config_of(emulator());
  bad.admin_secret = "not-the-admin-secret-4711";
  std::vector<std::string> results[2];
  for (int concurrency : {16, 1}) {
    SyncOptions o;
    o.concurrency = concurrency;
    o.batch = 2;
    const SyncResult r = apply_sync(Client(bad), plan, o);
    for (const SyncItemResult& item : r.create) {
      EXPECT_EQ(item.status, SyncStatus::failed);
      // The rooms phase met INVALID_KS first: no create was even sent.
      EXPECT_THAT(item.message, StartsWith("not sent: ")) << concurrency;
      EXPECT_THAT(item.message, HasSubstr("INVALID_KS")) << concurrency;
      EXPECT_THAT(item.message, ::testing::Not(HasSubstr("4711")));
    }
    results[concurrency == 1 ? 1 : 0] = outcome(plan, r);
  }
  EXPECT_EQ(results[0], results[1]);
  EXPECT_TRUE(server_state(good).empty());
  RoomFilter rf;
  rf.tags_like.reset();
  EXPECT_TRUE(good.rooms().list(rf).items.empty()) << "no room made";
}

TEST_F(SyncOnEmulator, TransportFaultsUnderConcurrencyFailItemsButNeverDuplicateAndARerunCompletes) {
  const Client c = client();
  const Timetable t = timetable(120, false);
  const SyncPlan plan = plan_sync(c, t);
  SyncOptions o;
  o.concurrency = 16;
  o.batch = 3;
  // Lost requests, lost answers of executed requests, 5xx and cut answers, 16 batches in flight,
  // and no retry: the faults fail items.
  Config once = config_of(emulator());
  once.retry.max_attempts = 1;
  set_faults(emulator(), "5xx=0.1,reset_before=0.05,reset_after=0.1,malformed=0.05", 11);
  const SyncResult r = apply_sync(Client(once), plan, o);
  set_faults(emulator(), "", 0);
  std::set<std::string> done;
  std::set<std::string> failed;
  for (std::size_t i = 0; i < r.create.size(); ++i) {
    const SyncItemResult& item = r.create[i];
    ASSERT_NE(item.message, "not run") << i;
    ASSERT_NE(item.status, SyncStatus::conflict) << item.message;
    if (item.status == SyncStatus::done) {
      done.insert(plan.create[i].reference_id);
    } else {
      EXPECT_FALSE(item.message.empty());
      EXPECT_THAT(item.message, ::testing::Not(StartsWith("not sent"))) << "no fault fails every call";
      failed.insert(plan.create[i].reference_id);
    }
  }
  EXPECT_GT(done.size(), 0U);
  EXPECT_GT(failed.size(), 0U) << "the faults failed nothing: the test proves nothing";
  // Plan again: only sessions that failed can be missing; applying that completes the term.
  const SyncPlan again = plan_sync(c, t, o);
  for (const SyncCreate& create : again.create) EXPECT_TRUE(failed.contains(create.reference_id));
  EXPECT_TRUE(again.update.empty() && again.cancel.empty() && again.remove.empty());
  ASSERT_TRUE(apply_sync(c, again, o).ok());
  std::map<std::string, int> per_key;
  for (const Event& e : all_events()) ++per_key[e.reference_id.value_or("")];
  EXPECT_EQ(per_key.size(), 120U);
  for (const auto& [ref, n] : per_key) EXPECT_EQ(n, 1) << "duplicate event for " << ref;
  EXPECT_TRUE(plan_sync(c, t, o).empty());
}

TEST_F(SyncOnEmulator, ApplyInsideAnAsyncRunWaitsBySuspendingItsFiber) {
  const Client c = client();
  const SyncPlan plan = plan_sync(c, timetable(60, false));
  SyncOptions o;
  o.concurrency = 8;
  o.batch = 2;
  // On the engine's thread a blocking wait would stop the very thread its batches need.
  const auto engine = c.async().engine_thread();
  const SyncResult r = c.async()
                           .run([&](const Client& on_engine) {
                             EXPECT_EQ(std::this_thread::get_id(), engine);
                             return apply_sync(on_engine, plan, o);
                           })
                           .get();
  ASSERT_EQ(r.create.size(), 60U);
  for (const SyncItemResult& item : r.create) EXPECT_EQ(item.status, SyncStatus::done) << item.message;
  EXPECT_TRUE(plan_sync(c, timetable(60, false)).empty());
}

}  // namespace
}  // namespace kmeet::test
