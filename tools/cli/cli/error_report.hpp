#pragma once
// Errors as the user sees them: one line `kmeet: error: ...` on stderr, nothing secret in it, and
// the exit status scripts rely on (docs/cli.md: 1 API or network error, 2 usage error).

#include <iosfwd>
#include <string>

#include "cli/secrets.hpp"

namespace kmeet::cli {

/// One printable line: trailing newlines and blanks dropped, every control character or escape
/// sequence from the server, a file or an argument shown escaped (`\x1b`, `\n`), never interpreted.
std::string one_line(std::string text);

/// Prints `kmeet: error: <text>` (secrets scrubbed, one line).
void print_error(std::ostream& err, const Secrets& secrets, const std::string& text);

/// Reports the exception being handled (call it inside a catch block) and returns the exit status:
/// kUsage for a ValidationError (input refused before anything was sent, named by the flag the
/// user typed), kFailed for an API, HTTP, network or any other error.
int report_current_error(std::ostream& err, const Secrets& secrets);

}  // namespace kmeet::cli
