// Recorded meetings and their recordings against kmeet-emulator: one round trip, the recording
// made when the session ends after a join, converting then READY, found and waited for through
// the SDK; rollbacks and retries under faults leave no stray template.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "emulator/wire.hpp"
#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"

namespace kmeet {
namespace {

Timestamp now_plus(std::chrono::seconds d) {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + d;
}

Config config_for(const test::EmulatorProcess& emu) {
  Config c;
  c.service_url = emu.base_url();
  c.kaf_url = emu.base_url();
  c.partner_id = PartnerId(emu.partner_id());
  c.admin_secret = emu.admin_secret();
  c.admin_user_id = "admin@example.com";
  return c;
}

MeetingSpec recorded(const std::string& summary, Timestamp start, Timestamp end) {
  Room room;
  room.name = "Room " + summary;
  room.settings.cat_id = 4242;
  Event e;
  e.summary = summary;
  e.start = start;
  e.end = end;
  e.settings.rec_auto_start = true;
  MeetingSpec s{.room = room, .event = e};
  s.record = RecordingTemplate{.tags = "kmeet,lecture"};
  return s;
}

/// The emulator's entries by id (`/__emulator/objects`).
std::map<std::string, test::wire::Json> entries_of(const test::EmulatorProcess& emu) {
  std::map<std::string, test::wire::Json> out;
  const test::wire::Json objects = test::wire::request(emu.base_url() + "/__emulator/objects").json();
  for (const auto& e : objects["entries"]) {
    out[e["id"].get<std::string>()] = e;
  }
  return out;
}

class RecordingsOnEmulator : public test::EmulatorTest {
 protected:
  test::EmulatorProcess::Options emulator_options() override {
    return test::EmulatorProcess::Options{.extra_args = {"--recording-delay", "2"}};
  }
};

TEST_F(RecordingsOnEmulator, RecordJoinEndThenTheRecordingConvertsAndIsReady) {
  Client client(config_for(emulator()));
  const Timestamp end = now_plus(std::chrono::seconds(3));
  const Meeting m = client.create_meeting(recorded("Algebra", now_plus(std::chrono::seconds(-60)), end));
  ASSERT_TRUE(m.recording_template.has_value());
  const Recording& tmpl = *m.recording_template;
  EXPECT_EQ(m.event.template_entry_id, tmpl.id);
  EXPECT_EQ(tmpl.status, EntryStatus::no_content);
  EXPECT_EQ(tmpl.name, "Algebra");
  EXPECT_EQ(tmpl.categories_ids, "4242");  // the room's cat_id
  EXPECT_EQ(tmpl.reference_id, "kmeet-template:" + *m.event.reference_id);
  EXPECT_EQ(client.recordings().get(tmpl.id).event, m.event.id);

  // A moderator joins through KAF; then the session ends.
  const JoinLink link = client.join(JoinRequest{.event = m.event.id, .user_id = "prof@example.com", .role = Role::moderator});
  ASSERT_EQ(test::wire::request(link.url).status, 200);
  EXPECT_TRUE(client.recordings().of_event(m.event.id).to_vector().empty());
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(end.time_since_epoch()) + std::chrono::milliseconds(1100));

  std::vector<Recording> seen = client.recordings().of_event(m.event.id).to_vector();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].status, EntryStatus::preconvert);  // converting: listed although not READY
  EXPECT_EQ(seen[0].root_entry_id, tmpl.id);
  EXPECT_EQ(seen[0].event, m.event.id);
  EXPECT_EQ(seen[0].name, "Algebra");
  EXPECT_TRUE(client.recordings().of_event(m.event.id, RecordingListOptions{.ready_only = true}).to_vector().empty());

  const Recording ready = client.recordings().wait_until_ready(
      m.event.id, std::chrono::seconds(30), WaitOptions{.first_interval = std::chrono::milliseconds(200)});
  EXPECT_EQ(ready.id, seen[0].id);
  EXPECT_TRUE(ready.ready());
  EXPECT_EQ(ready.duration, std::chrono::seconds(63));
  const std::string url = client.recordings().play_url(ready, PlayFormat::download);
  EXPECT_EQ(url, emulator().base_url() + "/p/1234567/sp/123456700/playManifest/entryId/" + ready.id +
                     "/format/download/protocol/http/flavorParamIds/0");
  EXPECT_EQ(url, ready.download_url);  // the entry's own URL, rebuilt
  EXPECT_EQ(test::wire::request(url).status, 200);
  EXPECT_EQ(client.recordings().get(ready.id).event, m.event.id);
  const std::vector<EventId> both{m.event.id};
  EXPECT_EQ(client.recordings().of_events(both).to_vector().size(), 1U);
}

