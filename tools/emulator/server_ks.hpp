#pragma once
// KSs the server itself issues (session.startWidgetSession, apptoken.startSession), generated the
// way the server's `kSessionBase::generateKsV1` / `generateKsV2` do it (docs/protocol.md F.2, F.3,
// I.5, I.7), and the token hash of I.6. Written against the spec, independently of kmeet's KsSigner
// (a client-side generator): the server writes nine v1 fields with a `microtime` rand and leaves
// `_u` out of a v2 KS whose user is null.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kmeet::emulator {

/// What goes into a server-issued KS.
struct ServerKs {
  std::int64_t partner_id = 0;
  std::int64_t valid_until = 0;
  int type = 0;
  /// nullopt: the user is null (v2: no `_u` field; v1: an empty field).
  std::optional<std::string> user;
  std::string privileges;
};

using KsRandom = std::array<std::uint8_t, 16>;

/// KS v2: fields as `generateKsV2` builds them (privileges split on `,`, trimmed, `*` -> `all:*`,
/// a later duplicate overwrites in place; `_e`, `_t`, `_u`, `_m`, `_d` set after them, in place;
/// nulls skipped by http_build_query), then sha1(rand||fields)||rand||fields, zero padded,
/// AES-128-CBC with sha1(secret)[0:16] and a zero IV, base64 with `-_` and `=` kept.
std::string server_ks_v2(const std::string& admin_secret, const ServerKs& ks, const KsRandom& rand);

/// KS v1: base64(hex(sha1(secret||info)) + "|" + info), info = the nine `;`-joined fields
/// `pid;pid;validUntil;type;rand;user;privileges;;` (no master partner, no additional data).
std::string server_ks_v1(const std::string& admin_secret, const ServerKs& ks, std::string_view rand_text);

/// PHP `(string)microtime(true)` (precision 14) for a time in whole seconds plus microseconds,
/// e.g. 1699913600 s + 123400 us -> `1699913600.1234`.
std::string php_microtime(std::int64_t seconds, std::int64_t micros);

/// PHP `hash(algo, data)` in lower-case hex for `MD5`, `SHA1`, `SHA256`, `SHA512` (docs/protocol.md
/// I.6); nullopt for any other name.
std::optional<std::string> hash_hex(std::string_view algo, std::string_view data);

/// PHP `trim()` with its default characters (space, `\t`, `\n`, `\r`, NUL, `\x0B`).
std::string php_trim(std::string_view s);

/// Bytes from OpenSSL's CSPRNG; throws std::runtime_error when it fails.
void secure_random_bytes(std::uint8_t* out, std::size_t n);

}  // namespace kmeet::emulator
