#pragma once
/// @file privileges.hpp
/// A validated, injection-proof builder for KS privileges (kaltura-protocol.md F.6, G.1).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kmeet/types.hpp"

namespace kmeet {

/// KAF room role.
enum class Role { attendee, moderator };  // viewerRole, adminRole

/// `userContextualRole`: 0 instructor/moderator, 3 attendee/guest.
enum class ContextualRole { moderator = 0, attendee = 3 };

/// Builds a privileges string. Every setter validates its value and throws `ValidationError`
/// naming the privilege when the value could change how the server parses the set
/// (separators `,` `:` `;` `|` `/`, control characters, `_`-prefixed or reserved keys...).
class Privileges {
 public:
  Privileges& role(Role role);
  Privileges& contextual_role(ContextualRole role);
  Privileges& event_id(EventId id);
  Privileges& resource_id(RoomId id);
  Privileges& first_name(std::string_view name);
  Privileges& last_name(std::string_view name);
  Privileges& email(std::string_view email);
  /// The KAF analytics `api` JSON; stored URL-encoded as the guide does.
  Privileges& api(std::string_view json);
  /// Any other privilege (e.g. `sview`, `setrole`, `privacycontext`), checked like the rest.
  Privileges& set(std::string_view key, std::string_view value = {});

  /// `k:v,k:v` in insertion order (re-setting a key keeps its position).
  [[nodiscard]] std::string str() const;
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& entries() const {
    return entries_;
  }
  [[nodiscard]] bool empty() const { return entries_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace kmeet
