#pragma once
/// @file digest.hpp
/// A stable fingerprint of your own data, for keys that must come out the same in every run:
/// idempotency keys derived from an input row (a room's `system_name`, an event's
/// `reference_id`), so that running the same input again finds what the first run made instead of
/// making it twice. `kmeet import` derives its keys this way.

#include <string>
#include <string_view>

namespace kmeet {

/// SHA-1 (FIPS 180-4) of `data` as 40 lower-case hex digits:
/// `sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d"`. The same bytes give the same
/// digest on every machine and in every kmeet version. A fingerprint, not a security measure:
/// SHA-1 does not resist someone who chooses colliding inputs on purpose.
[[nodiscard]] std::string sha1_hex(std::string_view data);

}  // namespace kmeet
