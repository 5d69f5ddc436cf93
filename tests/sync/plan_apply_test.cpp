// plan_sync / apply_sync end to end against kmeet-emulator: a term applied, edited (one session
// moved, one dropped, one added), applied again; nothing planned twice; hand-made sessions left
// alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "sync/sync_fixture.hpp"

namespace kmeet::test {
namespace {

using ::testing::HasSubstr;

Timetable term(const std::string& file) { return read_icalendar(sync_data(file), year_2035()); }

const Event* by_reference(const std::vector<Event>& events, const std::string& key) {
  const std::string ref = sync_reference_id("default", key);
  for (const Event& e : events) {
    if (e.reference_id == ref) return &e;
  }
  return nullptr;
}

std::vector<std::string> keys_of(const std::vector<SyncCreate>& items) {
  std::vector<std::string> out;
  for (const auto& c : items) out.push_back(c.session.key);
  return out;
}

TEST_F(SyncOnEmulator, TermAppliedEditedAndAppliedAgain) {
  Client c = client();
  SyncPlan plan = plan_sync(c, term("term_2035.ics"));
  EXPECT_EQ(plan.create.size(), 8U);
  EXPECT_TRUE(plan.update.empty() && plan.cancel.empty() && plan.remove.empty());
  EXPECT_EQ(plan.unchanged, 0U);
  SyncResult result = apply_sync(c, plan);
  ASSERT_TRUE(result.ok()) << result.create.front().message;
  EXPECT_TRUE(plan_sync(c, term("term_2035.ics")).empty()) << "a second apply plans nothing";
  EXPECT_EQ(plan_sync(c, term("term_2035.ics")).unchanged, 8U);

  // The stored events: DST-correct instants, in their rooms.
  std::vector<Event> events = all_events();
  ASSERT_EQ(events.size(), 8U);
  const Event* march12 = by_reference(events, "algebra-2035@uni.example/20350312");
  const Event* march26 = by_reference(events, "algebra-2035@uni.example/20350326");
  ASSERT_TRUE(march12 && march26);
  EXPECT_EQ(march12->start, utc(2035, 3, 12, 8)) << "09:00 CET";
  EXPECT_EQ(march26->start, utc(2035, 3, 26, 7)) << "09:00 CEST (after 25 March)";
  EXPECT_EQ(by_reference(events, "seminar-2035@uni.example/20350306")->start, utc(2035, 3, 6, 15));
  EXPECT_EQ(by_reference(events, "seminar-2035@uni.example/20350313")->start, utc(2035, 3, 13, 14));
  const Room room101 = room_named("Room 101");
  EXPECT_EQ(client().links().list(LinkFilter{.room_id = room101.id}).items.size(), 7U);

  // Sessions made by hand in the same rooms, one overlapping Algebra, one with a look-alike key.
  Event hand;
  hand.summary = "Office hour (by hand)";
  hand.start = utc(2035, 3, 12, 8, 30);
  hand.end = utc(2035, 3, 12, 9, 30);
  const Meeting by_hand = c.create_meeting(MeetingSpec{.room = room101.id, .event = hand});
  Event forged = hand;
  forged.summary = "Forged key";
  forged.start = utc(2035, 3, 19, 12);
  forged.end = utc(2035, 3, 19, 13);
  std::string lookalike = sync_reference_id("default", "biology-2035@uni.example");
  lookalike.back() = lookalike.back() == '0' ? '1' : '0';  // the check part no longer matches
  forged.reference_id = lookalike;
  const Meeting forged_meeting = c.create_meeting(MeetingSpec{.room = room101.id, .event = forged});

  SyncPlan same = plan_sync(c, term("term_2035.ics"));
  EXPECT_TRUE(same.empty());
  ASSERT_EQ(same.conflicts.size(), 1U);
  EXPECT_EQ(same.conflicts[0].room, "Room 101");
  ASSERT_EQ(same.conflicts[0].sessions.size(), 2U);
  EXPECT_EQ(same.conflicts[0].count, 2U);
  EXPECT_EQ(same.conflicts[0].sessions[0].key, "algebra-2035@uni.example/20350312");
  EXPECT_EQ(same.conflicts[0].sessions[1].event, by_hand.event.id);
  EXPECT_FALSE(same.conflicts[0].sessions[1].key.has_value());

  // Edited: Algebra of 19 March moved to the 20th, Biology dropped, Chemistry added.
  plan = plan_sync(c, term("term_2035_edited.ics"));
  EXPECT_THAT(keys_of(plan.create), ::testing::ElementsAre("chemistry-2035@uni.example"));
  ASSERT_EQ(plan.update.size(), 1U);
  EXPECT_EQ(plan.update[0].session.key, "algebra-2035@uni.example/20350319");
  EXPECT_THAT(plan.update[0].changes, ::testing::ElementsAre(SyncField::start, SyncField::end));
  ASSERT_EQ(plan.cancel.size(), 1U);
  EXPECT_EQ(plan.cancel[0].current.summary, "Biology");
  EXPECT_FALSE(plan.cancel[0].cancelled_by_source);
  EXPECT_TRUE(plan.remove.empty());
  EXPECT_EQ(plan.unchanged, 6U);
  result = apply_sync(c, plan);
  ASSERT_TRUE(result.ok());

  events = all_events();
  const Event* moved = by_reference(events, "algebra-2035@uni.example/20350319");
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->start, utc(2035, 3, 20, 8));
  EXPECT_EQ(moved->end, utc(2035, 3, 20, 9, 30));
  EXPECT_EQ(by_reference(events, "biology-2035@uni.example")->status, EventStatus::cancelled);
  EXPECT_EQ(by_reference(events, "chemistry-2035@uni.example")->start, utc(2035, 3, 15, 10));
  EXPECT_TRUE(plan_sync(c, term("term_2035_edited.ics")).empty()) << "re-apply plans nothing";

