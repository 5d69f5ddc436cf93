#pragma once
// api_v3: dispatch of session, system, apptoken and the schedule plugin services, multirequest with
// result references (protocol.md C, D, E).

#include <cstdint>
#include <string>

#include "common.hpp"
#include "world.hpp"

namespace kmeet::emulator {

class Api {
 public:
  explicit Api(World& world) : w_(world) {}

  /// Handles one HTTP request's merged parameters. Returns the bare result, a
  /// KalturaAPIException object, or (multirequest) the array of results.
  Json handle(const Json& params, std::int64_t now);

 private:
  Json call(const Json& params, std::int64_t now);
  Json multirequest(const Json& params, std::int64_t now);
  /// Throws ACTION_BLOCKED when `partner` is over `--rate-limit` (docs/protocol.md K).
  void throttle(const std::string& service, const std::string& action, std::int64_t partner);

  World& w_;
};

}  // namespace kmeet::emulator
