#pragma once
// "Your application": the code a user of kmeet writes and wants to test. It schedules a lecture in a
// room of its own and hands out one join link per person.

#include <kmeet/kmeet.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace school {

/// A scheduled lecture and who may enter it.
struct Lecture {
  kmeet::RoomId room;
  kmeet::EventId event;
  std::string teacher_link;                ///< joins as moderator
  std::vector<std::string> student_links;  ///< one per student, in the order given
};

/// Creates the course's room and the lecture in one round trip, then one join link per person.
/// Throws kmeet::Error (e.g. kmeet::HttpError when Kaltura is down) and nothing is left behind.
Lecture schedule_lecture(const kmeet::Client& client, const std::string& course, kmeet::Timestamp start,
                         std::chrono::minutes length, const std::string& teacher,
                         const std::vector<std::string>& students);

}  // namespace school
