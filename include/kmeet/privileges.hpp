#pragma once
/// @file privileges.hpp
/// A validated, injection-proof builder for KS privileges (protocol.md F.6, G.1).
///
/// The server has no escaping in the privilege grammar: it splits on `,`, then on the first `:`,
/// then splits values on `/`; KS v1 also splits the whole token on `;`; and the v2 field string goes
/// through PHP `parse_str`, which renames keys containing `.`, space or `[`. A later duplicate
/// overwrites an earlier one. So every setter refuses, with a `ValidationError` naming the
/// privilege (e.g. field `privileges.firstName`), any value that could change the parsed set:
///
/// - keys: only `[A-Za-z0-9-]` and `_` (never first), at most 64 characters; keys the server or KAF
///   interpret (`role`, `eventId`, `setrole`, `sview`, `all`, ... case-insensitively) only through
///   their typed setters, never through `set()`;
/// - values: no `,` `;` `:`, no control characters (C0, DEL, C1), valid UTF-8, no leading or
///   trailing whitespace (the server trims each item), at most 256 bytes;
/// - display names and email: additionally no `/` (the server splits privilege values on `/`, so
///   `AC/DC` would reach KAF as a two-item list) and no `downloadasset` (the server looks for that
///   word anywhere in the privileges string when it generates a KS);
/// - ids are positive integers, roles are enums, the `api` JSON is URL-encoded.
///
/// `str()` writes the privileges in the order they were set (the guide's
/// `eventId:…,role:…,userContextualRole:…,firstName:…` when built that way). Order cannot change
/// their meaning: a key appears once and no value can hold a separator.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kmeet/export.hpp"
#include "kmeet/types.hpp"

namespace kmeet {

/// KAF room role.
enum class Role { attendee, moderator };  // viewerRole, adminRole

/// `userContextualRole`: 0 instructor/moderator, 3 attendee/guest.
enum class ContextualRole { moderator = 0, attendee = 3 };

/// The privileges the Kaltura server itself interprets (`kSessionBase` constants, protocol.md F.3).
enum class ServerPrivilege {
  edit, sview, list, download, downloadasset, editplaylist, sviewplaylist, actionslimit, setrole,
  restrictingrole, limitentry, iprestrict, urirestrict, enableentitlement, disableentitlement,
  disableentitlementforentry, disableentitlementforplaylist, privacycontext, enablecategorymoderation,
  reftime, sessionkey, preview, sessionid, jobtype, apptoken, enablechangeaccount, edituser,
  enablecaptionmoderation, editadmintags, restrictexplicitliveview, virtualeventid, searchcontext,
  disablesessiontypecheck
};

/// The wire name of a server privilege, e.g. `setrole` (empty for a value that is not an enumerator; never throws: see types.hpp).
[[nodiscard]] KMEET_EXPORT std::string_view to_string(ServerPrivilege privilege) noexcept;

/// Builds a privileges string. Every setter validates its value and throws `ValidationError`
/// naming the privilege when the value could change how the server parses the set.
class KMEET_EXPORT Privileges {
 public:
  /// `role:viewerRole` / `role:adminRole`.
  Privileges& role(Role role);
  /// `userContextualRole:0|3`.
  Privileges& contextual_role(ContextualRole role);
  /// `eventId:<id>` (a positive id).
  Privileges& event_id(EventId id);
  /// `resourceId:<id>` (a positive id).
  Privileges& resource_id(RoomId id);
  /// `firstName:<name>` (display name, see the rules above).
  Privileges& first_name(std::string_view name);
  /// `lastName:<name>`.
  Privileges& last_name(std::string_view name);
  /// `email:<addr>`: one `@` with text on both sides, no whitespace, at most 254 bytes.
  Privileges& email(std::string_view email);
  /// The KAF analytics `api` JSON (must parse as JSON); stored URL-encoded (RFC 3986, `/` as `%2F`)
  /// as the guide does, e.g. `api:%7B%22method%22%3A%22GET%22...`.
  Privileges& api(std::string_view json);
  /// A privilege the server interprets, e.g. `server(ServerPrivilege::sview, "0_abc")`. The value
  /// may only hold `[A-Za-z0-9_.*@-]` and `/` (which the server reads as a list separator); empty
  /// writes the bare name.
  Privileges& server(ServerPrivilege privilege, std::string_view value = {});
  /// `*` (the server stores it as `all:*`): every privilege. For admin tooling only.
  Privileges& all();
  /// Any other privilege, checked like the rest; its value may contain `/` (read by the server as
  /// a list separator). Keys with a typed setter are refused here.
  Privileges& set(std::string_view key, std::string_view value = {});

  /// `k:v,k:v` in insertion order (re-setting a key keeps its position). An empty value writes the
  /// bare key.
  [[nodiscard]] std::string str() const;
  /// The entries in the order `str()` writes them.
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& entries() const {
    return entries_;
  }
  /// True when nothing was set.
  [[nodiscard]] bool empty() const { return entries_.empty(); }

 private:
  Privileges& put(std::string_view key, std::string value);

  std::vector<std::pair<std::string, std::string>> entries_;
};

/// Checks a KS user id (the `_u` field: who joins; one id per person): at most 256 bytes, valid
/// UTF-8, no control characters (C0, DEL, C1: a newline or an escape sequence in an id would
/// forge lines in logs and terminals), no `;` or `|` (KS field separators). Throws
/// ValidationError(field, reason). An empty id is allowed here (an admin KS may have none).
KMEET_EXPORT void validate_user_id(std::string_view user_id, std::string_view field = "user_id");

}  // namespace kmeet
