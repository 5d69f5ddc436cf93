#pragma once
// JSON types used inside kmeet (never in public headers).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace kmeet::detail {

/// Decoded responses: fast lookup.
using Json = nlohmann::json;
/// Encoded requests: insertion order kept, so bodies read like the official clients' (protocol.md A.7).
using WireJson = nlohmann::ordered_json;

/// Deepest nesting accepted in a response. nlohmann recurses while building and copying a DOM,
/// so a hostile 200k-deep document would overflow the stack: refuse it before parsing.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Parses `text`; throws ProtocolError (with a redacted snippet) when it is not JSON or nests
/// deeper than kMaxJsonDepth. `status` is only used for the error.
Json parse_json(std::string_view text, int status = 200);

/// True when `text` nests objects/arrays no deeper than `max_depth` (strings are skipped).
bool json_depth_within(std::string_view text, std::size_t max_depth);

/// Throws ValidationError naming `field` + the path of the first string (or key) in `value` that
/// is not valid UTF-8 (JSON bodies must be UTF-8; nlohmann would throw its own type_error on
/// dump()). Does nothing when all text is valid.
void check_json_utf8(const WireJson& value, const std::string& field);

}  // namespace kmeet::detail
