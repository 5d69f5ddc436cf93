#pragma once
// Reading fields of an API answer leniently but safely (protocol.md B.1: numbers may arrive as
// numeric strings; null means absent). A value of the wrong kind is a ProtocolError naming the
// object (`what`) and the field, with a short redacted snippet of the value. Every decoder of
// api_v3 answers (model/, services/) reads its fields through these.
//
// Two rules for an empty string where a number is expected: `integer`/`time` refuse it
// (ProtocolError), `integer_or_empty`/`time_or_empty` read it as absent. The second is the rule of
// the schedule objects and media entries (model/): protocol.md says nothing of empty numbers, and
// kmeet has always read them there as "not set" rather than fail a whole list on one field.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/json.hpp"
#include "kmeet/types.hpp"

namespace kmeet::detail::wire_read {

/// The field, or nullptr when it is missing or null (or `object` is not an object).
const Json* field(const Json& object, const char* key);
/// Throws the ProtocolError of a field whose value has the wrong kind.
[[noreturn]] void bad(std::string_view what, std::string_view key, const Json& value);

/// An integer from a JSON integer, an integral float or a plain integer string (`-12`; no sign
/// `+`, no spaces). An empty string is a ProtocolError.
std::optional<std::int64_t> integer(const Json& object, const char* key, std::string_view what);
/// As integer(), but an empty string reads as absent (the model's rule, file comment).
std::optional<std::int64_t> integer_or_empty(const Json& object, const char* key, std::string_view what);
/// A number from a JSON number or a plain decimal string (`1.5`, `-3e2`); an empty string is absent.
std::optional<double> number(const Json& object, const char* key, std::string_view what);
/// A string (a number is written as JSON writes it).
std::optional<std::string> text(const Json& object, const char* key, std::string_view what);
/// A Unix time in seconds (as integer()).
std::optional<Timestamp> time(const Json& object, const char* key, std::string_view what);
/// A Unix time in seconds (as integer_or_empty()).
std::optional<Timestamp> time_or_empty(const Json& object, const char* key, std::string_view what);

}  // namespace kmeet::detail::wire_read
