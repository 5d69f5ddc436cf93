// Testing your own code against kmeet (docs/getting-started.md): GoogleTest cases for
// school::schedule_lecture (lecture.cpp) against kmeet::testing::LocalKaltura, a Kaltura of its own
// that runs inside the test process. No network, no account, no scripted JSON.
#include <gtest/gtest.h>
#include <kmeet/kmeet.hpp>
#include <kmeet/testing/local_kaltura.hpp>

#include "lecture.hpp"

namespace {

using namespace std::chrono_literals;

class LectureTest : public ::testing::Test {
 protected:
  kmeet::testing::LocalKaltura kaltura;      // started on a free port, stopped after the test
  kmeet::Client client{kaltura.config()};    // the client your code gets, pointed at it
  kmeet::Timestamp tomorrow = kaltura.now() + 24h;
};

TEST_F(LectureTest, SchedulesTheLectureInTheCoursesRoom) {
  const school::Lecture lecture =
      school::schedule_lecture(client, "Physics 101", tomorrow, 90min, "teacher@example.edu", {"ann@example.edu"});

  const std::vector<kmeet::testing::LocalRoom> rooms = kaltura.rooms();
  ASSERT_EQ(rooms.size(), 1U);
  EXPECT_EQ(rooms[0].id, lecture.room);
  EXPECT_EQ(rooms[0].name, "Physics 101");
  EXPECT_NE(rooms[0].tags.find("custom_rs_room_cap:2"), std::string::npos) << rooms[0].tags;

  const std::vector<kmeet::testing::LocalEvent> events = kaltura.events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].id, lecture.event);
  EXPECT_EQ(events[0].summary, "Physics 101 lecture");
  EXPECT_EQ(events[0].start, tomorrow);
  EXPECT_EQ(events[0].end, tomorrow + 90min);
  EXPECT_EQ(events[0].rooms, std::vector<kmeet::RoomId>{lecture.room});
}

TEST_F(LectureTest, TheTeacherModeratesAndStudentsAttend) {
  const school::Lecture lecture = school::schedule_lecture(client, "Physics 101", tomorrow, 90min, "teacher@example.edu",
                                                           {"ann@example.edu", "bob@example.edu"});
  ASSERT_EQ(lecture.student_links.size(), 2U);
  EXPECT_TRUE(kaltura.open(lecture.teacher_link).joined);
  for (const std::string& link : lecture.student_links) EXPECT_TRUE(kaltura.open(link).joined);

  const std::vector<kmeet::testing::LocalJoin> joins = kaltura.joins();
  ASSERT_EQ(joins.size(), 3U);
  EXPECT_EQ(joins[0].user_id, "teacher@example.edu");
  EXPECT_EQ(joins[0].role, kmeet::Role::moderator);
  EXPECT_EQ(joins[1].user_id, "ann@example.edu");
  EXPECT_EQ(joins[1].role, kmeet::Role::attendee);
  EXPECT_EQ(joins[1].email, "ann@example.edu");
  EXPECT_EQ(joins[2].event, lecture.event);
}

TEST_F(LectureTest, LinksStopWorkingWhenTheyExpire) {
  const school::Lecture lecture =
      school::schedule_lecture(client, "Physics 101", tomorrow, 90min, "teacher@example.edu", {"ann@example.edu"});
  kaltura.advance_clock(3h);  // join links live 2 hours
  const kmeet::testing::LaunchResult late = kaltura.open(lecture.student_links[0]);
  EXPECT_EQ(late.status, 403);
  EXPECT_FALSE(late.joined);
  EXPECT_TRUE(kaltura.joins().empty());
}

TEST_F(LectureTest, AKalturaOutageIsAnErrorAndLeavesNothingBehind) {
  kaltura.set_faults("5xx=1");  // every request answers 500..504 from now on
  EXPECT_THROW(school::schedule_lecture(client, "Physics 101", tomorrow, 90min, "teacher@example.edu", {}),
               kmeet::Error);
  kaltura.clear_faults();
  EXPECT_TRUE(kaltura.rooms().empty());
  EXPECT_TRUE(kaltura.events().empty());
}

}  // namespace
