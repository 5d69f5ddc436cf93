#pragma once
// SDK objects as the JSON the CLI prints: the library's to_json (kmeet/json.hpp), and the columns
// of tables and CSV.

#include "cli/output.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/model.hpp"

namespace kmeet::cli {

Json to_json(const Room& room);
Json to_json(const Event& event);
Json to_json(const EventRoomLink& link);

/// Table/CSV columns of lists.
const std::vector<Column>& room_columns();
const std::vector<Column>& event_columns();
const std::vector<Column>& link_columns();

}  // namespace kmeet::cli
