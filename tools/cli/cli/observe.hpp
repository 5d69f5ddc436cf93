#pragma once
// The global `--verbose` and `--rate` options (docs/cli.md): one line per HTTP request on stderr
// through the SDK's log hook, and the SDK's client-side rate limit.

#include <ostream>
#include <string_view>

#include "kmeet/hooks.hpp"

namespace kmeet::cli {

/// Calls per second from `--rate`: `N`, `N/s`, `N/m` or `N/min` (a positive number, fractions
/// allowed, at most 1,000,000/s). Throws ValidationError naming `field`.
double parse_rate(std::string_view text, std::string_view field);

/// A log hook writing one line per request to `err` (serialised across threads):
/// `kmeet: <level> <request> [call <call>] #<attempt> <status> <ms>ms <outcome> [N/M blocked] id=<id>
/// [server=..] [session=..]`. The record carries no body, KS or secret (kmeet/hooks.hpp); every field is
/// printed printable.
LogHook verbose_log(std::ostream& err);

}  // namespace kmeet::cli
