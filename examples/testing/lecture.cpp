#include "lecture.hpp"

namespace school {

Lecture schedule_lecture(const kmeet::Client& client, const std::string& course, kmeet::Timestamp start,
                         std::chrono::minutes length, const std::string& teacher,
                         const std::vector<std::string>& students) {
  kmeet::Room room{.name = course};
  room.settings.rs_room_cap = static_cast<int>(students.size()) + 1;
  const kmeet::Event lecture{.summary = course + " lecture", .start = start, .end = start + length};
  const kmeet::Meeting meeting = client.create_meeting({.room = room, .event = lecture});

  Lecture out{.room = meeting.room.id, .event = meeting.event.id, .teacher_link = {}, .student_links = {}};
  out.teacher_link =
      client.join({.event = out.event, .user_id = teacher, .role = kmeet::Role::moderator, .first_name = "Teacher"}).url;
  for (const std::string& student : students) {
    out.student_links.push_back(
        client.join({.event = out.event, .user_id = student, .role = kmeet::Role::attendee, .email = student}).url);
  }
  return out;
}

}  // namespace school
