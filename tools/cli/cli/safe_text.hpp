#pragma once
// Text from outside (the server, a CSV file, a config file) made safe to print on a terminal, and
// inputs read with a cap.

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace kmeet::cli {

/// One printable line: C0 controls and DEL become `\n`, `\r`, `\t`, `\x1b`...; C1 controls
/// (U+0080..U+009F) and bidirectional overrides become `\u009b`...; bytes that are not UTF-8
/// become `\xNN`. Everything else (printable UTF-8, backslash included) is kept. Terminal escape
/// sequences (ANSI CSI, OSC 8 links, title changes) and forged extra lines cannot get through.
std::string printable(std::string_view text);

/// Input caps (`kmeet: error: <what>: ... is larger than <cap>`, exit 2).
inline constexpr std::size_t kMaxConfigBytes = 1 << 20;     ///< config file: 1 MiB
inline constexpr std::size_t kMaxCsvBytes = 64u << 20;      ///< `kmeet import` CSV: 64 MiB
inline constexpr std::size_t kMaxKsBytes = 64u << 10;       ///< a KS on stdin: 64 KiB

/// "1 MiB", "64 KiB", "64 MiB".
std::string size_text(std::size_t bytes);

/// Reads a whole stream, at most `cap` bytes; more is ValidationError(what, "... larger than ...").
std::string read_capped(std::istream& in, std::size_t cap, std::string_view what);

/// Reads a file, at most `cap` bytes (a FIFO, /dev/urandom or a huge file stops at the cap).
/// nullopt-free: a file that cannot be opened is ValidationError(what, "cannot read PATH: why").
std::string read_capped_file(const std::string& path, std::size_t cap, std::string_view what);

/// Like read_capped_file, but a missing file (ENOENT) returns false instead of throwing.
bool read_capped_file_if_exists(const std::string& path, std::size_t cap, std::string_view what, std::string& out);

}  // namespace kmeet::cli
