#pragma once
/// @file meetings.hpp
/// A meeting = a room, a scheduled session and the link between them, made in one round trip.

#include <exception>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kmeet/errors.hpp"
#include "kmeet/model.hpp"

namespace kmeet {

/// What `Client::create_meeting` makes.
struct MeetingSpec {
  /// A new room to create, or an existing room to schedule the session in (it must be a Meetings
  /// room, tagged `vcprovider:newrow`; otherwise the room step fails with
  /// `KMEET_NOT_A_MEETINGS_ROOM` and nothing is left behind).
  std::variant<Room, RoomId> room;
  /// The session (its `type` chooses Record or Meeting event).
  Event event;
  /// Permit a session longer than the server's single-event limit (24 h; 3 days for meetings).
  bool allow_long_event = false;
};

/// A meeting as the server stored it.
struct Meeting {
  /// The room as stored.
  Room room;
  /// The session as stored.
  Event event;
  /// The link between them.
  EventRoomLink link;
};

/// The steps of a meeting, in the order they run.
enum class MeetingStep { room, event, link };
/// The wire name of the value.
[[nodiscard]] std::string_view to_string(MeetingStep step);

/// A meeting could not be made. Everything created on the way was deleted again (see
/// `rolled_back()`); `code()` / `args()` are those of the server error of the failed step.
class MeetingError : public ApiError {
 public:
  /// Made by `create_meeting` after the rollback.
  MeetingError(MeetingStep step, ApiError::Details original, std::string rollback_note,
               bool rolled_back);
  /// The step that failed first.
  [[nodiscard]] MeetingStep step() const { return step_; }
  /// True when everything created was deleted again; false when something may be left (the
  /// message names it).
  [[nodiscard]] bool rolled_back() const { return rolled_back_; }
  /// The server's message of the failed step, unchanged.
  [[nodiscard]] const std::string& original_message() const { return original_message_; }

 private:
  MeetingStep step_;
  bool rolled_back_;
  std::string original_message_;
};

/// The result of one meeting of `Client::create_meetings`: the meeting, or why it was not made
/// (ValidationError before sending, MeetingError after rollback).
class MeetingResult {
 public:
  /// A made meeting, or the error that stopped it.
  explicit MeetingResult(Meeting meeting) : meeting_(std::move(meeting)) {}
  /// A made meeting, or the error that stopped it.
  explicit MeetingResult(std::exception_ptr error, std::string message)
      : error_(std::move(error)), message_(std::move(message)) {}
  /// True when the meeting was made.
  [[nodiscard]] bool ok() const { return meeting_.has_value(); }
  /// The meeting; rethrows the error when there is none.
  [[nodiscard]] const Meeting& value() const {
    if (!meeting_) std::rethrow_exception(error_);
    return *meeting_;
  }
  /// The error (null when ok()).
  [[nodiscard]] std::exception_ptr error() const { return error_; }
  /// One line saying why the meeting was not made (empty when ok()).
  [[nodiscard]] const std::string& error_message() const { return message_; }

 private:
  std::optional<Meeting> meeting_;
  std::exception_ptr error_;
  std::string message_;
};

}  // namespace kmeet
