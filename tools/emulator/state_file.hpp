#pragma once
// The `--state` file on disk: read at start, written atomically (docs/emulator.md).

#include <string>

namespace kmeet::emulator {

/// "" when a new file can be created next to `path` (one is created and removed again), else
/// the reason, e.g. "No such file or directory".
std::string check_writable_dir(const std::string& path);

/// Writes `text` to `path` through a temporary file in the same directory (mode 0600, fsync'd)
/// renamed over it, so a reader sees the old or the new file, never half of one. Returns "" or
/// the reason it failed (the temporary file is removed then).
std::string write_atomically(const std::string& path, const std::string& text);

/// The file's contents; throws std::runtime_error "cannot read state file PATH (reason)".
std::string read_state_file(const std::string& path);

}  // namespace kmeet::emulator
