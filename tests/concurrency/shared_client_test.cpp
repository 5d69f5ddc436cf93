// One Client shared by 8 threads doing mixed calls (create, list, get, join, delete) against
// kmeet-emulator. Run under ThreadSanitizer with `scripts/sanitize.sh tsan -L concurrency`.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "support/emulator.hpp"

namespace kmeet {
namespace {

using ::testing::HasSubstr;

class SharedClient : public test::EmulatorTest {};

TEST_F(SharedClient, EightThreadsMixedCallsOnOneClient) {
  Config c;
  c.service_url = emulator().base_url();
  c.kaf_url = emulator().base_url();
  c.partner_id = PartnerId(emulator().partner_id());
  c.admin_secret = emulator().admin_secret();
  c.user_secret = emulator().user_secret();
  const Client client(c);

  constexpr int kThreads = 8;
  constexpr int kRounds = 12;
  std::atomic<int> meetings{0}, joins{0}, lists{0}, deletes{0}, failures{0};
  std::vector<std::string> errors(kThreads);
  auto work = [&](int t) {
    try {
      for (int r = 0; r < kRounds; ++r) {
        const auto start = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
                           std::chrono::hours(1 + r);
        MeetingSpec spec;
        Room room;
        room.name = "t" + std::to_string(t) + " room " + std::to_string(r);
        spec.room = room;
        spec.event.summary = "t" + std::to_string(t) + " session " + std::to_string(r);
        spec.event.start = start;
        spec.event.end = start + std::chrono::minutes(45);
        const Meeting m = client.create_meeting(spec);
        ++meetings;
        EXPECT_EQ(client.rooms().get(m.room.id).name, room.name);
        EXPECT_EQ(client.events().get(m.event.id).summary, spec.event.summary);
        RoomFilter f;
        f.system_name = m.room.system_name;
        EXPECT_EQ(client.rooms().list(f).items.size(), 1U);
        ++lists;
        JoinRequest jr;
        jr.event = m.event.id;
        jr.user_id = "user-" + std::to_string(t) + "-" + std::to_string(r);
        jr.role = r % 2 == 0 ? Role::moderator : Role::attendee;
        jr.via_api = r % 3 == 0;  // session.start round trip some of the time
        const JoinLink link = client.join(jr);
        EXPECT_THAT(link.url, HasSubstr("/virtualEvent/launch?ks="));
        ++joins;
        if (r % 2 == 1) {
          client.links().remove(m.event.id, m.room.id);
          (void)client.events().remove(m.event.id);
          (void)client.rooms().remove(m.room.id);
          ++deletes;
        }
        (void)client.admin_ks();
      }
    } catch (const std::exception& e) {
      ++failures;
      errors[static_cast<std::size_t>(t)] = e.what();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(work, t);
  for (auto& th : threads) th.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(meetings, kThreads * kRounds);
  EXPECT_EQ(joins, kThreads * kRounds);
  EXPECT_EQ(deletes, kThreads * kRounds / 2);
  // What is left: exactly the meetings that were not deleted.
  RoomFilter active;
  int left = 0;
  for (const Room& r : client.rooms().list_all(active)) {
    (void)r;
    ++left;
  }
  EXPECT_EQ(left, kThreads * kRounds / 2);
}

}  // namespace
}  // namespace kmeet
