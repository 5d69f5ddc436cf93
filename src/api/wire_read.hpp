#pragma once
// Reading fields of an API answer leniently but safely (protocol.md B.1: numbers may arrive as
// numeric strings; null means absent). A value of the wrong kind is a ProtocolError naming the
// object (`what`) and the field, with a short redacted snippet of the value.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/json.hpp"
#include "kmeet/types.hpp"

namespace kmeet::detail::wire_read {

/// The field, or nullptr when it is missing or null.
const Json* field(const Json& object, const char* key);
/// An integer from a JSON integer, an integral float or a plain integer string.
std::optional<std::int64_t> integer(const Json& object, const char* key, std::string_view what);
/// A string (a number is written as JSON writes it).
std::optional<std::string> text(const Json& object, const char* key, std::string_view what);
/// A Unix time in seconds.
std::optional<Timestamp> time(const Json& object, const char* key, std::string_view what);

}  // namespace kmeet::detail::wire_read
