#pragma once
// Redaction of secrets and KS tokens from anything that may reach a message or a log.

#include <string>
#include <string_view>

namespace kmeet::detail {

/// A short, safe stand-in for a KS: its first 6 characters and its length, e.g. `djJ8MT…(171 chars)`.
std::string redact_ks(std::string_view ks);

/// Replaces every substring that looks like a KS (base64 runs of 40+ characters, any `ks=` query
/// value) with its redacted form. Used on response snippets and server messages.
std::string redact_tokens(std::string_view text);

/// `text` on one printable line: control characters (CR, LF, ESC, ...) and DEL become `\n`, `\r`,
/// `\t` or `\xHH`, so server text cannot forge lines or terminal sequences in a message.
std::string one_line(std::string_view text);

/// At most `max` bytes of `text`, redacted, with control characters shown as spaces.
std::string safe_snippet(std::string_view text, std::size_t max = 200);

}  // namespace kmeet::detail