TEST_F(RecordingsOnEmulator, AFailedMeetingLeavesNoTemplate) {
  // The existing room does not exist: the room step fails after the template and the event were
  // made in the same round trip; both are deleted again.
  Client client(config_for(emulator()));
  MeetingSpec s = recorded("Lost", now_plus(std::chrono::hours(24)), now_plus(std::chrono::hours(25)));
  s.room = RoomId(999999);
  try {
    (void)client.create_meeting(s);
    FAIL();
  } catch (const MeetingError& e) {
    EXPECT_EQ(e.step(), MeetingStep::room);
    EXPECT_TRUE(e.rolled_back()) << e.what();
    EXPECT_THAT(e.what(), ::testing::HasSubstr("recording template 0_"));
  }
  const auto entries = entries_of(emulator());
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries.begin()->second["status"], 3);  // deleted
}

/// Seeded faults: answers lost after the server ran the request, 5xx, garbled bodies, resets.
class RecordedMeetingsUnderFaults : public test::EmulatorTest, public ::testing::WithParamInterface<int> {
 protected:
  test::EmulatorProcess::Options emulator_options() override {
    return test::EmulatorProcess::Options{.extra_args = {"--faults", "reset_after=0.25,5xx=0.1,malformed=0.1,reset_before=0.05",
                                                         "--seed", std::to_string(GetParam())}};
  }
};

INSTANTIATE_TEST_SUITE_P(Seeds, RecordedMeetingsUnderFaults, ::testing::Values(1, 7, 11));

TEST_P(RecordedMeetingsUnderFaults, RetriesMakeExactlyOneTemplatePerMeeting) {
  Config c = config_for(emulator());
  c.retry.max_attempts = 8;
  c.retry.initial_backoff = std::chrono::milliseconds(2);
  c.retry.max_backoff = std::chrono::milliseconds(20);
  Client client(c);
  std::vector<MeetingSpec> specs;
  for (int i = 0; i < 24; ++i) {
    const Timestamp start = now_plus(std::chrono::hours(24 + i));
    specs.push_back(recorded("Lecture " + std::to_string(i), start, start + std::chrono::hours(1)));
  }
  std::set<std::string> templates;
  for (std::size_t i = 0; i < specs.size(); i += 4) {
    std::vector<MeetingSpec> batch(specs.begin() + static_cast<std::ptrdiff_t>(i),
                                   specs.begin() + static_cast<std::ptrdiff_t>(i + 4));
    for (int attempt = 0; attempt < 5 && !batch.empty(); ++attempt) {
      std::vector<MeetingSpec> again;
      std::vector<MeetingResult> results;
      try {
        results = client.create_meetings(batch);
      } catch (const Error&) {
        again = batch;  // nothing ran: the same specs again
        batch = again;
        continue;
      }
      for (std::size_t k = 0; k < results.size(); ++k) {
        if (results[k].ok()) {
          templates.insert(results[k].value().recording_template->id);
          continue;
        }
        try {
          std::rethrow_exception(results[k].error());
        } catch (const MeetingError& e) {
          MeetingSpec s = batch[k];
          e.keys().apply_to(s);  // the documented recovery
          again.push_back(s);
        }
      }
      batch = again;
    }
    ASSERT_TRUE(batch.empty()) << "meetings still failing after 5 tries";
  }
  ASSERT_EQ(templates.size(), specs.size());
  // The server's truth: exactly one live template per meeting, each named by its event; no stray.
  std::size_t live = 0;
  for (const auto& [id, e] : entries_of(emulator())) {
    if (e["status"] == 3) continue;
    ++live;
    EXPECT_EQ(templates.count(id), 1U) << "stray template " << id;
  }
  EXPECT_EQ(live, specs.size());
  // The faults did hit, including answers lost after the server ran the request.
  const test::wire::Json faults = test::wire::stats(emulator())["faults"];
  EXPECT_GT(faults.value("reset_after", 0), 0) << faults.dump();
  EXPECT_GT(faults.value("malformed", 0) + faults.value("5xx", 0), 0) << faults.dump();
}

}  // namespace
}  // namespace kmeet
