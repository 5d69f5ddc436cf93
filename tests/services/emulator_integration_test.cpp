// Rooms, events, links and meetings against kmeet-emulator over loopback (the whole guide flow,
// a server-side failure rolled back for real).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kmeet/client.hpp"
#include "kmeet/errors.hpp"
#include "support/emulator.hpp"
#include "support/http_get.hpp"

namespace kmeet {
namespace {

Timestamp now_plus(std::chrono::seconds d) {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + d;
}

class MeetingsOnEmulator : public test::EmulatorTest {
 protected:
  Client client() {
    Config c;
    c.service_url = emulator().base_url();
    c.kaf_url = emulator().base_url();
    c.partner_id = PartnerId(emulator().partner_id());
    c.admin_secret = emulator().admin_secret();
    c.admin_user_id = "admin@example.com";
    return Client(c);
  }
  static Event session(std::string summary) {
    Event e;
    e.summary = std::move(summary);
    e.start = now_plus(std::chrono::hours(24));
    e.end = *e.start + std::chrono::hours(1);
    e.settings.rec_auto_start = true;
    e.settings.rs_user_lang = Language::es_LA;
    return e;
  }
};

TEST_F(MeetingsOnEmulator, ACallersKeyIsCheckedInTheCreatesRoundTripAndTwoWritersConverge) {
  // The emulator runs the folded twin check (a list after the adds of one multirequest) after the
  // adds: the first writer's create is one request; a second writer whose look-up missed the
  // first's event (keys_checked: as if both looked at once) makes a twin, sees both in its own
  // folded list, keeps the lowest id and deletes its own.
  Client a = client();
  Client b = client();
  Room r;
  r.name = "Twin room";
  const RoomId room = a.rooms().add(r).id;
  MeetingSpec s{.room = room, .event = session("Lecture 1")};
  s.event.reference_id = "twin-lecture-1";
  s.keys_checked = true;
  auto requests = [&] { return test::get_json(emulator().base_url() + "/__emulator/stats")["requests"].get<int>(); };
  const int before = requests();
  const Meeting first = a.create_meeting(s);
  EXPECT_EQ(requests() - before, 1);  // one round trip: the create with its folded list
  const Meeting second = b.create_meeting(s);
  EXPECT_EQ(second.event.id, first.event.id);
  EXPECT_EQ(second.link.room_id, room);
  // The create, the links of both events, the deletion of the twin and its link: no verify round.
  EXPECT_EQ(requests() - before, 4);
  std::vector<Event> live;
  for (const Event& e : a.events().list_all(EventFilter{.reference_id = "twin-lecture-1"}).to_vector()) {
    if (e.status != EventStatus::deleted) live.push_back(e);
  }
  ASSERT_EQ(live.size(), 1U);
  EXPECT_EQ(live[0].id, first.event.id);
  const auto links = a.links().list(LinkFilter{.room_id = room}).items;
  ASSERT_EQ(links.size(), 1U);
  EXPECT_EQ(links[0].event_id, first.event.id);
}

TEST_F(MeetingsOnEmulator, GuideFlow) {
  Client c = client();
  Room spec;
  spec.name = "Room-1";
  spec.description = "My first meeting room";
  spec.settings.rs_room_cap = 30;
  Room room = c.rooms().add(spec);
  EXPECT_TRUE(room.id.valid());
  EXPECT_EQ(room.settings.rs_room_cap, 30);
  EXPECT_TRUE(room.settings.newrow);
  EXPECT_EQ(c.rooms().get(room.id).name, "Room-1");

  Meeting m = c.create_meeting(MeetingSpec{.room = room.id, .event = session("Class 1")});
  EXPECT_EQ(m.room.id, room.id);
  EXPECT_EQ(m.link.event_id, m.event.id);
  EXPECT_EQ(m.link.room_id, room.id);
  EXPECT_EQ(m.event.settings.rs_user_lang, Language::es_LA);

  Meeting m2 = c.create_meeting(MeetingSpec{.room = room.id, .event = session("Class 2")});
  std::vector<Event> events = c.events().list_all(EventFilter{.room_id = room.id}).to_vector();
  ASSERT_EQ(events.size(), 2U);

  Event renamed = c.events().update(m.event.id, EventUpdate{.summary = "Class 1 (moved)", .description = kmeet::clear});
  EXPECT_EQ(renamed.summary, "Class 1 (moved)");
  EXPECT_EQ(c.events().cancel(m2.event.id).status, EventStatus::cancelled);

  Page<EventRoomLink> links = c.links().list(LinkFilter{.room_id = room.id});
  EXPECT_EQ(links.items.size(), 2U);
  c.links().remove(m2.event.id, room.id);
  EXPECT_EQ(c.links().list(LinkFilter{.room_id = room.id}).items.size(), 1U);

  EXPECT_EQ(c.events().remove(m2.event.id).status, EventStatus::deleted);
  EXPECT_EQ(c.rooms().update(room.id, RoomUpdate{.name = "Room-1b"}).name, "Room-1b");
  EXPECT_EQ(c.rooms().remove(room.id).status, RoomStatus::deleted);
  try {
    (void)c.rooms().get(room.id);
    FAIL() << "deleted room still readable";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "INVALID_OBJECT_ID");
  }
}

TEST_F(MeetingsOnEmulator, NewRoomMeetingInOneRoundTrip) {
  Client c = client();
  Room room;
  room.name = "Lab";
  Meeting m = c.create_meeting(MeetingSpec{.room = room, .event = session("Lab session")});
  EXPECT_TRUE(m.room.id.valid());
  EXPECT_EQ(m.link.room_id, m.room.id);
  EXPECT_EQ(c.rooms().list(RoomFilter{.id = m.room.id}).items.size(), 1U);
}

TEST_F(MeetingsOnEmulator, ServerSideFailureIsRolledBack) {
  Client c = client();
  Room room;
  room.name = "Rollback room";
  room.system_name = "rollback-room";
  Event too_long = session("Two days");
  too_long.end = *too_long.start + std::chrono::hours(48);
  // Allowed locally, refused by the server (MAX_SCHEDULE_DURATION_REACHED): the room created in
  // the same round trip must be deleted again.
  try {
    (void)c.create_meeting(MeetingSpec{.room = room, .event = too_long, .allow_long_event = true});
    FAIL() << "no error";
  } catch (const MeetingError& e) {
    EXPECT_EQ(e.step(), MeetingStep::event);
    EXPECT_TRUE(e.rolled_back()) << e.what();
  }
  RoomFilter f;
  f.system_name = "rollback-room";
  EXPECT_TRUE(c.rooms().list(f).items.empty());
}

TEST_F(MeetingsOnEmulator, AnExistingSystemNameIsThatRoomAndIsNeverDeleted) {
  // The room's systemName is its idempotency key: a meeting whose new room names an existing
  // system name is scheduled in that room (no second room); when the meeting fails, the event and
  // link are deleted and the room, which this call did not make, is kept.
  Client c = client();
  Room first;
  first.name = "Taken";
  first.system_name = "taken-system-name";
  const Room taken = c.rooms().add(first);
  Event e = session("Adopts the room");
  e.reference_id = "adopts-the-room";
  const Meeting m = c.create_meeting(MeetingSpec{.room = first, .event = e});
  EXPECT_EQ(m.room.id, taken.id);
  Event too_long = session("Too long");
  too_long.reference_id = "too-long-in-taken";
  too_long.end = *too_long.start + std::chrono::hours(48);
  try {
    (void)c.create_meeting(MeetingSpec{.room = first, .event = too_long, .allow_long_event = true});
    FAIL() << "no error";
  } catch (const MeetingError& err) {
    EXPECT_EQ(err.step(), MeetingStep::event);
    EXPECT_TRUE(err.rolled_back()) << err.what();
    EXPECT_THAT(err.what(), ::testing::HasSubstr("not made by this call) was kept"));
  }
  EXPECT_EQ(c.rooms().get(taken.id).id, taken.id);
  EventFilter ef;
  ef.reference_id = "too-long-in-taken";
  EXPECT_TRUE(c.events().list(ef).items.empty());
  for (const EventRoomLink& link : c.links().list_all(LinkFilter{}).to_vector()) {
    EXPECT_NE(link.room_id, RoomId(0)) << "a link to room 0 was left for event " << link.event_id.value();
  }
}

}  // namespace
}  // namespace kmeet