  // The hand-made events are exactly as they were made.
  for (const Meeting& m : {by_hand, forged_meeting}) {
    const Event now = c.events().get(m.event.id);
    EXPECT_EQ(now.status, EventStatus::active);
    EXPECT_EQ(now.summary, m.event.summary);
    EXPECT_EQ(now.start, m.event.start);
    EXPECT_EQ(now.updated_at, m.event.updated_at);
  }
}

TEST_F(SyncOnEmulator, ShortenedRuleCancelsTheDroppedOccurrencesOrDeletesOrKeepsThem) {
  Client c = client();
  ASSERT_TRUE(apply_sync(c, plan_sync(c, term("term_2035.ics"))).ok());
  std::string text = sync_data("term_2035.ics");
  const std::string count4 = "RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO";
  text.replace(text.find(count4), count4.size(), "RRULE:FREQ=WEEKLY;COUNT=2;BYDAY=MO");
  const Timetable shorter = read_icalendar(text, year_2035());

  SyncOptions keep;
  keep.missing = MissingAction::keep;
  SyncPlan plan = plan_sync(c, shorter, keep);
  EXPECT_TRUE(plan.empty());
  EXPECT_EQ(plan.kept, 2U);

  SyncOptions remove;
  remove.missing = MissingAction::remove;
  plan = plan_sync(c, shorter, remove);
  EXPECT_EQ(plan.remove.size(), 2U);
  EXPECT_TRUE(plan.cancel.empty());

  plan = plan_sync(c, shorter);
  ASSERT_EQ(plan.cancel.size(), 2U);
  std::vector<Timestamp> starts;
  for (const auto& r : plan.cancel) starts.push_back(*r.current.start);
  std::sort(starts.begin(), starts.end());
  EXPECT_EQ(starts, (std::vector<Timestamp>{utc(2035, 3, 26, 7), utc(2035, 4, 2, 7)}));
  ASSERT_TRUE(apply_sync(c, plan).ok());
  EXPECT_TRUE(plan_sync(c, shorter).empty());
  // The longer rule again: the cancelled occurrences come back as new events (next generation).
  plan = plan_sync(c, term("term_2035.ics"));
  ASSERT_EQ(plan.create.size(), 2U);
  EXPECT_EQ(plan.create[0].reference_id, sync_reference_id("default", plan.create[0].session.key, 2));
  ASSERT_TRUE(apply_sync(c, plan).ok());
  EXPECT_TRUE(plan_sync(c, term("term_2035.ics")).empty());
}

TEST_F(SyncOnEmulator, StatusCancelledInTheFileCancelsEvenWhenMissingSessionsAreKept) {
  Client c = client();
  ASSERT_TRUE(apply_sync(c, plan_sync(c, term("term_2035.ics"))).ok());
  std::string text = sync_data("term_2035.ics");
  text.replace(text.find("SUMMARY:Biology"), 15, "STATUS:CANCELLED\r\nSUMMARY:Biology");
  SyncOptions keep;
  keep.missing = MissingAction::keep;
  const SyncPlan plan = plan_sync(c, read_icalendar(text, year_2035()), keep);
  ASSERT_EQ(plan.cancel.size(), 1U);
  EXPECT_TRUE(plan.cancel[0].cancelled_by_source);
  EXPECT_EQ(plan.cancel[0].key, "biology-2035@uni.example");
  ASSERT_TRUE(apply_sync(c, plan).ok());
  EXPECT_TRUE(plan_sync(c, read_icalendar(text, year_2035()), keep).empty());
}

TEST_F(SyncOnEmulator, AConcurrentEditIsReportedNotOverwritten) {
  Client c = client();
  ASSERT_TRUE(apply_sync(c, plan_sync(c, term("term_2035.ics"))).ok());
  const SyncPlan plan = plan_sync(c, term("term_2035_edited.ics"));
  ASSERT_EQ(plan.update.size(), 1U);
  ASSERT_EQ(plan.cancel.size(), 1U);
  // Between plan and apply, someone renames the session about to move and deletes the one about
  // to be cancelled.
  (void)c.events().update(plan.update[0].current.id, EventUpdate{.summary = "Algebra (moved by the dean)"});
  (void)c.events().remove(plan.cancel[0].current.id);
  const SyncResult result = apply_sync(c, plan);
  EXPECT_EQ(result.update[0].status, SyncStatus::conflict);
  EXPECT_THAT(result.update[0].message, HasSubstr("changed on the server since the plan (summary"));
  EXPECT_EQ(result.cancel[0].status, SyncStatus::conflict);
  EXPECT_THAT(result.cancel[0].message, HasSubstr("no longer exists"));
  EXPECT_EQ(result.create[0].status, SyncStatus::done);
  EXPECT_EQ(result.not_done(), 2U);
  const Event kept = c.events().get(plan.update[0].current.id);
  EXPECT_EQ(kept.summary, "Algebra (moved by the dean)");
  EXPECT_EQ(kept.start, plan.update[0].current.start) << "not moved over the concurrent edit";
}

TEST_F(SyncOnEmulator, RoomChangeMovesTheLinkAndCreatesTheNewRoom) {
  Client c = client();
  ASSERT_TRUE(apply_sync(c, plan_sync(c, term("term_2035.ics"))).ok());
  std::string text = sync_data("term_2035.ics");
  text.replace(text.find("LOCATION:Room 102"), 17, "LOCATION:Lab 7");
  const SyncPlan plan = plan_sync(c, read_icalendar(text, year_2035()));
  ASSERT_EQ(plan.update.size(), 1U);
  EXPECT_THAT(plan.update[0].changes, ::testing::ElementsAre(SyncField::room));
  EXPECT_FALSE(plan.update[0].session.room.id.has_value()) << "Lab 7 does not exist yet";
  const SyncResult result = apply_sync(c, plan);
  ASSERT_TRUE(result.ok()) << result.update[0].message;
  const Room lab = room_named("Lab 7");
  const auto links = c.links().list(LinkFilter{.event_id = plan.update[0].current.id}).items;
  ASSERT_EQ(links.size(), 1U);
  EXPECT_EQ(links[0].room_id, lab.id);
  EXPECT_TRUE(plan_sync(c, read_icalendar(text, year_2035())).empty());
}

TEST_F(SyncOnEmulator, AnExtraRoomLinkedByHandIsARoomChangeThatRemovesIt) {
  Client c = client();
  ASSERT_TRUE(apply_sync(c, plan_sync(c, term("term_2035.ics"))).ok());
  const Room extra = c.rooms().add(Room{.name = "Extra room"});
  // `kmeet link add --event E --room R2` on an event sync made: the event is in two rooms now.
  const Event lecture = all_events().front();
  (void)c.links().add(lecture.id, extra.id);
  const SyncPlan plan = plan_sync(c, term("term_2035.ics"));
  ASSERT_EQ(plan.update.size(), 1U) << "the event is no longer in exactly the timetable's room";
  EXPECT_EQ(plan.update[0].current.id, lecture.id);
  EXPECT_THAT(plan.update[0].changes, ::testing::ElementsAre(SyncField::room));
  EXPECT_EQ(plan.update[0].current_rooms.size(), 2U);
  const SyncResult result = apply_sync(c, plan);
  ASSERT_TRUE(result.ok()) << result.update[0].message;
  const auto links = c.links().list(LinkFilter{.event_id = lecture.id}).items;
  ASSERT_EQ(links.size(), 1U) << "the extra link is removed, the timetable's room kept";
  EXPECT_EQ(links[0].room_id, plan.update[0].session.room.id.value());
  EXPECT_NE(links[0].room_id, extra.id);
  EXPECT_TRUE(plan_sync(c, term("term_2035.ics")).empty());
}

TEST_F(SyncOnEmulator, SettingsAndDescriptionChangesKeepTagsKmeetDoesNotKnow) {
  Client c = client();
  Timetable t;
  t.from = utc(2035, 1, 1, 0);
  t.to = utc(2036, 1, 1, 0);
  SyncSession s;
  s.key = "lecture-1";
  s.summary = "Lecture";
  s.description = "Bring a laptop";
  s.start = utc(2035, 5, 2, 9);
  s.end = utc(2035, 5, 2, 10);
  s.room.name = "Room 9";
  s.settings.rs_class_mode = ClassMode::webinar;
  t.sessions = {s};
  ASSERT_TRUE(apply_sync(c, plan_sync(c, t)).ok());
  // A tag kmeet does not know, added to the event by someone else, is not a difference...
  const EventId id = all_events().front().id;
  EventSettings with_note = c.events().get(id).settings;
  with_note.extra.emplace_back("x_campus_note", "1");
  (void)c.events().update(id, EventUpdate{.settings = with_note});
  EXPECT_TRUE(plan_sync(c, t).empty());
  // ... and survives an update of the settings kmeet knows.
  t.sessions[0].settings.rs_class_mode = ClassMode::virtual_classroom;
  t.sessions[0].settings.rec_auto_start = true;
  t.sessions[0].description.reset();
  const SyncPlan plan = plan_sync(c, t);
  ASSERT_EQ(plan.update.size(), 1U);
  EXPECT_THAT(plan.update[0].changes, ::testing::ElementsAre(SyncField::description, SyncField::settings));
  ASSERT_TRUE(apply_sync(c, plan).ok());
  const Event now = c.events().get(id);
  EXPECT_EQ(now.settings.rs_class_mode, ClassMode::virtual_classroom);
  EXPECT_EQ(now.settings.rec_auto_start, true);
  EXPECT_THAT(now.tags, HasSubstr("x_campus_note:1"));
  EXPECT_EQ(now.description.value_or(""), "");
  EXPECT_TRUE(plan_sync(c, t).empty());
}

TEST_F(SyncOnEmulator, OverlappingSessionsOfTheTimetableAreConflicts) {
  Timetable t;
  t.from = utc(2035, 1, 1, 0);
  t.to = utc(2036, 1, 1, 0);
  for (const auto& [key, start] : {std::pair{"a", 9}, std::pair{"b", 10}, std::pair{"c", 12}}) {
    SyncSession s;
    s.key = key;
    s.summary = std::string("Session ") + key;
    s.start = utc(2035, 5, 2, start);
    s.end = utc(2035, 5, 2, start + 2);
    s.room.name = "Room 9";
    t.sessions.push_back(s);
  }
  const SyncPlan plan = plan_sync(client(), t);
  ASSERT_EQ(plan.conflicts.size(), 1U) << "a (9-11) overlaps b (10-12); b ends as c starts";
  ASSERT_EQ(plan.conflicts[0].sessions.size(), 2U);
  EXPECT_EQ(plan.conflicts[0].count, 2U);
  EXPECT_EQ(plan.conflicts[0].sessions[0].key, "a");
  EXPECT_EQ(plan.conflicts[0].sessions[1].key, "b");
  EXPECT_FALSE(plan.conflicts[0].room_id.has_value()) << "the room is made by the apply";
}

TEST_F(SyncOnEmulator, ManySessionsAtOneTimeInOneRoomAreOneBoundedConflict) {
  // 4,000 sessions at the same time in one room used to be 8 million pairs (bad_alloc): now one
  // cluster, its first SyncConflict::kMaxListed sessions listed and the total counted; a second,
  // separate overlap in the same room is a second cluster, and a chain a-b, b-c is one cluster.
  Timetable t;
  t.from = utc(2035, 1, 1, 0);
  t.to = utc(2036, 1, 1, 0);
  auto add = [&](const std::string& key, int day, int start, int end) {
    SyncSession s;
    s.key = key;
    s.summary = "S " + key;
    s.start = utc(2035, 6, static_cast<unsigned>(day), start);
    s.end = utc(2035, 6, static_cast<unsigned>(day), end);
    s.room.name = "Room Crowd";
    t.sessions.push_back(s);
  };
  for (int i = 0; i < 4000; ++i) add("same-" + std::to_string(i), 1, 9, 10);
  add("chain-a", 2, 9, 11);
  add("chain-b", 2, 10, 13);
  add("chain-c", 2, 12, 14);
  add("alone", 2, 14, 15);  // starts as chain-c ends: no overlap
  const SyncPlan plan = plan_sync(client(), t);
  ASSERT_EQ(plan.conflicts.size(), 2U);
  EXPECT_EQ(plan.conflicts[0].count, 4000U);
  EXPECT_EQ(plan.conflicts[0].sessions.size(), SyncConflict::kMaxListed);
  EXPECT_EQ(plan.conflicts[1].count, 3U);
  ASSERT_EQ(plan.conflicts[1].sessions.size(), 3U);
  EXPECT_EQ(plan.conflicts[1].sessions[0].key, "chain-a");
  EXPECT_EQ(plan.conflicts[1].sessions[2].key, "chain-c");
}

TEST_F(SyncOnEmulator, BadTimetablesAreRefusedBeforeAnythingIsSent) {
  Timetable t;
  t.from = utc(2035, 1, 1, 0);
  t.to = utc(2036, 1, 1, 0);
  SyncSession s;
  s.key = "k";
  s.summary = "A";
  s.start = utc(2035, 5, 2, 9);
  s.end = utc(2035, 5, 2, 8);
  s.room.name = "Room 9";
  s.origin = "line 3";
  t.sessions = {s, s};
  try {
    (void)plan_sync(client(), t);
    FAIL() << "accepted";
  } catch (const TimetableError& e) {
    ASSERT_EQ(e.problems().size(), 2U);
    EXPECT_THAT(e.problems()[0], HasSubstr("line 3: event.end"));
    EXPECT_THAT(e.problems()[1], HasSubstr("key 'k' is used by line 3 too"));
  }
  SyncOptions bad;
  bad.scope = "";
  EXPECT_THROW((void)plan_sync(client(), Timetable{t.from, t.to, {}}, bad), ValidationError);
}

}  // namespace
}  // namespace kmeet::test
