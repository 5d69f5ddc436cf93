#include "cli/convert.hpp"

#include "kmeet/json.hpp"

namespace kmeet::cli {

// The library's JSON of each object (kmeet/json.hpp), so the CLI prints what the SDK says.
Json to_json(const Room& room) { return Json::parse(kmeet::to_json(room)); }
Json to_json(const Event& event) { return Json::parse(kmeet::to_json(event)); }
Json to_json(const EventRoomLink& link) { return Json::parse(kmeet::to_json(link)); }

const std::vector<Column>& room_columns() {
  static const std::vector<Column> c = {
      {"id", "ID"}, {"name", "NAME"}, {"systemName", "SYSTEM NAME"}, {"status", "STATUS"}, {"tags", "TAGS"}};
  return c;
}
const std::vector<Column>& event_columns() {
  static const std::vector<Column> c = {{"id", "ID"},           {"summary", "SUMMARY"}, {"startDate", "START"},
                                        {"endDate", "END"},     {"status", "STATUS"},   {"referenceId", "REFERENCE ID"},
                                        {"tags", "TAGS"}};
  return c;
}
const std::vector<Column>& link_columns() {
  static const std::vector<Column> c = {{"eventId", "EVENT ID"}, {"resourceId", "ROOM ID"}, {"createdAt", "CREATED"}};
  return c;
}

}  // namespace kmeet::cli
