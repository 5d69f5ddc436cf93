#pragma once
// What the CLI tells a user about bad input: ids checked the same way for every option, and the
// SDK's field names (`room.name`, `join.user_id`) translated into the flags the user typed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kmeet::cli {

/// A room/event/session id as typed: digits only, no sign, no overflow (std::from_chars), > 0.
/// nullopt for anything else.
std::optional<std::int64_t> parse_positive_id(std::string_view text);

/// The reason given for an id `parse_positive_id` refuses: `'abc' is not a positive whole number`.
std::string bad_id_reason(std::string_view text);

/// The flag (or flags) a user typed for an SDK ValidationError field, e.g. `room.name` -> `--name`,
/// `join.user_id` -> `--user`, `privileges.firstName` -> `--first-name`, `event.end` -> `--end`.
/// Fields the CLI itself names (`--start`, `partner_id`, `csv`) come back unchanged.
std::string flag_for_field(std::string_view field);

/// The SDK's reason with its option names replaced by the CLI's (`allow_long_event` -> `--allow-long`).
std::string reason_for_cli(std::string reason);

}  // namespace kmeet::cli
